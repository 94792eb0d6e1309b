// Options of simulate() and their resolved, serialisable form (sent as-is to workers).
import * as check from "../core/validate";
import type { RunControl } from "../core/control";
import { resolveLearningRate, resolveSetting, type TeacherStudentSetting, type ResolvedOdeOptions } from "../online/options";

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
   * Mini-batch size b (default 1, plain online SGD). A step adds (eta / d) sum_s delta^s xi^s
   * over b fresh inputs (summed gradients) and alpha counts examples, alpha = steps b / d, so
   * the d -> infinity limit is the same ODE.
   */
  batch?: number;
  /** Fresh inputs per sample for a Monte-Carlo test error (default 0: none). */
  testInputs?: number;
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

type SettingOptions = Omit<ResolvedOdeOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol" | "maxSteps" | "convergenceTolerance" | "hermiteCheck" | "hermiteTolerance">;

/** How runs are relabelled before averaging (see SimulateOptions.matching). */
export type Matching = "final" | "each" | "none";
export const MATCHINGS: readonly Matching[] = ["final", "each", "none"];

/** Everything a run needs, as plain data. */
export interface SimulationPlan extends SettingOptions {
  d: number;
  runs: number;
  seed: number;
  batch: number;
  testInputs: number;
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
  const d = options.d === undefined ? 1000 : check.number("d", options.d, { min: K + M, max: 1e7, integer: true });
  const runs = options.runs === undefined ? 10 : check.number("runs", options.runs, { min: 1, max: 1e5, integer: true });
  const seed = options.seed === undefined ? 1 : check.number("seed", options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const batch = options.batch === undefined ? 1 : check.number("batch", options.batch, { min: 1, max: 1e6, integer: true });
  const testInputs = options.testInputs === undefined ? 0 : check.number("testInputs", options.testInputs, { min: 0, max: 1e8, integer: true });
  const learningRate = resolveLearningRate(options);
  const divergenceBound = options.divergenceBound === undefined ? 1e6 : check.number("divergenceBound", options.divergenceBound, { min: 0, minExclusive: true });
  let requested: number[];
  if (options.alphas !== undefined) {
    requested = check.vector("alphas", options.alphas, options.alphas.length);
  } else {
    const alphaMax = options.alphaMax === undefined ? 100 : check.number("alphaMax", options.alphaMax, { min: 0, minExclusive: true, max: 1e9 });
    const samples = options.samples === undefined ? 101 : check.number("samples", options.samples, { min: 2, max: 1e6, integer: true });
    requested = Array.from({ length: samples }, (_, i) => (alphaMax * i) / (samples - 1));
  }
  if (requested.length === 0) throw new RangeError("alphas must hold at least one sample point");
  const perStep = batch / d;
  const steps = requested.map((a, i) => {
    if (!(a >= 0)) throw new RangeError(`alphas[${i}] must be >= 0; got ${a}`);
    return Math.round(a / perStep);
  });
  steps.forEach((s, i) => {
    if (i > 0 && s <= steps[i - 1])
      throw new RangeError(`alphas must be at least one step (batch / d = ${perStep}) apart after rounding to whole steps; alphas[${i}] = ${requested[i]}`);
  });
  if (steps[steps.length - 1] > 2 ** 40) throw new RangeError(`alphas up to ${requested[requested.length - 1]} need more than 2^40 SGD steps at d = ${d}, batch = ${batch}`);
  let matching = options.matching === undefined ? "final" : check.oneOf("matching", options.matching, MATCHINGS);
  if (options.matchTo === "none") {
    if (options.matching !== undefined && options.matching !== "none") throw new RangeError(`matchTo "none" means matching "none"; got matching ${JSON.stringify(options.matching)}`);
    matching = "none";
  }
  const matchTo = options.matchTo === undefined || options.matchTo === "none" ? null : referenceOf(options.matchTo, K, M, steps.length);
  return { ...setting, learningRate, alphas: requested, divergenceBound, d, runs, seed, batch, testInputs, steps, matchTo, matching };
}

/** matchTo as one K x M matrix or as one per sample (an array of S matrices). */
function referenceOf(value: unknown, K: number, M: number, samples: number): number[][] | number[][][] {
  const perSample = Array.isArray(value) && value.length > 0 && Array.isArray(value[0]) && value[0].length > 0 && (Array.isArray(value[0][0]) || ArrayBuffer.isView(value[0][0]));
  if (!perSample) return check.matrix("matchTo", value, K, M);
  if (value.length !== samples) throw new RangeError(`matchTo with one matrix per sample must have ${samples} matrices (one per sample); got ${value.length}`);
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
