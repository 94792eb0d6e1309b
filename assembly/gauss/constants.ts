// Shared constants of the Gaussian-average kernels.

export const TWO_PI: f64 = 2.0 * Math.PI;
export const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/sqrt(2 pi)
export const FOUR_PI_SQ: f64 = 4.0 * Math.PI * Math.PI;

// Two variables whose correlation is within MERGE_TOL of +-1 are treated as one
// (THEORY 2.5). Below this gap the conditional covariances of the Stein reduction
// lose more digits to cancellation (~1e-16 / gap) than merging costs.
export const MERGE_TOL: f64 = 1e-12;

// A variance below ZERO_VAR times the largest variance of the set is zero:
// relu(0) = 0 and theta(0) = 0, so the whole product vanishes.
export const ZERO_VAR: f64 = 1e-300;

/** asin clamped to [-1, 1]: rounding can push a correlation a few ulp past 1. */
@inline
export function asinClamped(x: f64): f64 {
  if (x >= 1.0) return Math.PI / 2;
  if (x <= -1.0) return -Math.PI / 2;
  return Math.asin(x);
}
