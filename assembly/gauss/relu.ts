// ReLU averages in closed form (docs/theory.md sections 2.1, 2.2, 2.5).
//
// Every ReLU average of the ODE is a truncated moment E[prod_v z_v^{p_v} theta(z_v)]
// over at most four distinct variables with sum p_v <= 2: theta^2 = theta,
// theta relu = relu and relu^2 = z^2 theta combine factors of a repeated index.
// truncatedMoment() reduces it by Stein's lemma,
//   E[z_a h(z)] = sum_j A_aj E[d h / d z_j],  d theta(z_j) = delta(z_j),
//   E[delta(z_j) h] = (2 pi A_jj)^(-1/2) E[h | z_j = 0],
// to orthant probabilities of at most four variables (orthant.ts).
import { INV_SQRT_2PI, MERGE_GAP, ROOT_MERGE_GAP, TWO_PI } from "./constants";
import { orthant2Cov, orthant3Cov, orthant4 } from "./orthant";
import { asinOfCovariance, conditionalCovariance, det2 } from "./compensated";

// One 4x4 scratch matrix (leading dimension 4) per recursion depth.
const DEPTH_MAX: i32 = 24;
const SCRATCH: usize = memory.data(DEPTH_MAX * 16 * 8, 8);

@inline export function scratchMatrix(depth: i32): usize {
  return SCRATCH + (<usize>depth << 7);
}
@inline function at(A: usize, i: i32, j: i32): f64 {
  return load<f64>(A + (<usize>((i << 2) + j) << 3));
}
@inline function put(A: usize, i: i32, j: i32, v: f64): void {
  store<f64>(A + (<usize>((i << 2) + j) << 3), v);
}
// powers packed 4 bits per variable (shared with stein.ts)
@inline export function pget(p: i32, v: i32): i32 {
  return (p >> (v << 2)) & 15;
}
@inline export function premove(p: i32, v: i32): i32 {
  const low = p & ((1 << (v << 2)) - 1);
  const high = p >> ((v + 1) << 2);
  return low | (high << (v << 2));
}
@inline export function pstep(v: i32): i32 {
  return 1 << (v << 2);
}

/**
 * The covariance of the other n - 1 variables given z_j = 0 (docs/theory.md section 2.2's Stein step), from A
 * (leading dimension ldA) into B (leading dimension ldB), without cancellation (compensated.ts).
 */
@inline export function conditionOn(A: usize, ldA: i32, n: i32, j: i32, B: usize, ldB: i32): void {
  const ajj = load<f64>(A + (<usize>(j * ldA + j) << 3));
  let bi = 0;
  for (let k = 0; k < n; k++) {
    if (k == j) continue;
    let bj = 0;
    const akj = load<f64>(A + (<usize>(k * ldA + j) << 3));
    const ratio = akj / ajj;
    for (let l = 0; l < n; l++) {
      if (l == j) continue;
      const akl = load<f64>(A + (<usize>(k * ldA + l) << 3)), ajl = load<f64>(A + (<usize>(j * ldA + l) << 3));
      store<f64>(B + (<usize>(bi * ldB + bj) << 3), conditionalCovariance(akl, akj, ajl, ajj, ratio));
      bj++;
    }
    bi++;
  }
}

/** Copies A (leading dimension ld) without row and column `skip` into B (same leading dimension). */
export function dropVariable(A: usize, n: i32, skip: i32, B: usize, ld: i32 = 4): void {
  let bi = 0;
  for (let i = 0; i < n; i++) {
    if (i == skip) continue;
    let bj = 0;
    for (let j = 0; j < n; j++) {
      if (j == skip) continue;
      store<f64>(B + (<usize>(bi * ld + bj) << 3), load<f64>(A + (<usize>(i * ld + j) << 3)));
      bj++;
    }
    bi++;
  }
}

