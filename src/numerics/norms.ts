// Vector norms shared by the solvers.

/** max_i |a_i| (0 for an empty vector, NaN when an entry is NaN). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
