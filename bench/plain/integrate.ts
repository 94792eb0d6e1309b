// Plain-TypeScript port of assembly/ode/integrate.ts (benchmark baseline, no WebAssembly):
// forward Euler, classical RK4 (fixed step) and Dormand-Prince 5(4) with error control,
// same statuses, same step logic and the same sample recording (steps are shortened to
// land exactly on the requested alphas).
import { D, K, NV, C, rhs, buildCovariance, generalizationErrorOfCovariance, qIndex, configurePlainModel, resetRhsEvaluations, rhsEvaluations, type PlainActivation } from "./model";

export { rhsPlain, configurePlainModel, packStatePlain } from "./model";

const INVALID_PIVOT = 1e-7;

export const EULER = 0;
export const RK4 = 1;
export const DOPRI5 = 2;
export type PlainIntegrator = "euler" | "rk4" | "adaptive";
const INTEGRATOR_CODE: Record<PlainIntegrator, number> = { euler: EULER, rk4: RK4, adaptive: DOPRI5 };

export const STATUS_COMPLETED = 0;
export const STATUS_CONVERGED = 1;
export const STATUS_DIVERGED = 2;
export const STATUS_INVALID = 3;
export const STATUS_MAX_STEPS = 4;

// Workspace, allocated by setIntegratorBuffers() (once per run).
let U = new Float64Array(0); // current state (initial state on entry)
let UN = new Float64Array(0); // candidate state
let UT = new Float64Array(0); // stage argument
let k1 = U, k2 = U, k3 = U, k4 = U, k5 = U, k6 = U, k7 = U; // stage derivatives (views of one buffer)
let CH = new Float64Array(0); // NV x NV Cholesky scratch
let ALPHAS = new Float64Array(0); // requested samples
let OUT = new Float64Array(0); // (D + 1) per sample: state then eps_g

export let steps = 0;
export let rejected = 0;
export let recorded = 0;
export let alphaReached = 0;
export let lastStep = 0;

/** Allocates the integrator workspace for the current model shape and nSamples samples. */
export function setIntegratorBuffers(nSamples: number): void {
  U = new Float64Array(D);
  UN = new Float64Array(D);
  UT = new Float64Array(D);
  const ks = new Float64Array(7 * D);
  k1 = ks.subarray(0, D);
  k2 = ks.subarray(D, 2 * D);
  k3 = ks.subarray(2 * D, 3 * D);
  k4 = ks.subarray(3 * D, 4 * D);
  k5 = ks.subarray(4 * D, 5 * D);
  k6 = ks.subarray(5 * D, 6 * D);
  k7 = ks.subarray(6 * D, 7 * D);
  CH = new Float64Array(NV * NV);
  ALPHAS = new Float64Array(nSamples);
  OUT = new Float64Array((D + 1) * nSamples);
}

function record(u: Float64Array): void {
  const base = recorded * (D + 1);
  for (let i = 0; i < D; i++) OUT[base + i] = u[i];
  buildCovariance(u);
  OUT[base + D] = generalizationErrorOfCovariance();
  recorded++;
}

/** STATUS_COMPLETED if u is a valid state, else the status that stops the run. */
function checkState(u: Float64Array, divergenceBound: number): number {
  let maxDiag = 0;
  for (let i = 0; i < D; i++) {
    if (!Number.isFinite(u[i])) return STATUS_INVALID;
  }
  for (let i = 0; i < K; i++) {
    const q = u[qIndex(i, i)];
    if (q > maxDiag) maxDiag = q;
    if (!(q > 0.0)) return STATUS_INVALID;
  }
  if (maxDiag > divergenceBound) return STATUS_DIVERGED;
  // Positive semi-definiteness of C: only a gross violation (a pivot below -1e-7 of the
  // largest variance) is an invalid state.
  buildCovariance(u);
  let scale = 0;
  for (let i = 0; i < NV; i++) scale = Math.max(scale, C[i * NV + i]);
  const tol = INVALID_PIVOT * scale;
  for (let j = 0; j < NV; j++) {
    let d = C[j * NV + j];
    for (let k = 0; k < j; k++) d -= CH[j * NV + k] * CH[j * NV + k];
    if (d < -tol) return STATUS_INVALID;
    const ljj = d > tol ? Math.sqrt(d) : 0.0;
    CH[j * NV + j] = ljj;
    for (let i = j + 1; i < NV; i++) {
      let s = C[i * NV + j];
      for (let k = 0; k < j; k++) s -= CH[i * NV + k] * CH[j * NV + k];
      CH[i * NV + j] = ljj > 0 ? s / ljj : 0.0;
    }
  }
  return STATUS_COMPLETED;
}