/**
 * E[prod_v z_v^{p_v} theta(z_v)], z ~ N(0, A), A n x n (n <= 4, leading dimension 4,
 * positive semi-definite), p packed 4 bits per variable, sum p <= 2.
 */
export function truncatedMoment(A: usize, n: i32, p: i32, depth: i32, gap: f64 = ROOT_MERGE_GAP): f64 {
  if (n == 0) return 1.0;
  for (let v = 0; v < n; v++) {
    if (!(at(A, v, v) > 0.0)) return 0.0; // z_v = 0 a.s.: theta(0) = relu(0) = 0
  }
  // merge perfectly correlated pairs (docs/theory.md section 2.5)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const aii = at(A, i, i), ajj = at(A, j, j), aij = at(A, i, j);
      if (!mergeable(aii, aij, ajj, gap)) continue;
      if (aij < 0.0) return 0.0; // theta(z) theta(-c z) = 0
      {
        // z_j = s z_i: theta(z_j) = theta(z_i), z_j^q = s^q z_i^q
        const s = Math.sqrt(ajj / aii);
        const pj = pget(p, j);
        let factor: f64 = 1.0;
        for (let q = 0; q < pj; q++) factor *= s;
        const merged = premove(p + pj * pstep(i), j);
        const B = scratchMatrix(depth + 1);
        dropVariable(A, n, j, B);
        return factor * truncatedMoment(B, n - 1, merged, depth + 1, gap);
      }
    }
  }
  if (p == 0) return orthant(A, n);
  let a = 0;
  while (pget(p, a) == 0) a++;
  const q = p - pstep(a);
  let result: f64 = 0;
  for (let j = 0; j < n; j++) {
    const aaj = at(A, a, j);
    if (aaj == 0.0) continue;
    const qj = pget(q, j);
    if (qj > 0) {
      // derivative of the polynomial part
      result += aaj * <f64>qj * truncatedMoment(A, n, q - pstep(j), depth + 1, gap);
    } else {
      // derivative of theta(z_j): condition on z_j = 0
      const ajj = at(A, j, j);
      const B = scratchMatrix(depth + 1);
      conditionOn(A, 4, n, j, B, 4);
      result += aaj * INV_SQRT_2PI / Math.sqrt(ajj) * truncatedMoment(B, n - 1, premove(q, j), depth + 1, MERGE_GAP);
    }
  }
  return result;
}

function orthant(A: usize, n: i32): f64 {
  if (n == 1) return 0.5;
  if (n == 2) return orthant2Cov(at(A, 0, 0), at(A, 0, 1), at(A, 1, 1));
  if (n == 3) return orthant3Cov(at(A, 0, 0), at(A, 0, 1), at(A, 0, 2), at(A, 1, 1), at(A, 1, 2), at(A, 2, 2));
  return orthant4(A, 4);
}

/** Whether the pair is merged (docs/theory.md section 2.5): 1 - r^2 <= gap, or NaN. */
@inline export function mergeable(xx: f64, xy: f64, yy: f64, gap: f64): bool {
  return !(det2(xx, yy, xy, xy) > gap * xx * yy);
}

// ------------------------------------------------------------------------------------
// Closed forms of the non-degenerate cases (docs/theory.md sections 2.1, 2.2): truncatedMoment's Stein
// reduction for sum p = 2 (every I3 and I4) written out, with the same Stein variable,
// nodes, skipped zero coefficients and floating-point operations in the same order, so the
// values are bit-identical to the recursion; only the recursion, the scratch copies and the
// gather are gone. They index the covariance directly (A, leading dimension ld; variables
// in the recursion's order) and take the asins of unconditional correlations from tables
// that rhs() fills once per covariance. A node the recursion would treat specially (zero
// variance, a pair to merge) makes them return NaN and the caller runs the recursion.

let closedForms: bool = true;
/** Tests: false sends every ReLU average through the generic recursion. */
export function setReluClosedForms(on: bool): void {
  closedForms = on;
}
/** Averages the closed forms handed to the recursion (degenerate nodes), for tests. */
export let recursions: i32 = 0;
export function resetReluRecursions(): void {
  recursions = 0;
}

