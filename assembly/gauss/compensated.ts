// Cancellation-free 2x2 determinants for nearly collinear Gaussian variables.
//
// Near a perfect student, student and teacher fields are correlated to within 1e-9 .. 1e-16
// of 1. The Stein reduction then conditions on one of them, and the conditional variance of
// the other, A_nn - A_ni^2 / A_ii, is a difference of two O(1) numbers: in plain floating
// point it keeps only ~1e-16 / (1 - r^2) of its relative accuracy, and conditioning again on
// that residual squares the loss (absolute errors ~1e-7 in the right-hand side of the ODE
// were measured at 1 - r ~ 1e-10). Computing every 2x2 determinant a d - b c with exact
// products (Dekker's splitting: WebAssembly has no fused multiply-add) makes each conditional
// covariance and each angle as accurate as the double inputs allow.

const SPLITTER: f64 = 134217729.0; // 2^27 + 1

/** The rounding error of p = a * b, exactly: a * b = p + productError(a, b, p). */
@inline export function productError(a: f64, b: f64, p: f64): f64 {
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** a d - b c, accurate to a few ulp of the result even when the products nearly cancel. */
@inline export function det2(a: f64, d: f64, b: f64, c: f64): f64 {
  const p = a * d, q = b * c;
  const plain = p - q;
  // no cancellation (|p - q| >= max(|p|, |q|) / 2): the plain difference is within ~3 ulp.
  // The switch must stay that tight: with a looser one (1/1024) the jump between the two
  // branches (up to ~2e-13 relative) showed up in finite-difference Jacobians (1e-9 at
  // h = 2e-6, test/fixedpoints.test.ts). Costs ~1 us per relu right-hand side, K = M = 2.
  if (Math.abs(plain) >= 0.5 * Math.max(Math.abs(p), Math.abs(q))) return plain;
  return plain + (productError(a, d, p) - productError(b, c, q));
}

/**
 * Conditional covariance of z_k, z_l given z_j = 0: A_kl - A_kj A_jl / A_jj, where
 * ratio = A_kj / A_jj (computed once per row by the caller, as the plain recursion did).
 */
@inline export function conditionalCovariance(akl: f64, akj: f64, ajl: f64, ajj: f64, ratio: f64): f64 {
  // without cancellation (the result keeps at least half of A_kl) the plain form is within a
  // few ulp; only nearly collinear pairs take the exact products
  const plain = akl - ratio * ajl;
  if (Math.abs(plain) >= 0.5 * Math.abs(akl)) return plain;
  return det2(akl, ajj, akj, ajl) / ajj;
}

/** asin of the correlation of a pair with variances aa, bb and covariance ab, as
 * atan2(ab, sqrt(aa bb - ab^2)): accurate as |r| -> 1, where asin(r) of a rounded r is not. */
@inline export function asinOfCovariance(aa: f64, ab: f64, bb: f64): f64 {
  const det = det2(aa, bb, ab, ab);
  const ab2 = aa * bb;
  // |r| <= 0.9995: asin of the rounded correlation is as accurate and cheaper
  if (det >= 0.0009765625 * ab2) return Math.asin(ab / Math.sqrt(ab2));
  return Math.atan2(ab, Math.sqrt(det > 0.0 ? det : 0.0));
}

/** 1 - r^2 of the pair, from the accurate determinant (NaN stays NaN). */
@inline export function oneMinusR2(aa: f64, ab: f64, bb: f64): f64 {
  return det2(aa, bb, ab, ab) / (aa * bb);
}
