// Newton's method for F(x) = 0 on small dense systems (a scalar equation is the case n = 1).
// Every solver of the host code runs through this one loop; what differs between them (how the
// correction is computed, how a step is shortened, when to stop) is an option, so each caller
// keeps its own rule:
//   damping "backtracking": halve the step until the residual decreases (fixed points, [T]'s
//            reduced flow); "domain": halve it only until the point is inside the domain (the
//            extended fold systems, which are only locally convergent and whose residual need
//            not decrease); "none": full steps, leaving the domain ends the iteration (the
//            continuation corrector, stationary points near a known one).
//   stop(step): the caller's convergence test after a step (a correction below the rounding of
//            the coordinates, corrections that stopped shrinking, one component settled...).
// Contract for callers that cache: direction(x, F) is always called with the x at which F was
// evaluated last.
import { Matrix, solve } from "ml-matrix";
import { maxAbs } from "./norms";
import type { IterationResult } from "./result";

/** What stop() is told after each step (and accept() about each trial point). */
export interface NewtonStep {
  /** The iterate before the step and after it (previous + lambda direction). */
  previous: Float64Array;
  x: Float64Array;
  /** The full Newton correction d (J d = -F(previous)). */
  direction: Float64Array;
  /** The fraction of it taken. */
  lambda: number;
  /** norm(F) at previous and at x. */
  previousResidual: number;
  residual: number;
  /** F at x. */
  F: Float64Array;
  /** Steps taken, this one included. */
  iteration: number;
}

export interface NewtonOptions {
  /** Jacobian at x (rows); the correction solves J d = -F by LU with partial pivoting (ml-matrix). */
  jacobian?: (x: Float64Array) => number[][];
  /** Or the correction itself: d with J(x) d = -F (null when J is singular). Takes precedence over jacobian. */
  direction?: (x: Float64Array, F: Float64Array) => ArrayLike<number> | null;
  /** Residual of F (default max |F_i|). */
  norm?: (F: Float64Array) => number;
  /** Converged when residual <= tolerance, tested before every step (default 1e-12)... */
  tolerance?: number;
  /** ... or by this test instead (the caller's own condition on F; () => false to stop only through stop()). */
  solved?: (residual: number, F: Float64Array, x: Float64Array) => boolean;
  /** When the iterations run out or no shortened step is accepted, the last iterate still counts as converged if residual <= this (default: the test above). */
  looseTolerance?: number;
  /** Newton steps at most (default 40). */
  maxIterations?: number;
  /** false outside the domain (F returning null or a non-finite residual also marks a point outside). */
  valid?: (x: Float64Array) => boolean;
  /** Step control (see the file comment; default "backtracking"). */
  damping?: "backtracking" | "domain" | "none";
  /** Trial points per step for "backtracking" and "domain", halving each time (default 30). */
  maxTrials?: number;
  /** "backtracking": a step shortened below this fraction is taken even if the residual grew (default 0: never). */
  minLambda?: number;
  /** "backtracking": whether to take a trial point inside the domain (replaces the default: residual decreased, solved, or lambda < minLambda). */
  accept?: (candidate: NewtonStep) => boolean;
  /** "backtracking": whether the iterate counts as converged when no trial point is taken (default: the looseTolerance test); lambda is then the last fraction tried, halved once more. */
  stalled?: (s: { x: Float64Array; F: Float64Array; residual: number; direction: Float64Array; lambda: number }) => boolean;
  /** Fraction of the correction to try first (default 1); null rejects the correction: the iteration fails (start outside the basin). */
  stepLength?: (x: Float64Array, d: Float64Array) => number | null;
  /** The caller's convergence test after each step. */
  stop?: (step: NewtonStep) => boolean;
}

/**
 * value: the root (or last iterate); residual: norm(F(value)) (NaN when the start is outside the
 * domain); iterations: Newton corrections computed (the steps taken, plus a last one that failed).
 */
export interface NewtonResult extends IterationResult<Float64Array> {
  /** F at value (empty when the start is outside the domain). */
  F: Float64Array;
}

/** The correction from a Jacobian: J d = -F by ml-matrix's LU; null when singular. */
function luDirection(jacobian: (x: Float64Array) => number[][]) {
  return (x: Float64Array, F: Float64Array): number[] | null => {
    try {
      return solve(new Matrix(jacobian(x)), Matrix.columnVector(Array.from(F, (v) => -v))).to1DArray();
    } catch {
      return null;
    }
  };
}

