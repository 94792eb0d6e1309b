// The discrete adjoint of classical RK4 for a piecewise-constant learning rate (docs/theory.md
// section 12): the objective Phi (eps_g at the end, or the integral of eps_g by the same RK4
// quadrature) of the discretised trajectory, and its exact gradient in the J rates eta_j.
//
// Forward: intervals [b_j, b_{j+1}) with rate eta_j, steps of h shortened to land on every b_j
// (the step rule and the arithmetic of integrate.ts's RK4, so integrate() with the schedule
// piecewise:b_0:eta_0,... sampled at the b_j gives the same states bit for bit). The stage states
// Y_1 = u_n, Y_2 = u_n + h/2 k_1, Y_3 = u_n + h/2 k_2, Y_4 = u_n + h k_3 of every step are kept.
//
// Backward, step by step from lambda = dPhi/du_N (grad eps_g at the end; 0 for the integral):
//   mu_4 = h/6 lambda,              g_4 = J(Y_4)^T mu_4 (+ h/6 grad eps_g(Y_4) for the integral)
//   mu_3 = h/3 lambda + h g_4,      g_3 = J(Y_3)^T mu_3 (+ h/3 grad eps_g(Y_3))
//   mu_2 = h/3 lambda + h/2 g_3,    g_2 = J(Y_2)^T mu_2 (+ h/3 ...)
//   mu_1 = h/6 lambda + h/2 g_2,    g_1 = J(Y_1)^T mu_1 (+ h/6 ...)
//   dPhi/deta_j += sum_s mu_s . (F1(Y_s) + 2 eta_j F2(Y_s)),   lambda += g_1 + g_2 + g_3 + g_4
// (mu_s = dPhi/dk_s, g_s = dPhi/dY_s). J(Y)^T mu is formed from central differences of F in each
// coordinate (2 D right-hand sides; steps 1e-6 max(|Y_i|, 1e-2), shortened away from collinear
// fields as in greedy.ts): the gradient is that of the discretised problem up to the differences'
// error (~1e-9 relative, measured in test/optimalSchedule.test.ts against central differences of Phi).
import { rhs, rhsParts, generalizationError, setLearningRate, stateValidity, D } from "./model";
import { pairLimitedStep, partPointer } from "./greedy";

export const OBJECTIVE_FINAL: i32 = 0;
export const OBJECTIVE_INTEGRAL: i32 = 1;

export const ADJOINT_OK: i32 = 0;
export const ADJOINT_DIVERGED: i32 = 2;
export const ADJOINT_INVALID: i32 = 3;
export const ADJOINT_TOO_MANY_STEPS: i32 = 4;

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

// Buffers (adjointBuffers): the start state, rates, interval bounds, the gradient, eps_g at the
// bounds, the stage states (4 D per step) with each step's h and interval, and scratch.
let U0: usize = 0, ETAS: usize = 0, BOUNDS: usize = 0, GRAD: usize = 0, EGB: usize = 0;
let STAGES: usize = 0, STEPH: usize = 0, STEPJ: usize = 0;
let U: usize = 0, UN: usize = 0, K: usize = 0, Y: usize = 0, FP: usize = 0, FM: usize = 0, LAMBDA: usize = 0, GS: usize = 0, MU: usize = 0, E: usize = 0;
let capacity: i32 = 0;

export function setAdjointBuffers(u0: usize, etas: usize, bounds: usize, grad: usize, egAtBounds: usize, stages: usize, stepH: usize, stepJ: usize, maxSteps: i32, scratch: usize): void {
  U0 = u0; ETAS = etas; BOUNDS = bounds; GRAD = grad; EGB = egAtBounds;
  STAGES = stages; STEPH = stepH; STEPJ = stepJ; capacity = maxSteps;
  const d = <usize>D << 3;
  U = scratch; UN = U + d; K = UN + d; // K: 4 stage derivatives
  Y = K + 4 * d; FP = Y + d; FM = FP + d; LAMBDA = FM + d; GS = LAMBDA + d; // GS: g_1..g_4
  MU = GS + 4 * d; E = MU + d;
}
/** Doubles of scratch setAdjointBuffers needs. */
export function adjointScratchSize(): i32 {
  return 16 * D;
}

