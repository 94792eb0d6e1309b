// Bisection on a predicate: the threshold where prop(x) turns from false to true (a trajectory
// starts to diverge, a branch of minima ceases to exist, an eigenvalue crosses zero). No
// function values are needed, only the monotone property.
import type { IterationResult } from "./result";

export interface BisectionOptions {
  /** Stop once hi - lo <= tolerance + relativeTolerance max(|lo|, |hi|), or lo and hi are adjacent doubles (defaults 0 and 0: the latter). */
  tolerance?: number;
  relativeTolerance?: number;
  /** Bisections at most (default 1100: enough to reach adjacent doubles from any finite bracket). */
  maxIterations?: number;
}

/** value: the bracket's midpoint; residual: the bracket's width hi - lo; bracket: [lo, hi] with prop false at lo, true at hi. */
export interface BisectionResult extends IterationResult<number> {
  bracket: [number, number];
  /** Calls of prop (bisect: one per iteration; findThreshold adds those of the bracketing). */
  evaluations: number;
}

/**
 * Bisection of [lo, hi], assuming prop(lo) false and prop(hi) true (not evaluated: the caller knows
 * them). prop is called once per step, at the midpoint, in order (it may carry state from call to
 * call, e.g. a continuation seed).
 */
export function bisect(prop: (x: number) => boolean, lo: number, hi: number, o: BisectionOptions = {}): BisectionResult {
  const tol = o.tolerance ?? 0, rel = o.relativeTolerance ?? 0;
  const maxIterations = o.maxIterations ?? 1100;
  if (!(lo < hi)) return { value: NaN, converged: false, iterations: 0, residual: NaN, bracket: [lo, hi], evaluations: 0, message: `invalid bracket: lo = ${lo} must be below hi = ${hi}` };
  let it = 0;
  while (hi - lo > tol + rel * Math.max(Math.abs(lo), Math.abs(hi))) {
    const mid = 0.5 * (lo + hi);
    // adjacent doubles: as narrow as it gets
    if (!(mid > lo && mid < hi)) return { value: mid, converged: true, iterations: it, residual: hi - lo, bracket: [lo, hi], evaluations: it, message: "lo and hi are adjacent doubles" };
    if (it >= maxIterations) return { value: mid, converged: false, iterations: it, residual: hi - lo, bracket: [lo, hi], evaluations: it, message: `maxIterations = ${maxIterations} reached before the bracket was narrower than the tolerance` };
    it++;
    if (prop(mid)) hi = mid;
    else lo = mid;
  }
  return { value: 0.5 * (lo + hi), converged: true, iterations: it, residual: hi - lo, bracket: [lo, hi], evaluations: it, message: "bracket narrower than the tolerance" };
}

export interface ThresholdOptions extends BisectionOptions {
  /** Bracketing gives up below lowest / above highest (defaults 1e-4 and 1e3). */
  lowest?: number;
  highest?: number;
}

/**
 * A threshold of a property monotone in x > 0 (false below, true above): bracket it by halving
 * (prop(start) true) or doubling (false) from start, then bisect. Not converged, with bracket
 * [lowest or highest reached, the last point tried], when the property does not flip in
 * [lowest, highest].
 */
export function findThreshold(prop: (x: number) => boolean, start: number, o: ThresholdOptions = {}): BisectionResult {
  const lowest = o.lowest ?? 1e-4, highest = o.highest ?? 1e3;
  let calls = 0;
  const p = (x: number) => {
    calls++;
    return prop(x);
  };
  const none = (lo: number, hi: number, why: string): BisectionResult => ({ value: NaN, converged: false, iterations: 0, residual: NaN, bracket: [lo, hi], evaluations: calls, message: why });
  let lo: number, hi: number;
  if (p(start)) {
    hi = start;
    lo = start / 2;
    while (p(lo)) {
      hi = lo;
      lo /= 2;
      if (lo < lowest) return none(lo, hi, `the property holds down to ${hi}: no threshold above lowest = ${lowest}`);
    }
  } else {
    lo = start;
    hi = start * 2;
    while (!p(hi)) {
      lo = hi;
      hi *= 2;
      if (hi > highest) return none(lo, hi, `the property fails up to ${lo}: no threshold below highest = ${highest}`);
    }
  }
  const b = bisect(p, lo, hi, o);
  return { ...b, evaluations: calls };
}
