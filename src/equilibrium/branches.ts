// Labels of minima and the shared machinery of equilibrium() and transitions(): a solver bound to one
// model that finds the minima at an alpha from seeds plus a grid of starts.
import { Reduced } from "./coordinates";
import { allMinima, distance, Minimizer, startingPoints, type LocalMinimum } from "./minima";
import type { Model } from "./freeEnergy";
import type { FreeEnergyModel } from "./freeEnergyModel";

export const LABELS = ["unspecialized", "specialized", "antiSpecialized"] as const;
export type BranchLabel = (typeof LABELS)[number];

/**
 * |R - S| at or below which a minimum counts as unspecialized. On the R = S branch the computed
 * |R - S| is ~1e-17 (the subspace is exactly invariant); a genuinely specialised minimum has
 * |R - S| >= 1e-9 unless alpha is within ~1e-18 (relative) of a continuous transition.
 */
export const LABEL_TOLERANCE = 1e-9;

export function labelOf(R: number, S: number): BranchLabel {
  if (Math.abs(R - S) <= LABEL_TOLERANCE) return "unspecialized";
  return R > S ? "specialized" : "antiSpecialized";
}

/** Two minima closer than this (in the scaled distance of minima.ts) are the same point. */
export const SAME_POINT = 1e-7;

export class Solver {
  readonly red: FreeEnergyModel;
  readonly min: Minimizer;
  readonly starts: Float64Array[];
  minimizations = 0;
  /** Called after each batch of minimizations (progress, abort; src/work). */
  onMinimize: (() => void) | undefined;
  /** The physical model (activation, K), or an injected free energy (tests: synthetic transitions). */
  constructor(model: Model | FreeEnergyModel, startsPerAxis: number) {
    this.red = "activation" in model ? new Reduced(model) : model;
    this.min = new Minimizer(this.red);
    this.starts = startingPoints(this.red, startsPerAxis);
  }

  /** Every distinct local minimum from the seeds (tried first) and, if asked, the grid of starts. */
  minimaAt(alpha: number, seeds: ArrayLike<number>[], withStarts: boolean): LocalMinimum[] {
    const starts = withStarts ? [...seeds.map((s) => Float64Array.from(s)), ...this.starts] : seeds.map((s) => Float64Array.from(s));
    this.minimizations += starts.length;
    const found = allMinima(this.min, alpha, starts, SAME_POINT).map((m) => this.snap(alpha, m));
    this.onMinimize?.();
    return found;
  }

  /**
   * A minimum within 1e-5 of R = S whose R = S counterpart (the subspace minimum, exactly
   * symmetric) is also a full minimum with no higher beta f is that point: near alpha_inst the
   * antisymmetric eigenvalue is tiny and Newton's limit drifts off R = S by rounding / eigenvalue.
   */
  snap(alpha: number, m: LocalMinimum): LocalMinimum {
    if (this.red.K === 1 || Math.abs(m.R - m.S) > 1e-5 || Math.abs(m.R - m.S) <= LABEL_TOLERANCE) return m;
    const s = this.symmetric(alpha, m.u);
    if (s && s.scaledEigenvalues[0] > 0 && s.freeEnergy <= m.freeEnergy + 1e-12 * Math.max(1, Math.abs(m.freeEnergy))) return s;
    return m;
  }

  /** The minimum reached from one start, or null. */
  from(alpha: number, start: ArrayLike<number>, maxIterations = 200): LocalMinimum | null {
    this.minimizations++;
    const r = this.min.minimize(alpha, start, { maxIterations });
    return r.status === "converged" ? r.minimum : null;
  }

  /** The minimum of beta f within the R = S subspace (p = 0), which may be a saddle in the full space. */
  symmetric(alpha: number, start: ArrayLike<number>): LocalMinimum | null {
    if (this.red.K === 1) return null;
    this.minimizations++;
    const u = Float64Array.from(start);
    u[0] = 0;
    const r = this.min.minimize(alpha, u, { free: [1, 2] });
    return r.status === "converged" ? r.minimum : null;
  }

  distance(a: LocalMinimum, b: LocalMinimum): number {
    return distance(this.red, a.u, b.u);
  }
}

/**
 * One branch of minima with a given label, followed by natural-parameter continuation in alpha from
 * its nearest known point (steps of at most 2 % in alpha, halved on failure). A step is accepted
 * when Newton from the previous point converges to a minimum with the same label that moved by at
 * most 30 % of |R - S| (so it did not slide into another branch's basin).
 */
export class Tracker {
  readonly points: { alpha: number; m: LocalMinimum }[] = [];
  constructor(readonly sol: Solver, readonly label: BranchLabel, alpha: number, m: LocalMinimum) {
    this.points.push({ alpha, m });
  }

  private step(from: LocalMinimum, alpha: number): LocalMinimum | null {
    // from a nearby point Newton needs a handful of iterations (linear convergence near a fold
    // takes more); a failed step costs at most 60
    const m = this.sol.from(alpha, from.u, 60);
    if (!m || labelOf(m.R, m.S) !== this.label) return null;
    const d = Math.abs(from.R - from.S);
    return this.sol.distance(m, from) <= 0.3 * d + 1e-12 ? m : null;
  }

  private insert(alpha: number, m: LocalMinimum): void {
    let i = this.points.findIndex((p) => p.alpha > alpha);
    if (i < 0) i = this.points.length;
    this.points.splice(i, 0, { alpha, m });
  }

  /** The branch's minimum at alpha, or null where continuation cannot reach it (the branch ends). */
  at(alpha: number): LocalMinimum | null {
    let best = this.points[0];
    for (const p of this.points) if (Math.abs(p.alpha - alpha) < Math.abs(best.alpha - alpha)) best = p;
    let a = best.alpha, cur = best.m;
    let h = 0.02;
    for (let attempts = 0; a !== alpha; attempts++) {
      if (attempts > 400) return null;
      const next = Math.abs(alpha - a) <= h * Math.max(a, alpha) ? alpha : a + Math.sign(alpha - a) * h * a;
      const m = this.step(cur, next);
      if (m) {
        a = next;
        cur = m;
        h = Math.min(0.02, 2 * h);
        if (a !== alpha) this.insert(a, m);
      } else {
        h *= 0.5;
        if (h < 1e-15) return null;
      }
    }
    this.insert(alpha, cur);
    return cur;
  }

  /** Continue downwards until the branch ends; returns its last point (alpha located to ~1e-14 relative). */
  lowerEnd(): { alpha: number; m: LocalMinimum; converged: boolean; resolution: number } {
    let { alpha: a, m: cur } = this.points[0];
    let h = 0.05;
    // at most 400 attempts: ~40 halvings to 1e-14 plus the approach (each success may double h)
    for (let attempts = 0; h > 1e-14 && a > 0 && attempts < 400; attempts++) {
      const next = a * (1 - h);
      const m = this.step(cur, next);
      if (m) {
        a = next;
        cur = m;
        this.insert(a, m);
        h = Math.min(2 * h, 0.05);
      } else h *= 0.5;
    }
    // close to a fold Newton converges only linearly and steps start failing for that reason; the
    // end is then known to the last step size: accept 1e-10 relative
    return { alpha: a, m: cur, converged: h <= 1e-10, resolution: h };
  }
}
