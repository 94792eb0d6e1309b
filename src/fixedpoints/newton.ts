// Newton's method for F(x) = 0 with a finite-difference Jacobian, damped by backtracking on
// |F| so that steps leaving the domain (an invalid overlap matrix) are shortened.
import { Matrix, solve } from "ml-matrix";
import { maxAbs } from "./system";
import type { VectorField } from "./jacobian";

export interface NewtonOptions {
  /** Stop when max |F| <= tolerance (default 1e-12) ... */
  tolerance?: number;
  /** ... or when the step's max |dx| <= stepTolerance (default 1e-13) with max |F| <= 1e-9. */
  stepTolerance?: number;
  maxIterations?: number;
  /** Jacobian at x (refreshed every iteration). */
  jacobian: (x: Float64Array) => number[][];
  /** false for points outside the domain (backtracking halves the step). */
  valid?: (x: Float64Array) => boolean;
}

export interface NewtonResult {
  x: Float64Array;
  residual: number;
  iterations: number;
  converged: boolean;
  message: string;
}

export function newton(F: VectorField, x0: ArrayLike<number>, o: NewtonOptions): NewtonResult {
  const tol = o.tolerance ?? 1e-12;
  const stepTol = o.stepTolerance ?? 1e-13;
  const maxIt = o.maxIterations ?? 40;
  const valid = o.valid ?? (() => true);
  let x = Float64Array.from(x0);
  if (!valid(x)) return { x, residual: NaN, iterations: 0, converged: false, message: "starting point outside the domain" };
  let Fx = Float64Array.from(F(x));
  let res = maxAbs(Fx);
  for (let it = 1; it <= maxIt; it++) {
    if (!(res > tol)) return { x, residual: res, iterations: it - 1, converged: Number.isFinite(res), message: "max |F| below tolerance" };
    let dx: number[];
    try {
      dx = solve(new Matrix(o.jacobian(x)), Matrix.columnVector(Array.from(Fx, (v) => -v))).to1DArray();
    } catch {
      return { x, residual: res, iterations: it, converged: false, message: "singular Jacobian" };
    }
    if (!dx.every(Number.isFinite)) return { x, residual: res, iterations: it, converged: false, message: "singular Jacobian" };
    let lambda = 1;
    let accepted = false;
    for (let back = 0; back < 30; back++) {
      const y = Float64Array.from(x, (v, i) => v + lambda * dx[i]);
      if (valid(y)) {
        const Fy = Float64Array.from(F(y));
        const r = maxAbs(Fy);
        if (Number.isFinite(r) && (r < res || r <= tol || lambda < 1e-3)) {
          x = y;
          Fx = Fy;
          res = r;
          accepted = true;
          break;
        }
      }
      lambda /= 2;
    }
    if (!accepted) return { x, residual: res, iterations: it, converged: false, message: "no step reduced |F| (stuck at a local minimum of |F| or on the domain boundary)" };
    if (lambda * maxAbs(dx) <= stepTol * Math.max(1, maxAbs(x)) && res <= 1e-9) {
      return { x, residual: res, iterations: it, converged: true, message: "step below stepTolerance" };
    }
  }
  return { x, residual: res, iterations: maxIt, converged: res <= tol, message: `maxIterations = ${maxIt} reached` };
}
