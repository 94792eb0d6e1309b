// The ODE on states whose permutation symmetry is broken down to S_{K-p}: p labels (0..p-1,
// p <= 2) are singled out and the other K - p ("bulk") labels are all equivalent, students and
// teachers permuted together, K = M, T = t I, v_i = v, v*_n = v*. Such states form an invariant
// subspace of the full ODE (the fixed subspace of S_{K-p}), so the full ODE restricted to it is
// this reduced ODE, and its Jacobian is the full Jacobian restricted to that subspace. That is
// how the Jacobian's blocks in the irreducible representations of S_K are obtained
// (src/symmetric/blocks.ts): p = 0 holds the trivial representation, p = 1 also one vector of
// each copy of the standard one, p = 2 also one of [K-2, 2] and [K-2, 1, 1]. With p = 0 it is
// the site-symmetric ODE of symmetric.ts, evaluated by a generic enumeration instead of the
// hand-written classes there.
//
// Reduced coordinates (b, b' distinct bulk labels, s, s' special ones):
//   Q_ss' (s <= s', p(p+1)/2 of them), Q_sb (p), Q_bb, Q_bb';
//   R_ss' (p^2, row-major), R_sb (p), R_bs (p), R_bb, R_bb'.
// A class that is empty for this K (K - p < 1 for the ones with a b, < 2 for b') is not
// computed (its rate is written as 0).
//
// Sums over all K labels c run over the explicit labels E (the p special ones and the bulk
// labels the term names) plus nFree = K - p - |bulk labels in E| equivalent others, represented
// by a fresh bulk label f1:
//   sum_c h(c) = sum_{c in E} h(c) + nFree h(f1)
//   sum_{c,e} h(c,e) = sum_{c,e in E} h(c,e) + nFree [2 sum_{c in E} h(c,f1) + h(f1,f1)] + nFree (nFree-1) h(f1,f2)
// (h symmetric; f2 a second fresh label). The representative covariance holds the p special
// labels and four bulk ones: students 0..n-1, teachers n..2n-1, n = p + 4.
import { activation, teacherActivation, generic, ACT_RELU } from "../gauss/averages";
import { isPiecewiseLinear } from "../gauss/genericAverages";
import { reluTableBegin, reluTableEnd } from "../gauss/relu";
import { repI3, repI4 } from "./symmetric";

const MAXP: i32 = 2;
const MAXN: i32 = MAXP + 4;
const COV: usize = memory.data(4 * MAXN * MAXN * 8, 16);
const ASIN: usize = memory.data(8 * MAXN * MAXN * 8, 16);
const LABELS: usize = memory.data(MAXN * 4, 4);

let p: i32 = 0;
let n: i32 = 4; // labels in the representative
let ld: i32 = 8;
let units: f64 = 2;
let vOut: f64 = 1;
let vStarOut: f64 = 1;
let teacherNorm: f64 = 1;
let eta: f64 = 1;
// explicit labels of the current term and its fresh labels
let nE: i32 = 0;
let f1: i32 = 0;
let f2: i32 = 0;
let nFree: f64 = 0;

@inline function f(ptr: usize, i: i32): f64 {
  return load<f64>(ptr + (<usize>i << 3));
}
@inline function setf(ptr: usize, i: i32, v: f64): void {
  store<f64>(ptr + (<usize>i << 3), v);
}
@inline function X(a: i32): i32 {
  return a;
}
@inline function Y(a: i32): i32 {
  return n + a;
}
@inline function label(i: i32): i32 {
  return load<i32>(LABELS + (<usize>i << 2));
}

/** Number of reduced coordinates for p special labels. */
export function brokenDimension(specials: i32): i32 {
  return (specials * (specials + 1)) / 2 + specials + 2 + specials * specials + 2 * specials + 2;
}

export function setBrokenModel(specials: i32, K: f64, v: f64, vStar: f64, t: f64, learningRate: f64): void {
  p = specials;
  n = specials + 4;
  ld = 2 * n;
  units = K;
  vOut = v;
  vStarOut = vStar;
  teacherNorm = t;
  eta = learningRate;
}

@inline function nQ(): i32 {
  return (p * (p + 1)) / 2 + p + 2;
}
/** Reduced index of Q_ab. */
function qClass(a: i32, b: i32): i32 {
  if (a > b) { const x = a; a = b; b = x; }
  if (b < p) return a * p - ((a * (a - 1)) >> 1) + (b - a);
  if (a < p) return (p * (p + 1)) / 2 + a;
  return (p * (p + 1)) / 2 + p + (a == b ? 0 : 1);
}
/** Reduced index of R_an (student label a, teacher label m). */
function rClass(a: i32, m: i32): i32 {
  const base = nQ();
  if (a < p && m < p) return base + a * p + m;
  if (a < p) return base + p * p + a;
  if (m < p) return base + p * p + p + m;
  return base + p * p + 2 * p + (a == m ? 0 : 1);
}

function buildCovariance(y: usize): void {
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      store<f64>(COV + (<usize>(X(a) * ld + X(b)) << 3), f(y, qClass(a, b)));
      const r = f(y, rClass(a, b));
      store<f64>(COV + (<usize>(X(a) * ld + Y(b)) << 3), r);
      store<f64>(COV + (<usize>(Y(b) * ld + X(a)) << 3), r);
      store<f64>(COV + (<usize>(Y(a) * ld + Y(b)) << 3), a == b ? teacherNorm : 0.0);
    }
  }
}

