// compare(): the ODE and the finite-d simulation on one alpha grid (docs/theory.md section 3), with the
// deviation of the simulation mean from the ODE in units of its standard error.
import { integrate, integrateFrom, odeEstimate, type OdeResult } from "../online/integrate";
import { resolveOdeOptions, type IntegrateOptions } from "../online/options";
import { maxHermiteOrder } from "../averages/index";
import * as check from "../core/validate";
import { admitSimulation, runAdmitted, simulationEstimate, simulationThreads, type SimulateOptions, type SimulationResult } from "./simulate";
import { checkOption } from "../options/check";
import { compareRuns, restartAlpha as restartAlphaSpec } from "../options/catalog/simulation";
import { resolveSimulation } from "./plan";
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, type Estimate } from "../work/estimates";

/** Simulation options plus the ODE numerics of integrate() (defaults: exact averages, RK4, step 0.01). */
export interface CompareOptions extends SimulateOptions, Pick<IntegrateOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol" | "averageTolerance"> {
  /**
   * Also start the ODE from the simulation's mean order parameters at this alpha (the nearest
   * sample at or after it), to compare like with like after the finite-d transient.
   */
  restartAlpha?: number;
}

/** Distance of the simulation mean from an ODE curve in standard errors of the mean. */
export interface Deviation {
  /** (simulation mean - ODE) / standard error of the mean, per sample. */
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** Output weights v per sample (0 where v is not trained: both are the given v). */
  v: number[][];
  /** Largest |deviation| over samples and entries. */
  maxAbs: { eg: number; Q: number; R: number; v: number };
}

/** The ODE and the simulation on the simulation's alpha grid, with their deviation. */
export interface Comparison {
  alpha: Float64Array;
  simulation: SimulationResult;
  /** The ODE from the same initial condition, sampled at the simulation's alphas. */
  ode: OdeResult;
  deviation: Deviation;
  /** With restartAlpha: the ODE from the measured mean state, on the samples from there on. */
  restart: { alpha: number; sample: number; ode: OdeResult; deviation: Deviation } | null;
  /** Completed runs behind each standard error. */
  runsAveraged: number;
}

/**
 * Standard errors below SE_FLOOR (1 + |value|) count as that: at alpha = 0 every run reproduces
 * Q0, R0 to rounding, and their spread is rounding noise, not a statistical error.
 */
const SE_FLOOR = 1e-12;

function deviation(sim: SimulationResult, ode: OdeResult, n: number, first: number): Deviation {
  const S = ode.alpha.length;
  const z = (mean: number, std: number, x: number) => (mean - x) / Math.max(std / Math.sqrt(n), SE_FLOOR * (1 + Math.abs(x)));
  const eg = new Float64Array(S);
  const Q: number[][][] = [], R: number[][][] = [], v: number[][] = [];
  const maxAbs = { eg: 0, Q: 0, R: 0, v: 0 };
  for (let s = 0; s < S; s++) {
    const t = first + s;
    eg[s] = z(sim.eg.mean[t], sim.eg.std[t], ode.eg[s]);
    Q.push(ode.Q[s].map((row, i) => row.map((x, k) => z(sim.Q.mean[t][i][k], sim.Q.std[t][i][k], x))));
    R.push(ode.R[s].map((row, i) => row.map((x, m) => z(sim.R.mean[t][i][m], sim.R.std[t][i][m], x))));
    v.push(ode.v[s].map((x, i) => z(sim.v.mean[t][i], sim.v.std[t][i], x)));
    for (const d of v[s]) maxAbs.v = Math.max(maxAbs.v, Math.abs(d));
    maxAbs.eg = Math.max(maxAbs.eg, Math.abs(eg[s]));
    for (const row of Q[s]) for (const v of row) maxAbs.Q = Math.max(maxAbs.Q, Math.abs(v));
    for (const row of R[s]) for (const v of row) maxAbs.R = Math.max(maxAbs.R, Math.abs(v));
  }
  return { eg, Q, R, v, maxAbs };
}

/**
 * The work of compare(): the ODE on the simulation's grid (twice with restartAlpha) and the runs.
 * In "truncate" mode the ODE keeps its full share and the runs stop where the rest runs out.
 */
export function compareEstimate(options: CompareOptions): { ode: Estimate; sim: Estimate; total: Estimate } {
  const plan = resolveSimulation(options);
  const ode = odeEstimate(resolveOdeOptions({ ...odeBase(options, plan), Q0: plan.Q0, R0: plan.R0, alphas: plan.steps.map((s) => (s * plan.batch) / plan.d) }, maxHermiteOrder()));
  const sim = simulationEstimate(plan, simulationThreads(options));
  const odeTimes = options.restartAlpha === undefined ? 1 : 2;
  const total = estimate(odeTimes * ode.seconds + sim.seconds, Math.max(ode.memoryBytes, sim.memoryBytes), `ODE: ${ode.detail}${odeTimes > 1 ? " (twice: restartAlpha)" : ""}; SGD: ${sim.detail}`, [...new Set([...sim.drivers, ...ode.drivers])], sim.unitSeconds, odeTimes * ode.seconds + sim.firstChunkSeconds);
  return { ode: { ...ode, seconds: odeTimes * ode.seconds }, sim, total };
}

