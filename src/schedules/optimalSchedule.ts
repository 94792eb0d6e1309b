// optimalSchedule(): the learning-rate schedule that minimises eps_g at the end of a horizon (or
// its integral), among rates constant on J equal intervals of [0, alphaMax] with
// ETA_FLOOR etaMax <= eta_j <= etaMax (docs/theory.md section 12).
//
// The objective is that of the discretised ODE: classical RK4 with step `step`, steps landing on
// the intervals' bounds (the trajectory integrate() computes for the schedule
// piecewise:b_0:eta_0,b_1:eta_1,... with the same step, bit for bit). Its exact gradient in the J
// rates comes from the discrete adjoint of RK4 (assembly/ode/adjoint.ts), one backward pass per
// gradient whatever J is. The optimiser is the projected quasi-Newton method of
// src/numerics/projectedBfgs.ts on ln Phi (Phi spans orders of magnitude), started from the
// better of the greedy schedule (averaged over each interval) and the best constant rate (a
// scan of 12 rates from etaMax / 1024 to etaMax, then Brent's minimisation around the best).
import { acquireInstance, releaseInstance, type CoreInstance } from "../core/engine";
import { OptionError } from "../core/errors";
import { applyActivationParameters } from "../core/activationParameters";
import { configureCore } from "../online/training";
import { ACTIVATION_CODE, METHOD_CODE, teacherCode } from "../core/exports";
import type { RunControl } from "../core/control";
import * as check from "../core/validate";
import { maxHermiteOrder } from "../averages/index";
import { integrate, integrateFrom, packState, type OdeResult } from "../online/integrate";
import { resolveOdeOptions, type ResolvedOdeOptions, type TeacherStudentSetting } from "../online/options";
import { resolveOption } from "../options/check";
import * as L from "../options/catalog/schedules";
import { scheduleText } from "../options/schedule";
import { projectedBfgs } from "../numerics/projectedBfgs";
import { brentMinimize } from "../numerics/brentMinimize";
import { WorkBudget, WorkExhausted, resolveControl } from "../work/budget";
import { estimate, fmtCount, odeWorkspaceBytes, rhsSeconds, type Estimate } from "../work/estimates";
import { fmtSeconds } from "../work/budget";
import type { GreedyReport } from "./greedyReport";

/** The lower bound of every rate, as a fraction of etaMax (rates must stay > 0). */
export const ETA_FLOOR = 1e-6;

/** What optimalSchedule() minimises: eps_g at the horizon ("final") or its integral over [0, alphaMax] ("integral"). */
export type ScheduleObjective = "final" | "integral";

/** Options of optimalSchedule(): the teacher-student setting, the horizon, the intervals, the bounds, the discretisation and the optimiser. */
export interface OptimalScheduleOptions extends TeacherStudentSetting, RunControl {
  /** The horizon alpha_end (default 100). */
  alphaMax?: number;
  /** Number J of equal intervals of [0, alphaMax], one rate each (default 50). */
  intervals?: number;
  /** "final": eps_g(alphaMax) (default); "integral": the integral of eps_g over [0, alphaMax]. */
  objective?: ScheduleObjective;
  /** Upper bound of every rate, and the cap of the greedy schedule (default 2). */
  etaMax?: number;
  /** RK4 step of the discretised problem (default 0.05). */
  step?: number;
  /** Start from these J rates instead of the better of greedy and the best constant. */
  initial?: ArrayLike<number>;
  /** Quasi-Newton iterations at most (default 100). */
  maxIterations?: number;
  /** Stop when the projected gradient of ln Phi is at most this (default 1e-6). */
  gradientTolerance?: number;
  /** Samples of the reported curves, 0 and alphaMax included (default 201). */
  samples?: number;
  method?: "exact" | "hermite";
  hermiteOrder?: number;
  divergenceBound?: number;
}

/** One schedule's objective and its learning curve. */
export interface ScheduleOutcome {
  /** The schedule's canonical text (a constant rate as "constant" with its learningRate). */
  schedule: string;
  learningRate: number | null;
  /** Phi of the discretised problem (RK4, the optimisation's step). */
  value: number;
  /** |Phi(step) - Phi(step / 2)| x 16 / 15: the discretisation error of value (RK4's Richardson estimate). */
  discretisationError: number;
  /** eps_g and eta at the samples (integrate() with the schedule, same step). */
  curve: { alpha: Float64Array; eg: Float64Array; eta: Float64Array; status: string };
}

