// Local minima of beta f at fixed alpha: Newton steps on the Hessian with its eigenvalues replaced by
// their absolute values (so saddles repel), backtracking inside the domain, from many starts.
import type { FreeEnergyModel } from "./freeEnergyModel";
import { jacobiEigen } from "../numerics/jacobiEigen";
import { solveSmall } from "../numerics/linearSolve";

export interface LocalMinimum {
  /** Well-scaled coordinates (see coordinates.ts). */
  u: Float64Array;
  R: number;
  S: number;
  C: number;
  freeEnergy: number;
  eg: number;
  /** Eigenvalues of the Hessian in the scaled coordinates (ascending; all > 0 at a minimum). */
  scaledEigenvalues: Float64Array;
  /** Newton decrement squared g^T H^-1 g at the last iterate (~ twice the remaining decrease of beta f). */
  decrement: number;
  iterations: number;
}

export interface MinimizeResult {
  status: "converged" | "saddle" | "max-iterations" | "stalled";
  minimum: LocalMinimum | null;
}

/** Newton decrement target: beta f is then within ~1e-22 (relative, at least 1 absolute) of the minimum. */
const DECREMENT_TOL = 1e-22;
/** and the last Newton step (the quadratic model's distance to the minimum) below this, relative per coordinate. */
const STEP_TOL = 1e-12;

export class Minimizer {
  private readonly g: Float64Array;
  private readonly H: Float64Array;
  private readonly trial: Float64Array;
  private lastAlpha = 0;
  constructor(readonly red: FreeEnergyModel) {
    this.g = new Float64Array(red.n);
    this.H = new Float64Array(red.n * red.n);
    this.trial = new Float64Array(red.n);
  }

  /** From a start inside the domain to a local minimum (or a report of why not). */
  minimize(alpha: number, start: ArrayLike<number>, opts: { maxIterations?: number; free?: number[] } = {}): MinimizeResult {
    const { red, g: gFull, H: HFull, trial } = this;
    this.lastAlpha = alpha;
    const maxIterations = opts.maxIterations ?? 200;
    // optionally only some coordinates move (the R = S subspace: p = 0 held fixed)
    const free = opts.free ?? Array.from({ length: red.n }, (_, i) => i);
    const n = free.length, nf = red.n;
    const g = new Float64Array(n), H = new Float64Array(n * n);
    const sub = () => {
      for (let i = 0; i < n; i++) {
        g[i] = gFull[free[i]];
        for (let j = 0; j < n; j++) H[i * n + j] = HFull[free[i] * nf + free[j]];
      }
    };
    const u = Float64Array.from(start as ArrayLike<number>);
    if (!red.inDomain(u)) return { status: "stalled", minimum: null };
    const move = (t: number, p: Float64Array) => {
      trial.set(u);
      for (let k = 0; k < n; k++) trial[free[k]] = u[free[k]] + t * p[k];
    };
    let stalls = 0, prevRel = Infinity;
    for (let it = 0; it < maxIterations; it++) {
      const { F, eg } = red.eval(alpha, u, gFull, HFull);
      sub();
      const { values, vectors } = jacobiEigen(H, n);
      const lmax = Math.max(...Array.from(values, Math.abs));
      // step p = -sum_i v_i (v_i . g) / max(|lambda_i|, tiny): Newton where the Hessian is positive definite
      const p = new Float64Array(n);
      let dec = 0;
      for (let c = 0; c < n; c++) {
        let vg = 0;
        for (let k = 0; k < n; k++) vg += vectors[k * n + c] * g[k];
        const lam = Math.max(Math.abs(values[c]), 1e-12 * lmax, 1e-300);
        dec += (vg * vg) / lam;
        for (let k = 0; k < n; k++) p[k] -= (vectors[k * n + c] * vg) / lam;
      }
      const positive = values[0] > 0;
      const scale = Math.max(1, Math.abs(F));
      // step length relative to each coordinate: the distance to the minimum in the quadratic model
      let rel = 0;
      for (let k = 0; k < n; k++) rel = Math.max(rel, Math.abs(p[k]) / (1 + Math.abs(u[free[k]])));
      // converged: tiny decrement and a step that is negligible or no longer shrinking (the
      // gradient's rounding, amplified by a small eigenvalue near a fold, sets a floor on it)
      const floor = rel > 0.9 * prevRel;
      prevRel = rel;
      if (positive && dec <= DECREMENT_TOL * scale && (rel <= STEP_TOL || floor)) return { status: "converged", minimum: this.pack(u, F, eg, dec, it) };
      if (positive && dec < 1e-6 * scale) {
        // quadratic-convergence region: beta f can no longer tell the iterates apart (its change
        // ~dec/2 nears its rounding), so take full Newton steps until they stop moving u (near a
        // singular Hessian, at a fold or a bifurcation, this convergence is only linear)
        move(1, p);
        if (red.inDomain(trial)) {
          u.set(trial);
          if (rel < 4e-16) {
            const r = red.eval(alpha, u, gFull, HFull);
            sub();
            const ev = jacobiEigen(H, n).values;
            if (!(ev[0] > 0)) return { status: "saddle", minimum: null };
            return { status: "converged", minimum: this.pack(u, r.F, r.eg, this.decrement(g, H, n), it + 1) };
          }
          continue;
        }
      }
      if (!positive && dec <= DECREMENT_TOL * scale) {
        // a saddle with a vanishing gradient: push along the most negative curvature
        for (let k = 0; k < n; k++) p[k] = 1e-3 * vectors[k * n];
      }
      let gp = 0;
      for (let k = 0; k < n; k++) gp += g[k] * p[k];
      let t = 1;
      let accepted = false;
      for (let h = 0; h < 80; h++) {
        move(t, p);
        const Ft = red.value(alpha, trial);
        if (Ft < F + 1e-4 * t * Math.min(gp, 0) || (Ft === F && gp === 0)) {
          accepted = true;
          break;
        }
        // pushing off a saddle: try the other side once
        if (!positive && dec <= DECREMENT_TOL * scale && h === 0) {
          for (let k = 0; k < n; k++) p[k] = -p[k];
          continue;
        }
        t *= 0.5;
      }
      if (!accepted) {
        if (++stalls > 2) return { status: positive ? "stalled" : "saddle", minimum: null };
        continue;
      }
      u.set(trial);
    }
    return { status: "max-iterations", minimum: null };
  }

