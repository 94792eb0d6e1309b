// Regula falsi with the Illinois modification (Dowell & Jarratt 1971): the secant through the
// bracket's ends, and when the same end is kept twice its function value is halved, which
// restores superlinear convergence (order ~1.44) where plain regula falsi keeps one end forever.
// Used where each evaluation is expensive and f is smooth but noisy near the root, so that the
// last evaluated point (not an interpolated one) is the answer.
import type { IterationResult } from "./result";

export interface RegulaFalsiOptions {
  /** f(a) and f(b) when the caller has them (otherwise evaluated here). */
  fa?: number;
  fb?: number;
  /** Stop once |f(value)| < residualTolerance or the bracket is narrower than tolerance (defaults 0 and 0). */
  residualTolerance?: number;
  tolerance?: number;
  /** Evaluations at most (default 60). */
  maxIterations?: number;
}

/** value: the last point evaluated; residual: |f(value)|; bracket: [a, b] before the last step. */
export interface RegulaFalsiResult extends IterationResult<number> {
  bracket: [number, number];
}

/** A root of f in [a, b] (a < b, f(a) f(b) <= 0). */
export function regulaFalsi(f: (x: number) => number, a: number, b: number, o: RegulaFalsiOptions = {}): RegulaFalsiResult {
  let fa = o.fa ?? f(a);
  let fb = o.fb ?? f(b);
  const ftol = o.residualTolerance ?? 0, xtol = o.tolerance ?? 0;
  const maxIterations = o.maxIterations ?? 60;
  if (!(a < b) || (fa > 0 && fb > 0) || (fa < 0 && fb < 0)) return { value: NaN, converged: false, iterations: 0, residual: NaN, bracket: [a, b], message: !(a < b) ? `invalid bracket: a = ${a} must be below b = ${b}` : `invalid bracket: f(${a}) = ${fa} and f(${b}) = ${fb} have the same sign` };
  let side = 0;
  let s = b, fs = fb;
  for (let it = 0; it < maxIterations; it++) {
    s = (a * fb - b * fa) / (fb - fa);
    fs = f(s);
    if (Math.abs(fs) < ftol || b - a < xtol) return { value: s, converged: true, iterations: it + 1, residual: Math.abs(fs), bracket: [a, b], message: Math.abs(fs) < ftol ? "|f| below residualTolerance" : "bracket narrower than the tolerance" };
    if (Math.sign(fs) === Math.sign(fa)) {
      a = s;
      fa = fs;
      if (side === -1) fb /= 2;
      side = -1;
    } else {
      b = s;
      fb = fs;
      if (side === 1) fa /= 2;
      side = 1;
    }
  }
  return { value: s, converged: false, iterations: maxIterations, residual: Math.abs(fs), bracket: [a, b], message: `maxIterations = ${maxIterations} evaluations reached` };
}
