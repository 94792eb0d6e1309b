// Integrators for the order-parameter ODE: forward Euler, classical RK4 (fixed step) and
// Dormand-Prince 5(4) with error control. Samples land exactly on the requested alphas (steps
// are shortened to hit them). The model (full or site-symmetric) is selected in system.ts.
//
// Resumable: integrateBegin() starts a trajectory, integrateContinue(budget) advances it by about
// `budget` right-hand-side evaluations and returns STATUS_PAUSED while samples remain, so the
// host can report progress, honour an abort and bound the work between chunks. Every variable
// of the loop lives in the module (the instance), so a trajectory run in chunks performs the
// same operations in the same order as one uninterrupted call: the results are bit-for-bit equal.
//
// Learning-rate schedules (schedule.ts, docs/theory.md section 12): every stage sets the rate at
// its own alpha (RK4: alpha, alpha + h/2 twice, alpha + h; Dormand-Prince: alpha + c_s h), steps
// land on the schedule's breakpoints as on samples, and a step keeps the piece of its start. The
// greedy schedule evaluates the rate of each stage's state instead. At a constant rate none of
// this runs: the same operations as before schedules existed.
import { D, rhs as modelRhs, generalizationError, stateValidity, setRate, currentRate, STATE_VALID, STATE_BEYOND_BOUND } from "./system";
import * as schedule from "./schedule";
import { greedyRhs, greedyRate } from "./greedy";

/** Right-hand sides evaluated by the integrator (of either model), for the chunks' budgets. */
let evaluations: f64 = 0;
// the trajectory's schedule: alpha-dependent (inverse, power, piecewise), greedy, or neither
let scheduled = false;
let greedy = false;
let stepPiece: i32 = 0; // piece of the current step (piecewise)

/** F at the stage state u of alpha a. */
@inline function rhs(u: usize, du: usize, a: f64): void {
  if (greedy) greedyRhs(u, du, schedule.etaMax);
  else {
    if (scheduled) setRate(schedule.rateAt(a, stepPiece));
    modelRhs(u, du);
  }
  evaluations++;
}

/** The rate at a recorded sample: the schedule's at its alpha, the greedy rate of its state, or the constant one. */
function sampleRate(u: usize, a: f64): f64 {
  if (greedy) {
    evaluations++;
    return greedyRate(u, schedule.etaMax);
  }
  if (scheduled) return schedule.rateAt(a, schedule.pieceAt(a));
  return currentRate();
}

export const EULER: i32 = 0;
export const RK4: i32 = 1;
export const DOPRI5: i32 = 2;

export const STATUS_COMPLETED: i32 = 0;
export const STATUS_CONVERGED: i32 = 1;
export const STATUS_DIVERGED: i32 = 2;
export const STATUS_INVALID: i32 = 3;
export const STATUS_MAX_STEPS: i32 = 4;
/** eps_g rose (d eps_g / d alpha > 0 somewhere): only with monitorEgRise set. */
export const STATUS_EG_RISE: i32 = 5;
/** Not finished: the chunk's budget is spent; call integrateContinue again. */
export const STATUS_PAUSED: i32 = 6;

// Monitor of d eps_g / d alpha (one run only: integrate() clears it on return), for locating
// the smallest learning rate at which eps_g(alpha) is not monotonic (docs/theory.md section 4).
let monitorEgRise: bool = false;
let egFloor: f64 = 0; // below this eps_g the slope's sign is not resolved (rounding of the averages)
let slopeTolerance: f64 = 0; // relative: a rise needs slope > tol * |du/dalpha|_inf
let maxStepSize: f64 = 0; // 0: no cap
export let maxEgSlope: f64 = -Infinity; // largest (interpolated) slope seen, relative to |du/dalpha|_inf
export let maxEgSlopeAlpha: f64 = 0;

// The integral of eps_g over the trajectory by the integrator's own quadrature (the weights b_s
// on the stage states of every accepted step; one run only), for the integral objective of
// optimal schedules (docs/theory.md section 12).
let quadrature: bool = false;
export let egIntegral: f64 = 0;
let stepIntegral: f64 = 0;
export function setQuadrature(on: bool): void {
  quadrature = on;
}

export function setMonitor(egRise: bool, floor: f64, tolerance: f64, maxStep: f64): void {
  monitorEgRise = egRise;
  egFloor = floor;
  slopeTolerance = tolerance;
  maxStepSize = maxStep;
}

// Workspace pointers, set by setIntegratorBuffers().
let U: usize = 0; // current state (initial state on entry)
let UN: usize = 0; // candidate state
let UT: usize = 0; // stage argument
let KS: usize = 0; // 7 stage derivatives
let CH: usize = 0; // NV x NV Cholesky scratch
let ALPHAS: usize = 0; // requested samples
let OUT: usize = 0; // (D + 1) per sample: state then eps_g
let RATES: usize = 0; // the learning rate per sample (0: not recorded)