  /** g^T H^-1 g (Infinity when H is singular). */
  private decrement(g: Float64Array, H: Float64Array, n: number): number {
    const x = solveSmall(H, g, n);
    if (!x) return Infinity;
    let d = 0;
    for (let k = 0; k < n; k++) d += g[k] * x[k];
    return d;
  }

  /** The point with the eigenvalues of the full Hessian (at an R = S point found in the subspace they may be negative). */
  private pack(u: Float64Array, F: number, eg: number, dec: number, it: number): LocalMinimum {
    this.red.eval(0 + this.lastAlpha, u, this.g, this.H);
    const values = jacobiEigen(this.H, this.red.n).values;
    const x = this.red.toRSC(u);
    return { u: Float64Array.from(u), R: x[0], S: x[1], C: x[2], freeEnergy: F, eg, scaledEigenvalues: values, decrement: dec, iterations: it };
  }
}

/**
 * Starting points spread over the domain: R - S across (-1, 1), c = (K-1) C across (-1, min(4,
 * (K-1)(1 - (R-S)^2))) (the whole domain for K <= 5; for larger K the minima have C = O(1/K)),
 * and m across the allowed interval |m| < sqrt(1 + c).
 */
export function startingPoints(red: FreeEnergyModel, perAxis: number): Float64Array[] {
  const K = red.K;
  const t = Array.from({ length: perAxis }, (_, i) => (i + 0.5) / perAxis);
  if (K === 1) return t.map((x) => Float64Array.of(0.98 * (2 * x - 1)));
  const out: Float64Array[] = [];
  for (const td of t)
    for (const tc of t)
      for (const tm of t) {
        const d = 0.98 * (2 * td - 1);
        const cMin = -1, cMax = Math.min(4, (K - 1) * (1 - d * d));
        const c = cMin + (cMax - cMin) * (0.02 + 0.96 * tc);
        const mMax = Math.sqrt(Math.max(0, 1 + c));
        const m = 0.98 * mMax * (2 * tm - 1);
        const u = Float64Array.of(Math.sqrt(K) * d, m, c);
        if (red.inDomain(u)) out.push(u);
      }
  return out;
}

/** Distance between two minima relative to the domain's extent in each scaled coordinate. */
export function distance(red: FreeEnergyModel, u: ArrayLike<number>, v: ArrayLike<number>): number {
  const K = red.K;
  if (K === 1) return Math.abs(u[0] - v[0]);
  // extents: p in (-sqrt K, sqrt K), m in (-sqrt K, sqrt K), c in (-1, K-1)
  const sk = Math.sqrt(K);
  return Math.max(Math.abs(u[0] - v[0]) / sk, Math.abs(u[1] - v[1]) / sk, Math.abs(u[2] - v[2]) / K);
}

/**
 * Two converged minima are the same point when they are closer than sameTol, or when their free
 * energies agree to rounding and beta f has no barrier between them (midpoint not higher): near a
 * fold or a bifurcation the Hessian is nearly singular and Newton's limit points scatter along the
 * flat direction by more than sameTol.
 */
export function samePoint(min: Minimizer, alpha: number, a: LocalMinimum, b: LocalMinimum, sameTol: number): boolean {
  if (distance(min.red, a.u, b.u) < sameTol) return true;
  const scale = 1e-12 * Math.max(1, Math.abs(a.freeEnergy));
  if (Math.abs(a.freeEnergy - b.freeEnergy) > scale) return false;
  const mid = a.u.map((x, k) => 0.5 * (x + b.u[k]));
  return min.red.value(alpha, mid) <= Math.max(a.freeEnergy, b.freeEnergy) + scale;
}

/** Every distinct local minimum reached from the starts (and the extra seeds). */
export function allMinima(min: Minimizer, alpha: number, starts: Float64Array[], sameTol = 1e-7): LocalMinimum[] {
  const found: LocalMinimum[] = [];
  for (const s of starts) {
    const r = min.minimize(alpha, s);
    if (r.status !== "converged" || !r.minimum) continue;
    const m = r.minimum;
    const same = found.findIndex((f) => samePoint(min, alpha, f, m, sameTol));
    // of two representatives of one flat minimum keep the one closer to R = S symmetry (smaller |p|)
    if (same < 0) found.push(m);
    else if (Math.abs(m.u[0]) < Math.abs(found[same].u[0]) && m.freeEnergy <= found[same].freeEnergy + 1e-12 * Math.max(1, Math.abs(m.freeEnergy))) found[same] = m;
  }
  return found;
}
