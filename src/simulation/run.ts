// One SGD run of a plan inside a WebAssembly instance (the caller's or a worker's).
import { OptionError } from "../core/errors";
import type { CoreInstance } from "../core/engine";
import { ACTIVATION_CODE, STATUS_PAUSED, teacherCode } from "../core/exports";
import { configureCore } from "../online/training";
import type { SimulationPlan } from "./plan";
import { applyActivationParameters } from "../core/activationParameters";
import { runSeed } from "./plan";
import { configureSchedule, layoutSchedule, scheduleOf } from "../schedules/kernel";

/** What a run returns: plain data, cheap to post from a worker. */
export interface RawRun {
  run: number;
  /** 0 completed, 2 diverged. */
  code: number;
  /** Samples recorded (all of them unless the run diverged). */
  recorded: number;
  /** Per sample: the ODE state (Q upper triangle, R, then v when trained) followed by eps_g. */
  out: Float64Array;
  /** Monte-Carlo test error per recorded sample, or null. */
  test: Float64Array | null;
  /** The learning rate of the step starting at each recorded sample (greedy: of the run's own state). */
  eta: Float64Array;
  /** Monte-Carlo standard error of each test error, or null. */
  testStandardError: Float64Array | null;
  /** Training error on the run's finite training set per recorded sample, or null (online). */
  training: Float64Array | null;
}

/** Lays out the engine's workspace for the plan and writes T, v, v*, C0 and the sample steps. */
export function prepareEngine(e: CoreInstance, plan: SimulationPlan): void {
  const { K, M, d, batch, steps } = plan;
  const x = e.exports;
  e.loadModel(plan, steps.length);
  const schedule = scheduleOf(plan.learningRateSchedule);
  layoutSchedule(e, schedule);
  const P = plan.trainingExamples ?? 0;
  if (x.simLayout(d, steps.length, batch, P) === 0)
    throw new OptionError({ option: "d", value: d, accepted: `an input dimension whose d x (K + M) weights, batch and training set fit in WebAssembly memory`, related: ["K", "M", "batch", "trainingSetSize"], reason: `= ${d} with K = ${K}, M = ${M}, batch = ${batch}${P ? `, a training set of ${P} examples` : ""} does not fit in WebAssembly memory; use a smaller d, batch or training set` });
  const f = e.f64;
  const NV = K + M;
  const c0 = x.ptrSimC0() >> 3;
  for (let a = 0; a < NV; a++)
    for (let b = 0; b < NV; b++)
      f[c0 + a * NV + b] = a < K && b < K ? plan.Q0[a][b] : a < K ? plan.R0[a][b - K] : b < K ? plan.R0[b][a - K] : plan.T[a - K][b - K];
  f.set(plan.steps, x.ptrSimSteps() >> 3);
  applyActivationParameters(e, plan);
  configureCore(x, { activation: ACTIVATION_CODE[plan.activation], teacher: teacherCode(plan) }, plan.learningRate, plan);
  configureSchedule(e, schedule, plan.etaMax);
}

/** Seeds run r and draws its initial weights: STATUS_PAUSED, or 3 (C0 not positive definite). */
export function beginRun(e: CoreInstance, plan: SimulationPlan, r: number): number {
  const [hi, lo] = runSeed(plan.seed, r);
  const [thi, tlo] = runSeed(plan.seed, r, "test");
  return e.exports.sgdBegin(hi, lo, thi, tlo, ACTIVATION_CODE[plan.activation], plan.learningRate, plan.testInputs, plan.divergenceBound, teacherCode(plan));
}

/** The run's result once the kernel returned a final status. */
export function endRun(e: CoreInstance, plan: SimulationPlan, r: number, code: number): RawRun {
  const x = e.exports;
  if (code === 3) throw new RangeError("C0 = [[Q0, R0], [R0^T, T]] must be positive definite (Cholesky failed in the simulation)");
  const D = x.stateDimension();
  const recorded = x.sgdSamplesRecorded();
  const f = e.f64;
  const out = f.slice(x.ptrOut() >> 3, (x.ptrOut() >> 3) + recorded * (D + 1));
  const test = plan.testInputs > 0 ? f.slice(x.ptrSimTestError() >> 3, (x.ptrSimTestError() >> 3) + recorded) : null;
  const testStandardError = plan.testInputs > 0 ? f.slice(x.ptrSimTestStandardError() >> 3, (x.ptrSimTestStandardError() >> 3) + recorded) : null;
  const training = (plan.trainingExamples ?? 0) > 0 ? f.slice(x.ptrSimTrainingError() >> 3, (x.ptrSimTrainingError() >> 3) + recorded) : null;
  const eta = f.slice(x.ptrRates() >> 3, (x.ptrRates() >> 3) + recorded);
  return { run: r, code, recorded, out, test, testStandardError, training, eta };
}

/**
 * Runs run r of the plan on an engine prepared by prepareEngine(), in chunks of at most
 * `chunkSteps` SGD steps (0: one call); after each chunk but the last, onChunk(steps done).
 * Chunks change nothing in the result (the kernel keeps its state between them).
 */
export function runOne(e: CoreInstance, plan: SimulationPlan, r: number, chunkSteps = 0, onChunk?: (stepsDone: number) => void): RawRun {
  let code = beginRun(e, plan, r);
  while (code === STATUS_PAUSED) {
    code = e.exports.sgdContinue(chunkSteps);
    if (code === STATUS_PAUSED) onChunk?.(e.exports.sgdStepsDone());
  }
  return endRun(e, plan, r, code);
}