export let steps: i32 = 0;
export let rejected: i32 = 0;
export let recorded: i32 = 0;
export let alphaReached: f64 = 0;
export let lastStep: f64 = 0;

export function setIntegratorBuffers(u: usize, un: usize, ut: usize, ks: usize, ch: usize, alphas: usize, out: usize): void {
  U = u;
  UN = un;
  UT = ut;
  KS = ks;
  CH = ch;
  ALPHAS = alphas;
  OUT = out;
}

/** Where record() writes the learning rate of each sample (0: nowhere). */
export function setRateOutput(rates: usize): void {
  RATES = rates;
}

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline function stage(s: i32): usize {
  return KS + (<usize>(s * D) << 3);
}

function record(u: usize): void {
  const base = OUT + (<usize>(recorded * (D + 1)) << 3);
  for (let i = 0; i < D; i++) setf(base, i, f(u, i));
  setf(base, D, generalizationError(u));
  if (RATES != 0) setf(RATES, recorded, sampleRate(u, f(ALPHAS, recorded)));
  recorded++;
}

/** STATUS_COMPLETED if u is a valid state, else the status that stops the run. */
function checkState(u: usize, divergenceBound: f64): i32 {
  for (let i = 0; i < D; i++) {
    if (!isFinite(f(u, i))) return STATUS_INVALID;
  }
  const v = stateValidity(u, divergenceBound, CH);
  return v == STATE_VALID ? STATUS_COMPLETED : v == STATE_BEYOND_BOUND ? STATUS_DIVERGED : STATUS_INVALID;
}

@inline function maxAbs(p: usize): f64 {
  let m: f64 = 0;
  for (let i = 0; i < D; i++) m = Math.max(m, Math.abs(f(p, i)));
  return m;
}

/**
 * d eps_g / d alpha at u along du (a central difference of eps_g along du with a state-space
 * step of 1e-5: truncation ~1e-10 and rounding ~1e-11 relative to |du|), divided by |du|_inf.
 */
function egSlope(u: usize, du: usize, scratch: usize): f64 {
  const n = maxAbs(du);
  if (n == 0) return 0;
  const e = 1e-5 / n;
  for (let i = 0; i < D; i++) setf(scratch, i, f(u, i) + e * f(du, i));
  const up = generalizationError(scratch);
  for (let i = 0; i < D; i++) setf(scratch, i, f(u, i) - e * f(du, i));
  const down = generalizationError(scratch);
  return (up - down) / (2.0 * e) / n;
}

// Dormand-Prince 5(4) tableau
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0, A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0, A42: f64 = -56.0 / 15.0, A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0, A52: f64 = -25360.0 / 2187.0, A53: f64 = 64448.0 / 6561.0, A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0, A62: f64 = -355.0 / 33.0, A63: f64 = 46732.0 / 5247.0, A64: f64 = 49.0 / 176.0, A65: f64 = -5103.0 / 18656.0;
const B1: f64 = 35.0 / 384.0, B3: f64 = 500.0 / 1113.0, B4: f64 = 125.0 / 192.0, B5: f64 = -2187.0 / 6784.0, B6: f64 = 11.0 / 84.0;
const E1: f64 = 71.0 / 57600.0, E3: f64 = -71.0 / 16695.0, E4: f64 = 71.0 / 1920.0, E5: f64 = -17253.0 / 339200.0, E6: f64 = 22.0 / 525.0, E7: f64 = -1.0 / 40.0;

// The trajectory's settings and the loop's state between chunks.
let rMethod: i32 = 0, rMaxSteps: i32 = 0, rSamples: i32 = 0;
let rRtol: f64 = 0, rAtol: f64 = 0, rConvergence: f64 = 0, rBound: f64 = 0;
let alpha: f64 = 0;
let h: f64 = 0;
let haveK1 = false;
let fresh = true; // U not yet monitored (a rejected adaptive step keeps U)
// the last three slopes (oldest first) and their alphas, for the interpolated maximum
let g0: f64 = NaN, g1: f64 = NaN, a0: f64 = 0, a1: f64 = 0;
let running = false;

/**
 * Starts a trajectory from alpha = 0 with the initial state in U, recording the samples whose
 * alphas (ascending, >= 0) are in ALPHAS. Returns STATUS_PAUSED when steps remain (advance
 * with integrateContinue) or the final status; `recorded` samples were written,
 * `alphaReached` is where integration stands.
 */