@inline function el(A: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(A + (<usize>(i * ld + j) << 3));
}

// Per-covariance table (ld x ld) of asin(corr), computed as the recursion does
// (asinOfCovariance). Valid while tableC != 0; rhs() brackets its averages with
// reluTableBegin/End.
let tableC: usize = 0;
let tableLd: i32 = 0;
let tablePtr: usize = 0;
// the tables for the matrix the closed forms are working on (0: compute the asins)
let curTable: usize = 0;

/** Fills the table at `table` (ld^2 f64) for covariance C. */
export function reluTableBegin(C: usize, ld: i32, table: usize): void {
  for (let a = 0; a < ld; a++) {
    const caa = el(C, ld, a, a);
    for (let b = a + 1; b < ld; b++) {
      const cbb = el(C, ld, b, b), cab = el(C, ld, a, b);
      // pairs with a zero variance never reach the table
      const v = caa > 0.0 && cbb > 0.0 ? asinOfCovariance(caa, cab, cbb) : 0.0;
      store<f64>(table + (<usize>(a * ld + b) << 3), v);
      store<f64>(table + (<usize>(b * ld + a) << 3), v);
    }
  }
  tableC = C;
  tableLd = ld;
  tablePtr = table;
}
export function reluTableEnd(): void {
  tableC = 0;
}

/** P(z_x > 0, z_y > 0) of the root pair (x, y in the recursion's order), as orthant(). */
@inline function rootOrthant2(A: usize, ld: i32, x: i32, y: i32): f64 {
  if (curTable != 0) return 0.25 + load<f64>(curTable + (<usize>(x * ld + y) << 3)) / TWO_PI;
  return orthant2Cov(el(A, ld, x, x), el(A, ld, x, y), el(A, ld, y, y));
}
/** P(z_x > 0, z_y > 0, z_w > 0) of the root triple, as orthant(). */
@inline function rootOrthant3(A: usize, ld: i32, x: i32, y: i32, w: i32): f64 {
  if (curTable != 0) {
    const axy = load<f64>(curTable + (<usize>(x * ld + y) << 3));
    const axw = load<f64>(curTable + (<usize>(x * ld + w) << 3));
    const ayw = load<f64>(curTable + (<usize>(y * ld + w) << 3));
    return 0.125 + (axy + axw + ayw) / (2.0 * TWO_PI);
  }
  return orthant3Cov(el(A, ld, x, x), el(A, ld, x, y), el(A, ld, x, w), el(A, ld, y, y), el(A, ld, y, w), el(A, ld, w, w));
}

// The recursion's checks at the root (variables in its order).
@inline function ok2(A: usize, ld: i32, x: i32, y: i32): bool {
  const xx = el(A, ld, x, x), yy = el(A, ld, y, y);
  return xx > 0.0 && yy > 0.0 && !mergeable(xx, el(A, ld, x, y), yy, ROOT_MERGE_GAP);
}
@inline function ok3(A: usize, ld: i32, x: i32, y: i32, w: i32): bool {
  const xx = el(A, ld, x, x), yy = el(A, ld, y, y), ww = el(A, ld, w, w);
  return xx > 0.0 && yy > 0.0 && ww > 0.0 &&
    !mergeable(xx, el(A, ld, x, y), yy, ROOT_MERGE_GAP) && !mergeable(xx, el(A, ld, x, w), ww, ROOT_MERGE_GAP) &&
    !mergeable(yy, el(A, ld, y, w), ww, ROOT_MERGE_GAP);
}

