// Orthant probabilities P(z_1 > 0, ..., z_n > 0) for n <= 4 (docs/theory.md sections 2.1, 2.2).
import { TWO_PI, FOUR_PI_SQ, asinClamped } from "./constants";
import { asinOfCovariance, oneMinusR2, productError } from "./compensated";

/** Kronrod-Gauss difference accepted per unit width of s in each pair integral of P4 (the
 * sum is divided by 4 pi^2; the Kronrod result is far more accurate than this estimate:
 * P4 agrees with independent quadrature to ~1e-15, see test/averages.test.ts). */
let p4Tolerance: f64 = 1e-11;
export function setOrthantTolerance(tol: f64): void {
  p4Tolerance = tol;
}
let p4Panels: i32 = 0;
/** Gauss-Kronrod panels used by the last orthant4 call (diagnostics, benchmarks). */
export function orthantPanels(): i32 {
  return p4Panels;
}
/**
 * Panels of every orthant4 call since the instance started (never reset): the part of a ReLU
 * right-hand side whose cost depends on the state (1 to ~50 panels per call), counted so that
 * the host can charge work budgets by the work actually done; a panel of the nearly singular
 * path counts as ACCURATE_PANEL_COST plain ones.
 */
export let orthantPanelsTotal: f64 = 0;

@inline function corr(A: usize, ld: i32, i: i32, j: i32): f64 {
  const aij = load<f64>(A + (<usize>(i * ld + j) << 3));
  const aii = load<f64>(A + (<usize>(i * ld + i) << 3));
  const ajj = load<f64>(A + (<usize>(j * ld + j) << 3));
  return aij / Math.sqrt(aii * ajj);
}

export function orthant2(r: f64): f64 {
  return 0.25 + asinClamped(r) / TWO_PI;
}

export function orthant3(r12: f64, r13: f64, r23: f64): f64 {
  return 0.125 + (asinClamped(r12) + asinClamped(r13) + asinClamped(r23)) / (2.0 * TWO_PI);
}

/** P(z_1 > 0, z_2 > 0) from the covariance entries (accurate as |r| -> 1). */
export function orthant2Cov(a11: f64, a12: f64, a22: f64): f64 {
  return 0.25 + asinOfCovariance(a11, a12, a22) / TWO_PI;
}

/** P(z_1 > 0, z_2 > 0, z_3 > 0) from the covariance entries (accurate as |r| -> 1). */
export function orthant3Cov(a11: f64, a12: f64, a13: f64, a22: f64, a23: f64, a33: f64): f64 {
  return 0.125 + (asinOfCovariance(a11, a12, a22) + asinOfCovariance(a11, a13, a33) + asinOfCovariance(a22, a23, a33)) / (2.0 * TWO_PI);
}

// Scratch for the six correlations of P4.
const RC: usize = memory.data(6 * 8, 8);

/**
 * P4 by Plackett's identity along R(t) = I + t (R - I), with the substitution
 * theta = asin(t r_ij) per pair, which absorbs the 1/sqrt(1 - t^2 r_ij^2) endpoint
 * singularity and splits off the elementary part sum asin(r_ij) / (8 pi):
 *   P4 = 1/16 + sum_ij asin(r_ij)/(8 pi)
 *        + 1/(4 pi^2) sum_ij int_0^{asin r_ij} asin(rho_kl|ij(sin(theta)/r_ij)) dtheta.
 */
