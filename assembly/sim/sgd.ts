// One online-SGD run of the teacher-student soft committee machine at finite d (docs/theory.md section 3),
// entirely inside WebAssembly: weights resident in memory, fresh Gaussian inputs each step,
// order parameters and eps_g (same formula as the ODE) recorded at the requested steps.
//
// Mini-batches: a step draws b inputs and adds (eta / d) sum_s delta^s xi^s, all deltas taken
// at the weights before the step (summed, not averaged, gradients), and alpha counts examples:
// alpha = mu b / d. With this convention the d -> infinity ODE is the online one to O(b / d).
//
// docs/theory.md section 9 (sgdConfigureTraining): label noise sigma zeta (zeta drawn from the
// training stream after the example's input), weight decay w <- (1 - kappa b / d) w per step, a
// trained second layer v <- (1 - kappa b / d) v + (eta2 / d) sum_s g(x^s) (y^s - s^s), and finite
// training sets of P examples drawn once per run (after the initial weights), used in reshuffled
// epochs, with the training error on them recorded per sample. Without any of these the steps
// perform exactly the operations of plain online SGD (the same bits).
import { seedRandom, fillNormal, normal, uniformOpen, saveRandomState, loadRandomState } from "./random";
import { erf } from "./errorFunction";
import { generalizationError } from "../ode/model";
import { activationValue, activationDerivative } from "../gauss/activationFunctions";
import * as model from "../ode/model";
import * as schedule from "../ode/schedule";
import { greedyRate } from "../ode/greedy";

const SQRT_HALF: f64 = 0.7071067811865476;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

let simSteps: f64 = 0;
export function sgdSteps(): f64 {
  return simSteps;
}
let simRecorded: i32 = 0;
export function sgdRecorded(): i32 {
  return simRecorded;
}

