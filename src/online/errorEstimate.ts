// Integration error of a learning curve, estimated by repeating it with half the step
// (euler, rk4) or a 100x tighter tolerance (adaptive) and Richardson's factor, and by
// repeating it with student and teacher units relabelled in reverse order (the same
// mathematics, different rounding): near a perfect student the right-hand side's rounding
// sets a floor that a half-step rerun shares, and only the relabelled run exposes it.
// It covers the time discretisation and rounding, not the approximation of the averages
// (for method "hermite" see result.hermite.maxOrderDifference).
import { integrate, type OdeResult } from "./integrate";
import type { RunControl } from "../core/control";

/** Estimated absolute integration error of a learning curve, per sample. */
export interface ErrorEstimate {
  /** Absolute error estimates with the layout of the result. */
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** Output weights per sample (zeros unless trainSecondLayer). */
  v: number[][];
  /** The repeated (more accurate) run. */
  reference: OdeResult;
  method: string;
}

/**
 * Integration error of a learning curve from a half-step (or tighter-tolerance) rerun and a
 * relabelled rerun (docs/theory.md section 1.7). `control` (optional) reports the two reruns'
 * progress (labels "half-step rerun", "relabelled rerun") and stops them on its signal.
 */
export function integrationErrorEstimate(result: OdeResult, control: Pick<RunControl, "onProgress" | "signal"> = {}): ErrorEstimate {
  // the resolved v, vStar are already scaled: the reruns take them as they are
  const o = { ...result.options, outputScaling: "none" as const };
  const stage = (label: string): Pick<RunControl, "onProgress" | "signal"> => ({
    signal: control.signal,
    onProgress: control.onProgress && ((p) => control.onProgress!({ ...p, label })),
  });
  const finer =
    o.integrator === "adaptive"
      ? integrate({ ...o, alphas: o.alphas, rtol: Math.max(o.rtol / 100, 1e-15), atol: o.atol / 100, hermiteCheck: false, maxSteps: o.maxSteps, ...stage(o.integrator === "adaptive" ? "tighter-tolerance rerun" : "half-step rerun") })
      : integrate({ ...o, alphas: o.alphas, step: o.step / 2, hermiteCheck: false, maxSteps: Math.min(2 * o.maxSteps, 2 ** 31 - 1), ...stage("half-step rerun") });
  // e(h) ~ |y_h - y_{h/2}| * 2^p / (2^p - 1) for a method of order p; adaptive: |y - y_fine|.
  const factor = o.integrator === "euler" ? 2 : o.integrator === "rk4" ? 16 / 15 : 1;
  const n = Math.min(result.alpha.length, finer.alpha.length);
  const eg = new Float64Array(n);
  const Q: number[][][] = [];
  const R: number[][][] = [];
  const v: number[][] = [];
  for (let s = 0; s < n; s++) {
    eg[s] = factor * Math.abs(result.eg[s] - finer.eg[s]);
    v.push(result.v[s].map((x, i) => factor * Math.abs(x - finer.v[s][i])));
    Q.push(result.Q[s].map((row, i) => row.map((x, k) => factor * Math.abs(x - finer.Q[s][i][k]))));
    R.push(result.R[s].map((row, i) => row.map((x, m) => factor * Math.abs(x - finer.R[s][i][m]))));
  }
  // relabelled run: students i -> K-1-i, teachers n -> M-1-n
  const { K, M } = o;
  const rs = (i: number) => K - 1 - i, rt = (n: number) => M - 1 - n;
  const relabelled = integrate({
    ...o,
    alphas: o.alphas,
    hermiteCheck: false,
    T: o.T.map((_, n) => o.T[rt(n)].map((__, m) => o.T[rt(n)][rt(m)])),
    Q0: o.Q0.map((_, i) => o.Q0[rs(i)].map((__, k) => o.Q0[rs(i)][rs(k)])),
    R0: o.R0.map((_, i) => o.R0[rs(i)].map((__, n) => o.R0[rs(i)][rt(n)])),
    v: o.v.map((_, i) => o.v[rs(i)]),
    vStar: o.vStar.map((_, n) => o.vStar[rt(n)]),
    ...stage("relabelled rerun"),
  });
  const m = Math.min(n, relabelled.alpha.length);
  for (let s = 0; s < m; s++) {
    eg[s] = Math.max(eg[s], Math.abs(result.eg[s] - relabelled.eg[s]));
    Q[s] = Q[s].map((row, i) => row.map((e, k) => Math.max(e, Math.abs(result.Q[s][i][k] - relabelled.Q[s][rs(i)][rs(k)]))));
    R[s] = R[s].map((row, i) => row.map((e, k) => Math.max(e, Math.abs(result.R[s][i][k] - relabelled.R[s][rs(i)][rt(k)]))));
    v[s] = v[s].map((e, i) => Math.max(e, Math.abs(result.v[s][i] - relabelled.v[s][rs(i)])));
  }
  const step = o.integrator === "adaptive" ? "difference to a run with rtol/100, atol/100" : `Richardson estimate from a run with step ${o.step / 2}`;
  const method = `${step}, and difference to a run with the units relabelled (rounding)`;
  return { eg, Q, R, v, reference: finer, method };
}