export function orthant4(A: usize, ld: i32): f64 {
  // pair order: 01 02 03 12 13 23
  store<f64>(RC, corr(A, ld, 0, 1));
  store<f64>(RC + 8, corr(A, ld, 0, 2));
  store<f64>(RC + 16, corr(A, ld, 0, 3));
  store<f64>(RC + 24, corr(A, ld, 1, 2));
  store<f64>(RC + 32, corr(A, ld, 1, 3));
  store<f64>(RC + 40, corr(A, ld, 2, 3));
  p4Panels = 0;
  accurate = nearlySingular(A, ld);
  let elementary: f64 = 0;
  let integral: f64 = 0;
  for (let p = 0; p < 6; p++) {
    // (i, j) is pair p; (k, l) its complement
    let i = 0, j = 1, k = 2, l = 3;
    if (p == 1) { i = 0; j = 2; k = 1; l = 3; }
    else if (p == 2) { i = 0; j = 3; k = 1; l = 2; }
    else if (p == 3) { i = 1; j = 2; k = 0; l = 3; }
    else if (p == 4) { i = 1; j = 3; k = 0; l = 2; }
    else if (p == 5) { i = 2; j = 3; k = 0; l = 1; }
    const rij = load<f64>(RC + (<usize>p << 3));
    if (rij == 0.0) continue;
    // asin r_ij of a nearly collinear pair from the exact determinant (asin of the rounded r
    // is off by ~1e-16 / sqrt(1 - r^2))
    elementary += accurate
      ? asinOfCovariance(load<f64>(A + (<usize>(i * ld + i) << 3)), load<f64>(A + (<usize>(i * ld + j) << 3)), load<f64>(A + (<usize>(j * ld + j) << 3)))
      : asinClamped(rij);
    pRij = rij; pGap = 1.0 - Math.abs(rij); pRki = rcorr(k, i); pRkj = rcorr(k, j); pRli = rcorr(l, i); pRlj = rcorr(l, j); pRkl = rcorr(k, l);
    if (accurate) {
      // 1 - |r_ij| from the exact determinant, as the partial correlations below
      pGap = oneMinusR2(load<f64>(A + (<usize>(i * ld + i) << 3)), load<f64>(A + (<usize>(i * ld + j) << 3)), load<f64>(A + (<usize>(j * ld + j) << 3))) / (1.0 + Math.abs(rij));
      pI = i; pJ = j; pK = k; pL = l;
    }
    integral += adaptiveKronrod();
  }
  return 0.0625 + elementary / (4.0 * TWO_PI) + integral / FOUR_PI_SQ;
}

/** Index of pair (min, max) in the order 01 02 03 12 13 23. */
@inline function pairIndex(a: i32, b: i32): i32 {
  const x = a < b ? a : b;
  const y = a < b ? b : a;
  if (x == 0) return y - 1;
  if (x == 1) return y + 1;
  return 5;
}

@inline function rcorr(a: i32, b: i32): f64 {
  return load<f64>(RC + (<usize>pairIndex(a, b) << 3));
}

// The pair integrand in s, t = 1 - s^2 (t: position on Plackett's path R(t) = I + t (R - I)):
//   d theta = r_ij dt / sqrt(1 - t^2 r_ij^2) = 2 s r_ij ds / sqrt(1 - t^2 r_ij^2),
// times asin of the partial correlation of (k, l) given (i, j) on the path. The square-root
// singularities at t = 1 (nearly singular R, or |r_ij| -> 1) become smooth in s, and
// 1 - t |r_ij| = s^2 + t (1 - |r_ij|) is formed without cancellation. No trigonometry.
let pRij: f64 = 0, pGap: f64 = 0, pRki: f64 = 0, pRkj: f64 = 0, pRli: f64 = 0, pRlj: f64 = 0, pRkl: f64 = 0;

function pairIntegrand(s: f64): f64 {
  if (accurate) return pairIntegrandAccurate(s);
  const s2 = s * s;
  const t = 1.0 - s2;
  const a = t * pRij;
  const oneMinusA2 = (s2 + t * pGap) * (1.0 + t * Math.abs(pRij));
  const uk1 = t * pRki, uk2 = t * pRkj, ul1 = t * pRli, ul2 = t * pRlj;
  // conditional 2x2 covariance of (k, l) given (i, j), times (1 - a^2)
  const skl = oneMinusA2 * t * pRkl - (uk1 * ul1 - a * (uk1 * ul2 + uk2 * ul1) + uk2 * ul2);
  const skk = oneMinusA2 - (uk1 * uk1 - 2.0 * a * uk1 * uk2 + uk2 * uk2);
  const sll = oneMinusA2 - (ul1 * ul1 - 2.0 * a * ul1 * ul2 + ul2 * ul2);
  const den = Math.sqrt(skk * sll);
  const w = 2.0 * s * pRij / Math.sqrt(oneMinusA2);
  return w * asinClamped(den > 0 ? skl / den : 0);
}

