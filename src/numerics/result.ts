// The result every iterative method of src/numerics returns (see README.md in this folder).

export interface IterationResult<T> {
  /** The solution (root, fixed point, threshold), or the last iterate when not converged. */
  value: T;
  /** Whether the method's stopping rule was met (as opposed to running out of iterations, leaving the domain, an invalid bracket...). */
  converged: boolean;
  /** Steps taken (Newton corrections, bisections, interpolation steps; Newton counts a last correction that failed). */
  iterations: number;
  /** How far value is from solving the problem, in the method's own measure (each method states it). */
  residual: number;
  /** Why the method stopped, in words. */
  message: string;
}