export let objectiveValue: f64 = 0;
export let stepsTaken: i32 = 0;
export let evaluations: f64 = 0;

@inline function stage(n: i32, s: i32): usize {
  return STAGES + (<usize>((n * 4 + s) * D) << 3);
}
@inline function kStage(s: i32): usize {
  return K + (<usize>(s * D) << 3);
}
@inline function gStage(s: i32): usize {
  return GS + (<usize>(s * D) << 3);
}

function F(u: usize, du: usize): void {
  rhs(u, du);
  evaluations++;
}

/**
 * Runs the J intervals from the state at U0 with step h; keeps the stages when `keep`. Phi in
 * objectiveValue, eps_g at the J + 1 bounds in EGB. Status ADJOINT_OK or why it stopped.
 */
export function adjointForward(h: f64, J: i32, objective: i32, bound: f64, keep: bool, scratch: usize): i32 {
  for (let i = 0; i < D; i++) setf(U, i, f(U0, i));
  let alpha = f(BOUNDS, 0);
  let q: f64 = 0;
  stepsTaken = 0;
  evaluations = 0;
  setf(EGB, 0, generalizationError(U));
  const k1 = kStage(0), k2 = kStage(1), k3 = kStage(2), k4 = kStage(3);
  for (let j = 0; j < J; j++) {
    setLearningRate(f(ETAS, j));
    const end = f(BOUNDS, j + 1);
    while (alpha < end) {
      if (keep && stepsTaken >= capacity) return ADJOINT_TOO_MANY_STEPS;
      let hs = h;
      let landing = false;
      // integrate.ts's rule for landing on a sample or breakpoint
      if (alpha + hs >= end - 1e-12 * Math.max(1.0, end)) {
        hs = end - alpha;
        landing = true;
      }
      const n = stepsTaken;
      F(U, k1);
      for (let i = 0; i < D; i++) setf(Y, i, f(U, i) + 0.5 * hs * f(k1, i));
      if (keep) {
        memory.copy(stage(n, 0), U, <usize>D << 3);
        memory.copy(stage(n, 1), Y, <usize>D << 3);
      }
      F(Y, k2);
      if (objective == OBJECTIVE_INTEGRAL) q += (hs / 6.0) * (generalizationError(U) + 2.0 * generalizationError(Y));
      for (let i = 0; i < D; i++) setf(Y, i, f(U, i) + 0.5 * hs * f(k2, i));
      if (keep) memory.copy(stage(n, 2), Y, <usize>D << 3);
      F(Y, k3);
      if (objective == OBJECTIVE_INTEGRAL) q += (hs / 6.0) * 2.0 * generalizationError(Y);
      for (let i = 0; i < D; i++) setf(Y, i, f(U, i) + hs * f(k3, i));
      if (keep) memory.copy(stage(n, 3), Y, <usize>D << 3);
      F(Y, k4);
      if (objective == OBJECTIVE_INTEGRAL) q += (hs / 6.0) * generalizationError(Y);
      for (let i = 0; i < D; i++) {
        setf(UN, i, f(U, i) + (hs / 6.0) * (f(k1, i) + 2.0 * f(k2, i) + 2.0 * f(k3, i) + f(k4, i)));
      }
      if (keep) {
        setf(STEPH, n, hs);
        setf(STEPJ, n, <f64>j);
      }
      stepsTaken++;
      for (let i = 0; i < D; i++) if (!isFinite(f(UN, i))) return ADJOINT_INVALID;
      const v = stateValidity(UN, bound, scratch);
      if (v != 0) return v == 1 ? ADJOINT_DIVERGED : ADJOINT_INVALID;
      for (let i = 0; i < D; i++) setf(U, i, f(UN, i));
      alpha = landing ? end : alpha + hs;
    }
    setf(EGB, j + 1, generalizationError(U));
  }
  objectiveValue = objective == OBJECTIVE_INTEGRAL ? q : generalizationError(U);
  return ADJOINT_OK;
}

