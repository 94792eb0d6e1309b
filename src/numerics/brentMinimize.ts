// Brent's minimisation on [a, b] (Brent 1973, "localmin"): parabolic interpolation through the
// three best points when it stays inside the bracket and shrinks the steps, golden section
// otherwise; superlinear near a smooth minimum, never worse than golden section.
import type { IterationResult } from "./result";

export interface BrentMinimizeOptions {
  /** f(x0) when the caller has it (otherwise evaluated here). */
  fx0?: number;
  /** Absolute tolerance on x: stop once |x - m| <= 2 tol - (b - a)/2, m the bracket's midpoint (default 1e-8 (b - a)). */
  tolerance?: number;
  /** Evaluations of f at most (default 60). */
  maxIterations?: number;
}

/** value: the best point; residual: half the final bracket's width; minimum: f(value); bracket: [a, b] around it. */
export interface BrentMinimizeResult extends IterationResult<number> {
  minimum: number;
  bracket: [number, number];
}

/** (3 - sqrt 5) / 2: the golden-section fraction. */
const GOLDEN = 0.3819660112501051;

/** A local minimum of f on [a, b] (a < b), starting from x0 in [a, b]. */
export function brentMinimize(f: (x: number) => number, a: number, b: number, x0: number, o: BrentMinimizeOptions = {}): BrentMinimizeResult {
  if (!(a < b) || !(x0 >= a && x0 <= b)) return { value: NaN, minimum: NaN, converged: false, iterations: 0, residual: NaN, bracket: [a, b], message: `invalid bracket: need a < b and a <= x0 <= b; got a = ${a}, b = ${b}, x0 = ${x0}` };
  const tol = o.tolerance ?? 1e-8 * (b - a);
  const maxIterations = o.maxIterations ?? 60;
  const f0 = o.fx0 ?? f(x0);
  let x = x0, w = x0, v = x0, fx = f0, fw = f0, fv = f0;
  let d = 0, e = 0;
  let it = 0;
  let converged = false;
  for (; it < maxIterations; it++) {
    const m = 0.5 * (a + b);
    const tol1 = tol, tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) {
      converged = true;
      break;
    }
    let parabolic = false;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p; else q = -q;
      if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        parabolic = true;
      }
    }
    if (!parabolic) {
      e = (x < m ? b : a) - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x; else a = x;
      v = w; fv = fw; w = x; fw = fx; x = u; fx = fu;
    } else {
      if (u < x) a = u; else b = u;
      if (fu <= fw || w === x) { v = w; fv = fw; w = u; fw = fu; } else if (fu <= fv || v === x || v === w) { v = u; fv = fu; }
    }
  }
  return { value: x, minimum: fx, converged, iterations: it, residual: 0.5 * (b - a), bracket: [a, b], message: converged ? "bracket narrower than the tolerance around the best point" : `maxIterations = ${maxIterations} evaluations reached` };
}