/** Stein term of conditioning on z_j = 0, in the recursion's operation order. */
@inline function given(aaj: f64, ajj: f64, child: f64): f64 {
  return aaj * INV_SQRT_2PI / Math.sqrt(ajj) * child;
}
/** E[z theta(z)] of one variable of variance b (the recursion's leaf). */
@inline function leafRelu(b: f64): f64 {
  return b > 0.0 ? b * INV_SQRT_2PI / Math.sqrt(b) : 0.0;
}
/** P(z > 0) of one variable of variance b (the recursion's leaf). */
@inline function leafTheta(b: f64): f64 {
  return b > 0.0 ? 0.5 : 0.0;
}

/**
 * Node of two conditioned variables (n00 n01; n10 n11), theta on one and relu on the
 * other (at position r), Stein on the relu; NaN if the node is degenerate.
 */
function thetaReluNode(n00: f64, n01: f64, n10: f64, n11: f64, r: i32): f64 {
  if (!(n00 > 0.0) || !(n11 > 0.0) || mergeable(n00, n01, n11, MERGE_GAP)) return NaN;
  let result: f64 = 0;
  const a0 = r == 0 ? n00 : n10;
  if (a0 != 0.0) result += given(a0, n00, leafTheta(conditionalCovariance(n11, n10, n01, n00, n10 / n00)));
  const a1 = r == 0 ? n01 : n11;
  if (a1 != 0.0) result += given(a1, n11, leafTheta(conditionalCovariance(n00, n01, n10, n11, n01 / n11)));
  return result;
}

/** E[z_g0^p0 z_g1^p1 theta theta], p0 + p1 = 2, root checked. */
function moment2(A: usize, ld: i32, g0: i32, g1: i32, p0: i32, p1: i32): f64 {
  const ga = p0 > 0 ? g0 : g1; // Stein variable: the first with a power
  const q0 = p0 > 0 ? p0 - 1 : p0, q1 = p0 > 0 ? p1 : p1 - 1;
  let result: f64 = 0;
  const a0 = el(A, ld, ga, g0);
  if (a0 != 0.0) {
    if (q0 > 0) result += a0 * <f64>q0 * rootOrthant2(A, ld, g0, g1);
    else result += given(a0, el(A, ld, g0, g0), leafRelu(conditionalCovariance(el(A, ld, g1, g1), el(A, ld, g1, g0), el(A, ld, g0, g1), el(A, ld, g0, g0), el(A, ld, g1, g0) / el(A, ld, g0, g0))));
  }
  const a1 = el(A, ld, ga, g1);
  if (a1 != 0.0) {
    if (q1 > 0) result += a1 * <f64>q1 * rootOrthant2(A, ld, g0, g1);
    else result += given(a1, el(A, ld, g1, g1), leafRelu(conditionalCovariance(el(A, ld, g0, g0), el(A, ld, g0, g1), el(A, ld, g1, g0), el(A, ld, g1, g1), el(A, ld, g0, g1) / el(A, ld, g1, g1))));
  }
  return result;
}

@inline function pick3(k: i32, g0: i32, g1: i32, g2: i32): i32 {
  return k == 0 ? g0 : k == 1 ? g1 : g2;
}