@inline function pushLabel(L: i32): void {
  store<i32>(LABELS + (<usize>nE << 2), L);
  nE++;
}

/** E = special labels plus the bulk ones among l1, l2; fresh labels and their count. */
function explicitLabels(l1: i32, l2: i32): void {
  nE = 0;
  for (let s = 0; s < p; s++) pushLabel(s);
  let bulk = 0;
  if (l1 >= p) { pushLabel(l1); bulk++; }
  if (l2 >= p && l2 != l1) { pushLabel(l2); bulk++; }
  f1 = -1;
  f2 = -1;
  for (let b = p; b < n; b++) {
    if (b == l1 || b == l2) continue;
    if (f1 < 0) f1 = b; else if (f2 < 0) f2 = b;
  }
  nFree = units - <f64>p - <f64>bulk;
}

@inline function I3(a: i32, b: i32, c: i32): f64 {
  return repI3(COV, ld, n, a, b, c);
}
@inline function I4(a: i32, b: i32, c: i32, e: i32): f64 {
  return repI4(COV, ld, n, a, b, c, e);
}

/** J3(a, field) = sum_c s_c I3(x_a, field, c); the term names labels a and lb. */
function j3(a: i32, field: i32, lb: i32): f64 {
  explicitLabels(a, lb);
  const v = vOut, w = vStarOut;
  let s: f64 = 0;
  for (let i = 0; i < nE; i++) {
    const L = label(i);
    s += w * I3(X(a), field, Y(L)) - v * I3(X(a), field, X(L));
  }
  if (nFree > 0.0) s += nFree * (w * I3(X(a), field, Y(f1)) - v * I3(X(a), field, X(f1)));
  return s;
}

/** h(L1, L2) = sum over the fields of labels L1, L2 of s_c s_e I4(x_a, x_b, c, e). */
function h(a: i32, b: i32, L1: i32, L2: i32): f64 {
  const v = vOut, w = vStarOut;
  const cross = L1 == L2 ? 2.0 * I4(X(a), X(b), X(L1), Y(L2)) : I4(X(a), X(b), X(L1), Y(L2)) + I4(X(a), X(b), Y(L1), X(L2));
  return v * v * I4(X(a), X(b), X(L1), X(L2)) + w * w * I4(X(a), X(b), Y(L1), Y(L2)) - v * w * cross;
}

/** S4(a, b) = sum_{c,e} s_c s_e I4(x_a, x_b, c, e). */
function s4(a: i32, b: i32): f64 {
  explicitLabels(a, b);
  let s: f64 = 0;
  for (let i = 0; i < nE; i++) {
    const L = label(i);
    s += h(a, b, L, L);
    for (let j = i + 1; j < nE; j++) s += 2.0 * h(a, b, L, label(j));
  }
  if (nFree > 0.0) {
    let one = h(a, b, f1, f1);
    for (let i = 0; i < nE; i++) one += 2.0 * h(a, b, label(i), f1);
    s += nFree * one;
    if (nFree > 1.0) s += nFree * (nFree - 1.0) * h(a, b, f1, f2);
  }
  return s;
}

@inline function qRate(a: i32, b: i32): f64 {
  const v = vOut;
  const lin = a == b ? 2.0 * j3(a, X(a), a) : j3(a, X(b), b) + j3(b, X(a), a);
  return eta * v * lin + eta * eta * v * v * s4(a, b);
}
@inline function rRate(a: i32, m: i32): f64 {
  return eta * vOut * j3(a, Y(m), m);
}

/** dy/dalpha of the reduced state y (brokenDimension(p) numbers). */
export function brokenRhs(y: usize, dy: usize): void {
  buildCovariance(y);
  const relu = activation == ACT_RELU || (generic && isPiecewiseLinear(activation) && isPiecewiseLinear(teacherActivation));
  if (relu) reluTableBegin(COV, ld, ASIN);
  const bulk = units - <f64>p;
  // Q
  for (let s = 0; s < p; s++) for (let s2 = s; s2 < p; s2++) setf(dy, qClass(s, s2), qRate(s, s2));
  for (let s = 0; s < p; s++) setf(dy, qClass(s, p), bulk >= 1.0 ? qRate(s, p) : 0.0);
  setf(dy, qClass(p, p), bulk >= 1.0 ? qRate(p, p) : 0.0);
  setf(dy, qClass(p, p + 1), bulk >= 2.0 ? qRate(p, p + 1) : 0.0);
  // R
  for (let s = 0; s < p; s++) for (let s2 = 0; s2 < p; s2++) setf(dy, rClass(s, s2), rRate(s, s2));
  for (let s = 0; s < p; s++) {
    setf(dy, rClass(s, p), bulk >= 1.0 ? rRate(s, p) : 0.0);
    setf(dy, rClass(p, s), bulk >= 1.0 ? rRate(p, s) : 0.0);
  }
  setf(dy, rClass(p, p), bulk >= 1.0 ? rRate(p, p) : 0.0);
  setf(dy, rClass(p, p + 1), bulk >= 2.0 ? rRate(p, p + 1) : 0.0);
  if (relu) reluTableEnd();
}