// ---- nearly singular correlation matrices
//
// The partial correlation above is formed from the correlations: its conditional covariances
// are differences of O(1) numbers that are O(gap) (a field nearly in the span of the two
// conditioned on) or O(gap^2) (four nearly collinear fields), so they keep only ~1e-16 / gap
// (or / gap^2) of their relative accuracy, and asin amplifies the error of a partial
// correlation near +-1 to its square root. Then the integrand is noise, the adaptive rule
// bisects to its panel budget and P4 comes out wrong: 9e-9 for two students each within
// 1 - r = 1e-8 of its teacher, 4e-7 for four fields within 1e-8 of each other
// (test/averages.test.ts, against 60-digit quadrature).
//
// On such matrices the path is followed with vectors: the fields are z_a = v_a . u with unit
// v_a from a Cholesky factor computed in double-double (its pivots, O(gap) differences of O(1)
// numbers, then keep their relative accuracy), and on the path z_a(t) = sqrt(t) v_a . u +
// s e_a . u', i.e. the vector w_a(t) = (sqrt(t) v_a, s e_a) in eight dimensions. The
// conditional covariances of (k, l) given (i, j) are the inner products of the residuals of
// w_k, w_l after projection on span(w_i, w_j), formed as vectors (Gram-Schmidt, twice): a
// residual of size sqrt(gap) keeps ~1e-16 / sqrt(gap) of its relative accuracy instead of
// 1e-16 / gap. asin of the partial correlation is pi/2 minus the angle between the residuals,
// taken as 2 atan2(|a - b|, |a + b|) of the unit residuals (no square root of 1 - rho^2), and
// asin r_ij of the elementary part and 1 - |r_ij| of the weight come from exact 2x2
// determinants. Every quantity of the integrand follows from one set of vectors, fixed for the
// whole call, so the integrand is smooth in s and the rule converges: against 60-digit
// quadrature P4 is within 1e-16 at gaps down to 1e-12 (~100-300 panels). A mixed
// construction (eigenvalues and projections of the (i, j) block from the exact gaps, residuals
// from the vectors) was tried and was off by up to 4e-13 on states of the ODE near perfect
// learning: the two parts are rounded differently.

/**
 * Cost of a panel on that path in plain panels, for the work counter orthantPanelsTotal (its
 * integrand does Gram-Schmidt in eight dimensions: measured 1.7-1.8 us per panel against 0.32-0.35
 * us, test build, four nearly collinear fields and two student-teacher pairs).
 */
const ACCURATE_PANEL_COST: f64 = 5.5;
/** The path above is taken when a principal minor of the correlation matrix is below this. */
const SINGULAR_MINOR: f64 = 1e-2;
let accurate: bool = false;
// unit vectors v_a (rows, 4 x 4)
const VV: usize = memory.data(16 * 8, 8);
/**
 * Whether some principal minor of the correlation matrix (1 - r^2 of a pair, the 3x3 and the
 * 4x4 determinants) is below SINGULAR_MINOR; if so, also fills VV with the unit vectors.
 */
