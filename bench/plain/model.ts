// Plain-TypeScript port of assembly/ode/model.ts (benchmark baseline, no WebAssembly):
// state layout, covariance and right-hand side of the online-learning ODE (docs/theory.md section 1).
// u = (Q_ik for i <= k, row-major upper triangle; R_in row-major). T, v, v* fixed.
// The average dispatch of assembly/gauss/averages.ts (method "exact" only) is here too.
import { reluI2, reluI3, reluI4 } from "./relu";
import { erfI2, erfI3, erfI4 } from "./erf";
import { erfJ3Rows, erfS4Rows } from "./erfRows";

// ------------------------------------------------------------------ averages dispatch
export const ACT_RELU = 0;
export const ACT_ERF = 1;
export const ACT_LINEAR = 2;
export type PlainActivation = "relu" | "erf" | "linear";
export const ACTIVATION_CODE: Record<PlainActivation, number> = { relu: ACT_RELU, erf: ACT_ERF, linear: ACT_LINEAR };

export let activation = ACT_RELU;
export function setActivation(act: number): void {
  activation = act;
}

export function avgI2(C: Float64Array, ld: number, a: number, b: number): number {
  if (activation === ACT_RELU) return reluI2(C, ld, a, b);
  if (activation === ACT_ERF) return erfI2(C, ld, a, b);
  return C[a * ld + b];
}

export function avgI3(C: Float64Array, ld: number, a: number, b: number, c: number): number {
  if (activation === ACT_RELU) return reluI3(C, ld, a, b, c);
  if (activation === ACT_ERF) return erfI3(C, ld, a, b, c);
  return C[b * ld + c];
}

export function avgI4(C: Float64Array, ld: number, a: number, b: number, c: number, e: number): number {
  if (activation === ACT_RELU) return reluI4(C, ld, a, b, c, e);
  if (activation === ACT_ERF) return erfI4(C, ld, a, b, c, e);
  return C[c * ld + e];
}

// ------------------------------------------------------------------ model
export let K = 0;
export let M = 0;
export let NV = 0; // K + M variables
export let D = 0; // state dimension
export let eta = 1.0;

// Workspace, allocated by setModelShape() (once per shape).
export let Tm = new Float64Array(0); // M x M teacher overlaps
export let V = new Float64Array(0); // K student output weights
export let VS = new Float64Array(0); // M teacher output weights
export let C = new Float64Array(0); // NV x NV covariance
export let S = new Float64Array(0); // NV signed output weights: -v (students), v* (teachers)
export let J3 = new Float64Array(0); // K x NV: sum_c s_c I3(i, b, c)

export let rhsEvaluations = 0;

// erf: the row-wise kernels of erfRows.ts (as the core since the faster full ODE); false: the
// per-average loops (the previous algorithm), for comparisons.
export let erfRows = true;
export function setErfRowsPlain(on: boolean): void {
  erfRows = on;
}
let rowScratch = new Float64Array(0);
export function resetRhsEvaluations(): void {
  rhsEvaluations = 0;
}

export function qIndex(i: number, k: number): number {
  return i * K - ((i * (i - 1)) >> 1) + (k - i);
}
export function rIndex(i: number, n: number): number {
  return ((K * (K + 1)) >> 1) + i * M + n;
}

/** Sets K, M, eta and (re)allocates the workspace when the shape changes. */
export function setModelShape(k: number, m: number, learningRate: number): void {
  if (k !== K || m !== M || C.length === 0) {
    const nv = k + m;
    Tm = new Float64Array(m * m);
    V = new Float64Array(k);
    VS = new Float64Array(m);
    C = new Float64Array(nv * nv);
    S = new Float64Array(nv);
    J3 = new Float64Array(k * nv);
  }
  K = k;
  M = m;
  NV = k + m;
  D = ((k * (k + 1)) >> 1) + k * m;
  eta = learningRate;
}

export function setLearningRate(learningRate: number): void {
  eta = learningRate;
}

export interface PlainModelOptions {
  activation: PlainActivation;
  K: number;
  M: number;
  T: ArrayLike<ArrayLike<number>>;
  eta: number;
  /** Student output weights (default all 1). */
  v?: ArrayLike<number>;
  /** Teacher output weights (default all 1). */
  vStar?: ArrayLike<number>;
}

/** Configures activation, shape, eta, T, v and v* (the plain counterpart of layout + configureModel). */
export function configurePlainModel(o: PlainModelOptions): void {
  setActivation(ACTIVATION_CODE[o.activation]);
  setModelShape(o.K, o.M, o.eta);
  for (let n = 0; n < o.M; n++) for (let m = 0; m < o.M; m++) Tm[n * o.M + m] = o.T[n][m];
  for (let i = 0; i < o.K; i++) V[i] = o.v === undefined ? 1 : o.v[i];
  for (let n = 0; n < o.M; n++) VS[n] = o.vStar === undefined ? 1 : o.vStar[n];
}