/** E[prod z_gk^pk theta(z_gk)] of three variables, sum p = 2, root checked; NaN if a node is degenerate. */
function moment3(A: usize, ld: i32, g0: i32, g1: i32, g2: i32, p0: i32, p1: i32, p2: i32): f64 {
  const a = p0 > 0 ? 0 : p1 > 0 ? 1 : 2;
  const ga = pick3(a, g0, g1, g2);
  const q = (p0 | (p1 << 4) | (p2 << 8)) - (1 << (a << 2));
  let result: f64 = 0;
  for (let j = 0; j < 3; j++) {
    const gj = pick3(j, g0, g1, g2);
    const aaj = el(A, ld, ga, gj);
    if (aaj == 0.0) continue;
    if (pget(q, j) > 0) {
      result += aaj * <f64>pget(q, j) * rootOrthant3(A, ld, g0, g1, g2);
    } else {
      // condition on z_j = 0: the other two, in order, with the remaining power on one
      const x = j == 0 ? 1 : 0, y = j == 2 ? 1 : 2;
      const gx = pick3(x, g0, g1, g2), gy = pick3(y, g0, g1, g2);
      const jj = el(A, ld, gj, gj);
      const xj = el(A, ld, gx, gj), yj = el(A, ld, gy, gj);
      const xr = xj / jj, yr = yj / jj;
      const n00 = conditionalCovariance(el(A, ld, gx, gx), xj, el(A, ld, gj, gx), jj, xr);
      const n01 = conditionalCovariance(el(A, ld, gx, gy), xj, el(A, ld, gj, gy), jj, xr);
      const n10 = conditionalCovariance(el(A, ld, gy, gx), yj, el(A, ld, gj, gx), jj, yr);
      const n11 = conditionalCovariance(el(A, ld, gy, gy), yj, el(A, ld, gj, gy), jj, yr);
      result += given(aaj, jj, thetaReluNode(n00, n01, n10, n11, pget(q, x) > 0 ? 0 : 1));
    }
  }
  return result;
}

// conditional covariance given z_j = 0 of the 4-variable case (leading dimension 4)
const GIV: usize = memory.data(16 * 8, 8);

/**
 * E[theta theta relu | z_j = 0] of the three gathered variables other than j (the relu is
 * the last, position 3); NaN if a node is degenerate.
 */
function thetaThetaReluGiven(A: usize, j: i32): f64 {
  conditionOn(A, 4, 4, j, GIV, 4);
  for (let x = 0; x < 3; x++) {
    if (!(at(GIV, x, x) > 0.0)) return NaN;
  }
  if (mergeable(at(GIV, 0, 0), at(GIV, 0, 1), at(GIV, 1, 1), MERGE_GAP) || mergeable(at(GIV, 0, 0), at(GIV, 0, 2), at(GIV, 2, 2), MERGE_GAP) ||
    mergeable(at(GIV, 1, 1), at(GIV, 1, 2), at(GIV, 2, 2), MERGE_GAP)) return NaN;
  // Stein on the relu (position 2): condition on each k, P2 of the other two
  let result: f64 = 0;
  for (let k = 0; k < 3; k++) {
    const b2k = at(GIV, 2, k);
    if (b2k == 0.0) continue;
    const x = k == 0 ? 1 : 0, y = k == 2 ? 1 : 2;
    const bkk = at(GIV, k, k);
    const xk = at(GIV, x, k), yk = at(GIV, y, k);
    const xr = xk / bkk, yr = yk / bkk;
    const cxx = conditionalCovariance(at(GIV, x, x), xk, at(GIV, k, x), bkk, xr);
    const cxy = conditionalCovariance(at(GIV, x, y), xk, at(GIV, k, y), bkk, xr);
    const cyy = conditionalCovariance(at(GIV, y, y), yk, at(GIV, k, y), bkk, yr);
    if (!(cxx > 0.0) || !(cyy > 0.0) || mergeable(cxx, cxy, cyy, MERGE_GAP)) return NaN;
    result += given(b2k, bkk, orthant2Cov(cxx, cxy, cyy));
  }
  return result;
}

/** E[theta(z_0) theta(z_1) relu(z_2) relu(z_3)] (docs/theory.md section 2.2) of the gathered 4x4 matrix, root checked. */
function thetaThetaReluRelu4(A: usize): f64 {
  let result: f64 = 0;
  for (let j = 0; j < 3; j++) {
    const a2j = at(A, 2, j);
    if (a2j != 0.0) result += given(a2j, at(A, j, j), thetaThetaReluGiven(A, j));
  }
  const a23 = at(A, 2, 3);
  // P4 (adaptive quadrature) only when it counts: A_23 = 0 for distinct teachers of a diagonal T
  if (a23 != 0.0 && result == result) result += a23 * 1.0 * orthant4(A, 4);
  return result;
}

