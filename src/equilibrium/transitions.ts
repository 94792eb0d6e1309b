// Characteristic training-set sizes of the specialisation transition (docs/theory.md section 5): alpha_s, alpha_c,
// alpha_inst, the kind of the transition and the branches there, decided from the free energy.
import * as check from "../core/validate";
import { checkModel, type EquilibriumActivation, type Model } from "./freeEnergy";
import type { FreeEnergyModel } from "./freeEnergyModel";
import { foldCurvature, foldPoint, freeEnergyDifference, StationaryBranch, stationaryPoint, symmetricInstability, type CriticalPoint } from "./folds";
import { labelOf, SAME_POINT, Solver, Tracker, type BranchLabel } from "./branches";
import { distance, samePoint, type LocalMinimum } from "./minima";
import { bisect } from "../numerics/bisection";
import { brent } from "../numerics/brent";
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";

/** Activation and K, and how far and how densely to search. */
export interface TransitionsOptions {
  activation: EquilibriumActivation;
  K: number;
  /** Largest alpha scanned for the loss of stability of the R = S branch (default 1e7). */
  alphaScanMax?: number;
  /** Starting points per axis of the multistart grid (default 4, i.e. 64 starts). */
  startsPerAxis?: number;
}

/** A local minimum at one of the characteristic alphas. */
export interface BranchPoint {
  label: BranchLabel;
  R: number;
  S: number;
  C: number;
  eg: number;
  freeEnergy: number;
  /** The point's alpha (see definitions.branches). */
  alpha: number;
}

/** alpha_s, alpha_c, alpha_inst with definitions, methods and tolerances, the kind of transition and the minima there. */
export interface TransitionsResult {
  activation: EquilibriumActivation;
  K: number;
  alphaS: number | null;
  alphaC: number | null;
  alphaInst: number | null;
  definitions: { alphaS: string; alphaC: string; alphaInst: string; branches: string; kind: string };
  /** How each value was located and to what tolerance. */
  methods: { alphaS: string; alphaC: string; alphaInst: string };
  /** The relative tolerance each value was located to (the numbers stated in methods; null: none). */
  tolerances: { alphaS: number | null; alphaC: number | null; alphaInst: number | null };
  kind: "continuous" | "discontinuous" | "none";
  /** (R - S) of the new global minimum minus that of the old one at alpha_c (discontinuous only). */
  jump: number | null;
  /** Fitted exponent of |R - S| against alpha - alpha_c (continuous only). */
  exponent: { value: number; window: [number, number]; points: number; maxResidual: number } | null;
  /** How the R = S minimum loses stability and what the minimizer reaches from it just beyond. */
  instability: { mode: "antisymmetric" | "fold"; replacedBy: BranchLabel[] } | null;
  branches: { alphaS: BranchPoint[]; alphaC: BranchPoint[]; alphaInst: BranchPoint[] };
  status: "ok" | "no-transition" | "unresolved";
  warnings: string[];
  message: string;
  stats: { wallTimeMs: number; minimizations: number };
}

const DEFINITIONS = {
  alphaS: "smallest alpha at which a specialised (R > S) local minimum of beta f exists: the fold where that branch appears (or the bifurcation point on the R = S branch when it grows out of it continuously)",
  alphaC: "alpha at which the specialised minimum becomes the global minimum: equal free energies (discontinuous transition), or where |R - S| of the global minimum starts to grow (continuous)",
  alphaInst: "alpha at which the smallest Hessian eigenvalue of the R = S (unspecialised) minimum, continued from alpha = 0, crosses zero (the minimum loses stability; [O] calls it alpha_d for sigmoidal K >= 3)",
  branches: "every local minimum found (seeded continuation plus a grid of starts) at alphaS (1 + 1e-9), alphaC and alphaInst (1 - 1e-9)",
  kind: "discontinuous when the global minimum's R - S jumps at alphaC (the new minimum coexists with the old one), continuous when the specialised branch grows out of the R = S branch there",
};

function point(m: LocalMinimum, alpha: number): BranchPoint {
  return { label: labelOf(m.R, m.S), R: m.R, S: m.S, C: m.C, eg: m.eg, freeEnergy: m.freeEnergy, alpha };
}

