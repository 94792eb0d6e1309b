// continueFixedPoint(): a branch of fixed points followed in eta (or a teacher overlap T_nm)
// by pseudo-arclength continuation, with its folds (docs/theory.md section 4; [E] Fig. 2b shows the plateau
// branch against eta). By default the unspecialised plateau in the symmetric subspace.
import { checkOption, resolveOption } from "../options/check";
import * as FP from "../options/catalog/fixedPoints";
import * as check from "../core/validate";
import { resolveLearningRate } from "../online/options";
import { continueBranch, type ContinuationProblem, type ContinuationSettings } from "./continuation";
import type { RunControl } from "../core/control";
import { EvaluationMeter, WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, newtonStartRhs, odeWorkspaceBytes, type Estimate } from "../work/estimates";
import { analyseFixedPoint, solveFixedPoint, type FixedPointGuess } from "./fixedPoints";
import { findPlateau } from "./plateau";
import type { Eigenvalue, Stability } from "./stability";
import { symmetricReduction } from "./symmetric";
import { OrderParameterSystem, type SystemOptions } from "./system";

/** Options of continueFixedPoint(): the setting, the parameter, its range, the start and the steps. */
export interface ContinueOptions extends SystemOptions {
  /** Learning rate where the branch starts (alias eta; default 0.5), also the fixed eta when parameter is a teacher entry. */
  learningRate?: number;
  eta?: number;
  /** "eta" (default) or [n, m]: the teacher overlap T_nm (= T_mn). */
  parameter?: "eta" | [number, number];
  /** Starting guess (default: the plateau the symmetrised trajectory reaches). */
  start?: FixedPointGuess;
  /** Continue inside the unspecialised subspace (default true). */
  symmetric?: boolean;
  /** Parameter range (default eta in [1e-3, 10]; T_nm in (-inf, inf)). */
  min?: number;
  max?: number;
  /** Direction of the parameter at the start (default +1). */
  direction?: 1 | -1;
  /** First arclength step (default 0.02) and largest step (default 0.05). */
  step?: number;
  maxStep?: number;
  maxPoints?: number;
  /** Stop after this many folds (default 1). */
  maxFolds?: number;
  /** Compute each point's full Jacobian eigenvalues (default true). */
  stability?: boolean;
}

/** A fold (saddle-node) of a branch: the parameter value and the fixed point there. */
export interface FoldReport {
  /** Parameter value at the fold. */
  value: number;
  Q: number[][];
  R: number[][];
  /** Output weights there (the setting's unless trainSecondLayer). */
  v: number[];
  eg: number;
  /** Smallest singular value of the (reduced, when symmetric) Jacobian at the fold, and its entries' estimated error. */
  smallestSingularValue: number;
  jacobianError: number;
  /** Eigenvalues of the full Jacobian there. */
  eigenvalues: Eigenvalue[];
}