/** The optimal schedule, the greedy schedule and the best constant rate with their objectives and curves, the gains, the optimiser's record, status and resolved options. */
export interface OptimalScheduleResult {
  /** The optimal rates, one per interval, and the J + 1 interval bounds. */
  eta: number[];
  bounds: number[];
  optimal: ScheduleOutcome;
  greedy: ScheduleOutcome & { report: GreedyReport | null };
  constant: ScheduleOutcome & { evaluations: number };
  /** Where the optimisation started: "greedy" (its average per interval), "constant" or "initial". */
  start: "greedy" | "constant" | "initial";
  startValue: number;
  /** Phi(greedy) / Phi(optimal) and Phi(best constant) / Phi(optimal) (>= 1: how many times lower the optimum is). */
  gains: { overGreedy: number; overConstant: number };
  iterations: number;
  converged: boolean;
  /** Projected gradient of ln Phi at the end (|P(eta - g) - eta|_inf). */
  gradientNorm: number;
  /** dPhi/deta_j at the end. */
  gradient: number[];
  /** Rates at etaMax and at the floor at the end. */
  atUpperBound: number;
  atLowerBound: number;
  status: "completed" | "max-work";
  message: string;
  stats: { objectiveEvaluations: number; gradientEvaluations: number; rhsEvaluations: number; wallTimeMs: number };
  options: ResolvedOptimalScheduleOptions;
}