/** truncatedMoment of the gathered n x n matrix for sum p = 2; NaN where the recursion is needed. */
function closedForm(A: usize, n: i32, p: i32): f64 {
  for (let v = 0; v < n; v++) {
    if (!(at(A, v, v) > 0.0)) return NaN;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (mergeable(at(A, i, i), at(A, i, j), at(A, j, j), ROOT_MERGE_GAP)) return NaN;
    }
  }
  const p0 = pget(p, 0), p1 = pget(p, 1), p2 = pget(p, 2), p3 = pget(p, 3);
  if (p0 + p1 + p2 + p3 != 2 || p != (p0 | (p1 << 4) | (p2 << 8) | (p3 << 12))) return NaN;
  if (n == 1) return at(A, 0, 0) * 1.0 * 0.5;
  if (n == 2) return moment2(A, 4, 0, 1, p0, p1);
  if (n == 3) return moment3(A, 4, 0, 1, 2, p0, p1, p2);
  if (n == 4 && p == 0x1100) return thetaThetaReluRelu4(A);
  return NaN;
}

/**
 * I4 = E[theta(z_a) theta(z_b) relu(z_c) relu(z_e)] of at most three distinct variables by
 * the closed forms on C itself; NaN for four distinct variables or degenerate nodes. The
 * variables are passed in the recursion's order (a, b, c, e; a repeat joins the first).
 */
function reluI4Direct(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  if (a == b) {
    // theta(z_a) relu(z_c) relu(z_e)
    if (c == e) {
      if (c == a) {
        const aa = el(C, ld, a, a);
        return aa > 0.0 ? aa * 1.0 * 0.5 : 0.0; // z_a^2 theta(z_a)
      }
      return ok2(C, ld, a, c) ? moment2(C, ld, a, c, 0, 2) : NaN;
    }
    if (c == a) return ok2(C, ld, a, e) ? moment2(C, ld, a, e, 1, 1) : NaN;
    if (e == a) return ok2(C, ld, a, c) ? moment2(C, ld, a, c, 1, 1) : NaN;
    return ok3(C, ld, a, c, e) ? moment3(C, ld, a, c, e, 0, 1, 1) : NaN;
  }
  if (c == e) {
    if (c == a) return ok2(C, ld, a, b) ? moment2(C, ld, a, b, 2, 0) : NaN;
    if (c == b) return ok2(C, ld, a, b) ? moment2(C, ld, a, b, 0, 2) : NaN;
    return ok3(C, ld, a, b, c) ? moment3(C, ld, a, b, c, 0, 0, 2) : NaN;
  }
  const ca = c == a || e == a, cb = c == b || e == b;
  if (ca && cb) return ok2(C, ld, a, b) ? moment2(C, ld, a, b, 1, 1) : NaN;
  if (!ca && !cb) return NaN; // four distinct variables
  // one relu on a theta variable: (a, b, w) with powers on that one and on w
  const w = c == a || c == b ? e : c;
  return ok3(C, ld, a, b, w) ? moment3(C, ld, a, b, w, ca ? 1 : 0, ca ? 0 : 1, 1) : NaN;
}

// ------------------------------------------------------------------------------------
// Averages over variables of a global covariance C (leading dimension ld).

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}

// The distinct variables of a product and their powers.
const IDX: usize = memory.data(4 * 4, 4);
let nvars: i32 = 0;
let powers: i32 = 0;

@inline function addFactor(v: i32, power: i32): void {
  for (let k = 0; k < nvars; k++) {
    if (load<i32>(IDX + (<usize>k << 2)) == v) {
      powers += power * pstep(k);
      return;
    }
  }
  store<i32>(IDX + (<usize>nvars << 2), v);
  powers += power * pstep(nvars);
  nvars++;
}

