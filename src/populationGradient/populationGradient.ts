// Closed-form population gradient of a two-layer ReLU network with Gaussian inputs
// (docs/theory.md section 7, [T]): g(x; W) = sum_j relu(w_j . x), J = (1/2) E[(g(x; W) - g(x; W*))^2],
// per sample (x ~ N(0, I_d)); [T] sums over N samples, which multiplies J and its gradient by N.
// Correspondence with docs/theory.md section 1 (ReLU, v = v* = 1): J(W) = eps_g(Q = W W^T, R = W W*^T, T = W* W*^T)
// exactly (same per-sample loss (sigma - tau)^2 / 2, no 1/d in the overlaps), and online SGD's
// w_i += (eta/d) delta_i xi with alpha = steps/d gives dw_i/dalpha = eta E[delta_i xi] = -eta grad_i J
// + O(eta^2) in the overlaps: dR_in/dalpha = -eta grad_i J . w*_n, dQ_ik/dalpha = -eta (grad_i J . w_k
// + grad_k J . w_i) + eta^2 <delta_i delta_k>. Gradient flow time is t = eta alpha.
import * as check from "../core/validate";

type Rows = ArrayLike<ArrayLike<number>>;

/** Student weights W (K rows of length d) and teacher weights Wstar. */
export interface PopulationGradientOptions {
  /** Student weights w_j: K rows of length d. */
  W: Rows;
  /** Teacher weights w*_j: M rows of length d (M need not equal K). */
  Wstar: Rows;
}

/** The gradient of J per unit, J itself and the units at the origin. */
export interface PopulationGradient {
  /** grad_{w_j} J, K rows of length d. Rows of units at the origin are 0 (see singularUnits). */
  gradient: number[][];
  /** J = eps_g, the closed form of docs/theory.md section 1 with the ReLU I2 of docs/theory.md section 2.1. */
  populationLoss: number;
  /**
   * Units with w_j = 0, where J is not differentiable: the one-sided limit of grad_{w_j} J along
   * w_j = s u, s -> 0+, depends on the direction u. The row returned is 0, the convention
   * relu'(0) = theta(0) = 0 of the per-sample gradient E[(g - g*) theta(w_j . x) x] (theta(0) = 0
   * holds almost surely when w_j = 0), which is also what automatic differentiation and the SGD
   * simulation use. Other units are unaffected: a zero vector contributes exactly 0 to them.
   */
  singularUnits: number[];
}

export const norm = (v: ArrayLike<number>): number => {
  // scaled to avoid overflow and underflow of the squares
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  if (m === 0) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / m) ** 2;
  return m * Math.sqrt(s);
};

/** Angle in [0, pi] between nonzero a and b: 2 atan2(|a^ - b^|, |a^ + b^|), accurate near 0 and pi. */
export function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a), nb = norm(b);
  let dm = 0, dp = 0;
  for (let i = 0; i < a.length; i++) {
    const u = a[i] / na, v = b[i] / nb;
    dm += (u - v) ** 2;
    dp += (u + v) ** 2;
  }
  return 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
}

/**
 * Fbar(e, w) = E[x x^T 1(e.x > 0) 1(w.x > 0)] w = ((pi - theta) w + |w| sin(theta) e) / (2 pi),
 * e a unit vector, theta the angle between e and w; 0 for w = 0.
 */
export function fbar(e: ArrayLike<number>, w: ArrayLike<number>, out: number[] = new Array<number>(e.length).fill(0), sign = 1): number[] {
  const nw = norm(w);
  if (nw === 0) return out;
  const th = angle(e, w);
  const a = (sign * (Math.PI - th)) / (2 * Math.PI), c = (sign * nw * Math.sin(th)) / (2 * Math.PI);
  for (let i = 0; i < e.length; i++) out[i] += a * w[i] + c * e[i];
  return out;
}

/** E[relu(a.x) relu(b.x)] = |a||b| (sin theta + (pi - theta) cos theta) / (2 pi) (docs/theory.md section 2.1's I2). */
export function reluKernel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a), nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  const th = angle(a, b);
  return (na * nb * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
}

export function resolveWeights(o: PopulationGradientOptions): { W: number[][]; Wstar: number[][] } {
  if (o === null || typeof o !== "object") throw new TypeError("options must be an object with W and Wstar");
  for (const name of ["W", "Wstar"] as const) {
    const v = o[name] as unknown;
    if (!Array.isArray(v)) throw check.typeError(`${name}`, v, "rows of finite numbers, all of the same length", { reason: `must be an array of rows (arrays or Float64Arrays); got ${v === undefined ? "undefined" : typeof v}` });
    if (v.length === 0) throw check.rangeError(`${name}`, v, "rows of finite numbers, all of the same length", { reason: `must have at least one row` });
    const r0 = v[0] as unknown;
    if (!Array.isArray(r0) && !ArrayBuffer.isView(r0)) throw check.typeError(`${name}[0]`, r0, "rows of finite numbers, all of the same length", { reason: `must be an array of numbers` });
    if ((r0 as ArrayLike<number>).length === 0) throw check.rangeError(`${name}`, v, "rows of finite numbers, all of the same length", { reason: `rows must not be empty (dimension d >= 1)` });
  }
  const d = (o.W[0] as ArrayLike<number>).length;
  return { W: check.matrix("W", o.W, o.W.length, d), Wstar: check.matrix("Wstar", o.Wstar, o.Wstar.length, d) };
}

/** J from the pairwise ReLU kernel: (1/2)[sum I2(w,w) - 2 sum I2(w,w*) + sum I2(w*,w*)]. */
export function lossOf(W: number[][], Wstar: number[][]): number {
  let s = 0;
  for (const a of W) for (const b of W) s += reluKernel(a, b);
  for (const a of W) for (const b of Wstar) s -= 2 * reluKernel(a, b);
  for (const a of Wstar) for (const b of Wstar) s += reluKernel(a, b);
  return s / 2;
}

/** Gradient rows on validated weights (no copies). */
export function gradientOf(W: number[][], Wstar: number[][]): { gradient: number[][]; singularUnits: number[] } {
  const d = W[0].length;
  const singularUnits: number[] = [];
  const gradient = W.map((wj, j) => {
    const g = new Array<number>(d).fill(0);
    const n = norm(wj);
    if (n === 0) {
      singularUnits.push(j);
      return g;
    }
    const e = wj.map((v) => v / n);
    for (const wk of W) fbar(e, wk, g, 1);
    for (const ws of Wstar) fbar(e, ws, g, -1);
    return g;
  });
  return { gradient, singularUnits };
}

/** grad_{w_j} J = sum_j' Fbar(e_j, w_j') - sum_j' Fbar(e_j, w*_j'), e_j = w_j / |w_j|, and J itself. */
export function populationGradient(options: PopulationGradientOptions): PopulationGradient {
  const { W, Wstar } = resolveWeights(options);
  return { ...gradientOf(W, Wstar), populationLoss: lossOf(W, Wstar) };
}