/** The coordinate step of the differences at y (coordinate i). */
function coordinateStep(y: usize, i: i32): f64 {
  const base = 1e-6 * Math.max(Math.abs(f(y, i)), 1e-2);
  for (let k = 0; k < D; k++) setf(E, k, k == i ? 1.0 : 0.0);
  return pairLimitedStep(y, E, base);
}

/** out += c grad eps_g(y) (central differences per coordinate). */
function addGradientOfEg(y: usize, c: f64, out: usize): void {
  for (let i = 0; i < D; i++) {
    const yi = f(y, i);
    const d = coordinateStep(y, i);
    setf(y, i, yi + d);
    const up = generalizationError(y);
    setf(y, i, yi - d);
    const down = generalizationError(y);
    setf(y, i, yi);
    setf(out, i, f(out, i) + c * (up - down) / (2.0 * d));
  }
}

/** out = J(y)^T mu by central differences of F (y is restored). */
function transposedJacobianTimes(y: usize, mu: usize, out: usize): void {
  for (let i = 0; i < D; i++) {
    const yi = f(y, i);
    const d = coordinateStep(y, i);
    setf(y, i, yi + d);
    F(y, FP);
    setf(y, i, yi - d);
    F(y, FM);
    setf(y, i, yi);
    let s: f64 = 0;
    for (let k = 0; k < D; k++) s += f(mu, k) * (f(FP, k) - f(FM, k));
    setf(out, i, s / (2.0 * d));
  }
}

/** mu . (F1 + 2 eta F2) at y (the rate derivative of the stage). */
function rateDerivative(y: usize, mu: usize, eta: f64): f64 {
  rhsParts(y, FP, partPointer(0), partPointer(1), partPointer(2));
  evaluations++;
  const p1 = partPointer(1), p2 = partPointer(2);
  let s: f64 = 0;
  for (let k = 0; k < D; k++) s += f(mu, k) * (f(p1, k) + 2.0 * eta * f(p2, k));
  return s;
}

const B: StaticArray<f64> = [1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0];

/** The gradient of Phi in the J rates into GRAD, after adjointForward(..., keep = true) returned ADJOINT_OK. */
export function adjointBackward(J: i32, objective: i32): void {
  for (let j = 0; j < J; j++) setf(GRAD, j, 0.0);
  for (let i = 0; i < D; i++) setf(LAMBDA, i, 0.0);
  if (objective == OBJECTIVE_FINAL) addGradientOfEg(U, 1.0, LAMBDA);
  for (let n = stepsTaken - 1; n >= 0; n--) {
    const hs = f(STEPH, n);
    const j = <i32>f(STEPJ, n);
    const eta = f(ETAS, j);
    setLearningRate(eta);
    let dEta: f64 = 0;
    for (let s = 3; s >= 0; s--) {
      // mu_s = h b_s lambda + h a_{s+1,s} g_{s+1} (a = 1/2, 1/2, 1 below the diagonal of RK4)
      const c = s == 2 ? hs : 0.5 * hs;
      for (let i = 0; i < D; i++) setf(MU, i, hs * B[s] * f(LAMBDA, i) + (s < 3 ? c * f(gStage(s + 1), i) : 0.0));
      const y = stage(n, s);
      transposedJacobianTimes(y, MU, gStage(s));
      if (objective == OBJECTIVE_INTEGRAL) addGradientOfEg(y, hs * B[s], gStage(s));
      dEta += rateDerivative(y, MU, eta);
    }
    setf(GRAD, j, f(GRAD, j) + dEta);
    for (let i = 0; i < D; i++) setf(LAMBDA, i, f(LAMBDA, i) + f(gStage(0), i) + f(gStage(1), i) + f(gStage(2), i) + f(gStage(3), i));
  }
}