// Dot products sum four interleaved partial sums, (s0 + s1) + (s2 + s3); the SIMD build keeps
// exactly this order (lanes (s0, s1) and (s2, s3)), so both builds give the same bits.
function dot(a: usize, b: usize, d: i32): f64 {
  let k = 0;
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let A = f64x2.splat(0), B = f64x2.splat(0);
    for (; k + 4 <= d; k += 4) {
      const o = <usize>k << 3;
      A = f64x2.add(A, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      B = f64x2.add(B, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    s0 = f64x2.extract_lane(A, 0); s1 = f64x2.extract_lane(A, 1);
    s2 = f64x2.extract_lane(B, 0); s3 = f64x2.extract_lane(B, 1);
  } else {
    for (; k + 4 <= d; k += 4) {
      s0 += ld(a, k) * ld(b, k);
      s1 += ld(a, k + 1) * ld(b, k + 1);
      s2 += ld(a, k + 2) * ld(b, k + 2);
      s3 += ld(a, k + 3) * ld(b, k + 3);
    }
  }
  for (; k < d; k++) s0 += ld(a, k) * ld(b, k);
  return (s0 + s1) + (s2 + s3);
}

/** H[a] = w_a . xi for the n rows of VEC, two rows per pass over xi (same sums as dot()). */
function project(VEC: usize, n: i32, d: i32, XI: usize, H: usize): void {
  let a = 0;
  if (ASC_FEATURE_SIMD) {
    const rowBytes = <usize>d << 3;
    for (; a + 2 <= n; a += 2) {
      const w0 = VEC + <usize>a * rowBytes, w1 = w0 + rowBytes;
      let A0 = f64x2.splat(0), B0 = f64x2.splat(0), A1 = f64x2.splat(0), B1 = f64x2.splat(0);
      let k = 0;
      for (; k + 4 <= d; k += 4) {
        const o = <usize>k << 3;
        const x0 = v128.load(XI + o), x1 = v128.load(XI + o, 16);
        A0 = f64x2.add(A0, f64x2.mul(v128.load(w0 + o), x0));
        B0 = f64x2.add(B0, f64x2.mul(v128.load(w0 + o, 16), x1));
        A1 = f64x2.add(A1, f64x2.mul(v128.load(w1 + o), x0));
        B1 = f64x2.add(B1, f64x2.mul(v128.load(w1 + o, 16), x1));
      }
      let s0 = f64x2.extract_lane(A0, 0), t0 = f64x2.extract_lane(A1, 0);
      for (; k < d; k++) {
        s0 += ld(w0, k) * ld(XI, k);
        t0 += ld(w1, k) * ld(XI, k);
      }
      st(H, a, (s0 + f64x2.extract_lane(A0, 1)) + (f64x2.extract_lane(B0, 0) + f64x2.extract_lane(B0, 1)));
      st(H, a + 1, (t0 + f64x2.extract_lane(A1, 1)) + (f64x2.extract_lane(B1, 0) + f64x2.extract_lane(B1, 1)));
    }
  }
  for (; a < n; a++) st(H, a, dot(VEC + (<usize>(a * d) << 3), XI, d));
}

/** w += c x over d entries. */
function axpy(w: usize, c: f64, x: usize, d: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const C = f64x2.splat(c);
    for (; k + 2 <= d; k += 2) {
      const o = <usize>k << 3;
      v128.store(w + o, f64x2.add(v128.load(w + o), f64x2.mul(C, v128.load(x + o))));
    }
  }
  for (; k < d; k++) st(w, k, ld(w, k) + c * ld(x, k));
}

/**
 * Initial weights (docs/theory.md section 3): rows of VEC (NV x d: K students, then M teachers) become
 * L e_a with C0 = L L^T (Cholesky of the NV x NV matrix at C0) and e_a orthonormal
 * (modified Gram-Schmidt, two passes, on Gaussian vectors). Returns false if C0 is not
 * positive definite or the vectors are degenerate.
 */
function initialWeights(VEC: usize, NV: i32, d: i32, C0: usize, L: usize): bool {
  for (let i = 0; i < NV; i++) {
    for (let j = 0; j <= i; j++) {
      let s = ld(C0, i * NV + j);
      for (let k = 0; k < j; k++) s -= ld(L, i * NV + k) * ld(L, j * NV + k);
      if (i == j) {
        if (!(s > 0)) return false;
        st(L, i * NV + i, Math.sqrt(s));
      } else {
        st(L, i * NV + j, s / ld(L, j * NV + j));
      }
    }
  }
  fillNormal(VEC, NV * d);
  for (let a = 0; a < NV; a++) {
    const ea = VEC + (<usize>(a * d) << 3);
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < a; b++) {
        const eb = VEC + (<usize>(b * d) << 3);
        const c = dot(ea, eb, d);
        for (let k = 0; k < d; k++) st(ea, k, ld(ea, k) - c * ld(eb, k));
      }
    }
    const n = Math.sqrt(dot(ea, ea, d));
    if (!(n > 0)) return false;
    for (let k = 0; k < d; k++) st(ea, k, ld(ea, k) / n);
  }
  for (let a = NV - 1; a >= 0; a--) {
    const wa = VEC + (<usize>(a * d) << 3);
    const laa = ld(L, a * NV + a);
    for (let k = 0; k < d; k++) st(wa, k, laa * ld(wa, k));
    for (let b = 0; b < a; b++) {
      const lab = ld(L, a * NV + b);
      const eb = VEC + (<usize>(b * d) << 3);
      for (let k = 0; k < d; k++) st(wa, k, ld(wa, k) + lab * ld(eb, k));
    }
  }
  return true;
}

// relu, erf, linear inline as before; the other activations (codes >= 3) from
// activationFunctions.ts with the parameters of the side (0 student, 1 teacher).
@inline function g(act: i32, side: i32, x: f64): f64 {
  if (act == 0) return x > 0 ? x : 0.0;
  if (act == 1) return erf(x * SQRT_HALF);
  if (act == 2) return x;
  return activationValue(side, x);
}
@inline function gPrime(act: i32, x: f64): f64 {
  if (act == 0) return x > 0 ? 1.0 : 0.0;
  if (act == 1) return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
  if (act == 2) return 1.0;
  return activationDerivative(0, x);
}