export function newton(F: (x: Float64Array) => ArrayLike<number> | null, x0: ArrayLike<number>, o: NewtonOptions): NewtonResult {
  const tolerance = o.tolerance ?? 1e-12;
  const maxIterations = o.maxIterations ?? 40;
  const norm = o.norm ?? maxAbs;
  const solved = o.solved ?? ((r: number) => r <= tolerance);
  const damping = o.damping ?? "backtracking";
  const maxTrials = o.maxTrials ?? 30;
  const minLambda = o.minLambda ?? 0;
  const direction = o.direction ?? (o.jacobian ? luDirection(o.jacobian) : null);
  if (!direction) throw new TypeError("newton: give jacobian or direction");

  // (plain loops instead of typed-array from/map: these run ~10^4 times per search on 2-D problems)
  const copy = (a: ArrayLike<number>) => {
    const c = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) c[i] = a[i];
    return c;
  };
  // F and its residual at the last point evaluated (evaluate returns false outside the domain)
  let eF = new Float64Array(0), eR = NaN;
  const evaluate = (x: Float64Array): boolean => {
    if (o.valid && !o.valid(x)) return false;
    const f = F(x);
    if (!f) return false;
    eF = copy(f);
    eR = norm(eF);
    return Number.isFinite(eR);
  };
  const trial = (x: Float64Array, d: Float64Array, lambda: number) => {
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] + lambda * d[i];
    return y;
  };
  const finite = (d: Float64Array) => {
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
    return true;
  };

  let x: Float64Array = copy(x0);
  if (!evaluate(x)) return { value: x, F: new Float64Array(0), converged: false, iterations: 0, residual: NaN, message: "starting point outside the domain (or F not finite there)" };
  let Fx = eF, r = eR;
  const finish = (converged: boolean, iterations: number, message: string): NewtonResult => ({ value: x, F: Fx, converged, iterations, residual: r, message });
  // out of iterations or of acceptable steps: the looser test decides
  const settle = (iterations: number, why: string) => {
    const ok = o.looseTolerance !== undefined ? r <= o.looseTolerance : solved(r, Fx, x);
    return finish(ok, iterations, ok ? `${why}; the residual ${r} is accepted` : why);
  };

  for (let it = 0; ; it++) {
    if (solved(r, Fx, x)) return finish(true, it, "residual below tolerance");
    if (it >= maxIterations) return settle(it, `maxIterations = ${maxIterations} reached`);
    const raw = direction(x, Fx);
    if (!raw) return finish(false, it + 1, "singular Jacobian");
    const d = copy(raw);
    if (!finite(d)) return finish(false, it + 1, "singular Jacobian (the correction is not finite)");
    let lambda = o.stepLength ? o.stepLength(x, d) : 1;
    if (lambda === null) return finish(false, it + 1, "the correction is too long: the start lies outside the region where Newton converges");
    let y: Float64Array | null = null;
    if (damping === "none") {
      y = trial(x, d, lambda);
      if (!evaluate(y)) return finish(false, it + 1, "the step left the domain");
    } else {
      for (let k = 0; k < maxTrials; k++) {
        const t = trial(x, d, lambda);
        if (evaluate(t) && (damping === "domain" || (o.accept ? o.accept({ previous: x, x: t, direction: d, lambda, previousResidual: r, residual: eR, F: eF, iteration: it + 1 }) : eR < r || solved(eR, eF, t) || lambda < minLambda))) {
          y = t;
          break;
        }
        lambda /= 2;
      }
      if (!y) {
        const why = `no step among ${maxTrials} halvings was taken (a local minimum of |F| or the domain's boundary)`;
        if (damping === "domain") return finish(false, it + 1, `every shortened step (${maxTrials} halvings) left the domain`);
        if (o.stalled) {
          const ok = o.stalled({ x, F: Fx, residual: r, direction: d, lambda });
          return finish(ok, it + 1, ok ? `${why}; the caller's test accepts the iterate` : why);
        }
        return settle(it + 1, why);
      }
    }
    const previous = x, previousResidual = r;
    x = y;
    Fx = eF;
    r = eR;
    if (o.stop && o.stop({ previous, x, direction: d, lambda, previousResidual, residual: r, F: Fx, iteration: it + 1 })) return finish(true, it + 1, "the caller's stopping rule was met after the step");
  }
}