function nearlySingular(A: usize, ld: i32): bool {
  const r01 = rcorr(0, 1), r02 = rcorr(0, 2), r03 = rcorr(0, 3), r12 = rcorr(1, 2), r13 = rcorr(1, 3), r23 = rcorr(2, 3);
  let small = false;
  if (1.0 - r01 * r01 < SINGULAR_MINOR || 1.0 - r02 * r02 < SINGULAR_MINOR || 1.0 - r03 * r03 < SINGULAR_MINOR ||
    1.0 - r12 * r12 < SINGULAR_MINOR || 1.0 - r13 * r13 < SINGULAR_MINOR || 1.0 - r23 * r23 < SINGULAR_MINOR) small = true;
  else if (det3(r01, r02, r12) < SINGULAR_MINOR || det3(r01, r03, r13) < SINGULAR_MINOR || det3(r02, r03, r23) < SINGULAR_MINOR ||
    det3(r12, r13, r23) < SINGULAR_MINOR) small = true;
  else {
    const d4 = 1.0 - r01 * r01 - r02 * r02 - r03 * r03 - r12 * r12 - r13 * r13 - r23 * r23 +
      r01 * r01 * r23 * r23 + r02 * r02 * r13 * r13 + r03 * r03 * r12 * r12 +
      2.0 * (r01 * r02 * r12 + r01 * r03 * r13 + r02 * r03 * r23 + r12 * r13 * r23) -
      2.0 * (r01 * r02 * r13 * r23 + r01 * r03 * r12 * r23 + r02 * r03 * r12 * r13);
    if (d4 < SINGULAR_MINOR) small = true;
  }
  if (!small) return false;
  // Cholesky factor of A in double-double (once per call), then each row scaled to unit
  // length. In plain arithmetic a pivot such as A_11 - L_10^2 = O(gap) keeps only ~1e-16 / gap
  // of its relative accuracy; with the pivots exact to ~1e-32 the rounded factor is within a
  // few ulp entry by entry.
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      if (b > a) {
        store<f64>(LH + (<usize>(a * 4 + b) << 3), 0.0);
        store<f64>(LL + (<usize>(a * 4 + b) << 3), 0.0);
        continue;
      }
      let xh = load<f64>(A + (<usize>(a * ld + b) << 3)), xl: f64 = 0;
      for (let m = 0; m < b; m++) {
        ddMul(lh(a, m), ll(a, m), lh(b, m), ll(b, m));
        ddAdd(xh, xl, -ddH, -ddL);
        xh = ddH; xl = ddL;
      }
      if (b == a) {
        if (xh > 0.0) { ddSqrt(xh, xl); xh = ddH; xl = ddL; } else { xh = 0.0; xl = 0.0; }
      } else if (lh(b, b) > 0.0) {
        ddDiv(xh, xl, lh(b, b), ll(b, b));
        xh = ddH; xl = ddL;
      } else { xh = 0.0; xl = 0.0; }
      store<f64>(LH + (<usize>(a * 4 + b) << 3), xh);
      store<f64>(LL + (<usize>(a * 4 + b) << 3), xl);
    }
  }
  for (let a = 0; a < 16; a++) store<f64>(VV + (<usize>a << 3), load<f64>(LH + (<usize>a << 3)) + load<f64>(LL + (<usize>a << 3)));
  for (let a = 0; a < 4; a++) {
    let n2: f64 = 0;
    for (let m = 0; m < 4; m++) n2 += vv(a, m) * vv(a, m);
    const inv = n2 > 0.0 ? 1.0 / Math.sqrt(n2) : 0.0;
    for (let m = 0; m < 4; m++) store<f64>(VV + (<usize>(a * 4 + m) << 3), vv(a, m) * inv);
  }
  return true;
}

// ---- double-double arithmetic (Dekker, Knuth) for the factorisation above: results in ddH, ddL
const LH: usize = memory.data(16 * 8, 8);
const LL: usize = memory.data(16 * 8, 8);
let ddH: f64 = 0, ddL: f64 = 0;
@inline function lh(a: i32, b: i32): f64 {
  return load<f64>(LH + (<usize>(a * 4 + b) << 3));
}
@inline function ll(a: i32, b: i32): f64 {
  return load<f64>(LL + (<usize>(a * 4 + b) << 3));
}
@inline function quickTwoSum(a: f64, b: f64): void {
  const s = a + b;
  ddH = s;
  ddL = b - (s - a);
}
function ddAdd(ah: f64, al: f64, bh: f64, bl: f64): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = (ah - (s - bb)) + (bh - bb) + al + bl;
  quickTwoSum(s, e);
}
function ddMul(ah: f64, al: f64, bh: f64, bl: f64): void {
  const p = ah * bh;
  quickTwoSum(p, productError(ah, bh, p) + (ah * bl + al * bh));
}
function ddDiv(ah: f64, al: f64, bh: f64, bl: f64): void {
  const q1 = ah / bh;
  // remainder a - q1 b
  ddMul(bh, bl, q1, 0.0);
  ddAdd(ah, al, -ddH, -ddL);
  quickTwoSum(q1, ddH / bh);
}
function ddSqrt(ah: f64, al: f64): void {
  const q = Math.sqrt(ah);
  const p = q * q;
  ddAdd(ah, al, -p, -productError(q, q, p));
  quickTwoSum(q, ddH / (2.0 * q));
}