function maxAbs(p: Float64Array): number {
  let m = 0;
  for (let i = 0; i < D; i++) m = Math.max(m, Math.abs(p[i]));
  return m;
}

// Dormand-Prince 5(4) tableau
const A21 = 1.0 / 5.0;
const A31 = 3.0 / 40.0, A32 = 9.0 / 40.0;
const A41 = 44.0 / 45.0, A42 = -56.0 / 15.0, A43 = 32.0 / 9.0;
const A51 = 19372.0 / 6561.0, A52 = -25360.0 / 2187.0, A53 = 64448.0 / 6561.0, A54 = -212.0 / 729.0;
const A61 = 9017.0 / 3168.0, A62 = -355.0 / 33.0, A63 = 46732.0 / 5247.0, A64 = 49.0 / 176.0, A65 = -5103.0 / 18656.0;
const B1 = 35.0 / 384.0, B3 = 500.0 / 1113.0, B4 = 125.0 / 192.0, B5 = -2187.0 / 6784.0, B6 = 11.0 / 84.0;
const E1 = 71.0 / 57600.0, E3 = -71.0 / 16695.0, E4 = 71.0 / 1920.0, E5 = -17253.0 / 339200.0, E6 = 22.0 / 525.0, E7 = -1.0 / 40.0;

/**
 * Integrates from alpha = 0 with the initial state in U, recording the samples whose
 * alphas (ascending, >= 0) are in ALPHAS. Returns a status code; `recorded` samples
 * were written, `alphaReached` is where integration stopped.
 */
