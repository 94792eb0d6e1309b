// The unspecialised (site-symmetric) subspace: every student unit equivalent,
// Q_ii = q, Q_ik = c (i != k), R_in = r_n. It is invariant under the ODE when all student
// output weights v_i are equal, so its fixed points (the plateau) solve a reduced system in
// y = (q, c, r_1..r_M) (y = (q, r_1..r_M) for K = 1). With identical = true, the smaller
// invariant subspace of identical student vectors (c = q: C is singular there) in y = (q, r_1..r_M).
// With a trained second layer (docs/theory.md section 9) the subspace also has v_i = v for all i,
// invariant without any condition on the initial v, and y ends with v.
import { OptionError } from "../core/errors";
import type { OrderParameterSystem } from "./system";

export interface SymmetricReduction {
  dimension: number;
  /** Full state u from y. */
  lift(y: ArrayLike<number>): Float64Array;
  /** y from a full state (averaging over student units). */
  project(u: ArrayLike<number>): Float64Array;
  /** Reduced field: the components (Q_11, Q_12, R_1n) of F at lift(y). */
  rhs(y: ArrayLike<number>, eta: number): Float64Array;
}

export function symmetricReduction(sys: OrderParameterSystem, identical = false): SymmetricReduction {
  const { K, M, D } = sys;
  const v = sys.setting.v;
  const trained = sys.trainedV;
  if (!trained && v.some((x) => x !== v[0])) throw new OptionError({ option: "symmetric", value: true, accepted: "false unless all student output weights v are equal", related: ["v"], reason: `needs all student output weights v equal (the unspecialised subspace is invariant only then); got v = ${JSON.stringify(v)}` });
  const nc = K > 1 && !identical ? 1 : 0;
  const dimension = 1 + nc + M + (trained ? 1 : 0);
  const vAt = 1 + nc + M; // y's v (trained only)
  const DQR = sys.DQR;
  const qIndex = (i: number, k: number) => i * K - (i * (i - 1)) / 2 + (k - i);
  const rIndex = (i: number, n: number) => (K * (K + 1)) / 2 + i * M + n;
  const lift = (y: ArrayLike<number>) => {
    const u = new Float64Array(D);
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) u[qIndex(i, k)] = i === k || identical ? y[0] : y[1];
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) u[rIndex(i, n)] = y[1 + nc + n];
    if (trained) for (let i = 0; i < K; i++) u[DQR + i] = y[vAt];
    return u;
  };
  const project = (u: ArrayLike<number>) => {
    const y = new Float64Array(dimension);
    let q = 0, c = 0;
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) if (i === k) q += u[qIndex(i, k)] / K; else c += u[qIndex(i, k)] / ((K * (K - 1)) / 2);
    y[0] = q;
    if (nc) y[1] = c;
    for (let n = 0; n < M; n++) {
      let r = 0;
      for (let i = 0; i < K; i++) r += u[rIndex(i, n)] / K;
      y[1 + nc + n] = r;
    }
    if (trained) {
      let a = 0;
      for (let i = 0; i < K; i++) a += u[DQR + i] / K;
      y[vAt] = a;
    }
    return y;
  };
  const full = new Float64Array(D);
  const rhs = (y: ArrayLike<number>, eta: number) => {
    sys.rhs(lift(y), eta, full);
    const g = new Float64Array(dimension);
    g[0] = full[qIndex(0, 0)];
    if (nc) g[1] = full[qIndex(0, 1)];
    for (let n = 0; n < M; n++) g[1 + nc + n] = full[rIndex(0, n)];
    if (trained) g[vAt] = full[DQR];
    return g;
  };
  return { dimension, lift, project, rhs };
}
