// Eigenvalues of a (non-symmetric) Jacobian and the stability they imply.
import { EigenvalueDecomposition, Matrix, solve } from "ml-matrix";

export interface Eigenvalue {
  re: number;
  im: number;
}

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

export function eigenvaluesOf(J: number[][]): Eigenvalue[] {
  const e = new EigenvalueDecomposition(new Matrix(J));
  return e.realEigenvalues.map((re, i) => ({ re, im: e.imaginaryEigenvalues[i] })).sort((a, b) => b.re - a.re || b.im - a.im);
}

/** Classifies by the signs of the real parts; |Re| <= tolerance is undecided ("marginal"). */
export function classify(J: number[][], tolerance: number): Stability {
  const eigenvalues = eigenvaluesOf(J);
  const pos = eigenvalues.filter((l) => l.re > tolerance).length;
  const neg = eigenvalues.filter((l) => l.re < -tolerance).length;
  const n = eigenvalues.length;
  const stability = pos + neg < n ? "marginal" : pos === 0 ? "stable" : neg === 0 ? "unstable" : "saddle";
  return { eigenvalues, stability, unstableDirections: pos, tolerance };
}

/** Real eigenvector of J for a real eigenvalue lambda (unit 2-norm), by inverse iteration. */
export function eigenvectorFor(J: number[][], lambda: number): number[] {
  const n = J.length;
  const A = new Matrix(J).sub(Matrix.eye(n).mul(lambda + 1e-10 * Math.max(1, Math.abs(lambda))));
  let x = Matrix.columnVector(Array.from({ length: n }, (_, i) => 1 / Math.sqrt(n) + 1e-3 * i));
  for (let it = 0; it < 6; it++) {
    x = solve(A, x);
    const norm = Math.sqrt(x.to1DArray().reduce((s, v) => s + v * v, 0));
    x = x.div(norm);
  }
  return x.to1DArray();
}