@inline function det3(x: f64, y: f64, z: f64): f64 {
  return 1.0 + 2.0 * x * y * z - x * x - y * y - z * z;
}
@inline function vv(a: i32, m: i32): f64 {
  return load<f64>(VV + (<usize>(a * 4 + m) << 3));
}
let pI: i32 = 0, pJ: i32 = 1, pK: i32 = 2, pL: i32 = 3;

/**
 * The pair integrand on nearly singular matrices (see above), written out: an eight-vector is
 * its four components along v-space and its coefficients on the noise directions e_i, e_j,
 * e_k, e_l, most of which are zero by construction.
 */
function pairIntegrandAccurate(s: f64): f64 {
  const s2 = s * s;
  const t = 1.0 - s2;
  const rt = Math.sqrt(t);
  // q1 = w_i / |w_i|, w_i = (rt v_i; s, 0, 0, 0)
  let a0 = rt * vv(pI, 0), a1 = rt * vv(pI, 1), a2 = rt * vv(pI, 2), a3 = rt * vv(pI, 3), an = s;
  let n = Math.sqrt(a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + an * an);
  a0 /= n; a1 /= n; a2 /= n; a3 /= n; an /= n;
  // q2 from w_j = (rt v_j; 0, s, 0, 0), Gram-Schmidt twice; noise coefficients (bn0, bn1)
  let b0 = rt * vv(pJ, 0), b1 = rt * vv(pJ, 1), b2 = rt * vv(pJ, 2), b3 = rt * vv(pJ, 3), bn0: f64 = 0, bn1 = s;
  for (let pass = 0; pass < 2; pass++) {
    const c = b0 * a0 + b1 * a1 + b2 * a2 + b3 * a3 + bn0 * an;
    b0 -= c * a0; b1 -= c * a1; b2 -= c * a2; b3 -= c * a3; bn0 -= c * an;
  }
  n = Math.sqrt(b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3 + bn0 * bn0 + bn1 * bn1);
  if (!(n > 0.0)) return 0.0;
  b0 /= n; b1 /= n; b2 /= n; b3 /= n; bn0 /= n; bn1 /= n;
  // residuals of w_k = (rt v_k; 0, 0, s, 0) and w_l = (rt v_l; 0, 0, 0, s), twice; their own
  // noise coefficient (s) is untouched: q1, q2 have none there
  let k0 = rt * vv(pK, 0), k1 = rt * vv(pK, 1), k2 = rt * vv(pK, 2), k3 = rt * vv(pK, 3), kn0: f64 = 0, kn1: f64 = 0;
  let l0 = rt * vv(pL, 0), l1 = rt * vv(pL, 1), l2 = rt * vv(pL, 2), l3 = rt * vv(pL, 3), ln0: f64 = 0, ln1: f64 = 0;
  for (let pass = 0; pass < 2; pass++) {
    let c = k0 * a0 + k1 * a1 + k2 * a2 + k3 * a3 + kn0 * an;
    k0 -= c * a0; k1 -= c * a1; k2 -= c * a2; k3 -= c * a3; kn0 -= c * an;
    c = k0 * b0 + k1 * b1 + k2 * b2 + k3 * b3 + kn0 * bn0 + kn1 * bn1;
    k0 -= c * b0; k1 -= c * b1; k2 -= c * b2; k3 -= c * b3; kn0 -= c * bn0; kn1 -= c * bn1;
    c = l0 * a0 + l1 * a1 + l2 * a2 + l3 * a3 + ln0 * an;
    l0 -= c * a0; l1 -= c * a1; l2 -= c * a2; l3 -= c * a3; ln0 -= c * an;
    c = l0 * b0 + l1 * b1 + l2 * b2 + l3 * b3 + ln0 * bn0 + ln1 * bn1;
    l0 -= c * b0; l1 -= c * b1; l2 -= c * b2; l3 -= c * b3; ln0 -= c * bn0; ln1 -= c * bn1;
  }
  const nk = Math.sqrt(k0 * k0 + k1 * k1 + k2 * k2 + k3 * k3 + kn0 * kn0 + kn1 * kn1 + s2);
  const nl = Math.sqrt(l0 * l0 + l1 * l1 + l2 * l2 + l3 * l3 + ln0 * ln0 + ln1 * ln1 + s2);
  if (!(nk > 0.0) || !(nl > 0.0)) return 0.0;
  const ik = 1.0 / nk, il = 1.0 / nl;
  // |a - b|^2 and |a + b|^2 of the unit residuals (the k and l noise coefficients s are apart)
  let dd = s2 * (ik * ik + il * il), pp = dd;
  let x = k0 * ik, y = l0 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  x = k1 * ik; y = l1 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  x = k2 * ik; y = l2 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  x = k3 * ik; y = l3 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  x = kn0 * ik; y = ln0 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  x = kn1 * ik; y = ln1 * il;
  dd += (x - y) * (x - y); pp += (x + y) * (x + y);
  const angle = 2.0 * Math.atan2(Math.sqrt(dd), Math.sqrt(pp));
  const oneMinusA2 = (s2 + t * pGap) * (1.0 + t * Math.abs(pRij));
  const w = 2.0 * s * pRij / Math.sqrt(oneMinusA2);
  return w * (0.5 * Math.PI - angle);
}

