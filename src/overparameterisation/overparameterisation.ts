// overparameterisation(): the final generalisation error of students with K = M + L hidden units
// learning from a noisy teacher with M units, against L, when only the first layer is trained and
// when both layers are (docs/theory.md section 9; the central result of Goldt et al. 2019: with
// label noise the first grows with L, the second does not). Each point is the ODE run until it
// converges (max |du/dalpha| below a tolerance) or reaches alphaMax, reported with its status and
// the alpha it took; SGD runs at finite d on request, compared with the ODE at their last alpha.
import type { Activation } from "../core/exports";
import type { RunControl } from "../core/control";
import { OptionError } from "../core/errors";
import { seededNormal } from "../core/seededNormal";
import { checkOption, resolveOption } from "../options/check";
import * as O from "../options/catalog/overparameterisation";
import { integrate, odeEstimate, type TrajectoryStatus } from "../online/integrate";
import { resolveOdeOptions, type IntegrateOptions } from "../online/options";
import { maxHermiteOrder } from "../averages/index";
import { simulateSync } from "../simulation/simulate";
import { simulationEstimate } from "../simulation/simulate";
import { resolveSimulation, type SimulateOptions } from "../simulation/plan";
import { WorkBudget, resolveControl, throwIfAborted } from "../work/budget";
import { estimate, type Estimate } from "../work/estimates";

/** Which weights are trained: the first layer only (v fixed at 1), or both layers. */
export type Layers = "first" | "both";

/** Options of overparameterisation(); defaults in brackets. */
export interface OverparameterisationOptions extends RunControl {
  /** Activations of student and teacher, one panel each (["erf"]; "relu" costs far more at large K). */
  activations?: Activation[];
  /** Teacher units M (2): T = identity, v* = 1. */
  M?: number;
  /** Extra student units L = K - M, one point each ([0, 1, ..., 6]). */
  L?: number[];
  /** Learning rate eta of the first layer (0.5) and of the second (learningRate2, default eta). */
  learningRate?: number;
  learningRate2?: number;
  /** Standard deviation sigma of the label noise (0.1). */
  noise?: number;
  /** Each ODE runs until max |du/dalpha| < convergenceTolerance (1e-9) or alpha = alphaMax (1e4). */
  alphaMax?: number;
  convergenceTolerance?: number;
  /** Relative tolerance of the adaptive integrator (1e-7). */
  rtol?: number;
  /** Seed of the initial conditions and of the simulations (1). */
  seed?: number;
  /** Also run SGD for each point (false): runs at dimension d to simulationAlpha (4, 500, 100). */
  simulate?: boolean;
  runs?: number;
  d?: number;
  simulationAlpha?: number;
}

/** SGD runs of one point, next to the ODE at their last alpha. */
export interface PointSimulation {
  alpha: number;
  /** Mean, standard deviation and standard error of the mean over the completed runs. */
  eg: { mean: number; std: number; standardError: number };
  runs: number;
  /** The ODE's eps_g at the same alpha, and (mean - ODE) / standard error. */
  odeEg: number;
  deviation: number;
  status: "completed" | "diverged" | "max-work";
}

/** One point of the figure: the ODE's final state of one (activation, layers, L). */
export interface OverparameterisationPoint {
  activation: Activation;
  layers: Layers;
  L: number;
  K: number;
  /** The noise-free eps_g where the ODE stopped, and the test error on noisy labels, eg + sigma^2 / 2. */
  eg: number;
  egNoisy: number;
  /** "converged": max |du/dalpha| fell below convergenceTolerance; "completed": alphaMax reached first. */
  status: TrajectoryStatus;
  alphaReached: number;
  steps: number;
  /**
   * (eps_g at the end - eps_g at alphaMax / 10) / eps_g at the end: how much the last decade of
   * alpha still changed it (0 when converged before alphaMax / 10; slow algebraic approaches of
   * over-parameterised students show here).
   */
  lastDecadeChange: number;
  /** The final second-layer weights (all 1 with layers "first"). */
  v: number[];
  /** Student norms Q_ii at the end. */
  norms: number[];
  /** The initial condition (from the seed; see initialCondition). */
  initial: { Q0: number[][]; R0: number[][]; v: number[] };
  simulation: PointSimulation | null;
}

/** The figure's points in order (activation, then first layer / both layers, then L), with the run's status and resolved options. */
export interface OverparameterisationResult {
  points: OverparameterisationPoint[];
  status: "completed" | "max-work";
  message: string;
  stats: { wallTimeMs: number; rhsEvaluations: number };
  options: Required<Omit<OverparameterisationOptions, keyof RunControl | "learningRate2">> & { learningRate2: number };
}

