// Options of simulate() and their resolved, serialisable form (sent as-is to workers).
import * as check from "../core/validate";
import type { RunControl } from "../core/control";
import { OptionError } from "../core/errors";
import { MATCHINGS } from "../options/values";
import { checkGreedyTraining, resolveSchedule, resolveSetting, type TeacherStudentSetting, type ResolvedOdeOptions } from "../online/options";
import type { LearningRateSchedule } from "../options/schedule";
import { checkOption, resolveOption } from "../options/check";
import { resolveAlphas } from "../options/rules";
import * as S from "../options/catalog/simulation";
import { trainingSetSize as trainingSetSizeSpec } from "../options/catalog/training";
import { alphas as alphasSpec, sgdAlphaMax, sgdSamples } from "../options/catalog/learning";
import { divergenceBound as divergenceBoundSpec } from "../options/catalog/numerics";

/**
 * RunControl: progress is reported in SGD steps over all runs (about every 0.1 s of work per run);
 * with workLimitAction "truncate" every run stops at the last sample that fits in maxWork.
 */
export interface SimulateOptions extends TeacherStudentSetting, RunControl {
  /** Input dimension d >= K + M (default 1000). */
  d?: number;
  /** Independent runs (default 10); run r uses the seed derived from (seed, r). */
  runs?: number;
  /** Base seed, a non-negative integer below 2^53 (default 1). */
  seed?: number;
  learningRate?: number;
  eta?: number;
  /**
   * A learning-rate schedule instead of the constant learningRate (as integrate()'s): step mu uses
   * the rate at alpha = mu b / d; "greedy" the locally optimal rate of the run's own overlaps Q, R
   * before the step (recomputed every step), capped at etaMax.
   */
  learningRateSchedule?: string | LearningRateSchedule;
  /** Cap of the greedy rate (default 2). */
  etaMax?: number;
  /**
   * Mini-batch size b (default 1, plain online SGD). A step adds (eta / d) sum_s delta^s xi^s
   * over b fresh inputs (summed gradients) and alpha counts examples, alpha = steps b / d, so
   * the d -> infinity limit is the same ODE.
   */
  batch?: number;
  /** Fresh inputs per sample for a Monte-Carlo test error (default 0: none). */
  testInputs?: number;
  /**
   * A finite training set of P = round(trainingSetSize d) examples (docs/theory.md section 9):
   * drawn once per run (after the initial weights, from the run's generator, label noise once per
   * example), used in epochs in a new random order each; the training error on it is recorded
   * per sample. Default: none (online learning, a fresh example every step).
   */
  trainingSetSize?: number;
  /** Sample points alpha, rounded to the nearest whole step (the returned alpha is steps b / d). */
  alphas?: ArrayLike<number>;
  alphaMax?: number;
  samples?: number;
  /** A run stops as diverged once some Q_ii exceeds this (default 1e6). */
  divergenceBound?: number;
  /**
   * How the student units of each run are relabelled before averaging (docs/theory.md, "Matching
   * student units across runs"; the reference is `matchTo`):
   * - "final" (default): by the assignment the run ends in (matched at its last sample), from
   *   the sample on which it settled into that assignment (matching at every later sample gives
   *   the same permutation); before that, by the assignment of its first sample, which is the
   *   same for every run (all start from Q0, R0). A deterministic start therefore keeps its
   *   exact values with zero spread, and early-time statistics are not mixed by late relabelling.
   * - "each": matched independently at every sample (in a symmetric plateau the permutation
   *   then follows the noise, which biases the statistics there).
   * - "none": every run keeps its own labels.
   */
  matching?: Matching;
  /**
   * Reference student units for matching, as their overlaps with the teachers: one K x M matrix
   * (e.g. the ODE's R at the last sample), or one K x M matrix per sample (e.g. the ODE's R at
   * every sample, which compare() uses). A run's units are permuted to maximise the summed
   * cosine with these. Default: the teachers themselves (student i <-> teacher i) when K = M,
   * else no matching. "none" is the same as matching: "none".
   */
  matchTo?: ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>> | "none";
  /** Keep per-run trajectories in the result (default false). */
  perRun?: boolean;
  /**
   * Worker threads for simulate() (default: one per CPU core, at most `runs`; 1 runs in the
   * calling thread). Ignored by simulateSync(). Results do not depend on it.
   */
  threads?: number;
}