export function integrateBegin(
  method: i32, h0: f64, rtol: f64, atol: f64, maxSteps: i32, nSamples: i32,
  convergenceTolerance: f64, divergenceBound: f64,
): i32 {
  steps = 0;
  rejected = 0;
  recorded = 0;
  alphaReached = 0;
  maxEgSlope = -Infinity;
  maxEgSlopeAlpha = 0;
  egIntegral = 0;
  rMethod = method; rRtol = rtol; rAtol = atol; rMaxSteps = maxSteps; rSamples = nSamples;
  rConvergence = convergenceTolerance; rBound = divergenceBound;
  alpha = 0;
  g0 = NaN; g1 = NaN; a0 = 0; a1 = 0;
  fresh = true;
  h = h0;
  haveK1 = false;
  greedy = schedule.kind == schedule.SCHEDULE_GREEDY;
  scheduled = schedule.alphaDependent();
  stepPiece = 0;
  running = true;
  const status = checkState(U, divergenceBound);
  if (status != STATUS_COMPLETED) return finish(status);
  while (recorded < nSamples && f(ALPHAS, recorded) <= 0.0) record(U);
  return recorded < nSamples ? STATUS_PAUSED : finish(STATUS_COMPLETED);
}

/**
 * Advances the trajectory until it ends or `budget` right-hand sides have been evaluated in
 * this call (budget <= 0: no limit); the chunk ends between steps, never inside one.
 */
export function integrateContinue(budget: f64): i32 {
  if (!running) return STATUS_INVALID;
  const status = advance(budget > 0 ? budget : Infinity);
  return status == STATUS_PAUSED ? status : finish(status);
}

function finish(status: i32): i32 {
  running = false;
  monitorEgRise = false;
  quadrature = false;
  maxStepSize = 0;
  return status;
}

/** The whole trajectory in one call (integrateBegin, then integrateContinue without a budget). */
export function integrate(
  method: i32, h0: f64, rtol: f64, atol: f64, maxSteps: i32, nSamples: i32,
  convergenceTolerance: f64, divergenceBound: f64,
): i32 {
  const status = integrateBegin(method, h0, rtol, atol, maxSteps, nSamples, convergenceTolerance, divergenceBound);
  return status == STATUS_PAUSED ? integrateContinue(0) : status;
}

