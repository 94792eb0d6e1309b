// Small dense linear systems in the hot loops (the 3 x 3 to 7 x 7 Newton systems of the equilibrium
// solvers, thousands per curve): Gaussian elimination with partial pivoting on row-major
// Float64Arrays, no allocation beyond the two copies. Larger or occasional systems go through
// ml-matrix (LU), as Newton's default direction does.

/** Solves A x = b (A row-major n x n); null when a pivot is exactly 0 or the solution is not finite. */
export function solveSmall(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const m = Float64Array.from(A as ArrayLike<number>);
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (m[p * n + c] === 0) return null;
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
    x[r] = s / m[r * n + r];
  }
  for (const xi of x) if (!Number.isFinite(xi)) return null;
  return x;
}