export function resolveTransitionsOptions(o: TransitionsOptions) {
  if (o === null || typeof o !== "object") throw new TypeError(`transitions options must be an object; got ${String(o)}`);
  const model = checkModel(o.activation, o.K);
  const alphaScanMax = check.number("alphaScanMax", o.alphaScanMax ?? 1e7, { min: 0, minExclusive: true });
  const startsPerAxis = check.number("startsPerAxis", o.startsPerAxis ?? 4, { min: 2, max: 12, integer: true });
  return { model, alphaScanMax, startsPerAxis };
}

/** Minimizations of transitions() at startsPerAxis = 4 (measured: ~2500 for K = 2 and 5, bench/calibrate.ts). */
const TRANSITION_MINIMIZATIONS = 2600;

export function transitionsEstimate(options: TransitionsOptions): Estimate {
  const { model, startsPerAxis } = resolveTransitionsOptions(options);
  return estimateOf(model.K, startsPerAxis);
}

function estimateOf(K: number, startsPerAxis: number): Estimate {
  const m = K === 1 ? 1 : TRANSITION_MINIMIZATIONS * (startsPerAxis / 4) ** 3;
  const per = hostUnit("transitionMinimization");
  return estimate(m * per, 1 << 20, `~${fmtCount(m)} minimizations (scans and bisections, startsPerAxis = ${startsPerAxis}) x ${fmtSeconds(per)}`, ["startsPerAxis"], per, m * per);
}

/** The characteristic alphas and the kind of the specialisation transition (docs/theory.md section 5.6). */
export function transitions(options: TransitionsOptions & RunControl): TransitionsResult {
  const { model, alphaScanMax, startsPerAxis } = resolveTransitionsOptions(options);
  const est = estimateOf(model.K, startsPerAxis);
  const budget = new WorkBudget("transitions", est, resolveControl(options), est.firstChunkSeconds, false);
  const total = Math.ceil(est.seconds / hostUnit("transitionMinimization"));
  let charged = 0;
  return transitionsOf(model, { activation: model.activation, alphaScanMax, startsPerAxis }, (sol) => {
    sol.onMinimize = () => {
      budget.charge((sol.minimizations - charged) * hostUnit("transitionMinimization"));
      charged = sol.minimizations;
      budget.step("transitions", Math.min(sol.minimizations, total), total, "minimizations");
    };
  });
}

/**
 * The solvers on any free energy with the FreeEnergyModel interface (the physical one, or a synthetic
 * one with a known answer in the tests); activation only labels the result.
 */
