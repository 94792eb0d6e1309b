// Minimisation of a smooth f on a box lo <= x <= hi by a projected quasi-Newton method (the
// projected Newton method of Bertsekas 1982 with a BFGS inverse Hessian, as in Kim, Sra and
// Dhillon 2010): at x with gradient g,
//   - the binding set A holds the coordinates at a bound whose gradient pushes outwards
//     (x_i <= lo_i + eps and g_i > 0, or x_i >= hi_i - eps and g_i < 0), eps = min(epsilon,
//     |x - P(x - g)|_inf); the free set F is the rest;
//   - the direction solves B_FF d_F = -g_F, d_A = 0 (B the BFGS approximation of the Hessian,
//     the reduced system of the free coordinates; B reset to a scaled identity when d is not a
//     descent direction);
//   - the step follows the projected path x(t) = P(x + t d), t = 1, 1/2, ..., until the Armijo
//     condition f(x(t)) <= f(x) + c1 g . (x(t) - x) holds (f may be +Infinity outside its domain:
//     such points are simply rejected);
//   - B is updated with s = x(t) - x, y = g(x(t)) - g when s . y > 0.
// Converged when the projected gradient |P(x - g) - x|_inf <= gradientTolerance, or when the
// relative decrease of f stays below functionTolerance for `stallIterations` iterations.
// No npm package offers a maintained bound-constrained quasi-Newton method (the registry has
// unconstrained ones: fmin, numeric's uncmin, optimization-js), hence this small one, tested in
// test/projectedBfgs.test.ts against closed-form and enumerated solutions.
import type { IterationResult } from "./result";
import { solveSmall } from "./linearSolve";

/** Options of projectedBfgs(): the box, the stopping rules and the first step. */
export interface ProjectedBfgsOptions {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Stop when the projected gradient's largest entry is at most this (default 1e-8). */
  gradientTolerance?: number;
  /** Relative decrease of f counted as no progress (default 1e-12). */
  functionTolerance?: number;
  /** Iterations without progress before stopping (default 3). */
  stallIterations?: number;
  /** Iterations at most (default 200). */
  maxIterations?: number;
  /** Largest entry of the first step (default 0.1 of the largest box width, or 1 when unbounded). */
  firstStep?: number;
  /** Called after each iteration (progress, abort: it may throw). */
  onIteration?: (iteration: number, f: number, projectedGradient: number) => void;
}

/** value: the last iterate; residual: its projected gradient |P(x - g) - x|_inf. */
export interface ProjectedBfgsResult extends IterationResult<number[]> {
  /** f(value). */
  minimum: number;
  gradient: number[];
  /** Evaluations of f alone, and of f with its gradient. */
  evaluations: number;
  gradientEvaluations: number;
  /** Coordinates at a bound at the end (binding ones included). */
  atBound: number;
}

/**
 * f at x, with its gradient when `gradient` is true; f = +Infinity (gradient ignored) marks a
 * point outside f's domain. The line search asks for values only (a gradient may cost much more).
 */
export type ValueAndGradient = (x: number[], gradient: boolean) => { f: number; g?: number[] };

const C1 = 1e-4;
const MAX_BACKTRACKS = 40;