type SettingOptions = Omit<ResolvedOdeOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol" | "maxSteps" | "convergenceTolerance" | "hermiteCheck" | "hermiteTolerance" | "averageTolerance">;

/** How runs are relabelled before averaging (see SimulateOptions.matching). */
export type Matching = (typeof MATCHINGS)[number];
/** The values of SimulateOptions.matching (declared in the option schema). */
export { MATCHINGS };

/** Everything a run needs, as plain data. */
export interface SimulationPlan extends SettingOptions {
  d: number;
  runs: number;
  seed: number;
  batch: number;
  testInputs: number;
  /** Examples P of the finite training set (0: online learning). */
  trainingExamples: number;
  /** SGD steps (updates) at the samples; alpha = steps * batch / d. */
  steps: number[];
  /** The reference: one K x M matrix, one per sample, or null (teachers when K = M, else none). */
  matchTo: number[][] | number[][][] | null;
  /** Always set by resolveSimulation(); plans that are never aggregated may leave it out ("final"). */
  matching?: Matching;
}

export function resolveSimulation(options: SimulateOptions): SimulationPlan {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const setting = resolveSetting(options, true);
  const { K, M } = setting;
  const d = options.d === undefined ? S.d.default! : check.number("d", options.d, { ...S.d.range, min: K + M, integer: true }, { related: ["K", "M"] });
  const runs = resolveOption<number>(S.runs, options.runs);
  const seed = resolveOption<number>(S.seed, options.seed);
  const batch = resolveOption<number>(S.batch, options.batch);
  const testInputs = resolveOption<number>(S.testInputs, options.testInputs);
  const { learningRate, learningRateSchedule, etaMax } = resolveSchedule(options);
  checkGreedyTraining(learningRateSchedule, setting.trainSecondLayer);
  const divergenceBound = resolveOption<number>(divergenceBoundSpec, options.divergenceBound);
  const trainingExamples = resolveTrainingSet(options.trainingSetSize, d, batch);
  let requested: number[];
  if (options.alphas !== undefined) {
    if (options.alphaMax !== undefined || options.samples !== undefined) resolveAlphas(options);
    requested = checkOption<number[]>(alphasSpec, options.alphas);
  } else {
    const alphaMax = resolveOption<number>(sgdAlphaMax, options.alphaMax);
    const samples = resolveOption<number>(sgdSamples, options.samples);
    requested = Array.from({ length: samples }, (_, i) => (alphaMax * i) / (samples - 1));
  }
  const perStep = batch / d;
  const steps = requested.map((a) => Math.round(a / perStep));
  const pointsOption = options.alphas !== undefined ? "alphas" : "samples";
  steps.forEach((s, i) => {
    if (i > 0 && s <= steps[i - 1])
      throw new OptionError({
        option: pointsOption, element: options.alphas !== undefined ? `[${i}]` : undefined, value: options.alphas !== undefined ? requested[i] : options.samples,
        accepted: `sample points at least one SGD step (batch / d = ${perStep}) apart`, related: ["batch", "d", ...(options.alphas !== undefined ? [] : ["alphaMax"])],
        reason: options.alphas !== undefined
          ? `must be at least one step (batch / d = ${perStep}) after the previous point after rounding to whole steps; got ${requested[i]}`
          : `gives sample points less than one step (batch / d = ${perStep}) apart after rounding to whole steps; use fewer samples, a larger alphaMax or a larger d`,
      });
  });
  if (steps[steps.length - 1] > 2 ** 40) {
    throw new OptionError({ option: options.alphas !== undefined ? "alphas" : "alphaMax", value: requested[requested.length - 1], accepted: `at most 2^40 SGD steps (alpha <= ${(2 ** 40 * perStep).toPrecision(3)} at d = ${d}, batch = ${batch})`, related: ["d", "batch"], reason: `must need at most 2^40 SGD steps (alpha <= ${(2 ** 40 * perStep).toPrecision(3)} at d = ${d}, batch = ${batch}); got up to ${requested[requested.length - 1]}` });
  }
  let matching = resolveOption<Matching>(S.matching, options.matching);
  if (options.matchTo === "none") {
    if (options.matching !== undefined && options.matching !== "none") throw new OptionError({ option: "matchTo", value: "none", accepted: "\"none\" only with matching \"none\"", related: ["matching"], reason: `"none" means matching "none"; got matching ${JSON.stringify(options.matching)}` });
    matching = "none";
  }
  const matchTo = options.matchTo === undefined || options.matchTo === "none" ? null : referenceOf(options.matchTo, K, M, steps.length);
  return { ...setting, learningRate, learningRateSchedule, etaMax, learningRate2: setting.trainSecondLayer ? (setting.learningRate2 ?? learningRate) : null, alphas: requested, divergenceBound, d, runs, seed, batch, testInputs, trainingExamples, steps, matchTo, matching };
}