export function transitionsOf(model: Model | FreeEnergyModel, o: { activation: EquilibriumActivation; alphaScanMax: number; startsPerAxis: number }, watch?: (sol: Solver) => void): TransitionsResult {
  const t0 = performance.now();
  const { alphaScanMax, startsPerAxis } = o;
  const sol = new Solver(model, startsPerAxis);
  watch?.(sol);
  const K = sol.red.K;
  const base = { activation: o.activation, K, definitions: DEFINITIONS };
  const done = (r: Omit<TransitionsResult, "activation" | "K" | "definitions" | "stats">): TransitionsResult => ({ ...base, ...r, stats: { wallTimeMs: performance.now() - t0, minimizations: sol.minimizations } });
  const none = { alphaS: "", alphaC: "", alphaInst: "" };
  const noTol = { alphaS: null, alphaC: null, alphaInst: null };
  if (K === 1) {
    return done({ alphaS: null, alphaC: null, alphaInst: null, methods: none, tolerances: noTol, kind: "none", jump: null, exponent: null, instability: null, branches: { alphaS: [], alphaC: [], alphaInst: [] }, status: "no-transition", warnings: [], message: "K = 1: a single unit has no specialisation (one minimum, R > 0 for every alpha > 0)" });
  }
  const red = sol.red;
  const g = new Float64Array(3), H = new Float64Array(9);
  // the R = S block structure: at p = 0 the Hessian is block diagonal, H_pp is the antisymmetric
  // mode's eigenvalue and the (m, c) block holds the symmetric ones
  const modes = (alpha: number, u: Float64Array) => {
    red.eval(alpha, u, g, H);
    const tr = H[4] + H[8], det = H[4] * H[8] - H[5] * H[7];
    const symMin = tr / 2 - Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
    return { anti: H[0], sym: symMin };
  };

  // 1. alpha_inst: follow the R = S minimum from alpha = 0 until an eigenvalue changes sign
  let uPrev: LocalMinimum | null = sol.symmetric(0, [0, 0, 0]);
  if (!uPrev) throw new Error("internal: no R = S minimum at alpha = 0");
  let aPrev = 0;
  let alphaInst: number | null = null;
  let instMode: "antisymmetric" | "fold" = "antisymmetric";
  let instMethod = "";
  let tolInst: number | null = null;
  let uInst: LocalMinimum | null = null;
  for (let step = 0; aPrev < alphaScanMax && step < 5000; step++) {
    const a = Math.min(alphaScanMax, aPrev * 1.03 + 0.02);
    const u = sol.symmetric(a, uPrev.u);
    const md = u ? modes(a, u.u) : null;
    if (!u || !md || md.sym <= 0) {
      // the R = S branch ends (fold): bisection on its existence, continuing from the last point
      let last: LocalMinimum = uPrev;
      const ended = (mid: number) => {
        const v = sol.symmetric(mid, last.u);
        const mv = v ? modes(mid, v.u) : null;
        if (v && mv && mv.sym > 0 && Math.abs(v.u[1] - last.u[1]) + Math.abs(v.u[2] - last.u[2]) < 0.1) {
          last = v;
          return false;
        }
        return true;
      };
      alphaInst = bisect(ended, aPrev, a, { relativeTolerance: 1e-13 }).bracket[0];
      instMode = "fold";
      instMethod = "bisection on the existence of the R = S minimum (continued from below) to 1e-13 relative";
      tolInst = 1e-13;
      uInst = last;
      break;
    }
    if (md.anti <= 0) {
      // the antisymmetric eigenvalue H_pp crosses zero: Newton on the extended system (grad = 0 in the
      // R = S subspace, H_pp = 0) from the secant estimate; Brent along the branch if that fails
      const fa = modes(aPrev, uPrev.u).anti;
      const crit = symmetricInstability(red, aPrev + ((a - aPrev) * fa) / (fa - md.anti), uPrev.u);
      if (crit.converged && crit.alpha >= aPrev && crit.alpha <= a && crit.tolerance < 1e-7) {
        alphaInst = crit.alpha;
        tolInst = crit.tolerance;
        instMethod = `Newton on the extended system grad f = 0 (R = S subspace), H_pp = 0 (the antisymmetric Hessian eigenvalue), ${crit.iterations} iterations; accuracy ${tolInst.toExponential(1)} relative (last correction or residual rounding through the inverse Jacobian)`;
        uInst = sol.symmetric(alphaInst, crit.u);
        break;
      }
      let seed = uPrev;
      const f = (x: number) => {
        const v = sol.symmetric(x, seed.u);
        if (!v) return NaN;
        seed = v;
        return modes(x, v.u).anti;
      };
      alphaInst = brent(f, aPrev, a, { fa, fb: md.anti, tolerance: 1e-15 * a }).value;
      instMethod = "Brent's method on the antisymmetric Hessian eigenvalue of the R = S branch, to 1e-15 relative in alpha";
      tolInst = 1e-15;
      uInst = sol.symmetric(alphaInst, seed.u);
      break;
    }
    uPrev = u;
    aPrev = a;
  }

  // what the minimizer reaches from the R = S point just past the instability (pushed either way along p)
  let instability: TransitionsResult["instability"] = null;
  if (alphaInst !== null && uInst) {
    const past = alphaInst * (1 + 1e-4);
    const labels = new Set<BranchLabel>();
    for (const sgn of [1, -1]) {
      const start = Float64Array.from(uInst.u);
      start[0] = sgn * 1e-3 * Math.sqrt(K);
      const m = sol.from(past, start);
      if (m) labels.add(labelOf(m.R, m.S));
    }
    instability = { mode: instMode, replacedBy: [...labels] };
  }

  // 2. the specialised branch: multistart on a geometric alpha grid for the first R > S minimum
  // (from alpha = 0.1 up to 4 alpha_inst, 16 points per decade)
  const ref = alphaInst ?? alphaScanMax;
  const gridLo = Math.min(0.1, ref / 20), gridHi = 4 * ref;
  let first: { alpha: number; m: LocalMinimum } | null = null;
  const gridN = Math.ceil(16 * Math.log10(gridHi / gridLo)) + 1;
  for (let i = 0; i < gridN && !first; i++) {
    const a = gridLo * Math.pow(gridHi / gridLo, i / (gridN - 1));
    const spec = sol.minimaAt(a, [], true).filter((m) => labelOf(m.R, m.S) === "specialized");
    if (spec.length) first = { alpha: a, m: spec.reduce((x, y) => (x.R - x.S > y.R - y.S ? x : y)) };
  }
  if (!first) {
    return done({ alphaS: null, alphaC: null, alphaInst, methods: { ...none, alphaInst: instMethod }, tolerances: { ...noTol, alphaInst: tolInst }, kind: "none", jump: null, exponent: null, instability, branches: { alphaS: [], alphaC: [], alphaInst: alphaInst !== null ? branchesAt(sol, alphaInst * (1 - 1e-9), uInst ? [uInst.u] : []) : [] }, status: "no-transition", warnings: [], message: `no specialised (R > S) minimum found for alpha in [${gridLo.toPrecision(3)}, ${gridHi.toPrecision(3)}]` });
  }
  // continue it downwards until it ceases to exist; the step halves on every failure (bisection)
  let P = new Tracker(sol, "specialized", first.alpha, first.m);
  const end = P.lowerEnd();
  let cur = end.m;
  const aCur = end.alpha;
  const warnings: string[] = [];
  const endDiff = cur.R - cur.S;
  // a fold keeps R - S finite at the branch's end; a branch growing out of R = S ends with
  // R - S -> 0 (~sqrt(1e-14) after the bisection) at the antisymmetric instability
  const merges = alphaInst !== null && instMode === "antisymmetric" && Math.abs(aCur - alphaInst) <= 1e-8 * alphaInst && endDiff < 1e-4;
  let alphaS: number, alphaC: number | null, kind: TransitionsResult["kind"], jump: number | null = null, exponent: TransitionsResult["exponent"] = null;
  let methodS: string, methodC: string;
  let tolS: number | null, tolC: number | null;
  let seedsC: ArrayLike<number>[] = [];
  let extraC: LocalMinimum[] = [];
  let aCAt: number | null = null;
  let foldSeed: { alpha: number; m: LocalMinimum } | null = null;
  if (merges) {
    // continuous: the specialised minimum grows out of the R = S branch at alpha_inst
    alphaS = alphaC = alphaInst!;
    kind = "continuous";
    methodS = methodC = "the specialised branch, continued downwards, merges into the R = S branch at its antisymmetric instability; value = alphaInst";
    tolS = tolC = tolInst;
    // |R - S| ~ (alpha - alpha_c)^exponent: fit on alpha - alpha_c in alpha_c [1e-6, 1e-3]
    const deltas = Array.from({ length: 13 }, (_, i) => Math.pow(10, -6 + (3 * i) / 12));
    const xs: number[] = [], ys: number[] = [];
    for (const dl of deltas) {
      const a = alphaC * (1 + dl);
      const m = P.at(a);
      if (!m) continue;
      xs.push(Math.log(a - alphaC));
      ys.push(Math.log(m.R - m.S));
    }
    if (xs.length >= 3) {
      const n = xs.length, mx = xs.reduce((s, x) => s + x, 0) / n, my = ys.reduce((s, y) => s + y, 0) / n;
      let sxy = 0, sxx = 0;
      for (let i = 0; i < n; i++) {
        sxy += (xs[i] - mx) * (ys[i] - my);
        sxx += (xs[i] - mx) ** 2;
      }
      const slope = sxy / sxx;
      const maxResidual = Math.max(...xs.map((x, i) => Math.abs(ys[i] - my - slope * (x - mx))));
      exponent = { value: slope, window: [1e-6, 1e-3], points: n, maxResidual };
    }
    seedsC = [cur.u];
  } else {
    // the branch's end is a fold: Newton on the extended system from the continuation's last point
    const fold = foldPoint(red, aCur, cur.u);
    const isSpec = (u: Float64Array, ev: Float64Array) => ev[0] > 0 && labelOf(red.toRSC(u)[0], red.toRSC(u)[1]) === "specialized";
    const near = fold.converged && fold.tolerance < 1e-9 ? specialisedNearFold(sol, fold, aCur, cur, isSpec) : null;
    let spec: StationaryBranch;
    let aLo: number;
    if (near) {
      alphaS = fold.alpha;
      tolS = fold.tolerance;
      methodS = `the specialised minimum continued downwards from where multistart first finds it to near its end; the fold by Newton on the extended system grad f = 0, H v = 0, l.v = 1 (${fold.iterations} iterations; third derivatives by central differences of the analytic Hessian); accuracy ${tolS.toExponential(1)} relative (last correction or residual rounding through the inverse Jacobian); a minimum verified at alpha_s (1 + ${(near.alpha / fold.alpha - 1).toExponential(0)})`;
      spec = new StationaryBranch(red, isSpec, near.alpha, near.u);
      aLo = near.alpha;
      foldSeed = { alpha: near.alpha, m: asMinimum(red, near.u, near.F, near.eg) };
    } else {
      alphaS = aCur;
      tolS = end.resolution;
      methodS = `the specialised minimum continued downwards from where multistart first finds it; its end (a fold) located by step halving (bisection on existence) to ${end.resolution.toExponential(1)} relative (the extended fold system did not converge)`;
      if (!end.converged) warnings.push(`the end of the specialised branch was resolved neither by the fold solver nor by continuation (last point alpha = ${aCur}, step ${end.resolution.toExponential(1)}); alphaS and what follows from it are not reliable`);
      spec = new StationaryBranch(red, isSpec, aCur, cur.u);
      aLo = aCur;
    }
    for (const q of P.points) spec.points.push({ alpha: q.alpha, u: q.m.u });
    // 3. alpha_c: beta f of the specialised minimum against the lowest other minimum (the R = S one
    // from the subspace minimiser below alpha_inst, the others by the minimiser with seeds)
    let others: LocalMinimum[] = [];
    let calls = 0;
    let symSeed: ArrayLike<number> = uInst ? uInst.u : cur.u;
    let noiseF = 0;
    const delta = (a: number): number => {
      const p = spec.at(a);
      if (!p) return NaN;
      const pm = asMinimum(red, p.u, p.F, p.eg);
      // the other minima: continued from the previous call's, with a multistart every 8th call
      // (the branch's own point, found again by the minimiser near the fold, is not another minimum)
      const own = (m: LocalMinimum) => samePoint(sol.min, a, m, pm, SAME_POINT) || (labelOf(m.R, m.S) === "specialized" && distance(red, m.u, pm.u) < 1e-3);
      const rest = sol.minimaAt(a, [...others.map((o) => o.u), ...(uInst ? [uInst.u] : [])], calls++ % 8 === 0).filter((m) => !own(m));
      if (alphaInst === null || a < alphaInst) {
        const sym = sol.symmetric(a, symSeed);
        if (sym && sym.scaledEigenvalues[0] > 0) {
          symSeed = sym.u;
          if (!rest.some((m) => samePoint(sol.min, a, m, sym, SAME_POINT))) rest.push(sym);
        }
      }
      if (!rest.length) return -Infinity;
      others = rest;
      const lowest = rest.reduce((x, y) => (x.freeEnergy < y.freeEnergy ? x : y));
      // the difference by integrating the gradient from the other minimum to the specialised one
      // (direct differences of beta f lose it at large K), with its error estimate
      const d = freeEnergyDifference(red, a, lowest.u, p.u);
      noiseF = d.error;
      return d.value;
    };
    let dLo = delta(aLo);
    alphaC = null;
    kind = "none";
    methodC = "";
    tolC = null;
    if (Number.isNaN(dLo)) {
      warnings.push(`the specialised minimum was not recovered by Newton at alpha = ${aLo} (just above alpha_s): alpha_c not located`);
    } else if (dLo < 0) {
      alphaC = alphaS;
      kind = "discontinuous";
      tolC = (tolS ?? 0) + Math.abs(aLo / alphaS - 1);
      methodC = `the specialised minimum is already the global one at the first point where it was verified, alpha_s (1 + ${Math.abs(aLo / alphaS - 1).toExponential(1)}): alpha_c lies between alpha_s and that point; accuracy ${tolC.toExponential(1)} relative; the jump is taken at that point (near the fold R - S varies like the square root of the distance to it)`;
    } else {
      // steps: 2 % of alpha, or a quarter of the way to alpha_inst when that is closer (at large K
      // for ReLU alpha_s, alpha_c and alpha_inst lie within 1e-9 of each other), doubling
      let h = alphaInst !== null && alphaInst > aLo ? Math.min(0.02 * aLo, 0.25 * (alphaInst - aLo)) : 0.02 * aLo;
      for (let i = 0; i < 400; i++) {
        const aHi = aLo + h;
        const dHi = delta(aHi);
        if (Number.isNaN(dHi)) break;
        if (dHi < 0) {
          const slope = Number.isFinite(dHi) ? Math.abs(dHi - dLo) / (aHi - aLo) : 0;
          alphaC = brent(delta, aLo, aHi, { fa: dLo, fb: dHi, tolerance: 1e-15 * aHi }).value;
          kind = "discontinuous";
          // the root of a difference known to noiseF (and 1e-16 of the terms' scale): alpha_c to noiseF / slope
          tolC = Math.max(1e-15, slope > 0 ? noiseF / slope / alphaC : 1e-15);
          methodC = `Brent's method on beta f(specialised) - beta f(lowest other minimum), each a stationary point by Newton to rounding, the difference as the integral of the gradient along the segment between them (Gauss-Legendre, 24 points); accuracy ${tolC.toExponential(1)} relative (the quadrature's error estimate divided by the slope of the difference)`;
          break;
        }
        aLo = aHi;
        dLo = dHi;
        h = Math.min(2 * h, 0.02 * aLo);
      }
    }
    if (alphaC !== null) {
      // the branches at alpha_c (at the first verified specialised point when that is already global)
      const aAt = dLo < 0 ? aLo : alphaC;
      aCAt = aAt;
      const p = spec.at(aAt);
      const pm = p ? asMinimum(red, p.u, p.F, p.eg) : null;
      const at = sol.minimaAt(aAt, others.map((o) => o.u), false).filter((m) => !pm || !(samePoint(sol.min, aAt, m, pm, SAME_POINT) || (labelOf(m.R, m.S) === "specialized" && distance(red, m.u, pm.u) < 1e-3)));
      if (alphaInst === null || aAt < alphaInst) {
        const sym = sol.symmetric(aAt, symSeed);
        if (sym && sym.scaledEigenvalues[0] > 0 && !at.some((m) => samePoint(sol.min, aAt, m, sym, SAME_POINT))) at.push(sym);
      }
      if (pm && at.length) {
        const old = at.reduce((x, y) => (x.freeEnergy < y.freeEnergy ? x : y));
        jump = pm.R - pm.S - (old.R - old.S);
      }
      extraC = pm ? [pm, ...at] : at;
      seedsC = extraC.map((m) => m.u);
    }
  }
  const aS = foldSeed ? foldSeed.alpha : alphaS * (1 + 1e-9);
  const aC = aCAt ?? alphaC ?? 0;
  const branches = {
    alphaS: branchesAt(sol, aS, [cur.u, ...(uInst ? [uInst.u] : [])], foldSeed ? [foldSeed.m] : []),
    alphaC: alphaC !== null ? branchesAt(sol, aC, [...seedsC, ...(uInst ? [uInst.u] : [])], extraC) : [],
    alphaInst: alphaInst !== null ? branchesAt(sol, alphaInst * (1 - 1e-9), uInst ? [uInst.u] : []) : [],
  };
  return done({
    alphaS,
    alphaC,
    alphaInst,
    methods: { alphaS: methodS, alphaC: methodC, alphaInst: instMethod },
    tolerances: { alphaS: tolS, alphaC: tolC, alphaInst: tolInst },
    kind,
    jump,
    exponent,
    instability,
    branches,
    status: warnings.length ? "unresolved" : "ok",
    warnings,
    message: alphaC === null ? "the specialised minimum never becomes the global one in the scanned range" : `${kind} transition`,
  });
}