export function integrate(
  method: number, h0: number, rtol: number, atol: number, maxSteps: number, nSamples: number,
  convergenceTolerance: number, divergenceBound: number,
): number {
  steps = 0;
  rejected = 0;
  recorded = 0;
  let alpha = 0;
  alphaReached = 0;
  let status = checkState(U, divergenceBound);
  if (status !== STATUS_COMPLETED) return status;
  while (recorded < nSamples && ALPHAS[recorded] <= 0.0) record(U);
  let h = h0;
  let haveK1 = false;
  while (recorded < nSamples) {
    if (steps >= maxSteps) { status = STATUS_MAX_STEPS; break; }
    const target = ALPHAS[recorded];
    let hs = h;
    let landing = false;
    if (alpha + hs >= target - 1e-12 * Math.max(1.0, target)) {
      hs = target - alpha;
      landing = true;
    }
    if (!haveK1) rhs(U, k1);
    haveK1 = false;
    if (convergenceTolerance > 0 && maxAbs(k1) < convergenceTolerance) {
      status = STATUS_CONVERGED;
      while (recorded < nSamples) record(U);
      break;
    }
    if (method === EULER) {
      for (let i = 0; i < D; i++) UN[i] = U[i] + hs * k1[i];
    } else if (method === RK4) {
      for (let i = 0; i < D; i++) UT[i] = U[i] + 0.5 * hs * k1[i];
      rhs(UT, k2);
      for (let i = 0; i < D; i++) UT[i] = U[i] + 0.5 * hs * k2[i];
      rhs(UT, k3);
      for (let i = 0; i < D; i++) UT[i] = U[i] + hs * k3[i];
      rhs(UT, k4);
      for (let i = 0; i < D; i++) {
        UN[i] = U[i] + (hs / 6.0) * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
      }
    } else {
      for (let i = 0; i < D; i++) UT[i] = U[i] + hs * A21 * k1[i];
      rhs(UT, k2);
      for (let i = 0; i < D; i++) UT[i] = U[i] + hs * (A31 * k1[i] + A32 * k2[i]);
      rhs(UT, k3);
      for (let i = 0; i < D; i++) UT[i] = U[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
      rhs(UT, k4);
      for (let i = 0; i < D; i++) UT[i] = U[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
      rhs(UT, k5);
      for (let i = 0; i < D; i++) {
        UT[i] = U[i] + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
      }
      rhs(UT, k6);
      for (let i = 0; i < D; i++) {
        UN[i] = U[i] + hs * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
      }
      rhs(UN, k7);
      let err2 = 0;
      let finite = true;
      for (let i = 0; i < D; i++) {
        const e = hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        const sc = atol + rtol * Math.max(Math.abs(U[i]), Math.abs(UN[i]));
        const r = e / sc;
        if (!Number.isFinite(r)) finite = false;
        err2 += r * r;
      }
      const err = Math.sqrt(err2 / D);
      if (!finite || err > 1.0) {
        rejected++;
        steps++;
        haveK1 = true; // k1 still belongs to U
        const fac = finite ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.2;
        h = hs * fac;
        if (h < 1e-14 * Math.max(1.0, alpha)) {
          status = STATUS_INVALID;
          break;
        }
        continue;
      }
      // accepted: FSAL
      for (let i = 0; i < D; i++) k1[i] = k7[i];
      haveK1 = true;
      const fac = err > 0 ? Math.min(5.0, Math.max(0.2, 0.9 * Math.pow(err, -0.2))) : 5.0;
      const hNext = hs * fac;
      // a step shortened to land on a sample does not shrink the next one
      h = landing ? Math.max(h, hNext) : hNext;
    }
    steps++;
    lastStep = hs;
    const st = checkState(UN, divergenceBound);
    if (st !== STATUS_COMPLETED) {
      status = st;
      alphaReached = landing ? target : alpha + hs;
      return status;
    }
    for (let i = 0; i < D; i++) U[i] = UN[i];
    alpha = landing ? target : alpha + hs;
    while (recorded < nSamples && ALPHAS[recorded] <= alpha) record(U);
  }
  alphaReached = alpha;
  return status;
}

export interface PlainIntegrateOptions {
  activation: PlainActivation;
  K: number;
  M: number;
  T: number[][];
  Q0: number[][];
  R0: number[][];
  eta: number;
  alphas: number[];
  integrator: PlainIntegrator;
  step: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  /** Student / teacher output weights (default all 1, as the host). */
  v?: number[];
  vStar?: number[];
  /** Host defaults: 0 (never) and 1e6. */
  convergenceTolerance?: number;
  divergenceBound?: number;
}

export interface PlainIntegrateResult {
  /** eps_g per recorded sample. */
  eg: Float64Array;
  /** The last state (where integration stopped). */
  u: Float64Array;
  /** Status code: 0 completed, 1 converged, 2 diverged, 3 invalid-state, 4 max-steps. */
  status: number;
  /** Accepted plus rejected steps. */
  steps: number;
  rejected: number;
  recorded: number;
  rhsEvaluations: number;
  alphaReached: number;
  /** (D + 1) numbers per recorded sample: the state, then eps_g. */
  out: Float64Array;
}

/** A whole trajectory with method "exact" (the plain counterpart of integrate() in src/online). */
export function integratePlain(o: PlainIntegrateOptions): PlainIntegrateResult {
  configurePlainModel({ activation: o.activation, K: o.K, M: o.M, T: o.T, eta: o.eta, v: o.v, vStar: o.vStar });
  const nS = o.alphas.length;
  setIntegratorBuffers(nS);
  let p = 0;
  for (let i = 0; i < o.K; i++) for (let k = i; k < o.K; k++) U[p++] = o.Q0[i][k];
  for (let i = 0; i < o.K; i++) for (let n = 0; n < o.M; n++) U[p++] = o.R0[i][n];
  for (let s = 0; s < nS; s++) ALPHAS[s] = o.alphas[s];
  resetRhsEvaluations();
  const status = integrate(INTEGRATOR_CODE[o.integrator], o.step, o.rtol, o.atol, o.maxSteps, nS,
    o.convergenceTolerance ?? 0, o.divergenceBound ?? 1e6);
  const eg = new Float64Array(recorded);
  for (let s = 0; s < recorded; s++) eg[s] = OUT[s * (D + 1) + D];
  return {
    eg, u: U.slice(), status, steps, rejected, recorded, rhsEvaluations, alphaReached,
    out: OUT.slice(0, recorded * (D + 1)),
  };
}
