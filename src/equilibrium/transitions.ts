// Characteristic training-set sizes of the specialisation transition (THEORY 5): alpha_s, alpha_c,
// alpha_inst, the kind of the transition and the branches there, decided from the free energy.
import * as check from "../core/validate";
import { checkModel, type EquilibriumActivation } from "./freeEnergy";
import { labelOf, SAME_POINT, Solver, Tracker, type BranchLabel } from "./branches";
import { samePoint, type LocalMinimum } from "./minima";

export interface TransitionsOptions {
  activation: EquilibriumActivation;
  K: number;
  /** Largest alpha scanned for the loss of stability of the R = S branch (default 1e7). */
  alphaScanMax?: number;
  /** Starting points per axis of the multistart grid (default 4, i.e. 64 starts). */
  startsPerAxis?: number;
}

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

/** Brent's root finder on [a, b] with f(a) f(b) <= 0, to |b - a| <= tol. */
export function brentRoot(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number): number {
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a, fc = fa, d = b - a, e = d;
  for (let it = 0; it < 200; it++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a; fc = fa; d = b - a; e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a; fa = fb; fb = fc; fc = fa;
    }
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
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
  return b;
}

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

export function transitions(options: TransitionsOptions): TransitionsResult {
  const t0 = performance.now();
  const { model, alphaScanMax, startsPerAxis } = resolveTransitionsOptions(options);
  const K = model.K;
  const sol = new Solver(model, startsPerAxis);
  const base = { activation: model.activation, K, definitions: DEFINITIONS };
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
      let lo = aPrev, hi = a, last = uPrev;
      while (hi - lo > 1e-13 * hi) {
        const mid = 0.5 * (lo + hi);
        const v = sol.symmetric(mid, last.u);
        const mv = v ? modes(mid, v.u) : null;
        if (v && mv && mv.sym > 0 && Math.abs(v.u[1] - last.u[1]) + Math.abs(v.u[2] - last.u[2]) < 0.1) {
          lo = mid;
          last = v;
        } else hi = mid;
      }
      alphaInst = lo;
      instMode = "fold";
      instMethod = "bisection on the existence of the R = S minimum (continued from below) to 1e-13 relative";
      tolInst = 1e-13;
      uInst = last;
      break;
    }
    if (md.anti <= 0) {
      // the antisymmetric eigenvalue H_pp crosses zero: Brent on it along the branch (which continues)
      let seed = uPrev;
      const f = (x: number) => {
        const v = sol.symmetric(x, seed.u);
        if (!v) return NaN;
        seed = v;
        return modes(x, v.u).anti;
      };
      const fa = modes(aPrev, uPrev.u).anti;
      alphaInst = brentRoot(f, aPrev, a, fa, md.anti, 1e-15 * a);
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
  const P = new Tracker(sol, "specialized", first.alpha, first.m);
  const end = P.lowerEnd();
  const cur = end.m, aCur = end.alpha;
  const warnings: string[] = [];
  if (!end.converged) warnings.push(`the end of the specialised branch was not resolved to 1e-10 relative within 400 continuation steps (last point alpha = ${aCur}); alphaS and what follows from it are not reliable`);
  const endDiff = cur.R - cur.S;
  // a fold keeps R - S finite at the branch's end; a branch growing out of R = S ends with
  // R - S -> 0 (~sqrt(1e-14) after the bisection) at the antisymmetric instability
  const merges = alphaInst !== null && instMode === "antisymmetric" && Math.abs(aCur - alphaInst) <= 1e-8 * alphaInst && endDiff < 1e-4;
  let alphaS: number, alphaC: number | null, kind: TransitionsResult["kind"], jump: number | null = null, exponent: TransitionsResult["exponent"] = null;
  let methodS: string, methodC: string;
  let tolS: number | null, tolC: number | null;
  let seedsC: ArrayLike<number>[] = [];
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
    alphaS = aCur;
    methodS = `the specialised minimum continued downwards from where multistart first finds it; its end (a fold) located by step halving (bisection on existence) to ${end.resolution.toExponential(1)} relative`;
    tolS = end.resolution;
    // 3. alpha_c: beta f of the specialised minimum against the lowest other minimum
    let pSeed = cur;
    let others: LocalMinimum[] = [];
    let calls = 0;
    const delta = (a: number): number => {
      const p = P.at(a);
      if (!p) return NaN;
      pSeed = p;
      // the other minima: continued from the previous call's, with a multistart every 8th call
      const rest = sol.minimaAt(a, [...others.map((o) => o.u), ...(uInst ? [uInst.u] : [])], calls++ % 8 === 0).filter((m) => !samePoint(sol.min, a, m, p, SAME_POINT));
      if (!rest.length) return -Infinity;
      others = rest;
      const lowest = rest.reduce((x, y) => (x.freeEnergy < y.freeEnergy ? x : y));
      return p.freeEnergy - lowest.freeEnergy;
    };
    let aLo = alphaS * (1 + 1e-9);
    let dLo = delta(aLo);
    alphaC = null;
    kind = "none";
    methodC = "";
    tolC = null;
    if (dLo < 0) {
      alphaC = alphaS;
      kind = "discontinuous";
      methodC = "the specialised minimum is already the global one where it appears";
      tolC = tolS;
    } else {
      for (let i = 0; i < 200; i++) {
        const aHi = aLo * 1.02;
        const dHi = delta(aHi);
        if (Number.isNaN(dHi)) break;
        if (dHi < 0) {
          alphaC = brentRoot(delta, aLo, aHi, dLo, dHi, 1e-14 * aHi);
          kind = "discontinuous";
          methodC = "Brent's method on beta f(specialised) - beta f(lowest other minimum), each minimum by Newton to rounding, to 1e-14 relative in alpha";
          tolC = 1e-14;
          break;
        }
        aLo = aHi;
        dLo = dHi;
      }
    }
    if (alphaC !== null) {
      const at = sol.minimaAt(alphaC, [pSeed.u, ...others.map((o) => o.u)], false);
      const p = at.find((m) => labelOf(m.R, m.S) === "specialized" && sol.distance(m, pSeed) < 1e-3);
      const rest = at.filter((m) => m !== p);
      if (p && rest.length) {
        const old = rest.reduce((x, y) => (x.freeEnergy < y.freeEnergy ? x : y));
        jump = p.R - p.S - (old.R - old.S);
      }
      seedsC = at.map((m) => m.u);
    }
  }
  const branches = {
    alphaS: branchesAt(sol, alphaS * (1 + 1e-9), [cur.u, ...(uInst ? [uInst.u] : [])]),
    alphaC: alphaC !== null ? branchesAt(sol, alphaC, [...seedsC, ...(uInst ? [uInst.u] : [])]) : [],
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

function branchesAt(sol: Solver, alpha: number, seeds: ArrayLike<number>[]): BranchPoint[] {
  return sol
    .minimaAt(alpha, seeds, true)
    .sort((a, b) => a.freeEnergy - b.freeEnergy)
    .map((m) => point(m, alpha));
}
