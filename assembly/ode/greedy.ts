// The locally optimal (greedy) learning rate of a state (docs/theory.md section 12): with
// F = F0 + eta F1 + eta^2 F2 (model.ts rhsParts), d eps_g / d alpha = a0 + a1 eta + a2 eta^2 with
// a_k = grad eps_g . F_k, minimised over eta > 0 at eta* = -a1 / (2 a2) when a1 < 0 < a2.
// Otherwise: a1 >= 0, no positive rate lowers eps_g faster than eta -> 0 (status NO_DECREASE,
// rate 0); a2 <= 0 or eta* > the cap: the cap (status CAPPED).
//
// Each a_k is a directional derivative of eps_g along F_k, by the fourth-order central difference
// [8 (E(t) - E(-t)) - (E(2t) - E(-2t))] / (12 t), E(s) = eps_g(u + s F_k / |F_k|_inf): eps_g is
// cheap (pair averages I2 only). The state-space step 1e-3 is shortened so that no pair of
// fields comes near collinearity within it (each pair's 2x2 determinant changes by at most 0.5 %
// over the stencil), where eps_g has its only singularities; the truncation error is then below
// ~1e-12 relative and rounding ~1e-13 of eps_g's scale per unit slope (measured against a
// high-order rule in test/schedules.test.ts).
import { rhsParts, generalizationError, buildCovariance, qIndex, rIndex, K, M, NV, D, C_PTR } from "./model";

export const GREEDY_INTERIOR: i32 = 0;
export const GREEDY_CAPPED: i32 = 1;
export const GREEDY_NO_DECREASE: i32 = 2;

/** The last evaluation: a0, a1, a2, the status and the rate. */
export let lastA0: f64 = 0;
export let lastA1: f64 = 0;
export let lastA2: f64 = 0;
export let lastStatus: i32 = GREEDY_INTERIOR;
export let lastRate: f64 = 0;
/** Evaluations since resetGreedyStats() that ended capped, and with no decrease. */
export let cappedCount: i32 = 0;
export let noDecreaseCount: i32 = 0;
export let evaluationCount: i32 = 0;

export function resetGreedyStats(): void {
  cappedCount = 0;
  noDecreaseCount = 0;
  evaluationCount = 0;
}

// Buffers (D each): the parts, the rate at the model's eta (unused), and the stencil's states.
let P0: usize = 0, P1: usize = 0, P2: usize = 0, DU: usize = 0, SCR: usize = 0;

export function setGreedyBuffers(p0: usize, p1: usize, p2: usize, du: usize, scratch: usize): void {
  P0 = p0;
  P1 = p1;
  P2 = p2;
  DU = du;
  SCR = scratch;
}
export function partPointer(k: i32): usize {
  return k == 0 ? P0 : k == 1 ? P1 : P2;
}

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

const FD_STEP: f64 = 1e-3;
const PAIR_CHANGE: f64 = 0.0025; // |t d det / dt| <= 0.25 % of det at the step t (0.5 % at 2t)

/** Increment of covariance entry (a, b) along v (teacher-teacher entries are fixed). */
@inline function entryOf(v: usize, a: i32, b: i32): f64 {
  if (a >= K && b >= K) return 0.0;
  if (a < K && b < K) return a <= b ? f(v, qIndex(a, b)) : f(v, qIndex(b, a));
  return a < K ? f(v, rIndex(a, b - K)) : f(v, rIndex(b, a - K));
}

/** The step along v (in units of v) that keeps every pair of fields away from collinearity. */
export function pairLimitedStep(u: usize, v: usize, t: f64): f64 {
  buildCovariance(u);
  let step = t;
  for (let a = 0; a < NV; a++) {
    for (let b = a + 1; b < NV; b++) {
      if (a >= K) continue;
      const aa = f(C_PTR, a * NV + a), bb = f(C_PTR, b * NV + b), ab = f(C_PTR, a * NV + b);
      const det = aa * bb - ab * ab;
      if (!(det > 0)) continue;
      const rate = Math.abs(entryOf(v, a, a) * bb + aa * entryOf(v, b, b) - 2.0 * ab * entryOf(v, a, b));
      if (rate > 0 && PAIR_CHANGE * det / rate < step) step = PAIR_CHANGE * det / rate;
    }
  }
  return step;
}

/** d eps_g / ds of eps_g(u + s v) at s = 0 (0 when v = 0). */
export function slopeAlong(u: usize, v: usize): f64 {
  let n: f64 = 0;
  for (let i = 0; i < D; i++) n = Math.max(n, Math.abs(f(v, i)));
  if (n == 0) return 0;
  const t = pairLimitedStep(u, v, FD_STEP / n);
  let e: f64 = 0;
  for (let s = -2; s <= 2; s++) {
    if (s == 0) continue;
    const w: f64 = s == 2 || s == -2 ? -1.0 : 8.0;
    const st = <f64>s * t;
    for (let i = 0; i < D; i++) setf(SCR, i, f(u, i) + st * f(v, i));
    const g = generalizationError(SCR);
    e += s > 0 ? w * g : -w * g;
  }
  return e / (12.0 * t);
}

/** The greedy rate at u with cap etaMax (sets lastA0..lastRate); the parts stay in P0, P1, P2. */
export function greedyRate(u: usize, etaMax: f64): f64 {
  rhsParts(u, DU, P0, P1, P2);
  const a0 = slopeAlong(u, P0);
  const a1 = slopeAlong(u, P1);
  const a2 = slopeAlong(u, P2);
  lastA0 = a0;
  lastA1 = a1;
  lastA2 = a2;
  evaluationCount++;
  let rate: f64;
  if (!(a1 < 0)) {
    lastStatus = GREEDY_NO_DECREASE;
    noDecreaseCount++;
    rate = 0;
  } else if (!(a2 > 0) || -a1 / (2.0 * a2) > etaMax) {
    lastStatus = GREEDY_CAPPED;
    cappedCount++;
    rate = etaMax;
  } else {
    lastStatus = GREEDY_INTERIOR;
    rate = -a1 / (2.0 * a2);
  }
  lastRate = rate;
  return rate;
}

/** du = F(u; eta*(u)) from the parts (the greedy schedule's right-hand side). */
export function greedyRhs(u: usize, du: usize, etaMax: f64): void {
  const e = greedyRate(u, etaMax);
  const e2 = e * e;
  for (let i = 0; i < D; i++) setf(du, i, f(P0, i) + e * f(P1, i) + e2 * f(P2, i));
}