/** w = a w + c x over d entries (weight decay and the step in one pass). */
function scaleAxpy(w: usize, a: f64, c: f64, x: usize, d: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const A = f64x2.splat(a), C = f64x2.splat(c);
    for (; k + 2 <= d; k += 2) {
      const o = <usize>k << 3;
      v128.store(w + o, f64x2.add(f64x2.mul(A, v128.load(w + o)), f64x2.mul(C, v128.load(x + o))));
    }
  }
  for (; k < d; k++) st(w, k, a * ld(w, k) + c * ld(x, k));
}

@inline function normsBounded(VEC: usize, K: i32, d: i32, bound: f64): bool {
  for (let i = 0; i < K; i++) {
    const w = VEC + (<usize>(i * d) << 3);
    if (!(dot(w, w, d) <= bound)) return false; // also catches NaN
  }
  if (cTrainV) {
    for (let i = 0; i < K; i++) {
      const v = ld(VW, i);
      if (!(v * v <= bound)) return false;
    }
  }
  return true;
}

/** The student's output sum_i v_i g(x_i) for the projections H. */
@inline function studentOutput(act: i32, K: i32, H: usize, V: usize): f64 {
  let sigma: f64 = 0;
  for (let i = 0; i < K; i++) sigma += ld(V, i) * g(act, 0, ld(H, i));
  return sigma;
}

/** tau - sigma for the projections H (K students, then M teachers); tAct: the teacher's activation. */
@inline function outputError(act: i32, tAct: i32, K: i32, M: i32, H: usize, V: usize, VS: usize): f64 {
  let sigma: f64 = 0, tau: f64 = 0;
  for (let i = 0; i < K; i++) sigma += ld(V, i) * g(act, 0, ld(H, i));
  for (let n = 0; n < M; n++) tau += ld(VS, n) * g(tAct, 1, ld(H, K + n));
  return tau - sigma;
}

/** Q (upper triangle) and R of the current weights into U, in the ODE's state layout. */
function overlaps(VEC: usize, K: i32, M: i32, d: i32, U: usize): void {
  let p = 0;
  for (let i = 0; i < K; i++)
    for (let k = i; k < K; k++) st(U, p++, dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>(k * d) << 3), d));
  for (let i = 0; i < K; i++)
    for (let n = 0; n < M; n++) st(U, p++, dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>((K + n) * d) << 3), d));
}

/**
 * Writes (Q upper triangle, R, eps_g) of the current weights as sample `s` of OUT. At step 0
 * the weights were built to have the overlaps C0 (initialWeights), so the prescribed values
 * are recorded: the dot products would repeat them only to rounding (~1e-16), and that
 * rounding, different in every run, would show as a spread of a deterministic start.
 */
function record(VEC: usize, K: i32, M: i32, d: i32, U: usize, OUT: usize, s: i32, start: bool): void {
  const D = model.D; // state layout of the ODE (model.ts): Q upper triangle, then R (then v when trained)
  const NV = K + M;
  let p = 0;
  for (let i = 0; i < K; i++)
    for (let k = i; k < K; k++) st(U, p++, start ? ld(C0, i * NV + k) : dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>(k * d) << 3), d));
  for (let i = 0; i < K; i++)
    for (let n = 0; n < M; n++) st(U, p++, start ? ld(C0, i * NV + K + n) : dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>((K + n) * d) << 3), d));
  if (cTrainV) for (let i = 0; i < K; i++) st(U, p++, ld(VW, i));
  const base = OUT + (<usize>(s * (D + 1)) << 3);
  for (let q = 0; q < D; q++) st(base, q, ld(U, q));
  st(base, D, generalizationError(U));
  // the rate of the step that starts here (greedy: of the weights' own overlaps, exact or not)
  if (RATES != 0) {
    const alpha = simSteps * (<f64>cBatch / <f64>d);
    st(RATES, s, schedule.kind == schedule.SCHEDULE_GREEDY ? greedyRate(U, schedule.etaMax)
      : schedule.alphaDependent() ? schedule.rateAt(alpha, schedule.pieceAt(alpha)) : cEta);
  }
}

