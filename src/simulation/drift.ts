// The one-step drift of the order parameters at finite d, measured by Monte Carlo: the
// finite-size counterpart of the ODE's right-hand side (docs/theory.md sections 1 and 3).
import { withInstance } from "../core/engine";
import { ACTIVATION_CODE, teacherCode } from "../core/exports";
import * as check from "../core/validate";
import { resolveLearningRate, resolveSetting, type TeacherStudentSetting } from "../online/options";
import { unpackTrained } from "../online/integrate";
import { runSeed, type SimulationPlan } from "./plan";
import { prepareEngine } from "./run";
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, sgdStepSeconds, sgdWorkspaceBytes, type Estimate } from "../work/estimates";

/** The setting, the overlaps the steps start from, and the Monte-Carlo sample. */
export interface StepDriftOptions extends TeacherStudentSetting {
  /** Overlaps of the weights the steps start from (alias of Q0, R0). */
  Q?: ArrayLike<ArrayLike<number>>;
  R?: ArrayLike<ArrayLike<number>>;
  learningRate?: number;
  eta?: number;
  /** Input dimension (default 1000). */
  d?: number;
  /** Independent inputs, each giving one step from the same weights (default 100000). */
  draws?: number;
  seed?: number;
}

/** Mean one-step change of Q and R (and a trained v) at finite d, scaled by d, with standard errors. */
export interface StepDrift {
  /** Mean over draws of d * (change of Q, R) in one step: estimates dQ/dalpha, dR/dalpha. */
  dQ: number[][];
  dR: number[][];
  /** The same for the output weights v with trainSecondLayer (else null). */
  dv: number[] | null;
  /** Standard errors of those means (standard deviation over draws / sqrt(draws)). */
  dQStandardError: number[][];
  dRStandardError: number[][];
  dvStandardError: number[] | null;
  draws: number;
  d: number;
}

function resolveDrift(options: StepDriftOptions) {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const setting = resolveSetting({ ...options, Q0: options.Q ?? options.Q0, R0: options.R ?? options.R0 }, true, { Q0: options.Q !== undefined ? "Q" : "Q0", R0: options.R !== undefined ? "R" : "R0" });
  const { K, M } = setting;
  const d = options.d === undefined ? 1000 : check.number("d", options.d, { min: K + M, max: 1e7, integer: true });
  const draws = options.draws === undefined ? 100000 : check.number("draws", options.draws, { min: 2, max: 1e9, integer: true });
  const seed = options.seed === undefined ? 1 : check.number("seed", options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const learningRate = resolveLearningRate(options);
  const plan: SimulationPlan = { ...setting, learningRate, learningRateSchedule: "constant", etaMax: Infinity, learningRate2: setting.trainSecondLayer ? (setting.learningRate2 ?? learningRate) : null, alphas: [0, 1], divergenceBound: Infinity, d, runs: 1, seed, batch: 1, testInputs: 0, trainingExamples: 0, steps: [0, 1], matchTo: null };
  return { setting, K, M, d, draws, seed, learningRate, plan };
}

/** Work of stepDrift(): draws x one SGD step's projections in dimension d (one kernel call). */
export function stepDriftEstimate(options: StepDriftOptions): Estimate {
  const { plan, draws } = resolveDrift(options);
  return estimateOf(plan, draws);
}

function estimateOf(plan: SimulationPlan, draws: number): Estimate {
  const step = sgdStepSeconds({ ...plan, batch: 1 });
  // one kernel call: no partial result, no progress inside
  return estimate(draws * step, sgdWorkspaceBytes(plan.K, plan.M, plan.d, 1, 2), `${fmtCount(draws)} draws x ${fmtSeconds(step)} (d = ${plan.d}, K + M = ${plan.K + plan.M})`, ["draws", "d", "K", "M"], step, draws * step);
}

/**
 * E[d Delta R] equals the ODE's dR/dalpha exactly at any d; E[d Delta Q] differs from it by
 * O(eta^2 (K + M) / d) because |xi|^2 / d fluctuates around 1 and correlates with the deltas.
 */
export function stepDrift(options: StepDriftOptions & RunControl): StepDrift {
  const { setting, K, M, d, draws, seed, learningRate, plan } = resolveDrift(options);
  const est = estimateOf(plan, draws);
  const budget = new WorkBudget("stepDrift", est, resolveControl(options), est.firstChunkSeconds, false);
  const [hi, lo] = runSeed(seed, 0);
  const out = withInstance((e) => {
    prepareEngine(e, plan);
    if (e.exports.sgdStepDrift(hi, lo, ACTIVATION_CODE[setting.activation], learningRate, draws, teacherCode(setting)) === 3)
      throw new RangeError("C = [[Q, R], [R^T, T]] must be positive definite");
    const D = e.exports.stateDimension();
    return e.f64.slice(e.exports.ptrOut() >> 3, (e.exports.ptrOut() >> 3) + 2 * D);
  });
  const trained = setting.trainSecondLayer;
  const mean = unpackTrained(out, K, M, 0, trained);
  const sd = unpackTrained(out, K, M, out.length / 2, trained);
  budget.charge(est.seconds);
  budget.step("step drift", draws, draws, "draws");
  const se = (A: number[][]) => A.map((row) => row.map((s) => s / Math.sqrt(draws)));
  return { dQ: mean.Q, dR: mean.R, dv: mean.v, dQStandardError: se(sd.Q), dRStandardError: se(sd.R), dvStandardError: sd.v ? sd.v.map((s) => s / Math.sqrt(draws)) : null, draws, d };
}
