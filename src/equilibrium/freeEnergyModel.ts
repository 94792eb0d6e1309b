// The small interface the minimisers and transition solvers work on: beta f with its gradient and
// Hessian in the solvers' coordinates u (coordinates.ts: p = sqrt(K)(R - S), m, c). The physical model
// is Reduced; tests inject synthetic free energies with known transitions through it.

export interface FreeEnergyModel {
  /** Number of coordinates (3; 1 for K = 1). u[0] is the symmetry-breaking one (p = 0 on R = S). */
  readonly n: number;
  /** Sets the scales of the starting grid and of distances (see minima.ts). */
  readonly K: number;
  inDomain(u: ArrayLike<number>): boolean;
  /** beta f (Infinity outside the domain). */
  value(alpha: number, u: ArrayLike<number>): number;
  /** beta f, gradient g (n) and Hessian H (n x n, row-major) at u, and eps_g. */
  eval(alpha: number, u: ArrayLike<number>, g: Float64Array, H: Float64Array): { F: number; eg: number };
  /** (R, S, C) of u. */
  toRSC(u: ArrayLike<number>): Float64Array;
}