function odeBase(options: CompareOptions, plan: ReturnType<typeof resolveSimulation>) {
  const { method, hermiteOrder, integrator, step, rtol, atol, averageTolerance } = options;
  // the same schedule as the runs (a constant one as learningRate); v, vStar as resolved (scaled by
  // outputScaling already); the training options of section 9
  const rate = plan.learningRateSchedule === "constant" ? { learningRate: plan.learningRate } : { learningRateSchedule: plan.learningRateSchedule, etaMax: plan.etaMax };
  return {
    activation: plan.activation, teacherActivation: plan.teacherActivation, slope: plan.slope, hermiteCoefficients: plan.hermiteCoefficients ?? undefined, averageTolerance,
    K: plan.K, M: plan.M, T: plan.T, v: plan.v, vStar: plan.vStar, ...rate,
    noise: plan.noise, weightDecay: plan.weightDecay, trainSecondLayer: plan.trainSecondLayer, learningRate2: plan.learningRate2,
    divergenceBound: plan.divergenceBound, method, hermiteOrder, integrator, step, rtol, atol,
  };
}

/** Runs the ODE and the finite-d simulation of one setting on one alpha grid (docs/theory.md section 3.9). */
export async function compare(options: CompareOptions & RunControl = {}): Promise<Comparison> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const full = resolveSimulation(options);
  checkOption(compareRuns, full.runs);
  const lastAlpha = (full.steps[full.steps.length - 1] * full.batch) / full.d;
  // restartAlpha within the run, checked before anything runs
  const restartAlpha = options.restartAlpha === undefined ? undefined
    : check.number("restartAlpha", options.restartAlpha, { ...restartAlphaSpec.range, max: lastAlpha }, {
        related: [options.alphas !== undefined ? "alphas" : "alphaMax"],
        reason: `must lie within the run, a finite number >= 0 and <= its last sample ${lastAlpha} (${options.alphas !== undefined ? "the last of alphas" : "alphaMax"}); got ${options.restartAlpha}`,
      });
  const control = resolveControl(options);
  const est = compareEstimate(options);
  // refuses here, before any work, when the whole does not fit (or, truncating, not even its first part)
  const budget = new WorkBudget("compare", est.total, control, est.total.firstChunkSeconds);
  const threads = simulationThreads(options);
  const a = admitSimulation({ ...options, onProgress: control.onProgress, maxWork: budget.truncating ? control.maxWork - est.ode.seconds : control.maxWork }, threads, "compare");
  const plan = a.plan;
  const base = odeBase(options, plan);
  const alphas = plan.steps.map((s) => (s * plan.batch) / plan.d);
  // the ODE first: runs are matched to its student units at every sample (the reference moves
  // with the ODE, which may itself change which teacher a unit follows), so unit i of the
  // simulation mean is the unit that the ODE calls i at the same alpha
  const ode = integrate({ ...base, Q0: plan.Q0, R0: plan.R0, alphas, onProgress: control.onProgress, signal: control.signal, maxWork: Infinity });
  const matchTo = options.matchTo ?? (ode.R.length === alphas.length ? ode.R : undefined);
  // the plan again with the reference (on the admitted samples: the same steps), under the same budget
  const planned = admitSimulation({ ...options, alphas, alphaMax: undefined, samples: undefined, matchTo, maxWork: Infinity, workLimitAction: "refuse" }, threads, "compare");
  const sim = await runAdmitted({ ...planned, budget: a.budget, dropped: a.dropped }, options.perRun === true, threads);
  const n = sim.stats.runs - sim.stats.divergedRuns;
  if (n < 2) throw new RangeError(`compare needs at least 2 completed runs for a standard error; ${n} of ${sim.stats.runs} completed (the others diverged past divergenceBound = ${plan.divergenceBound}: a smaller learning rate or more runs)`);
  const result: Comparison = { alpha: sim.alpha, simulation: sim, ode, deviation: deviation(sim, ode, n, 0), restart: null, runsAveraged: n };
  if (restartAlpha !== undefined) {
    const a0 = restartAlpha;
    let s0 = sim.alpha.findIndex((a) => a >= a0 - 1e-12);
    if (s0 === sim.alpha.length - 1) s0 = Math.max(0, s0 - 1);
    const alphas = Array.from(sim.alpha.subarray(s0), (a) => a - sim.alpha[s0]);
    // the schedule's clock keeps running: the restarted trajectory starts at alpha = sim.alpha[s0] of it
    const restarted = integrateFrom({ ...base, Q0: sim.Q.mean[s0], R0: sim.R.mean[s0], ...(plan.trainSecondLayer ? { v: sim.v.mean[s0] } : {}), alphas, onProgress: control.onProgress, signal: control.signal, maxWork: Infinity }, sim.alpha[s0]);
    restarted.alpha.forEach((a, i) => (restarted.alpha[i] = a + sim.alpha[s0]));
    result.restart = { alpha: sim.alpha[s0], sample: s0, ode: restarted, deviation: deviation(sim, restarted, n, s0) };
  }
  return result;
}