function advance(budget: f64): i32 {
  const method = rMethod, rtol = rRtol, atol = rAtol, maxSteps = rMaxSteps, nSamples = rSamples;
  const convergenceTolerance = rConvergence, divergenceBound = rBound;
  const start = evaluations;
  let status = STATUS_COMPLETED;
  const k1 = stage(0), k2 = stage(1), k3 = stage(2), k4 = stage(3), k5 = stage(4), k6 = stage(5), k7 = stage(6);
  while (recorded < nSamples) {
    if (evaluations - start >= budget) {
      alphaReached = alpha;
      return STATUS_PAUSED;
    }
    if (steps >= maxSteps) { status = STATUS_MAX_STEPS; break; }
    // the step ends on the next sample or the schedule's next breakpoint, whichever comes first
    let target = f(ALPHAS, recorded);
    if (scheduled) {
      const b = schedule.nextBreak(alpha);
      if (b < target) target = b;
      stepPiece = schedule.pieceAt(alpha);
    }
    let hs = maxStepSize > 0 ? Math.min(h, maxStepSize) : h;
    let landing = false;
    if (alpha + hs >= target - 1e-12 * Math.max(1.0, target)) {
      hs = target - alpha;
      landing = true;
    }
    if (!haveK1) rhs(U, k1, alpha);
    haveK1 = false;
    if (convergenceTolerance > 0 && maxAbs(k1) < convergenceTolerance) {
      status = STATUS_CONVERGED;
      while (recorded < nSamples) record(U);
      break;
    }
    if (monitorEgRise && fresh) {
      fresh = false;
      const g2 = generalizationError(U) > egFloor ? egSlope(U, k1, UT) : NaN;
      if (g2 > maxEgSlope) { maxEgSlope = g2; maxEgSlopeAlpha = alpha; }
      // a local maximum between samples: the vertex of the parabola through the last three,
      // p(a) = g1 + s (a - a1) + c (a - a1)^2
      if (g1 >= g0 && g1 >= g2 && a1 > a0 && alpha > a1) {
        const d01 = (g1 - g0) / (a1 - a0), d12 = (g2 - g1) / (alpha - a1);
        const c = (d12 - d01) / (alpha - a0);
        if (c < 0) {
          const sl = d01 + c * (a1 - a0);
          const top = g1 - (sl * sl) / (4.0 * c);
          const at = a1 - sl / (2.0 * c);
          if (top > maxEgSlope && at > a0 && at < alpha) { maxEgSlope = top; maxEgSlopeAlpha = at; }
        }
      }
      if (maxEgSlope > slopeTolerance) {
        alphaReached = alpha;
        return STATUS_EG_RISE;
      }
      g0 = g1; a0 = a1; g1 = g2; a1 = alpha;
    }
    if (quadrature) stepIntegral = 0;
    if (method == EULER) {
      for (let i = 0; i < D; i++) setf(UN, i, f(U, i) + hs * f(k1, i));
      if (quadrature) stepIntegral = hs * generalizationError(U);
    } else if (method == RK4) {
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + 0.5 * hs * f(k1, i));
      if (quadrature) stepIntegral = (hs / 6.0) * (generalizationError(U) + 2.0 * generalizationError(UT));
      rhs(UT, k2, alpha + 0.5 * hs);
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + 0.5 * hs * f(k2, i));
      if (quadrature) stepIntegral += (hs / 6.0) * 2.0 * generalizationError(UT);
      rhs(UT, k3, alpha + 0.5 * hs);
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + hs * f(k3, i));
      if (quadrature) stepIntegral += (hs / 6.0) * generalizationError(UT);
      rhs(UT, k4, alpha + hs);
      for (let i = 0; i < D; i++) {
        setf(UN, i, f(U, i) + (hs / 6.0) * (f(k1, i) + 2.0 * f(k2, i) + 2.0 * f(k3, i) + f(k4, i)));
      }
    } else {
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + hs * A21 * f(k1, i));
      rhs(UT, k2, alpha + 0.2 * hs);
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + hs * (A31 * f(k1, i) + A32 * f(k2, i)));
      if (quadrature) stepIntegral = hs * (B1 * generalizationError(U) + B3 * generalizationError(UT));
      rhs(UT, k3, alpha + 0.3 * hs);
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + hs * (A41 * f(k1, i) + A42 * f(k2, i) + A43 * f(k3, i)));
      if (quadrature) stepIntegral += hs * B4 * generalizationError(UT);
      rhs(UT, k4, alpha + 0.8 * hs);
      for (let i = 0; i < D; i++) setf(UT, i, f(U, i) + hs * (A51 * f(k1, i) + A52 * f(k2, i) + A53 * f(k3, i) + A54 * f(k4, i)));
      if (quadrature) stepIntegral += hs * B5 * generalizationError(UT);
      rhs(UT, k5, alpha + (8.0 / 9.0) * hs);
      for (let i = 0; i < D; i++) {
        setf(UT, i, f(U, i) + hs * (A61 * f(k1, i) + A62 * f(k2, i) + A63 * f(k3, i) + A64 * f(k4, i) + A65 * f(k5, i)));
      }
      if (quadrature) stepIntegral += hs * B6 * generalizationError(UT);
      rhs(UT, k6, alpha + hs);
      for (let i = 0; i < D; i++) {
        setf(UN, i, f(U, i) + hs * (B1 * f(k1, i) + B3 * f(k3, i) + B4 * f(k4, i) + B5 * f(k5, i) + B6 * f(k6, i)));
      }
      rhs(UN, k7, alpha + hs);
      let err2: f64 = 0;
      let finite = true;
      for (let i = 0; i < D; i++) {
        const e = hs * (E1 * f(k1, i) + E3 * f(k3, i) + E4 * f(k4, i) + E5 * f(k5, i) + E6 * f(k6, i) + E7 * f(k7, i));
        const sc = atol + rtol * Math.max(Math.abs(f(U, i)), Math.abs(f(UN, i)));
        const r = e / sc;
        if (!isFinite(r)) finite = false;
        err2 += r * r;
      }
      const err = Math.sqrt(err2 / <f64>D);
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
      // accepted: FSAL (not across a jump of the rate: k7 holds the rate of the piece just left)
      for (let i = 0; i < D; i++) setf(k1, i, f(k7, i));
      haveK1 = !(scheduled && landing && schedule.jumpsAt(target));
      const fac = err > 0 ? Math.min(5.0, Math.max(0.2, 0.9 * Math.pow(err, -0.2))) : 5.0;
      const hNext = hs * fac;
      // a step shortened to land on a sample does not shrink the next one
      h = landing ? Math.max(h, hNext) : hNext;
    }
    steps++;
    lastStep = hs;
    const st = checkState(UN, divergenceBound);
    if (st != STATUS_COMPLETED) {
      status = st;
      alphaReached = landing ? target : alpha + hs;
      return status;
    }
    for (let i = 0; i < D; i++) setf(U, i, f(UN, i));
    if (quadrature) egIntegral += stepIntegral; // accepted steps only
    fresh = true;
    alpha = landing ? target : alpha + hs;
    // (landing on a breakpoint records nothing unless a sample is there too)
    while (recorded < nSamples && f(ALPHAS, recorded) <= alpha) record(U);
  }
  alphaReached = alpha;
  return status;
}