// Run configuration (sgdConfigure): buffers and options that do not change between runs.
let cAct: i32 = 0, cTeacherAct: i32 = 0, cK: i32 = 0, cM: i32 = 0, cD: i32 = 0, cBatch: i32 = 1, cTestInputs: i32 = 0;
let cEta: f64 = 0, cBound: f64 = 0;
let VEC: usize = 0, XI: usize = 0, H: usize = 0, C0: usize = 0, L: usize = 0, V: usize = 0, VS: usize = 0;
let STEPS: usize = 0, U: usize = 0, OUT: usize = 0, G: usize = 0, TEST: usize = 0, TEST_STATE: usize = 0;
let cSamples: i32 = 0;
let RATES: usize = 0; // learning rate per sample (0: not recorded)

/** Where record() writes the rate per sample (0: nowhere); set after sgdConfigure. */
export function setSgdRateOutput(rates: usize): void {
  RATES = rates;
}
// docs/theory.md section 9 (sgdConfigureTraining; sgdConfigure resets them to plain online SGD)
let cNoise: f64 = 0, cDecay: f64 = 0, cEta2: f64 = 0, cTrainV = false, cP: i32 = 0;
let VW: usize = 0; // the student's output weights during the run (V itself unless trained)
let GV: usize = 0, TX: usize = 0, TY: usize = 0, PERM: usize = 0, TRAIN_ERR: usize = 0, TEST_SE: usize = 0;

export function sgdConfigure(
  act: i32, teacherAct: i32, K: i32, M: i32, d: i32, eta: f64, batch: i32, testInputs: i32, divergenceBound: f64,
  vec: usize, xi: usize, h: usize, c0: usize, l: usize, v: usize, vs: usize,
  steps: usize, nSamples: i32, u: usize, out: usize, grad: usize, test: usize, testState: usize,
): void {
  cAct = act; cTeacherAct = teacherAct; cK = K; cM = M; cD = d; cEta = eta; cBatch = batch; cTestInputs = testInputs; cBound = divergenceBound;
  RATES = 0;
  VEC = vec; XI = xi; H = h; C0 = c0; L = l; V = v; VS = vs;
  STEPS = steps; cSamples = nSamples; U = u; OUT = out; G = grad; TEST = test; TEST_STATE = testState;
  cNoise = 0; cDecay = 0; cEta2 = 0; cTrainV = false; cP = 0; VW = v; TEST_SE = 0;
}

/**
 * After sgdConfigure: label noise sigma, weight decay kappa, the second layer trained at rate eta2
 * (trainV; vw and gv: K numbers each), a training set of P examples (P = 0: online; tx P x d
 * inputs, ty P labels, perm P indices, trainErr one training error per sample), and testSe (one
 * Monte-Carlo standard error of the test error per sample, or 0).
 */
export function sgdConfigureTraining(noise: f64, decay: f64, eta2: f64, trainV: bool, P: i32, vw: usize, gv: usize, tx: usize, ty: usize, perm: usize, trainErr: usize, testSe: usize): void {
  cNoise = noise; cDecay = decay; cEta2 = eta2; cTrainV = trainV; cP = P;
  VW = trainV ? vw : V;
  GV = gv; TX = tx; TY = ty; PERM = perm; TRAIN_ERR = trainErr; TEST_SE = testSe;
}

/**
 * Monte-Carlo test error: mean of (tau - sigma)^2 / 2 over cTestInputs fresh inputs (own stream),
 * against the noise-free teacher; its standard error goes to TEST_SE[s] when that is laid out.
 */
function testError(s: i32): f64 {
  const NV = cK + cM;
  let total: f64 = 0, squares: f64 = 0;
  for (let p = 0; p < cTestInputs; p++) {
    fillNormal(XI, cD);
    project(VEC, NV, cD, XI, H);
    const e = outputError(cAct, cTeacherAct, cK, cM, H, VW, VS);
    const l = 0.5 * e * e;
    total += l;
    squares += l * l;
  }
  const n = <f64>cTestInputs;
  const mean = total / n;
  if (TEST_SE != 0) {
    const variance = n > 1 ? (squares - n * mean * mean) / (n - 1.0) : 0.0;
    st(TEST_SE, s, Math.sqrt(Math.max(variance, 0.0) / n));
  }
  return mean;
}