/** A local minimum of f on the box [lower, upper] from x0 (projected into the box). */
export function projectedBfgs(fg: ValueAndGradient, x0: ArrayLike<number>, o: ProjectedBfgsOptions): ProjectedBfgsResult {
  const n = x0.length;
  const lo = Array.from(o.lower), hi = Array.from(o.upper);
  if (lo.length !== n || hi.length !== n || lo.some((l, i) => !(l <= hi[i]))) throw new RangeError("projectedBfgs: lower and upper need x0's length and lower <= upper");
  const gtol = o.gradientTolerance ?? 1e-8, ftol = o.functionTolerance ?? 1e-12, stallMax = o.stallIterations ?? 3, maxIt = o.maxIterations ?? 200;
  const width = Math.max(...lo.map((l, i) => hi[i] - l));
  const first = o.firstStep ?? (Number.isFinite(width) ? 0.1 * width : 1);
  const project = (x: number[]) => x.map((v, i) => Math.min(hi[i], Math.max(lo[i], v)));
  const projectedGradient = (x: number[], g: number[]) => {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(Math.min(hi[i], Math.max(lo[i], x[i] - g[i])) - x[i]));
    return m;
  };
  let x = project(Array.from(x0));
  let evaluations = 0, gradientEvaluations = 1;
  const start = fg(x, true);
  let f = start.f, g = start.g ?? [];
  if (!Number.isFinite(f)) return { value: x, minimum: f, gradient: g, converged: false, iterations: 0, residual: NaN, evaluations, gradientEvaluations, atBound: 0, message: `f is not finite at the start (${f})` };
  let B: number[][] | null = null; // BFGS approximation of the Hessian (null: not yet scaled)
  let stall = 0;
  let it = 0;
  let message = `maxIterations = ${maxIt} reached`;
  let converged = false;
  for (; it < maxIt; it++) {
    const pg = projectedGradient(x, g);
    if (pg <= gtol) {
      converged = true;
      message = `projected gradient ${pg.toExponential(2)} <= ${gtol}`;
      break;
    }
    const eps = Math.min(1e-8 * width || 1e-8, pg);
    const freeIdx: number[] = [];
    for (let i = 0; i < n; i++) if (!((x[i] <= lo[i] + eps && g[i] > 0) || (x[i] >= hi[i] - eps && g[i] < 0))) freeIdx.push(i);
    let d = new Array<number>(n).fill(0);
    let slope = 0;
    if (B && freeIdx.length) {
      // the reduced Newton system B_FF d_F = -g_F (Bertsekas: no coupling to the binding coordinates)
      const m = freeIdx.length;
      const sol = solveSmall(freeIdx.flatMap((i) => freeIdx.map((k) => B![i][k])), freeIdx.map((i) => -g[i]), m);
      if (sol) freeIdx.forEach((i, j) => (d[i] = sol[j]));
      slope = d.reduce((acc, v, i) => acc + v * g[i], 0);
    }
    if (!B || !(slope < 0)) {
      // steepest descent on the free coordinates: largest entry `first` at the start, else scaled by B's diagonal
      const gmax = Math.max(...freeIdx.map((i) => Math.abs(g[i])));
      const scale = B ? n / B.reduce((acc, row, i) => acc + row[i], 0) : first / gmax;
      d = new Array<number>(n).fill(0);
      for (const i of freeIdx) d[i] = -scale * g[i];
      if (B) B = B.map((row, i) => row.map((_, k) => (i === k ? 1 / scale : 0)));
    }
    let t = 1, accepted = false;
    let xn = x, fn = f, gn = g;
    for (let b = 0; b < MAX_BACKTRACKS; b++) {
      xn = project(x.map((v, i) => v + t * d[i]));
      const decrease = xn.reduce((acc, v, i) => acc + g[i] * (v - x[i]), 0);
      const r = fg(xn, false);
      evaluations++;
      if (Number.isFinite(r.f) && r.f <= f + C1 * Math.min(decrease, 0)) {
        const withGradient = fg(xn, true);
        gradientEvaluations++;
        fn = withGradient.f;
        gn = withGradient.g ?? [];
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      message = `no decrease along the projected search direction after ${MAX_BACKTRACKS} halvings (projected gradient ${pg.toExponential(2)})`;
      break;
    }
    const s = xn.map((v, i) => v - x[i]);
    const y = gn.map((v, i) => v - g[i]);
    const sy = s.reduce((acc, v, i) => acc + v * y[i], 0);
    if (sy > 1e-12 * Math.sqrt(s.reduce((a, v) => a + v * v, 0) * y.reduce((a, v) => a + v * v, 0))) {
      if (!B) {
        const gamma = y.reduce((a, v) => a + v * v, 0) / sy;
        B = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? gamma : 0)));
      }
      // B <- B - (B s)(B s)^T / (s^T B s) + y y^T / (y^T s)
      const Bs = B.map((row) => row.reduce((acc, v, k) => acc + v * s[k], 0));
      const sBs = s.reduce((acc, v, i) => acc + v * Bs[i], 0);
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) B[i][k] += y[i] * y[k] / sy - (sBs > 0 ? Bs[i] * Bs[k] / sBs : 0);
    }
    const progress = (f - fn) / Math.max(Math.abs(f), 1e-300);
    stall = progress < ftol ? stall + 1 : 0;
    x = xn;
    f = fn;
    g = gn;
    o.onIteration?.(it + 1, f, projectedGradient(x, g));
    if (stall >= stallMax) {
      it++;
      converged = true;
      message = `relative decrease of f below ${ftol} for ${stallMax} iterations (projected gradient ${projectedGradient(x, g).toExponential(2)})`;
      break;
    }
  }
  const residual = projectedGradient(x, g);
  const atBound = x.filter((v, i) => v <= lo[i] || v >= hi[i]).length;
  return { value: x, minimum: f, gradient: g, converged, iterations: it, residual, evaluations, gradientEvaluations, atBound, message };
}
