// Small dense symmetric eigenproblems of the equilibrium solvers (the 3 x 3 Hessians, thousands
// per curve, and the few-by-few symmetry blocks of the site-symmetry check): cyclic Jacobi,
// accurate to rounding in every eigenvalue relative to the matrix norm. It stays hand-written so
// that the equilibrium results stay bit-for-bit those they were verified with. (ml-matrix's
// tridiagonal QL of eigen.ts is in fact 1.5-2.5 times faster on 3 x 3 problems with eigenvectors,
// measured on 1e5 of them: switching would be a speed-up that changes last bits.)
// Larger problems: symmetricEigenvalues (eigen.ts, ml-matrix).

export interface JacobiEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as columns (row-major n x n: vectors[k * n + c] is component k of the c-th). */
  vectors: Float64Array;
  /** A sweep found every off-diagonal entry negligible (within 60 sweeps). */
  converged: boolean;
  /** Sweeps done. */
  iterations: number;
  /** Largest off-diagonal entry dropped as negligible in the last sweep (0 at an exactly diagonal end). */
  residual: number;
}

/** Eigenvalues and eigenvectors of the symmetric n x n matrix A (row-major; only its symmetric part is meaningful). */
export function jacobiEigen(A: ArrayLike<number>, n: number): JacobiEigen {
  const a = Float64Array.from(A as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let converged = false, sweeps = 0, dropped = 0;
  for (let sweep = 0; sweep < 60; sweep++) {
    sweeps = sweep + 1;
    dropped = 0;
    let rotated = false;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // negligible next to both diagonal entries: the eigenvalues are converged to rounding
        if (Math.abs(apq) <= 1e-18 * Math.sqrt(Math.abs(a[p * n + p] * a[q * n + q])) || Math.abs(apq) < 1e-300) {
          dropped = Math.max(dropped, Math.abs(apq));
          a[p * n + q] = a[q * n + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 0.5 / theta : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    if (!rotated) {
      converged = true;
      break;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  order.forEach((o, c) => {
    values[c] = a[o * n + o];
    for (let k = 0; k < n; k++) vectors[k * n + c] = v[k * n + o];
  });
  return { values, vectors, converged, iterations: sweeps, residual: dropped };
}