/** Largest P d of a training set: its inputs take P d doubles (1 GiB here). */
export const MAX_TRAINING_NUMBERS = 2 ** 27;

/** P = round(p d) examples, at least one batch, P d within memory; 0 without a training set. */
function resolveTrainingSet(p: number | undefined, d: number, batch: number): number {
  if (p === undefined) return 0;
  const ratio = checkOption<number>(trainingSetSizeSpec, p);
  const P = Math.round(ratio * d);
  if (P < batch) throw new OptionError({ option: "trainingSetSize", value: p, accepted: `a number >= batch / d = ${batch / d}`, related: ["d", "batch"], reason: `gives P = ${P} examples at d = ${d}, fewer than one mini-batch of ${batch}; got ${p}` });
  if (P * d > MAX_TRAINING_NUMBERS) throw new OptionError({ option: "trainingSetSize", value: p, accepted: `a number <= ${+(MAX_TRAINING_NUMBERS / d / d).toPrecision(3)} at d = ${d} (P d <= 2^27 stored numbers, 1 GiB)`, related: ["d"], reason: `gives P d = ${P * d} stored numbers at d = ${d}, more than 2^27 (1 GiB); use a smaller training set or d` });
  return P;
}

/** matchTo as one K x M matrix or as one per sample (an array of S matrices). */
function referenceOf(value: unknown, K: number, M: number, samples: number): number[][] | number[][][] {
  const perSample = Array.isArray(value) && value.length > 0 && Array.isArray(value[0]) && value[0].length > 0 && (Array.isArray(value[0][0]) || ArrayBuffer.isView(value[0][0]));
  if (!perSample) return check.matrix("matchTo", value, K, M);
  if (value.length !== samples) throw check.rangeError("matchTo", value, `${samples} K x M matrices (one per sample)`, { reason: `with one matrix per sample must have ${samples} matrices (one per sample); got ${value.length}` });
  return value.map((m: unknown, s: number) => check.matrix(`matchTo[${s}]`, m, K, M));
}

/**
 * 64-bit seed of run r, as two 32-bit halves: splitmix64 of seed + (r + 1) * golden ratio,
 * plus an odd constant for the test-input stream so the two streams never coincide.
 */
export function runSeed(seed: number, r: number, stream: "training" | "test" = "training"): [number, number] {
  let z = BigInt.asUintN(64, BigInt(seed) + BigInt(r + 1) * 0x9e3779b97f4a7c15n + (stream === "test" ? 0xd1b54a32d192ed03n : 0n));
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  z = z ^ (z >> 31n);
  return [Number(z >> 32n), Number(z & 0xffffffffn)];
}