/** A branch of fixed points against a parameter, with stability and folds. */
export interface BranchResult {
  parameter: string;
  /** Parameter value per point. */
  values: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** Output weights per point (the setting's unless trainSecondLayer). */
  v: number[][];
  eg: Float64Array;
  /** Per point (null when stability: false). */
  stability: (Stability["stability"] | null)[];
  unstableDirections: (number | null)[];
  eigenvalues: (Eigenvalue[] | null)[];
  folds: FoldReport[];
  status: string;
  message: string;
  stats: { points: number; wallTimeMs: number; rhsEvaluations: number };
  options: { symmetric: boolean; learningRate: number; min: number; max: number; step: number; maxStep: number; method: string };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Points of a continuation: the arclength in (u, p) is at least |p range|, covered in steps of at
 * most maxStep; the interesting part of an unbounded range (folds) is taken to lie within 10 units.
 */
export function continuationEstimate(n: number, D: number, rhsSec: number, o: { range: number; maxStep: number; maxPoints: number; stability: boolean }, what: string): Estimate {
  const points = Math.min(o.maxPoints, Math.ceil((2 * Math.min(o.range, 10)) / o.maxStep) + 10);
  const perPoint = 4 * (2 * n + 2) + (o.stability ? 2 * D + 2 : 0);
  const first = 2 * newtonStartRhs(n) * rhsSec; // the start: a plateau or a Newton solve
  return estimate(points * perPoint * rhsSec + first, odeWorkspaceBytes(1, 1, 2) + points * 8 * (D + 4), `~${points} continuation points x ~${perPoint} right-hand sides x ${fmtSeconds(rhsSec)} (${what})`, ["maxPoints", "maxStep", "min", "max", "K", "M"], rhsSec, first + perPoint * rhsSec);
}

/** Follows a branch of fixed points in eta or a teacher overlap and locates its folds (docs/theory.md section 4.6). */
export function continueFixedPoint(options: ContinueOptions & RunControl = {}): BranchResult {
  const t0 = now();
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
  const sys = new OrderParameterSystem(options);
  const eta0 = resolveLearningRate(options, FP.branchLearningRate);
  const symmetric = options.symmetric === undefined ? true : check.bool("symmetric", options.symmetric);
  const param = options.parameter ?? "eta";
  let entry: [number, number] | null = null;
  if (param !== "eta") {
    if (!Array.isArray(param) || param.length !== 2) throw check.typeError("parameter", param, `"eta" or [n, m] (a teacher overlap T_nm, 0-based)`);
    entry = [check.number("parameter[0]", param[0], { min: 0, max: sys.M - 1, integer: true }, { related: ["M"] }), check.number("parameter[1]", param[1], { min: 0, max: sys.M - 1, integer: true }, { related: ["M"] })];
  }
  const min = options.min === undefined ? (entry ? -Infinity : 1e-3) : checkOption<number>(FP.min, options.min);
  const max = options.max === undefined ? (entry ? Infinity : 10) : checkOption<number>(FP.max, options.max);
  if (!(min < max)) throw check.rangeError("min", min, `a number below max (${max})`, { related: ["max"], reason: `must be below max; got min = ${min}, max = ${max}` });
  const step = resolveOption<number>(FP.continuationStep, options.step);
  const maxStep = options.maxStep === undefined ? 0.05 : check.number("maxStep", options.maxStep, { min: step, max: 10 });
  const maxPoints = options.maxPoints === undefined ? 2000 : check.number("maxPoints", options.maxPoints, { min: 2, max: 1e6, integer: true });
  const maxFolds = options.maxFolds === undefined ? 1 : check.number("maxFolds", options.maxFolds, { min: 0, max: 100, integer: true });
  const direction = options.direction === undefined ? 1 : options.direction;
  if (direction !== 1 && direction !== -1) throw check.rangeError("direction", direction, "1 or -1");
  const withStability = options.stability === undefined ? true : check.bool("stability", options.stability);
  const red = symmetric ? symmetricReduction(sys) : undefined;

  const p0 = entry ? sys.setting.T[entry[0]][entry[1]] : eta0;
  const est = continuationEstimate(red ? red.dimension : sys.D, sys.D, sys.rhsSeconds, { range: direction > 0 ? max - p0 : p0 - min, maxStep, maxPoints, stability: withStability }, `${sys.setting.activation}, K = ${sys.K}, M = ${sys.M}`);
  // a branch cut short would look like one that ends: no partial result in "truncate" mode
  const budget = new WorkBudget("continueFixedPoint", est, resolveControl(options), est.firstChunkSeconds, false);
  sys.meter = sys.meterFor(budget, () => budget.step("continuation", budget.spent, est.seconds, "s of estimated work"));
  let start: { u: Float64Array } | null;
  if (options.start) {
    const Q = check.matrix("start.Q", options.start.Q, sys.K, sys.K);
    const R = check.matrix("start.R", options.start.R, sys.K, sys.M);
    start = solveFixedPoint(sys, sys.pack(Q, R), eta0, 1e-12, red);
    if (!start) throw new RangeError(`start: Newton did not converge to a fixed point from the given Q, R at eta = ${eta0}`);
  } else {
    if (!red) throw new RangeError("start is required when symmetric is false (the default start is the symmetric plateau)");
    start = findPlateau(sys, eta0);
    if (!start) throw new RangeError(`no plateau fixed point found at eta = ${eta0}: the symmetrised trajectory does not settle; give start or a smaller learningRate`);
  }
  const setP = (p: number) => {
    if (entry) sys.setTeacherEntry(entry[0], entry[1], p);
  };
  const etaOf = (p: number) => (entry ? eta0 : p);
  const lift = (x: Float64Array) => (red ? red.lift(x) : x);
  const prob: ContinuationProblem = {
    n: red ? red.dimension : sys.D,
    G: (x, p) => {
      setP(p);
      return red ? red.rhs(x, etaOf(p)) : sys.rhs(x, etaOf(p));
    },
    // F = eta A + eta^2 B: dF/deta = (F(eta + h) - F(eta - h)) / 2h exactly (a quadratic), any h
    Gp: entry ? undefined : (x, p) => {
      const f = (e: number) => (red ? red.rhs(x, e) : sys.rhs(x, e));
      const a = f(p + 0.5), b = f(p - 0.5);
      return Float64Array.from(a, (v, i) => v - b[i]);
    },
    valid: (x) => sys.definiteness(lift(x)) > 0,
  };
  const x0 = red ? red.project(start.u) : start.u;
  const settings: ContinuationSettings = { ds: step, dsMax: maxStep, pMin: min, pMax: max, maxPoints, direction, maxFolds: Math.max(maxFolds, 1) };
  const c = continueBranch(prob, x0, p0, settings);
  const n = c.points.length;
  const values = new Float64Array(n), eg = new Float64Array(n);
  const Q: number[][][] = [], R: number[][][] = [], V: number[][] = [];
  const stability: (Stability["stability"] | null)[] = [], unstable: (number | null)[] = [], eigen: (Eigenvalue[] | null)[] = [];
  c.points.forEach((pt, i) => {
    setP(pt.p);
    const u = lift(pt.x);
    values[i] = pt.p;
    const s = sys.unpack(u);
    Q.push(s.Q);
    R.push(s.R);
    V.push(s.v);
    eg[i] = sys.eg(u);
    if (withStability) {
      const a = analyseFixedPoint(sys, u, etaOf(pt.p));
      stability.push(a.stability);
      unstable.push(a.unstableDirections);
      eigen.push(a.eigenvalues);
    } else {
      stability.push(null);
      unstable.push(null);
      eigen.push(null);
    }
  });
  const folds: FoldReport[] = c.folds.slice(0, maxFolds).map((f) => {
    setP(f.p);
    const u = lift(f.x);
    const s = sys.unpack(u);
    return { value: f.p, Q: s.Q, R: s.R, v: s.v, eg: sys.eg(u), smallestSingularValue: f.smallestSingularValue, jacobianError: f.jacobianError, eigenvalues: analyseFixedPoint(sys, u, etaOf(f.p)).eigenvalues };
  });
  setP(p0);
  sys.meter = undefined;
  const name = entry ? `T_${entry[0] + 1}${entry[1] + 1}` : "eta";
  return {
    parameter: name,
    values, Q, R, v: V, eg, stability, unstableDirections: unstable, eigenvalues: eigen, folds,
    status: c.status,
    message: folds.length ? `fold of the branch at ${name} = ${folds[0].value}; ${c.message}` : c.message,
    stats: { points: n, wallTimeMs: now() - t0, rhsEvaluations: sys.evaluations },
    options: { symmetric, learningRate: eta0, min, max, step, maxStep, method: sys.setting.method },
  };
}