/**
 * The seeded initial condition of a point: student vector w_i with coordinates 0.1 N(0, 1) along
 * each (orthonormal) teacher vector and sqrt(0.5 / K) N(0, 1) along K further directions (so Q_ii
 * is about 0.5 and R_in about 0.1: no symmetry for the ODE to keep), v_i = 1 (first layer only)
 * or N(0, 1) (both layers). The draws depend on (seed, L) only, so both variants share Q0 and R0.
 */
export function initialCondition(seed: number, M: number, L: number, layers: Layers): { Q0: number[][]; R0: number[][]; v: number[] } {
  const K = M + L;
  const normal = seededNormal(seed * 1000 + L);
  const z = Array.from({ length: K }, () => [...Array.from({ length: M }, () => 0.1 * normal()), ...Array.from({ length: K }, () => Math.sqrt(0.5 / K) * normal())]);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);
  const Q0 = z.map((a) => z.map((b) => dot(a, b)));
  const R0 = z.map((a) => a.slice(0, M));
  const vs = Array.from({ length: K }, () => normal());
  return { Q0, R0, v: layers === "both" ? vs : vs.map(() => 1) };
}

function resolve(options: OverparameterisationOptions) {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
  let activations: Activation[];
  if (options.activations === undefined) activations = (O.overActivations.default as string).split(",") as Activation[];
  else {
    if (!Array.isArray(options.activations) || options.activations.length === 0) throw new OptionError({ option: "activations", value: options.activations, accepted: "a non-empty array of activations" });
    activations = options.activations.map((a, i) => checkOption<Activation>({ ...O.overActivations, values: ["relu", "erf", "linear"] }, a, `activations[${i}]`));
  }
  const M = resolveOption<number>(O.overM, options.M);
  const L = resolveOption<number[]>(O.extraUnits, options.L);
  if (M + Math.max(...L) > 100) throw new OptionError({ option: "L", value: L, accepted: `values with M + L <= 100 (M = ${M})`, related: ["M"], reason: `gives K = M + L = ${M + Math.max(...L)} students; at most 100` });
  const learningRate = resolveOption<number>(O.overLearningRate, options.learningRate);
  const learningRate2 = options.learningRate2 === undefined ? learningRate : checkOption<number>(O.overLearningRate, options.learningRate2, "learningRate2");
  const noise = resolveOption<number>(O.overNoise, options.noise);
  const alphaMax = resolveOption<number>(O.overAlphaMax, options.alphaMax);
  const convergenceTolerance = resolveOption<number>(O.overConvergenceTolerance, options.convergenceTolerance);
  const rtol = resolveOption<number>(O.overRtol, options.rtol);
  const seed = resolveOption<number>(O.overSeed, options.seed);
  const simulate = resolveOption<boolean>(O.simulatePoints, options.simulate);
  const runs = resolveOption<number>(O.overRuns, options.runs);
  const d = resolveOption<number>(O.overD, options.d);
  const simulationAlpha = resolveOption<number>(O.simulationAlpha, options.simulationAlpha);
  if (simulate && simulationAlpha > alphaMax) throw new OptionError({ option: "simulationAlpha", value: simulationAlpha, accepted: `a number <= alphaMax (${alphaMax})`, related: ["alphaMax"], reason: `must not exceed alphaMax (${alphaMax}): the simulations are compared with the ODE there; got ${simulationAlpha}` });
  if (simulate && runs < 2) throw new OptionError({ option: "runs", value: runs, accepted: "an integer >= 2 (a standard error needs two runs)", related: ["simulate"] });
  const resolved = { activations, M, L, learningRate, learningRate2, noise, alphaMax, convergenceTolerance, rtol, seed, simulate, runs, d, simulationAlpha };
  const jobs: { activation: Activation; layers: Layers; L: number; ode: IntegrateOptions; sim: SimulateOptions | null }[] = [];
  for (const activation of activations)
    for (const layers of ["first", "both"] as Layers[])
      for (const l of L) {
        const K = M + l;
        const ic = initialCondition(seed, M, l, layers);
        const setting = {
          activation, K, M, T: Array.from({ length: M }, (_, n) => Array.from({ length: M }, (__, m) => (n === m ? 1 : 0))), vStar: new Array<number>(M).fill(1),
          Q0: ic.Q0, R0: ic.R0, v: ic.v, learningRate, noise, trainSecondLayer: layers === "both", ...(layers === "both" ? { learningRate2 } : {}),
          divergenceBound: 1e6,
        };
        // the simulation's alpha is a sample of the ODE too, for the comparison
        const alphas = [...new Set([0, alphaMax / 10, ...(simulate ? [simulationAlpha] : []), alphaMax])].sort((a, b) => a - b);
        jobs.push({
          activation, layers, L: l,
          ode: { ...setting, integrator: "adaptive", rtol, atol: 1e-12, step: 0.01, alphas, convergenceTolerance, maxSteps: 1e7 },
          sim: simulate ? { ...setting, d, runs, seed, alphas: [0, simulationAlpha], matching: "none" } : null,
        });
      }
  return { resolved, jobs };
}

