// Learning curves of the equilibrium theory (docs/theory.md section 5): every local minimum of beta f over an alpha
// grid, found by multistart and by continuation from the neighbouring grid points in both
// directions (so that metastable branches are followed through hysteresis), linked into branches.
import { resolveOption } from "../options/check";
import { equilibriumAlphaMax, equilibriumSamples } from "../options/catalog/equilibrium";
import { resolveAlphas } from "../options/rules";
import * as check from "../core/validate";
import { checkModel, freeEnergy, type EquilibriumActivation } from "./freeEnergy";
import { labelOf, Solver, type BranchLabel } from "./branches";
import { samePoint, type LocalMinimum } from "./minima";
import { jacobiEigen } from "../numerics/jacobiEigen";
import { siteSymmetryCheck, SITE_SYMMETRY_DEFAULT_MAX_K, SITE_SYMMETRY_MAX_K, type SiteSymmetryCheck } from "./siteSymmetry";
import { SAME_POINT } from "./branches";
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";

/** Activation, K and the alpha grid of the equilibrium learning curves. */
export interface EquilibriumOptions {
  activation: EquilibriumActivation;
  K: number;
  /** Explicit alpha grid (ascending, >= 0); otherwise `samples` points from 0 to alphaMax. */
  alphas?: ArrayLike<number>;
  alphaMax?: number;
  samples?: number;
  /** Starting points per axis of the multistart grid (default 3: 27 starts per alpha). */
  startsPerAxis?: number;
  /** Check stability against deviations from site symmetry (default: K <= 10; at most K = 30). */
  siteSymmetry?: boolean;
  /** Run that check on this many evenly spaced grid points (default 50; each costs a dense eigenproblem). */
  siteSymmetrySamples?: number;
}

/** One branch of local minima of beta f along the alpha grid (null where it does not exist). */
export interface Branch {
  label: BranchLabel;
  /** Values over the alpha grid; null where the branch does not exist. */
  R: (number | null)[];
  S: (number | null)[];
  C: (number | null)[];
  eg: (number | null)[];
  freeEnergy: (number | null)[];
  /** Eigenvalues of the Hessian of beta f in (R, S, C), ascending. */
  hessianEigenvalues: (number[] | null)[];
  /** Site-symmetry check (all K^2 + K(K-1)/2 order parameters), when run. */
  siteSymmetry: (SiteSymmetryCheck | null)[];
}

/** Every branch of minima on the alpha grid and, at each alpha, which one is the global minimum. */
export interface EquilibriumResult {
  activation: EquilibriumActivation;
  K: number;
  alpha: Float64Array;
  branches: Branch[];
  /** Index into branches of the global minimum at each alpha. */
  global: Int32Array;
  siteSymmetryChecked: boolean;
  stats: { wallTimeMs: number; minimizations: number };
}

export function resolveEquilibriumOptions(o: EquilibriumOptions) {
  if (o === null || typeof o !== "object") throw new TypeError(`equilibrium options must be an object; got ${String(o)}`);
  const model = checkModel(o.activation, o.K);
  let alphas: number[];
  if (o.alphas !== undefined) {
    alphas = resolveAlphas(o);
  } else {
    const alphaMax = resolveOption<number>(equilibriumAlphaMax, o.alphaMax);
    const samples = resolveOption<number>(equilibriumSamples, o.samples);
    alphas = Array.from({ length: samples }, (_, i) => (alphaMax * i) / (samples - 1));
  }
  const startsPerAxis = check.number("startsPerAxis", o.startsPerAxis ?? 3, { min: 2, max: 12, integer: true });
  const siteSymmetry = check.bool("siteSymmetry", o.siteSymmetry ?? model.K <= SITE_SYMMETRY_DEFAULT_MAX_K);
  if (siteSymmetry && model.K > SITE_SYMMETRY_MAX_K) throw check.rangeError("siteSymmetry", siteSymmetry, `false for K > ${SITE_SYMMETRY_MAX_K}`, { related: ["K"], reason: `needs K <= ${SITE_SYMMETRY_MAX_K} (a dense Hessian of K^2 + K(K-1)/2 parameters); got K = ${model.K}` });
  const siteSymmetrySamples = check.number("siteSymmetrySamples", o.siteSymmetrySamples ?? 50, { min: 1, integer: true });
  return { model, alphas, startsPerAxis, siteSymmetry, siteSymmetrySamples };
}

/**
 * Work of equilibrium(): minimizations ~ 1.1 x alpha points x starts (measured, bench/calibrate.ts:
 * the grid pass and the continuation sweeps), plus the site-symmetry checks (a dense Hessian of
 * p = K^2 + K(K-1)/2 parameters each, p^3 work).
 */
export function equilibriumEstimate(options: EquilibriumOptions): Estimate {
  const { model, alphas, startsPerAxis, siteSymmetry, siteSymmetrySamples } = resolveEquilibriumOptions(options);
  return estimateOf(model.K, alphas.length, startsPerAxis, siteSymmetry, siteSymmetrySamples);
}

function estimateOf(K: number, N: number, startsPerAxis: number, siteSymmetry: boolean, siteSymmetrySamples: number): Estimate {
  const starts = K === 1 ? startsPerAxis : startsPerAxis ** 3;
  const minimizations = 1.1 * N * starts;
  const p = K * K + (K * (K - 1)) / 2;
  const checks = siteSymmetry && K > 1 ? 3 * Math.min(N, siteSymmetrySamples) : 0;
  const seconds = minimizations * hostUnit("minimization") + checks * p ** 3 * hostUnit("siteCheck");
  return estimate(seconds, N * 4096 + (checks ? 8 * p * p * 2 : 0), `~${fmtCount(minimizations)} minimizations (${N} alpha points x ${starts} starts) x ${fmtSeconds(hostUnit("minimization"))}${checks ? ` + ${checks} site-symmetry checks of ${p} parameters` : ""}`, ["samples", "startsPerAxis", ...(checks ? ["siteSymmetry", "K"] : [])], hostUnit("minimization") * starts, hostUnit("minimization") * starts);
}

