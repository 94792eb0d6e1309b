// Integration error of a site-symmetric trajectory, estimated as for the full ODE
// (src/online/errorEstimate.ts): the same trajectory again with half the step (euler, rk4;
// Richardson's factor) or a 100x tighter tolerance (adaptive). The two runs take different steps
// and so round differently: where both agree only by the rounding of the right-hand side (eps_g is
// a sum over ~K^2 pairs of units), their difference shows it. It covers the time discretisation
// and rounding, not the averages' own accuracy (exact up to rounding).
import { integrateSymmetric, type SymmetricOdeResult } from "./integrateSymmetric";

/** Estimated absolute integration error of a site-symmetric trajectory, per sample. */
export interface SymmetricErrorEstimate {
  eg: Float64Array;
  Q: Float64Array;
  C: Float64Array;
  R: Float64Array;
  S: Float64Array;
  /** The repeated (more accurate) run. */
  reference: SymmetricOdeResult;
  /** How the estimate was made, as printed with tables. */
  method: string;
}

/** Error estimate of integrateSymmetric()'s result from a half-step (adaptive: tighter-tolerance) rerun. */
export function symmetricErrorEstimate(result: SymmetricOdeResult): SymmetricErrorEstimate {
  const o = result.options;
  const finer = o.integrator === "adaptive"
    ? integrateSymmetric({ ...o, rtol: Math.max(o.rtol / 100, 1e-15), atol: o.atol / 100 })
    : integrateSymmetric({ ...o, step: o.step / 2, maxSteps: Math.min(2 * o.maxSteps, 2 ** 31 - 1) });
  // e(h) ~ |y_h - y_{h/2}| 2^p / (2^p - 1) for a method of order p; adaptive: |y - y_fine|
  const factor = o.integrator === "euler" ? 2 : o.integrator === "rk4" ? 16 / 15 : 1;
  const n = Math.min(result.alpha.length, finer.alpha.length);
  const diff = (a: Float64Array, b: Float64Array) => Float64Array.from({ length: n }, (_, s) => factor * Math.abs(a[s] - b[s]));
  const method = o.integrator === "adaptive" ? "difference to a run with rtol/100, atol/100" : `Richardson estimate from a run with step ${o.step / 2}`;
  return { eg: diff(result.eg, finer.eg), Q: diff(result.Q, finer.Q), C: diff(result.C, finer.C), R: diff(result.R, finer.R), S: diff(result.S, finer.S), reference: finer, method };
}
