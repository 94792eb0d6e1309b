// Options of simulate() and their resolved, serialisable form (sent as-is to workers).
import * as check from "../core/validate";
import { resolveLearningRate, resolveSetting, type TeacherStudentSetting, type ResolvedOdeOptions } from "../online/options";

export interface SimulateOptions extends TeacherStudentSetting {
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
   * Reference student units for matching, as their overlaps with the teachers (K x M, e.g. the
   * ODE's R at the last sample): each run's students are permuted to resemble these at the last
   * sample. Default: the teachers themselves (student i <-> teacher i) when K = M, else none.
   * "none" keeps every run's own labels (right before any escape from a symmetric plateau).
   */
  matchTo?: ArrayLike<ArrayLike<number>> | "none";
  /** Keep per-run trajectories in the result (default false). */
  perRun?: boolean;
  /**
   * Worker threads for simulate() (default: one per CPU core, at most `runs`; 1 runs in the
   * calling thread). Ignored by simulateSync(). Results do not depend on it.
   */
  threads?: number;
  /** Called after each finished run with (runs done, runs total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

type SettingOptions = Omit<ResolvedOdeOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol" | "maxSteps" | "convergenceTolerance" | "hermiteCheck" | "hermiteTolerance" | "averageTolerance">;

/** Everything a run needs, as plain data. */
export interface SimulationPlan extends SettingOptions {
  d: number;
  runs: number;
  seed: number;
  batch: number;
  testInputs: number;
  /** SGD steps (updates) at the samples; alpha = steps * batch / d. */
  steps: number[];
  matchTo: number[][] | "none" | null;
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
  const matchTo = options.matchTo === undefined ? null : options.matchTo === "none" ? "none" : check.matrix("matchTo", options.matchTo, K, M);
  return { ...setting, learningRate, alphas: requested, divergenceBound, d, runs, seed, batch, testInputs, steps, matchTo };
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