/** The options of optimalSchedule() after validation and defaults (as the result reports them). */
export interface ResolvedOptimalScheduleOptions extends Omit<ResolvedOdeOptions, "learningRate" | "learningRateSchedule" | "alphas" | "integrator" | "rtol" | "atol" | "maxSteps" | "convergenceTolerance" | "hermiteCheck" | "hermiteTolerance"> {
  alphaMax: number;
  intervals: number;
  objective: ScheduleObjective;
  samples: number;
  maxIterations: number;
  gradientTolerance: number;
  initial: number[] | null;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

export function resolveOptimalSchedule(options: OptimalScheduleOptions): ResolvedOptimalScheduleOptions {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const alphaMax = resolveOption<number>(L.horizon, options.alphaMax);
  const intervals = resolveOption<number>(L.intervals, options.intervals);
  const objective = resolveOption<ScheduleObjective>(L.objective, options.objective);
  const etaMax = resolveOption<number>(L.scheduleEtaMax, options.etaMax);
  const step = resolveOption<number>(L.scheduleStep, options.step);
  const samples = resolveOption<number>(L.curveSamples, options.samples);
  const maxIterations = resolveOption<number>(L.maxIterations, options.maxIterations);
  const gradientTolerance = resolveOption<number>(L.gradientTolerance, options.gradientTolerance);
  const { alphaMax: _a, intervals: _i, objective: _o, etaMax: _e, step: _s, samples: _n, maxIterations: _m, gradientTolerance: _g, initial, onProgress: _p, signal: _sig, maxWork: _w, workLimitAction: _l, ...setting } = options;
  const o = resolveOdeOptions({ ...setting, alphaMax, samples: 2, step, learningRate: 1 }, maxHermiteOrder());
  // the adjoint and the greedy start vary the first layer's rate only (docs/theory.md section 12)
  if (o.trainSecondLayer) throw new OptionError({ option: "trainSecondLayer", value: true, accepted: "false (optimalSchedule optimises the first layer's rate only)", reason: "must be false for optimalSchedule: the optimal schedule and its adjoint do not cover the second layer's own rate learningRate2; got true" });
  if (step > alphaMax / intervals) throw new OptionError({ option: "step", value: step, accepted: `a step <= alphaMax / intervals = ${alphaMax / intervals}`, related: ["alphaMax", "intervals"], reason: `must be at most the length of an interval, alphaMax / intervals = ${alphaMax / intervals}; got ${step}` });
  const init = initial === undefined ? null : check.vector("initial", initial, intervals, { min: ETA_FLOOR * etaMax, max: etaMax });
  const { learningRate: _lr, learningRateSchedule: _ls, alphas: _al, integrator: _in, rtol: _rt, atol: _at, maxSteps: _ms, convergenceTolerance: _ct, hermiteCheck: _hc, hermiteTolerance: _ht, ...rest } = o;
  return { ...rest, etaMax, step, alphaMax, intervals, objective, samples, maxIterations, gradientTolerance, initial: init };
}

/** RK4 steps of the discretised problem. */
const stepsOf = (o: ResolvedOptimalScheduleOptions) => Math.ceil(o.alphaMax / o.step - 1e-9) + o.intervals;

/**
 * The work of optimalSchedule(): ~30 trajectories for the start (rates scan, Brent, greedy at
 * about 2x the cost of a trajectory), then per iteration ~1.3 gradients, each a forward pass
 * (4 right-hand sides per step) and a backward pass (4 (2 D + 1) per step), plus the curves.
 */
export function optimalScheduleEstimate(options: OptimalScheduleOptions): Estimate {
  const o = resolveOptimalSchedule(options);
  const D = (o.K * (o.K + 1)) / 2 + o.K * o.M;
  const per = rhsSeconds(o);
  const steps = stepsOf(o);
  const forward = 4 * steps;
  const gradient = forward + 4 * (2 * D + 1) * steps;
  const typicalIterations = Math.min(o.maxIterations, 40);
  const rhs = 30 * forward + 1.3 * typicalIterations * gradient + 8 * forward;
  const memory = odeWorkspaceBytes(o.K, o.M, o.samples) + 8 * (steps * (4 * D + 2) + 4 * o.intervals) + 3 * o.samples * 8 * (D + 3);
  const breakdown = `${fmtCount(steps)} RK4 steps per trajectory; ~${fmtCount(30 + 8)} trajectories for the start and the curves, ~${typicalIterations} iterations x 1.3 gradients of ${fmtCount(gradient)} right-hand sides (${o.activation}, K = ${o.K}, M = ${o.M}) x ${fmtSeconds(per)}`;
  return estimate(rhs * per, memory, breakdown, ["alphaMax", "step", "maxIterations", "K", "M"], per, forward * per);
}

/** The core instance set up for the adjoint: model, start state, bounds. */
function prepare(o: ResolvedOptimalScheduleOptions, steps: number): { e: CoreInstance; bounds: number[] } {
  const e = acquireInstance();
  const x = e.exports;
  e.loadModel(o, 2);
  if (x.adjointLayout(steps, o.intervals) === 0) {
    releaseInstance(e);
    throw new OptionError({ option: "step", value: o.step, accepted: "a step whose trajectory fits in WebAssembly memory", related: ["alphaMax", "K", "M"], reason: `= ${o.step} needs ${steps} stored RK4 steps, more than WebAssembly memory holds; use a larger step or a shorter horizon` });
  }
  applyActivationParameters(e, o, o.averageTolerance);
  configureCore(x, { activation: ACTIVATION_CODE[o.activation], teacher: teacherCode(o), method: METHOD_CODE[o.method], hermiteOrder: o.hermiteOrder }, 1, o);
  const f = e.f64;
  f.set(packState(o.Q0, o.R0), x.adjointPtrU0() >> 3);
  const bounds = Array.from({ length: o.intervals + 1 }, (_, j) => (j === o.intervals ? o.alphaMax : (o.alphaMax * j) / o.intervals));
  f.set(bounds, x.adjointPtrBounds() >> 3);
  return { e, bounds };
}

const OBJECTIVE_CODE: Record<ScheduleObjective, number> = { final: 0, integral: 1 };


/** The optimal piecewise-constant learning-rate schedule of the ODE over a horizon. */
export function optimalSchedule(options: OptimalScheduleOptions = {}): OptimalScheduleResult {
  const t0 = now();
  const o = resolveOptimalSchedule(options);
  const est = optimalScheduleEstimate(options);
  const budget = new WorkBudget("optimalSchedule", est, resolveControl(options), est.firstChunkSeconds);
  const J = o.intervals;
  // room for the half-step reruns of the discretisation check
  const { e, bounds } = prepare(o, Math.ceil(o.alphaMax / (o.step / 2) - 1e-9) + J);
  const x = e.exports;
  const counts = { objective: 0, gradient: 0, rhs: 0 };
  const charge = (n: number) => {
    counts.rhs += n;
    budget.charge(n * est.unitSeconds);
  };
  /** Phi of the discretised problem for the rates (Infinity when the trajectory diverges), with dPhi/deta if asked. */
  const phi = (etas: ArrayLike<number>, gradient: boolean, h = o.step): { value: number; grad: number[] | null } => {
    e.f64.set(etas, x.adjointPtrEtas() >> 3);
    const status = x.adjointRun(h, J, OBJECTIVE_CODE[o.objective], o.divergenceBound, gradient ? 1 : 0);
    charge(x.adjointEvaluations());
    counts[gradient ? "gradient" : "objective"]++;
    if (status !== 0) return { value: Infinity, grad: null };
    const p = x.adjointPtrGradient() >> 3;
    return { value: x.adjointObjective(), grad: gradient ? Array.from(e.f64.subarray(p, p + J)) : null };
  };
  const lower = ETA_FLOOR * o.etaMax;
  const base = settingOf(o);
  const sampleAlphas = curveAlphas(o, bounds);
  try {
    // the best constant rate: a scan on a geometric grid, then Brent's minimisation around the best
    const lnPhiOfRate = (eta: number) => {
      const v = phi(new Array(J).fill(eta), false).value;
      budget.step("best constant rate", counts.objective, 30, "trajectories");
      return v > 0 && Number.isFinite(v) ? Math.log(v) : 1e300;
    };
    const grid = Array.from({ length: 12 }, (_, k) => o.etaMax / 2 ** (11 - k));
    const scan = grid.map(lnPhiOfRate);
    let k = 0;
    scan.forEach((v, i) => { if (v < scan[k]) k = i; });
    const brent = brentMinimize(lnPhiOfRate, k > 0 ? grid[k - 1] : lower, k < grid.length - 1 ? grid[k + 1] : o.etaMax, grid[k], { fx0: scan[k], tolerance: 1e-7 * grid[k], maxIterations: 40 });
    const constantRate = brent.minimum < scan[k] ? brent.value : grid[k];
    const constantValue = phi(new Array(J).fill(constantRate), false).value;
    const constantEvaluations = counts.objective;
    // the greedy schedule (the state's rate, same step) and its mean over each interval
    const greedyRun = integrateFrom({ ...base, learningRateSchedule: "greedy", etaMax: o.etaMax, step: o.step, alphas: sampleAlphas, maxWork: Infinity }, 0, { egIntegral: o.objective === "integral" });
    charge(GREEDY_STAGE_COST * greedyRun.stats.rhsEvaluations);
    const greedyValue = valueOf(o, greedyRun);
    const greedyMean = intervalMeans(greedyRun, bounds, lower, o.etaMax);
    const greedyMeanValue = phi(greedyMean, false).value;
    // the start: the better of the two (or the caller's)
    const start: "greedy" | "constant" | "initial" = o.initial ? "initial" : greedyMeanValue < constantValue ? "greedy" : "constant";
    const x0 = o.initial ?? (start === "greedy" ? greedyMean : new Array<number>(J).fill(constantRate));
    const startValue = start === "greedy" ? greedyMeanValue : start === "constant" ? constantValue : phi(x0, false).value;
    // quasi-Newton on ln Phi; the best point seen is kept for a run cut short by maxWork
    let best = { x: x0, f: Number.isFinite(startValue) && startValue > 0 ? Math.log(startValue) : Infinity };
    let truncated = false;
    const fg = (xs: number[], gradient: boolean) => {
      const r = phi(xs, gradient);
      if (budget.truncating && budget.exhausted) throw new WorkExhausted();
      if (!(r.value > 0) || !Number.isFinite(r.value)) return { f: Infinity };
      const f = Math.log(r.value);
      if (f < best.f) best = { x: xs.slice(), f };
      return { f, g: r.grad?.map((v) => v / r.value) };
    };
    let opt: ReturnType<typeof projectedBfgs> | null = null;
    try {
      opt = projectedBfgs(fg, x0, {
        lower: new Array(J).fill(lower), upper: new Array(J).fill(o.etaMax), gradientTolerance: o.gradientTolerance, maxIterations: o.maxIterations,
        functionTolerance: 1e-12, firstStep: 0.05 * o.etaMax,
        onIteration: (it) => budget.step("optimal schedule", it, o.maxIterations, "iterations"),
      });
    } catch (err) {
      if (!(err instanceof WorkExhausted)) throw err;
      truncated = true;
    }
    const etas = opt && opt.minimum <= best.f ? opt.value : best.x;
    const final = phi(etas, true);
    const value = final.value;
    const gradient = final.grad ?? new Array<number>(J).fill(NaN);
    let gradientNorm = 0;
    etas.forEach((v, j) => { gradientNorm = Math.max(gradientNorm, Math.abs(Math.min(o.etaMax, Math.max(lower, v - gradient[j] / value)) - v)); });
    // discretisation errors: reruns with half the step (RK4: Richardson's factor 16 / 15)
    const richardson = (h: number, half: number) => (16 / 15) * Math.abs(h - half);
    const optimalText = scheduleText({ kind: "piecewise", breaks: bounds.slice(0, J), values: etas });
    const curve = (schedule: { learningRate?: number; learningRateSchedule?: string }) => {
      const r = integrate({ ...base, ...schedule, etaMax: o.etaMax, step: o.step, alphas: sampleAlphas, maxWork: Infinity });
      charge(r.stats.rhsEvaluations);
      return { alpha: r.alpha, eg: r.eg, eta: r.eta, status: r.status };
    };
    const greedyHalf = integrateFrom({ ...base, learningRateSchedule: "greedy", etaMax: o.etaMax, step: o.step / 2, alphas: sampleAlphas, maxWork: Infinity }, 0, { egIntegral: o.objective === "integral" });
    charge(GREEDY_STAGE_COST * greedyHalf.stats.rhsEvaluations);
    const optimal: ScheduleOutcome = { schedule: optimalText, learningRate: null, value, discretisationError: richardson(value, phi(etas, false, o.step / 2).value), curve: curve({ learningRateSchedule: optimalText }) };
    const constant = { schedule: "constant", learningRate: constantRate, value: constantValue, discretisationError: richardson(constantValue, phi(new Array(J).fill(constantRate), false, o.step / 2).value), curve: curve({ learningRate: constantRate }), evaluations: constantEvaluations };
    const greedy = {
      schedule: "greedy", learningRate: null, value: greedyValue, discretisationError: richardson(greedyValue, valueOf(o, greedyHalf)),
      curve: { alpha: greedyRun.alpha, eg: greedyRun.eg, eta: greedyRun.eta, status: greedyRun.status }, report: greedyRun.greedy,
    };
    const gains = { overGreedy: greedyValue / value, overConstant: constantValue / value };
    const iterations = opt?.iterations ?? 0;
    // greedy's rate varies within an interval: with few intervals it can beat every piecewise-constant schedule
    const greedyBetter = greedyValue < value ? `; greedy's continuously varying rate does better than this ${J}-interval schedule (${greedyValue.toPrecision(4)}): use more intervals` : "";
    const what = o.objective === "final" ? `eps_g(${o.alphaMax})` : `the integral of eps_g over [0, ${o.alphaMax}]`;
    const message = truncated
      ? budget.truncationMessage(`the best schedule found so far is returned (${what} = ${value.toPrecision(4)})`)
      : `${what} = ${value.toPrecision(4)}: ${gains.overConstant.toPrecision(3)} times lower than with the best constant rate ${constantRate.toPrecision(4)}, ${gains.overGreedy.toPrecision(3)} times lower than greedy; ${iterations} quasi-Newton iterations from the ${start === "initial" ? "given" : start} schedule (${opt?.message})${greedyBetter}`;
    const result: OptimalScheduleResult = {
      eta: etas, bounds, optimal, greedy, constant, start, startValue, gains, iterations, converged: opt?.converged ?? false,
      gradientNorm, gradient, atUpperBound: etas.filter((v) => v >= o.etaMax).length, atLowerBound: etas.filter((v) => v <= lower).length,
      status: truncated ? "max-work" : "completed", message,
      stats: { objectiveEvaluations: counts.objective, gradientEvaluations: counts.gradient, rhsEvaluations: counts.rhs, wallTimeMs: now() - t0 },
      options: o,
    };
    return result;
  } finally {
    releaseInstance(e);
  }
}

/** The setting and J rates of scheduleObjective(). */
export interface ScheduleObjectiveOptions extends Omit<OptimalScheduleOptions, "initial" | "maxIterations" | "gradientTolerance" | "samples"> {
  /** The rates eta_j on the J = eta.length equal intervals of [0, alphaMax]. */
  eta: ArrayLike<number>;
  /** Also the gradient dPhi/deta_j by the discrete adjoint (default true). */
  gradient?: boolean;
}

/**
 * Phi (eps_g at alphaMax, or its integral) of the discretised ODE (RK4 with `step`, steps landing
 * on the interval bounds) for a piecewise-constant schedule, and its gradient in the rates by the
 * discrete adjoint: the function optimalSchedule() minimises. status "diverged" or
 * "invalid-state" (value Infinity) when the trajectory leaves the valid overlaps.
 */
export function scheduleObjective(options: ScheduleObjectiveOptions): { value: number; gradient: number[] | null; status: "completed" | "diverged" | "invalid-state"; steps: number; rhsEvaluations: number } {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const { eta, gradient = true, ...rest } = options;
  if (!Array.isArray(eta) && !ArrayBuffer.isView(eta)) throw new OptionError({ option: "eta", value: eta, accepted: "an array of rates, one per interval" });
  const J = (eta as ArrayLike<number>).length;
  const o = resolveOptimalSchedule({ ...rest, intervals: J });
  const rates = check.vector("eta", eta, J, { min: 0, max: Infinity });
  const { e } = prepare(o, stepsOf(o));
  try {
    const x = e.exports;
    e.f64.set(rates, x.adjointPtrEtas() >> 3);
    const code = x.adjointRun(o.step, J, OBJECTIVE_CODE[o.objective], o.divergenceBound, gradient ? 1 : 0);
    const status = code === 0 ? "completed" : code === 2 ? "diverged" : "invalid-state";
    const p = x.adjointPtrGradient() >> 3;
    return { value: code === 0 ? x.adjointObjective() : Infinity, gradient: code === 0 && gradient ? Array.from(e.f64.subarray(p, p + J)) : null, status, steps: x.adjointSteps(), rhsEvaluations: x.adjointEvaluations() };
  } finally {
    releaseInstance(e);
  }
}

/** A greedy stage costs about this many right-hand sides (its parts plus eight eps_g; bench/schedules.ts). */
const GREEDY_STAGE_COST = 2;

function settingOf(o: ResolvedOptimalScheduleOptions) {
  return { activation: o.activation, teacherActivation: o.teacherActivation, K: o.K, M: o.M, T: o.T, Q0: o.Q0, R0: o.R0, v: o.v, vStar: o.vStar, method: o.method, hermiteOrder: o.hermiteOrder, divergenceBound: o.divergenceBound, integrator: "rk4" as const };
}

/** The curves' samples: `samples` evenly spaced points together with the interval bounds. */
function curveAlphas(o: ResolvedOptimalScheduleOptions, bounds: number[]): number[] {
  const even = Array.from({ length: o.samples }, (_, i) => (i === o.samples - 1 ? o.alphaMax : (o.alphaMax * i) / (o.samples - 1)));
  return [...new Set([...even, ...bounds])].sort((p, q) => p - q);
}

/** Phi of a computed trajectory: eps_g at the horizon, or the integrator's quadrature of eps_g. */
function valueOf(o: ResolvedOptimalScheduleOptions, r: OdeResult): number {
  if (r.status !== "completed") return Infinity;
  return o.objective === "final" ? r.eg[r.eg.length - 1] : r.egIntegral!;
}

/** The mean greedy rate on each interval (trapezoid rule on its samples), within the bounds. */
function intervalMeans(r: OdeResult, bounds: number[], lower: number, upper: number): number[] {
  const out: number[] = [];
  for (let j = 0; j + 1 < bounds.length; j++) {
    let area = 0;
    for (let s = 1; s < r.alpha.length; s++) {
      if (r.alpha[s - 1] < bounds[j] - 1e-12 || r.alpha[s] > bounds[j + 1] + 1e-12) continue;
      area += 0.5 * (r.eta[s] + r.eta[s - 1]) * (r.alpha[s] - r.alpha[s - 1]);
    }
    const mean = area / (bounds[j + 1] - bounds[j]);
    out.push(Math.min(upper, Math.max(lower, Number.isFinite(mean) ? mean : upper)));
  }
  return out;
}
