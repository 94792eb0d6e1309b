// Dense eigenproblems of any size through ml-matrix (a dependency for exactly this: LU, SVD,
// symmetric and non-symmetric eigendecompositions); the hand-written Jacobi of jacobiEigen.ts is
// for the tiny symmetric ones in hot loops.
import { EigenvalueDecomposition, Matrix, solve } from "ml-matrix";

export interface Eigenvalue {
  re: number;
  im: number;
}

/** Eigenvalues of a symmetric matrix (array of rows), ascending. */
export function symmetricEigenvalues(A: number[][] | Matrix): number[] {
  const M = A instanceof Matrix ? A : new Matrix(A);
  return new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues.sort((u, v) => u - v);
}

/** Eigenvalues of a real square matrix (array of rows), by decreasing real part, then imaginary part. */
export function eigenvalues(A: number[][]): Eigenvalue[] {
  if (A.length === 0) return [];
  const e = new EigenvalueDecomposition(new Matrix(A));
  return e.realEigenvalues.map((re, i) => ({ re, im: e.imaginaryEigenvalues[i] })).sort((a, b) => b.re - a.re || b.im - a.im);
}

/**
 * Real eigenvector (unit 2-norm, sign arbitrary) of A for its real eigenvalue lambda, by six steps of
 * inverse iteration with the shift lambda + 1e-10 max(1, |lambda|) (so that A - shift stays invertible
 * when lambda is exact).
 */
export function eigenvectorFor(A: number[][], lambda: number): number[] {
  const n = A.length;
  const S = new Matrix(A).sub(Matrix.eye(n).mul(lambda + 1e-10 * Math.max(1, Math.abs(lambda))));
  let x = Matrix.columnVector(Array.from({ length: n }, (_, i) => 1 / Math.sqrt(n) + 1e-3 * i));
  for (let it = 0; it < 6; it++) {
    x = solve(S, x);
    const norm = Math.sqrt(x.to1DArray().reduce((s, v) => s + v * v, 0));
    x = x.div(norm);
  }
  return x.to1DArray();
}
