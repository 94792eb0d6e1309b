// One online-SGD run of the teacher-student soft committee machine at finite d (THEORY 3),
// entirely inside WebAssembly: weights resident in memory, one fresh Gaussian input per step,
// order parameters and eps_g (same formula as the ODE) recorded at the requested steps.
import { seedRandom, fillNormal } from "./random";
import { erf } from "./errorFunction";
import { generalizationError } from "../ode/model";
import * as model from "../ode/model";

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

function dot(a: usize, b: usize, d: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    s0 += ld(a, k) * ld(b, k);
    s1 += ld(a, k + 1) * ld(b, k + 1);
    s2 += ld(a, k + 2) * ld(b, k + 2);
    s3 += ld(a, k + 3) * ld(b, k + 3);
  }
  for (; k < d; k++) s0 += ld(a, k) * ld(b, k);
  return (s0 + s1) + (s2 + s3);
}

/**
 * Initial weights (THEORY 3): rows of VEC (NV x d: K students, then M teachers) become
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

@inline function g(act: i32, x: f64): f64 {
  if (act == 0) return x > 0 ? x : 0.0;
  if (act == 1) return erf(x * SQRT_HALF);
  return x;
}
@inline function gPrime(act: i32, x: f64): f64 {
  if (act == 0) return x > 0 ? 1.0 : 0.0;
  if (act == 1) return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
  return 1.0;
}

@inline function normsBounded(VEC: usize, K: i32, d: i32, bound: f64): bool {
  for (let i = 0; i < K; i++) {
    const w = VEC + (<usize>(i * d) << 3);
    if (!(dot(w, w, d) <= bound)) return false; // also catches NaN
  }
  return true;
}

/** Writes (Q upper triangle, R, eps_g) of the current weights as sample `s` of OUT. */
function record(VEC: usize, K: i32, M: i32, d: i32, U: usize, OUT: usize, s: i32): void {
  const D = model.D; // state layout of the ODE (model.ts): Q upper triangle, then R
  let p = 0;
  for (let i = 0; i < K; i++)
    for (let k = i; k < K; k++) st(U, p++, dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>(k * d) << 3), d));
  for (let i = 0; i < K; i++)
    for (let n = 0; n < M; n++) st(U, p++, dot(VEC + (<usize>(i * d) << 3), VEC + (<usize>((K + n) * d) << 3), d));
  const base = OUT + (<usize>(s * (D + 1)) << 3);
  for (let q = 0; q < D; q++) st(base, q, ld(U, q));
  st(base, D, generalizationError(U));
}

/**
 * Runs SGD for the sample steps STEPS[0..nSamples) (ascending integers mu = alpha d).
 * Status: 0 completed, 2 diverged (some Q_ii above divergenceBound or not finite),
 * 3 invalid initial condition.
 */
export function sgdRun(
  seedHi: u32, seedLo: u32, act: i32, K: i32, M: i32, d: i32, eta: f64,
  VEC: usize, XI: usize, H: usize, C0: usize, L: usize, V: usize, VS: usize,
  STEPS: usize, nSamples: i32, U: usize, OUT: usize, divergenceBound: f64,
): i32 {
  simSteps = 0;
  simRecorded = 0;
  seedRandom((<u64>seedHi << 32) | <u64>seedLo);
  const NV = K + M;
  if (!initialWeights(VEC, NV, d, C0, L)) return 3;
  const scale = eta / <f64>d;
  let mu: f64 = 0;
  let sinceCheck: i32 = 0;
  for (let s = 0; s < nSamples; s++) {
    const target = ld(STEPS, s);
    while (mu < target) {
      fillNormal(XI, d);
      let sigma: f64 = 0, tau: f64 = 0;
      for (let n = 0; n < M; n++) tau += ld(VS, n) * g(act, dot(VEC + (<usize>((K + n) * d) << 3), XI, d));
      for (let i = 0; i < K; i++) {
        const x = dot(VEC + (<usize>(i * d) << 3), XI, d);
        st(H, i, x);
        sigma += ld(V, i) * g(act, x);
      }
      const err = tau - sigma;
      for (let i = 0; i < K; i++) {
        const c = scale * ld(V, i) * gPrime(act, ld(H, i)) * err;
        if (c == 0.0) continue;
        const w = VEC + (<usize>(i * d) << 3);
        for (let k = 0; k < d; k++) st(w, k, ld(w, k) + c * ld(XI, k));
      }
      mu += 1;
      simSteps = mu;
      // every d steps (alpha += 1): stop a diverging run before it overflows
      if (++sinceCheck == d) {
        sinceCheck = 0;
        if (!normsBounded(VEC, K, d, divergenceBound)) return 2;
      }
    }
    if (!normsBounded(VEC, K, d, divergenceBound)) return 2;
    record(VEC, K, M, d, U, OUT, s);
    simRecorded = s + 1;
  }
  return 0;
}