function estimateOf(jobs: ReturnType<typeof resolve>["jobs"]): Estimate {
  const parts = jobs.map((j) => ({ ode: odeEstimate(resolveOdeOptions(j.ode, maxHermiteOrder())), sim: j.sim ? simulationEstimate(resolveSimulation(j.sim)) : null }));
  const seconds = parts.reduce((s, p) => s + p.ode.seconds + (p.sim?.seconds ?? 0), 0);
  const memory = Math.max(...parts.map((p) => Math.max(p.ode.memoryBytes, p.sim?.memoryBytes ?? 0)));
  const sims = parts.filter((p) => p.sim).length;
  const last = parts[parts.length - 1];
  return estimate(seconds, memory, `${parts.length} ODE trajectories to convergence or alpha max (the largest: ${last.ode.detail})${sims ? ` and ${sims} x SGD runs (the largest: ${last.sim!.detail})` : ""}`, ["L", "M", "alphaMax", "activations", ...(sims ? ["runs", "d", "simulationAlpha"] : [])], parts[0].ode.unitSeconds, parts[0].ode.seconds);
}

/** Work of overparameterisation(): the ODE of every point (and its SGD runs). */
export function overparameterisationEstimate(options: OverparameterisationOptions): Estimate {
  return estimateOf(resolve(options).jobs);
}

const alphaMaxOf = (j: { ode: IntegrateOptions }) => (j.ode.alphas as number[])[(j.ode.alphas as number[]).length - 1] / 10;

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Final eps_g against L = K - M, first layer only and both layers, for each activation
 * (docs/theory.md section 9, "The over-parameterisation figure"). RunControl: refused when the
 * estimate exceeds maxWork; with "truncate", the points that fit (status "max-work").
 */
export function overparameterisation(options: OverparameterisationOptions = {}): OverparameterisationResult {
  const t0 = now();
  const { resolved, jobs } = resolve(options);
  const est = estimateOf(jobs);
  const control = resolveControl(options);
  const budget = new WorkBudget("overparameterisation", est, control, est.firstChunkSeconds);
  const points: OverparameterisationPoint[] = [];
  let rhs = 0;
  let status: "completed" | "max-work" = "completed";
  for (const j of jobs) {
    throwIfAborted(control.signal, "overparameterisation");
    const odeCost = odeEstimate(resolveOdeOptions(j.ode, maxHermiteOrder())).seconds;
    const simCost = j.sim ? simulationEstimate(resolveSimulation(j.sim)).seconds : 0;
    if (budget.truncating && budget.remaining < odeCost + simCost) {
      status = "max-work";
      break;
    }
    const r = integrate({ ...j.ode, signal: control.signal, maxWork: Infinity });
    rhs += r.stats.rhsEvaluations;
    const last = r.alpha.length - 1;
    let simulation: PointSimulation | null = null;
    if (j.sim) {
      const s = simulateSync({ ...j.sim, signal: control.signal, maxWork: Infinity });
      const n = s.stats.runs - s.stats.divergedRuns;
      const at = s.alpha.length - 1;
      const odeAt = r.alpha.findIndex((a) => Math.abs(a - s.alpha[at]) <= 1e-9 * Math.max(1, a));
      const odeEg = odeAt >= 0 ? r.eg[odeAt] : NaN;
      const se = n > 0 ? s.eg.std[at] / Math.sqrt(n) : NaN;
      simulation = { alpha: s.alpha[at], eg: { mean: s.eg.mean[at], std: s.eg.std[at], standardError: se }, runs: n, odeEg, deviation: (s.eg.mean[at] - odeEg) / se, status: s.status };
    }
    points.push({
      activation: j.activation, layers: j.layers, L: j.L, K: j.ode.K!,
      eg: r.eg[last], egNoisy: r.egNoisy[last], status: r.status, alphaReached: r.stats.alphaReached, steps: r.stats.steps,
      lastDecadeChange: (r.eg[last] - r.eg[r.alpha.findIndex((a) => a === alphaMaxOf(j))]) / r.eg[last],
      v: r.v[last], norms: r.Q[last].map((row, i) => row[i]),
      initial: { Q0: j.ode.Q0 as number[][], R0: j.ode.R0 as number[][], v: j.ode.v as number[] },
      simulation,
    });
    budget.charge(odeCost + simCost);
    budget.step("over-parameterisation", points.length, jobs.length, "points");
  }
  const converged = points.filter((p) => p.status === "converged").length;
  return {
    points,
    status,
    message: status === "completed"
      ? `${points.length} points; ${converged} converged (max |du/dalpha| < ${resolved.convergenceTolerance}), ${points.length - converged} stopped at alpha = ${resolved.alphaMax} (their eps_g is the value there)`
      : budget.truncationMessage(`${points.length} of ${jobs.length} points computed`),
    stats: { wallTimeMs: now() - t0, rhsEvaluations: rhs },
    options: resolved,
  };
}