// Gauss-Kronrod 7/15 (QUADPACK qk15): Kronrod abscissae on [-1, 1], descending, and weights.
const XGK: StaticArray<f64> = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0];
const WGK: StaticArray<f64> = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714];
const WG: StaticArray<f64> = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

let gkError: f64 = 0;

function kronrod15(a: f64, b: f64): f64 {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  const fc = pairIntegrand(c);
  let resk = fc * unchecked(WGK[7]);
  let resg = fc * unchecked(WG[3]);
  for (let j = 0; j < 7; j++) {
    const x = h * unchecked(XGK[j]);
    const f = pairIntegrand(c - x) + pairIntegrand(c + x);
    resk += unchecked(WGK[j]) * f;
    if (j & 1) resg += unchecked(WG[j >> 1]) * f;
  }
  gkError = Math.abs((resk - resg) * h);
  return resk * h;
}

// Interval stack of the adaptive rule (depth-first bisection; no allocation).
const STACK_MAX: i32 = 64;
const STACK: usize = memory.data(STACK_MAX * 2 * 8, 8);
const PANEL_BUDGET: i32 = 300;
// Panels narrower than this (in s) are accepted as they are: below it the estimate is
// dominated by rounding of the conditional correlation of nearly singular matrices.
const MIN_WIDTH: f64 = 1e-6;
// The vectors' partial correlations keep their accuracy down to far narrower panels.
const MIN_WIDTH_ACCURATE: f64 = 1e-9;

/**
 * int_0^1 pairIntegrand(s) ds by adaptive Gauss-Kronrod 7/15: a panel is
 * accepted when its Kronrod-Gauss difference is below tol * width (s in [0, 1]).
 */
function adaptiveKronrod(): f64 {
  store<f64>(STACK, 0.0);
  store<f64>(STACK + 8, 1.0);
  let sp = 1;
  let sum: f64 = 0;
  const budget = p4Panels + PANEL_BUDGET;
  const minWidth = accurate ? MIN_WIDTH_ACCURATE : MIN_WIDTH;
  while (sp > 0) {
    sp--;
    const a = load<f64>(STACK + (<usize>sp << 4));
    const b = load<f64>(STACK + (<usize>sp << 4) + 8);
    const v = kronrod15(a, b);
    p4Panels++;
    orthantPanelsTotal += accurate ? ACCURATE_PANEL_COST : 1.0;
    const width = b - a;
    // NaN-safe acceptance; the panel budget bounds the work on pathological input
    if (!(gkError > p4Tolerance * width) || width < minWidth || sp >= STACK_MAX - 2 || p4Panels >= budget) {
      sum += v;
    } else {
      const m = 0.5 * (a + b);
      store<f64>(STACK + (<usize>sp << 4), a);
      store<f64>(STACK + (<usize>sp << 4) + 8, m);
      sp++;
      store<f64>(STACK + (<usize>sp << 4), m);
      store<f64>(STACK + (<usize>sp << 4) + 8, b);
      sp++;
    }
  }
  return sum;
}