/** Every minimum at alpha (multistart and seeds), plus known ones the minimiser cannot certify (near a fold). */
function branchesAt(sol: Solver, alpha: number, seeds: ArrayLike<number>[], known: LocalMinimum[] = []): BranchPoint[] {
  const found = sol.minimaAt(alpha, seeds, true);
  // (a known minimum of another label is kept even when samePoint's equal-free-energy test merges it:
  // at large K beta f of two distinct minima can agree to its rounding)
  for (const k of known) if (!found.some((m) => labelOf(m.R, m.S) === labelOf(k.R, k.S) && samePoint(sol.min, alpha, m, k, SAME_POINT))) found.push(k);
  return found.sort((a, b) => a.freeEnergy - b.freeEnergy).map((m) => point(m, alpha));
}

/** A stationary point as a LocalMinimum (eigenvalues of the scaled Hessian). */
function asMinimum(red: FreeEnergyModel, u: Float64Array, F: number, eg: number): LocalMinimum {
  const n = red.n, g = new Float64Array(n), H = new Float64Array(n * n);
  red.eval(0, u, g, H);
  const x = red.toRSC(u);
  return { u: Float64Array.from(u), R: x[0], S: x[1], C: x[2], freeEnergy: F, eg, scaledEigenvalues: new Float64Array(0), decrement: 0, iterations: 0 };
}