/** Training error (1/P) sum_mu (y^mu - s(xi^mu))^2 / 2 on the stored set (docs/theory.md section 9). */
function trainingError(): f64 {
  let total: f64 = 0;
  const rowBytes = <usize>cD << 3;
  for (let mu = 0; mu < cP; mu++) {
    project(VEC, cK, cD, TX + <usize>mu * rowBytes, H);
    const e = ld(TY, mu) - studentOutput(cAct, cK, H, VW);
    total += 0.5 * e * e;
  }
  return total / <f64>cP;
}

/** A new random order of the P stored examples (Fisher-Yates on the training stream). */
function shuffleExamples(): void {
  for (let i = cP - 1; i > 0; i--) {
    const j = <i32>(uniformOpen() * <f64>(i + 1));
    const pi = PERM + (<usize>i << 2), pj = PERM + (<usize>j << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
}

/**
 * The training set: P inputs, then their labels from the teacher (its M rows of VEC) with
 * noise drawn once per example, and the first epoch's order.
 */
function drawTrainingSet(): void {
  const rowBytes = <usize>cD << 3;
  fillNormal(TX, cP * cD);
  const teachers = VEC + <usize>cK * rowBytes;
  for (let mu = 0; mu < cP; mu++) {
    project(teachers, cM, cD, TX + <usize>mu * rowBytes, H + (<usize>cK << 3));
    let tau: f64 = 0;
    for (let n = 0; n < cM; n++) tau += ld(VS, n) * g(cTeacherAct, 1, ld(H, cK + n));
    st(TY, mu, cNoise != 0.0 ? tau + cNoise * normal() : tau);
  }
  for (let mu = 0; mu < cP; mu++) store<i32>(PERM + (<usize>mu << 2), mu);
  shuffleExamples();
  epochPos = 0;
}

/** sgdContinue's status while steps remain (the ODE integrator's STATUS_PAUSED). */
export const SGD_PAUSED: i32 = 6;

// The run's state between chunks: the sample being approached, the steps since the last norm
// check, and the generator's state (random.ts, kept by the instance).
let runSample: i32 = 0;
let sinceCheck: i32 = 0;
let runActive = false;
let epochPos: i32 = 0; // position in the current epoch's order (finite training sets)

/**
 * Starts a run: seeds the streams (testSeed seeds the separate stream of test inputs) and draws
 * the initial weights. Returns SGD_PAUSED (advance with sgdContinue) or 3 for an invalid initial
 * condition. Sample steps are ascending integers mu; alpha = mu b / d.
 */
export function sgdBegin(seedHi: u32, seedLo: u32, testSeedHi: u32, testSeedLo: u32): i32 {
  simSteps = 0;
  simRecorded = 0;
  runSample = 0;
  sinceCheck = 0;
  runActive = false;
  if (cTestInputs > 0) {
    seedRandom((<u64>testSeedHi << 32) | <u64>testSeedLo);
    saveRandomState(TEST_STATE);
  }
  seedRandom((<u64>seedHi << 32) | <u64>seedLo);
  if (!initialWeights(VEC, cK + cM, cD, C0, L)) return 3;
  if (cTrainV) memory.copy(VW, V, <usize>cK << 3);
  if (cP > 0) drawTrainingSet();
  runActive = true;
  return SGD_PAUSED;
}

/**
 * Advances the run by at most `budget` SGD steps (budget <= 0: to the end). Status: SGD_PAUSED
 * while samples remain, 0 completed, 2 diverged (some Q_ii above the bound or not finite).
 * A run in chunks draws the same numbers in the same order as one uninterrupted run.
 */
export function sgdContinue(budget: f64): i32 {
  if (!runActive) return 3;
  const status = sgdAdvance(budget > 0 ? budget : Infinity);
  if (status != SGD_PAUSED) runActive = false;
  return status;
}

/** A whole run in one call (sgdBegin, then sgdContinue without a budget). */
export function sgdRun(seedHi: u32, seedLo: u32, testSeedHi: u32, testSeedLo: u32): i32 {
  const status = sgdBegin(seedHi, seedLo, testSeedHi, testSeedLo);
  return status == SGD_PAUSED ? sgdContinue(0) : status;
}

function sgdAdvance(budget: f64): i32 {
  const K = cK, M = cM, d = cD, act = cAct, tAct = cTeacherAct, batch = cBatch;
  const NV = K + M;
  // a schedule sets the rate of each step at its alpha = steps b / d (docs/theory.md section 12);
  // greedy: the locally optimal rate of the run's own overlaps Q, R before the step
  const scheduled = schedule.alphaDependent(), greedy = schedule.kind == schedule.SCHEDULE_GREEDY;
  const perStep = <f64>batch / <f64>d;
  let scale = cEta / <f64>d;
  // section 9: decay factor per step (alpha advances by batch / d; not scaled by the rate), the
  // second layer's own step size
  const decay = cDecay != 0.0 ? 1.0 - cDecay * <f64>batch / <f64>d : 1.0;
  const scale2 = cEta2 / <f64>d;
  const trainV = cTrainV, noise = cNoise, P = cP;
  const rowBytes = <usize>d << 3;
  let mu: f64 = simSteps;
  const end = mu + budget;
  const checkEvery = max(1, d / batch); // about once per unit of alpha
  for (let s = runSample; s < cSamples; s++) {
    const target = ld(STEPS, s);
    while (mu < target) {
      if (mu >= end) {
        runSample = s;
        return SGD_PAUSED;
      }
      if (scheduled) {
        const alpha = mu * perStep;
        scale = schedule.rateAt(alpha, schedule.pieceAt(alpha)) / <f64>d;
      } else if (greedy) {
        overlaps(VEC, K, M, d, U);
        scale = greedyRate(U, schedule.etaMax) / <f64>d;
      }
      // b = 1 updates the weights in place; b > 1 sums the b updates in G first, so every
      // delta of the batch is taken at the weights before the step
      const acc = batch == 1 ? VEC : G;
      if (batch > 1) memory.fill(G, 0, <usize>(K * d) << 3);
      if (batch > 1 && trainV) memory.fill(GV, 0, <usize>K << 3);
      for (let b = 0; b < batch; b++) {
        let x = XI;
        let err: f64;
        if (P > 0) {
          // the next stored example of this epoch (a new order once every example was used)
          if (epochPos == P) {
            shuffleExamples();
            epochPos = 0;
          }
          const mu = load<i32>(PERM + (<usize>epochPos << 2));
          epochPos++;
          x = TX + <usize>mu * rowBytes;
          project(VEC, K, d, x, H);
          err = ld(TY, mu) - studentOutput(act, K, H, VW);
        } else {
          fillNormal(XI, d);
          project(VEC, NV, d, XI, H);
          err = outputError(act, tAct, K, M, H, VW, VS);
          if (noise != 0.0) err += noise * normal();
        }
        for (let i = 0; i < K; i++) {
          const c = scale * ld(VW, i) * gPrime(act, ld(H, i)) * err;
          const w = acc + (<usize>(i * d) << 3);
          if (batch == 1 && decay != 1.0) scaleAxpy(w, decay, c, x, d);
          else if (c != 0.0) axpy(w, c, x, d);
          // v_i after its own c_i: the other units' c_k do not read v_i
          if (trainV) {
            const dv = scale2 * g(act, 0, ld(H, i)) * err;
            if (batch == 1) st(VW, i, decay * ld(VW, i) + dv);
            else st(GV, i, ld(GV, i) + dv);
          }
        }
      }
      if (batch > 1) {
        for (let i = 0; i < K; i++) {
          const w = VEC + (<usize>(i * d) << 3);
          if (decay != 1.0) scaleAxpy(w, decay, 1.0, G + (<usize>(i * d) << 3), d);
          else axpy(w, 1.0, G + (<usize>(i * d) << 3), d);
          if (trainV) st(VW, i, decay * ld(VW, i) + ld(GV, i));
        }
      }
      mu += 1;
      simSteps = mu;
      // about every unit of alpha: stop a diverging run before it overflows
      if (++sinceCheck == checkEvery) {
        sinceCheck = 0;
        if (!normsBounded(VEC, K, d, cBound)) return 2;
      }
    }
    if (!normsBounded(VEC, K, d, cBound)) return 2;
    record(VEC, K, M, d, U, OUT, s, mu == 0);
    if (P > 0) st(TRAIN_ERR, s, trainingError());
    if (cTestInputs > 0) {
      saveRandomState(TEST_STATE + 32); // park the training stream, run the test stream
      loadRandomState(TEST_STATE);
      st(TEST, s, testError(s));
      saveRandomState(TEST_STATE);
      loadRandomState(TEST_STATE + 32);
    }
    simRecorded = s + 1;
  }
  runSample = cSamples;
  return 0;
}

/**
 * The one-step drift at finite d: from the initial weights of the seed, `draws` independent
 * inputs, none applied. Writes to OUT the mean (first D entries) and the standard deviation
 * (next D) over draws of d * (change of Q upper triangle, R) for one SGD step, i.e. the
 * finite-d estimate of du/dalpha that the ODE's right-hand side predicts as d -> infinity.
 * Returns 3 if C0 is not positive definite, else 0.
 */
export function sgdDrift(seedHi: u32, seedLo: u32, draws: i32): i32 {
  const K = cK, M = cM, d = cD, act = cAct, tAct = cTeacherAct;
  const NV = K + M, D = model.D;
  seedRandom((<u64>seedHi << 32) | <u64>seedLo);
  if (!initialWeights(VEC, NV, d, C0, L)) return 3;
  const scale = cEta / <f64>d;
  if (cTrainV) memory.copy(VW, V, <usize>K << 3);
  // weight decay: w' = a w + c xi, v' = a v + (eta2 / d) g(x) err (section 9)
  const a = 1.0 - cDecay / <f64>d;
  const scale2 = cEta2 / <f64>d;
  const DQR = model.DQR;
  memory.fill(OUT, 0, <usize>(2 * D) << 3);
  for (let t = 0; t < draws; t++) {
    fillNormal(XI, d);
    project(VEC, NV, d, XI, H);
    const xi2 = dot(XI, XI, d);
    let err = outputError(act, tAct, K, M, H, VW, VS);
    if (cNoise != 0.0) err += cNoise * normal();
    // c_i = (eta / d) delta_i, once per unit (U is free here: nothing is recorded)
    for (let i = 0; i < K; i++) st(U, i, scale * ld(VW, i) * gPrime(act, ld(H, i)) * err);
    let p = 0;
    for (let i = 0; i < K; i++) {
      const ci = ld(U, i);
      for (let k = i; k < K; k++) {
        const ck = ld(U, k);
        // Q'_ik - Q_ik = (a^2 - 1) Q_ik + a (c_i x_k + c_k x_i) + c_i c_k |xi|^2 (a = 1: plain SGD);
        // Q_ik and R_in are the prescribed overlaps C0 the weights were built with
        const dq = cDecay != 0.0
          ? <f64>d * ((a * a - 1.0) * ld(C0, i * NV + k) + a * (ci * ld(H, k) + ck * ld(H, i)) + ci * ck * xi2)
          : <f64>d * (ci * ld(H, k) + ck * ld(H, i) + ci * ck * xi2);
        st(OUT, p, ld(OUT, p) + dq);
        st(OUT, D + p, ld(OUT, D + p) + dq * dq);
        p++;
      }
    }
    for (let i = 0; i < K; i++) {
      const ci = ld(U, i);
      for (let n = 0; n < M; n++) {
        const dr = cDecay != 0.0
          ? <f64>d * ((a - 1.0) * ld(C0, i * NV + K + n) + ci * ld(H, K + n))
          : <f64>d * ci * ld(H, K + n);
        st(OUT, p, ld(OUT, p) + dr);
        st(OUT, D + p, ld(OUT, D + p) + dr * dr);
        p++;
      }
    }
    if (cTrainV) {
      for (let i = 0; i < K; i++) {
        const dv = <f64>d * ((a - 1.0) * ld(VW, i) + scale2 * g(act, 0, ld(H, i)) * err);
        st(OUT, DQR + i, ld(OUT, DQR + i) + dv);
        st(OUT, D + DQR + i, ld(OUT, D + DQR + i) + dv * dv);
      }
    }
  }
  const n = <f64>draws;
  for (let p = 0; p < D; p++) {
    const m = ld(OUT, p) / n;
    const v = (ld(OUT, D + p) - n * m * m) / (n - 1.0);
    st(OUT, p, m);
    st(OUT, D + p, Math.sqrt(v > 0 ? v : 0));
  }
  return 0;
}
