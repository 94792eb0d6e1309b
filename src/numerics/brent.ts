// Brent's method for a root of f in a bracket [a, b] with f(a) f(b) <= 0: inverse quadratic
// interpolation or secant steps when they stay well inside the bracket, bisection otherwise
// (Brent 1973, "zero"); superlinear on smooth f, never slower than about twice bisection.
import type { IterationResult } from "./result";

export interface BrentOptions {
  /** f(a) and f(b) when the caller has them (otherwise evaluated here). */
  fa?: number;
  fb?: number;
  /** Stop once the bracket's half-width |c - b| / 2 <= tolerance, or f(b) = 0 (default 0: to adjacent doubles, at most maxIterations). */
  tolerance?: number;
  /** Evaluations of f at most (default 200). */
  maxIterations?: number;
}

/** value: the best estimate b; residual: |f(value)|; bracket: [lo, hi] around the root (value is one end). */
export interface BrentResult extends IterationResult<number> {
  bracket: [number, number];
}

export function brent(f: (x: number) => number, a: number, b: number, o: BrentOptions = {}): BrentResult {
  let fa = o.fa ?? f(a);
  let fb = o.fb ?? f(b);
  const tol = o.tolerance ?? 0;
  const maxIterations = o.maxIterations ?? 200;
  if ((fa > 0 && fb > 0) || (fa < 0 && fb < 0)) return { value: NaN, converged: false, iterations: 0, residual: NaN, bracket: [Math.min(a, b), Math.max(a, b)], message: `invalid bracket: f(${a}) = ${fa} and f(${b}) = ${fb} have the same sign` };
  const result = (x: number, fx: number, other: number, iterations: number, converged: boolean, message: string): BrentResult =>
    ({ value: x, converged, iterations, residual: Math.abs(fx), bracket: [Math.min(x, other), Math.max(x, other)], message });
  if (fa === 0) return result(a, fa, a, 0, true, "f(a) = 0");
  if (fb === 0) return result(b, fb, b, 0, true, "f(b) = 0");
  let c = a, fc = fa, d = b - a, e = d;
  for (let it = 0; it < maxIterations; it++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a; fc = fa; d = b - a; e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a; fa = fb; fb = fc; fc = fa;
    }
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return result(b, fb, c, it, true, fb === 0 ? "f(value) = 0" : "bracket narrower than the tolerance");
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number, q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s; q = 1 - s;
      } else {
        const qq = fa / fc, r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d; d = p / q;
      } else {
        d = m; e = m;
      }
    } else {
      d = m; e = m;
    }
    a = b; fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return result(b, fb, c, maxIterations, false, `maxIterations = ${maxIterations} evaluations reached`);
}