function evalProduct(C: usize, ld: i32): f64 {
  const A = scratchMatrix(0);
  for (let i = 0; i < nvars; i++) {
    const gi = load<i32>(IDX + (<usize>i << 2));
    for (let j = 0; j < nvars; j++) {
      put(A, i, j, cget(C, ld, gi, load<i32>(IDX + (<usize>j << 2))));
    }
  }
  if (closedForms) {
    curTable = 0;
    const v = closedForm(A, nvars, powers);
    if (v == v) return v;
    recursions++;
  }
  return truncatedMoment(A, nvars, powers, 0);
}

/** Whether C is the covariance of the current asin table (sets curTable). */
@inline function useTable(C: usize, ld: i32): bool {
  if (closedForms && C == tableC && ld == tableLd) {
    curTable = tablePtr;
    return true;
  }
  return false;
}

/**
 * E[relu(z_a) relu(z_b)] = A_ab / 2 + (sqrt(det) - A_ab theta) / (2 pi), theta = acos(r)
 * (docs/theory.md section 2.1 with asin r = pi/2 - theta). One theta for both terms: with separate sqrt(det)
 * and asin(r), as r -> 1 their rounding errors no longer cancel and eps_g, a sum of I2 that
 * cancels to ~0 near a perfect student, got absolute errors ~1e-9 (seen as eps_g < 0).
 */
export function reluI2(C: usize, ld: i32, a: i32, b: i32): f64 {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), ab = cget(C, ld, a, b);
  if (a == b) return 0.5 * aa;
  if (!(aa > 0.0) || !(bb > 0.0)) return 0.0;
  const det = det2(aa, bb, ab, ab);
  const root = Math.sqrt(det > 0 ? det : 0);
  return 0.5 * ab + (root - ab * Math.atan2(root, ab)) / TWO_PI;
}

/** E[theta(z_a) z_b relu(z_c)]. */
export function reluI3(C: usize, ld: i32, a: i32, b: i32, c: i32): f64 {
  const aa = cget(C, ld, a, a);
  if (!(aa > 0.0)) return 0.0;
  if (b == a || b == c) {
    if (useTable(C, ld)) {
      // the recursion's order: a, c, b (b joins a or c)
      let v: f64;
      if (b == a) {
        // theta(z_a) z_a relu(z_c) = relu(z_a) relu(z_c)
        if (c == a) return aa * 1.0 * 0.5;
        v = ok2(C, ld, a, c) ? moment2(C, ld, a, c, 1, 1) : NaN;
      } else {
        v = ok2(C, ld, a, c) ? moment2(C, ld, a, c, 0, 2) : NaN;
      }
      if (v == v) return v;
    }
    nvars = 0;
    powers = 0;
    addFactor(a, 0);
    addFactor(c, 1);
    addFactor(b, 1);
    return evalProduct(C, ld);
  }
  const ba = cget(C, ld, b, a);
  if (a == c) return 0.5 * ba; // E[z_b relu(z_a)] = A_ba E[theta(z_a)]
  // Stein on z_b: A_ba E[delta(z_a) relu(z_c)] + A_bc E[theta(z_a) theta(z_c)]
  const cc = cget(C, ld, c, c), ac = cget(C, ld, a, c), bc = cget(C, ld, b, c);
  if (!(cc > 0.0)) return 0.0;
  const v = conditionalCovariance(cc, ac, ac, aa, ac / aa);
  const p2 = useTable(C, ld) ? rootOrthant2(C, ld, a, c) : orthant2Cov(aa, ac, cc);
  return (ba * Math.sqrt(v > 0 ? v : 0)) / (TWO_PI * Math.sqrt(aa)) + bc * p2;
}

/** E[theta(z_a) theta(z_b) relu(z_c) relu(z_e)], exact. */
export function reluI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  if (useTable(C, ld)) {
    const v = reluI4Direct(C, ld, a, b, c, e);
    if (v == v) return v;
  }
  nvars = 0;
  powers = 0;
  addFactor(a, 0);
  addFactor(b, 0);
  addFactor(c, 1);
  addFactor(e, 1);
  return evalProduct(C, ld);
}
