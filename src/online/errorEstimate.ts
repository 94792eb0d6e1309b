// Integration error of a learning curve, estimated by repeating it with half the step
// (euler, rk4) or a 100x tighter tolerance (adaptive) and Richardson's factor.
// It covers the time discretisation and rounding, not the approximation of the averages
// (for method "hermite" see result.hermite.maxOrderDifference).
import { integrate, type OdeResult } from "./integrate";

export interface ErrorEstimate {
  /** Absolute error estimates with the layout of the result. */
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** The repeated (more accurate) run. */
  reference: OdeResult;
  method: string;
}

export function integrationErrorEstimate(result: OdeResult): ErrorEstimate {
  const o = result.options;
  const finer =
    o.integrator === "adaptive"
      ? integrate({ ...o, alphas: o.alphas, rtol: Math.max(o.rtol / 100, 1e-15), atol: o.atol / 100, hermiteCheck: false, maxSteps: o.maxSteps })
      : integrate({ ...o, alphas: o.alphas, step: o.step / 2, hermiteCheck: false, maxSteps: Math.min(2 * o.maxSteps, 2 ** 31 - 1) });
  // e(h) ~ |y_h - y_{h/2}| * 2^p / (2^p - 1) for a method of order p; adaptive: |y - y_fine|.
  const factor = o.integrator === "euler" ? 2 : o.integrator === "rk4" ? 16 / 15 : 1;
  const n = Math.min(result.alpha.length, finer.alpha.length);
  const eg = new Float64Array(n);
  const Q: number[][][] = [];
  const R: number[][][] = [];
  for (let s = 0; s < n; s++) {
    eg[s] = factor * Math.abs(result.eg[s] - finer.eg[s]);
    Q.push(result.Q[s].map((row, i) => row.map((x, k) => factor * Math.abs(x - finer.Q[s][i][k]))));
    R.push(result.R[s].map((row, i) => row.map((x, m) => factor * Math.abs(x - finer.R[s][i][m]))));
  }
  const method = o.integrator === "adaptive" ? "difference to a run with rtol/100, atol/100" : `Richardson estimate from a run with step ${o.step / 2}`;
  return { eg, Q, R, reference: finer, method };
}
