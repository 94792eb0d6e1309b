// The stability of a fixed point from the eigenvalues of its (non-symmetric) Jacobian.
import { eigenvalues, type Eigenvalue } from "../numerics/eigen";

export type { Eigenvalue };
export { eigenvectorFor } from "../numerics/eigen";

export interface Stability {
  /** Sorted by decreasing real part. */
  eigenvalues: Eigenvalue[];
  /** "stable": every Re < -tol; "saddle": some Re > tol and some < -tol; "unstable": every Re > tol;
   *  "marginal": some |Re| <= tol (linearisation does not decide). */
  stability: "stable" | "saddle" | "unstable" | "marginal";
  unstableDirections: number;
  /** |Re| below this counts as zero (the Jacobian's estimated error, times a safety factor). */
  tolerance: number;
}

/** Classifies by the signs of the real parts; |Re| <= tolerance is undecided ("marginal"). */
export function classify(J: number[][], tolerance: number): Stability {
  const values = eigenvalues(J);
  const pos = values.filter((l) => l.re > tolerance).length;
  const neg = values.filter((l) => l.re < -tolerance).length;
  const n = values.length;
  const stability = pos + neg < n ? "marginal" : pos === 0 ? "stable" : neg === 0 ? "unstable" : "saddle";
  return { eigenvalues: values, stability, unstableDirections: pos, tolerance };
}