/** Every local minimum of the site-symmetric free energy over an alpha grid (docs/theory.md section 5.5). */
export function equilibrium(options: EquilibriumOptions & RunControl): EquilibriumResult {
  const t0 = performance.now();
  const { model, alphas, startsPerAxis, siteSymmetry, siteSymmetrySamples } = resolveEquilibriumOptions(options);
  const est = estimateOf(model.K, alphas.length, startsPerAxis, siteSymmetry, siteSymmetrySamples);
  // a partial set of branches would misplace the transitions: no "truncate", only refuse
  const budget = new WorkBudget("equilibrium", est, resolveControl(options), est.firstChunkSeconds, false);
  const sol = new Solver(model, startsPerAxis);
  const N = alphas.length;
  const total = Math.ceil(1.1 * N * sol.starts.length);
  let charged = 0;
  sol.onMinimize = () => {
    budget.charge((sol.minimizations - charged) * hostUnit("minimization"));
    charged = sol.minimizations;
    budget.step("equilibrium", Math.min(sol.minimizations, total), total, "minimizations");
  };
  const sets: LocalMinimum[][] = alphas.map((a) => sol.minimaAt(a, [], true));
  // continuation sweeps: each minimum seeds the neighbouring grid point, forwards and backwards,
  // until no sweep adds a minimum (a metastable branch is then followed to its end both ways)
  const add = (i: number, ms: LocalMinimum[]) => {
    let added = false;
    for (const m of ms) {
      if (sets[i].some((f) => samePoint(sol.min, alphas[i], f, m, SAME_POINT))) continue;
      sets[i].push(m);
      added = true;
    }
    return added;
  };
  for (let sweep = 0; sweep < 6; sweep++) {
    let added = false;
    for (let i = 1; i < N; i++) added = add(i, sol.minimaAt(alphas[i], sets[i - 1].map((m) => m.u), false)) || added;
    for (let i = N - 2; i >= 0; i--) added = add(i, sol.minimaAt(alphas[i], sets[i + 1].map((m) => m.u), false)) || added;
    if (!added) break;
  }
  // link: a minimum continues the branch of the same label whose point at the previous grid point
  // is nearest (and within 30 % of the domain's extent); otherwise it starts a new branch
  interface Open { label: BranchLabel; idx: number[]; pts: (LocalMinimum | null)[] }
  const branches: Open[] = [];
  for (let i = 0; i < N; i++) {
    const taken = new Set<number>();
    const count = (l: BranchLabel) => sets[i].filter((m) => labelOf(m.R, m.S) === l).length;
    for (const m of [...sets[i]].sort((a, b) => a.freeEnergy - b.freeEnergy)) {
      const label = labelOf(m.R, m.S);
      // one minimum of this label here and one branch of it at the previous alpha: they are linked
      // whatever the distance (coarse grids); otherwise the nearest within 30 % of the domain
      const open = branches.filter((b) => b.label === label && i > 0 && b.pts[i - 1]).length;
      let best = -1, bestD = count(label) === 1 && open === 1 ? Infinity : 0.3;
      branches.forEach((b, j) => {
        const prev = i > 0 ? b.pts[i - 1] : null;
        if (b.label !== label || taken.has(j) || !prev) return;
        const d = sol.distance(prev, m);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      });
      if (best < 0) {
        branches.push({ label, idx: [], pts: new Array(N).fill(null) });
        best = branches.length - 1;
      }
      taken.add(best);
      branches[best].pts[i] = m;
    }
  }
  const global = new Int32Array(N).fill(-1);
  for (let i = 0; i < N; i++) {
    let lo = Infinity;
    branches.forEach((b, j) => {
      const p = b.pts[i];
      if (p && p.freeEnergy < lo) {
        lo = p.freeEnergy;
        global[i] = j;
      }
    });
  }
  const checked = new Set<number>();
  for (let k = 0; k < Math.min(N, siteSymmetrySamples); k++) checked.add(Math.round((k * (N - 1)) / Math.max(1, Math.min(N, siteSymmetrySamples) - 1)));
  const out: Branch[] = branches.map((b) => ({
    label: b.label,
    R: b.pts.map((p) => (p ? p.R : null)),
    S: b.pts.map((p) => (p ? p.S : null)),
    C: b.pts.map((p) => (p ? p.C : null)),
    eg: b.pts.map((p) => (p ? p.eg : null)),
    freeEnergy: b.pts.map((p) => (p ? p.freeEnergy : null)),
    hessianEigenvalues: b.pts.map((p, i) => {
      if (!p) return null;
      const f = freeEnergy({ activation: model.activation, K: model.K, alpha: alphas[i], R: p.R, S: p.S, C: p.C });
      if (!f.hessian) return null;
      const n = model.K === 1 ? 1 : 3;
      return Array.from(jacobiEigen(f.hessian.slice(0, n).flatMap((r) => r.slice(0, n)), n).values);
    }),
    siteSymmetry: b.pts.map((p, i) => (p && siteSymmetry && model.K > 1 && checked.has(i) ? siteSymmetryCheck(model, alphas[i], p.R, p.S, p.C) : null)),
  }));
  return { activation: model.activation, K: model.K, alpha: Float64Array.from(alphas), branches: out, global, siteSymmetryChecked: siteSymmetry && model.K > 1, stats: { wallTimeMs: performance.now() - t0, minimizations: sol.minimizations } };
}
