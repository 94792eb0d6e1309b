// Shared constants of the Gaussian-average kernels.

export const TWO_PI: f64 = 2.0 * Math.PI;
export const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/sqrt(2 pi)
export const FOUR_PI_SQ: f64 = 4.0 * Math.PI * Math.PI;

// Two variables are treated as one (docs/theory.md section 2.5) when 1 - r^2, computed from an exact
// determinant (compensated.ts), is at most
//  - ROOT_MERGE_GAP for a pair of the average's own covariance: there the entries are
//    the ODE state, known to ~1e-16 relative, and below ~1e-14 (some 50 rounding errors)
//    the direction in which the two fields differ is not determined by the state (near a
//    perfect student the state can even leave the positive semi-definite cone by that
//    much); the averages are C^1 in the covariance, so merging costs O(1e-14);
//  - MERGE_GAP for a pair of a conditional covariance inside the Stein reduction: those
//    are computed without cancellation, so only exactly singular pairs are merged.
// (With plain arithmetic and a merge at 1 - |r| <= 1e-12 the reference trajectory had
// jumps of eps_g from 4e-10 to 3e-8 near alpha = 170 and a floor of 1.3e-11.)
export const MERGE_GAP: f64 = 1e-30;
export const ROOT_MERGE_GAP: f64 = 1e-14;

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