/** State vector u = (Q_ik for i <= k, R_in) (as packState in src/online/integrate.ts). */
export function packStatePlain(Q: ArrayLike<ArrayLike<number>>, R: ArrayLike<ArrayLike<number>>): Float64Array {
  const k = Q.length;
  const m = k > 0 ? R[0].length : 0;
  const u = new Float64Array(((k * (k + 1)) >> 1) + k * m);
  let p = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) u[p++] = Q[i][j];
  for (let i = 0; i < k; i++) for (let n = 0; n < m; n++) u[p++] = R[i][n];
  return u;
}

/** C = [[Q, R], [R^T, T]] from the state u. */
export function buildCovariance(u: Float64Array): void {
  for (let i = 0; i < K; i++) {
    for (let k = i; k < K; k++) {
      const q = u[qIndex(i, k)];
      C[i * NV + k] = q;
      C[k * NV + i] = q;
    }
    for (let n = 0; n < M; n++) {
      const r = u[rIndex(i, n)];
      C[i * NV + K + n] = r;
      C[(K + n) * NV + i] = r;
    }
  }
  for (let n = 0; n < M; n++) {
    for (let m = 0; m < M; m++) C[(K + n) * NV + K + m] = Tm[n * M + m];
  }
  for (let i = 0; i < K; i++) S[i] = -V[i];
  for (let n = 0; n < M; n++) S[K + n] = VS[n];
}

/** eps_g = 1/2 sum_{c,e} s_c s_e I2(c, e), on the covariance already built. */
export function generalizationErrorOfCovariance(): number {
  let total = 0;
  for (let c = 0; c < NV; c++) {
    const sc = S[c];
    total += sc * sc * avgI2(C, NV, c, c);
    for (let e = c + 1; e < NV; e++) total += 2.0 * sc * S[e] * avgI2(C, NV, c, e);
  }
  return 0.5 * total;
}

export function generalizationError(u: Float64Array): number {
  buildCovariance(u);
  return generalizationErrorOfCovariance();
}

/** du/dalpha (docs/theory.md section 1): each distinct I3 and I4 computed once. */
export function rhs(u: Float64Array, du: Float64Array): void {
  rhsEvaluations++;
  buildCovariance(u);
  const rows = erfRows && activation === ACT_ERF;
  if (rows && rowScratch.length < NV) rowScratch = new Float64Array(NV);
  if (rows) erfJ3Rows(C, NV, K, S, J3, rowScratch);
  else {
    for (let i = 0; i < K; i++) {
      for (let b = 0; b < NV; b++) {
        let s = 0;
        for (let c = 0; c < NV; c++) s += S[c] * avgI3(C, NV, i, b, c);
        J3[i * NV + b] = s;
      }
    }
  }
  const eta2 = eta * eta;
  for (let i = 0; i < K; i++) {
    const vi = V[i];
    for (let k = i; k < K; k++) {
      const vk = V[k];
      // <delta_i delta_k> / (v_i v_k), using I4(i,k,c,e) = I4(i,k,e,c)
      let s4 = 0;
      if (rows) s4 = erfS4Rows(C, NV, i, k, S, rowScratch);
      else {
        for (let c = 0; c < NV; c++) {
          const sc = S[c];
          s4 += sc * sc * avgI4(C, NV, i, k, c, c);
          for (let e = c + 1; e < NV; e++) s4 += 2.0 * sc * S[e] * avgI4(C, NV, i, k, c, e);
        }
      }
      const lin = vi * J3[i * NV + k] + vk * J3[k * NV + i];
      du[qIndex(i, k)] = eta * lin + eta2 * vi * vk * s4;
    }
    for (let n = 0; n < M; n++) du[rIndex(i, n)] = eta * vi * J3[i * NV + K + n];
  }
}

export interface PlainRhsOptions extends PlainModelOptions {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
}

// State and derivative buffers of the options form of rhsPlain (reallocated only when D changes).
let rhsU = new Float64Array(0);
let rhsDu = new Float64Array(0);

/**
 * One right-hand-side evaluation, in two forms:
 *  - rhsPlain(u, du): du = F(u) on the model set by configurePlainModel() (or by the last
 *    integratePlain); u and du have length D; nothing is allocated. This is the exact
 *    counterpart of the core's evaluateRhs().
 *  - rhsPlain({activation, K, M, T, Q, R, eta, v?, vStar?}): configures the model, packs
 *    (Q, R) into a reused buffer and returns du (a reused buffer: copy it to keep it).
 *    The configuration and packing (O(K^2 + KM + M^2) copies, no allocation when the shape
 *    is unchanged) are included in each call.
 */
export function rhsPlain(u: Float64Array, du: Float64Array): void;
export function rhsPlain(o: PlainRhsOptions): Float64Array;
export function rhsPlain(a: Float64Array | PlainRhsOptions, du?: Float64Array): Float64Array | void {
  if (a instanceof Float64Array) {
    rhs(a, du as Float64Array);
    return;
  }
  configurePlainModel(a);
  if (rhsU.length !== D) {
    rhsU = new Float64Array(D);
    rhsDu = new Float64Array(D);
  }
  let p = 0;
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) rhsU[p++] = a.Q[i][k];
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) rhsU[p++] = a.R[i][n];
  rhs(rhsU, rhsDu);
  return rhsDu;
}