/**
 * The specialised minimum just above a fold (alpha_f (1 + d), d the smallest offset clear of the fold's
 * accuracy), by Newton from u_f + s v with s from the fold's normal form; it must continue (Newton
 * steps in alpha) to the continuation's last point: the same branch. Null when not found.
 */
function specialisedNearFold(sol: Solver, fold: CriticalPoint, aEnd: number, end: LocalMinimum, accept: (u: Float64Array, ev: Float64Array) => boolean): { alpha: number; u: Float64Array; F: number; eg: number } | null {
  const red = sol.red, n = red.n;
  const g0 = new Float64Array(n), g1 = new Float64Array(n), H = new Float64Array(n * n);
  // normal form along v: g.v ~ b (alpha - alpha_f) + a s^2 / 2, b = v.dg/dalpha, a = v.(dH/dv).v
  red.eval(fold.alpha, fold.u, g0, H);
  const a = foldCurvature(red, fold);
  // offsets from 3 times the fold's accuracy up (at K = 10^4 for ReLU alpha_inst is only ~1e-9 above)
  const offsets = [1e-13, 3e-13, 1e-12, 3e-12, 1e-11, 3e-11, 1e-10, 3e-10, 1e-9, 1e-8, 1e-7, 1e-6];
  // (offsets below the fold's accuracy are tried too: the minimum found there, by Newton with a
  // positive-definite Hessian, is its own proof of existence)
  for (const d of offsets) {
    const alpha = fold.alpha * (1 + d);
    red.eval(alpha, fold.u, g1, H);
    let b = 0;
    for (let k = 0; k < n; k++) b += fold.v[k] * (g1[k] - g0[k]);
    const s2 = (-2 * b) / a;
    if (!(s2 > 0)) return null;
    const s = Math.sqrt(s2) * Math.sign(a); // the minimum side: curvature a s > 0 along v
    const r = stationaryPoint(red, alpha, fold.u.map((x, k) => x + s * fold.v[k]));
    if (!r || !accept(r.u, r.eigenvalues)) continue;
    // (the continuation got closer to the fold than this: the two must simply be near)
    if (alpha >= aEnd) {
      if (distance(red, r.u, end.u) < 1e-3) return { alpha, u: r.u, F: r.F, eg: r.eg };
      continue;
    }
    const branch = new StationaryBranch(red, accept, alpha, r.u);
    const back = branch.at(aEnd);
    if (back && distance(red, back.u, end.u) < 1e-6) return { alpha, u: r.u, F: r.F, eg: r.eg };
  }
  return null;
}
