// simulate(): online SGD at finite d (THEORY 3), many seeded runs, mean and standard
// deviation of Q, R, eps_g per alpha. Each run is one WebAssembly call.
import { getEngine, type Engine } from "../core/engine";
import { ACTIVATION_CODE } from "../core/exports";
import * as check from "../core/validate";
import { resolveLearningRate, resolveSetting, type TeacherStudentSetting, type ResolvedOdeOptions } from "../online/options";
import { unpackState } from "../online/integrate";

export interface SimulateOptions extends TeacherStudentSetting {
  /** Input dimension d >= K + M (default 1000). */
  d?: number;
  /** Independent runs (default 10); run r uses the seed derived from (seed, r). */
  runs?: number;
  /** Base seed, a non-negative integer below 2^53 (default 1). */
  seed?: number;
  learningRate?: number;
  eta?: number;
  /** Sample points alpha = mu / d, rounded to the nearest step mu (the returned alpha is mu / d). */
  alphas?: ArrayLike<number>;
  alphaMax?: number;
  samples?: number;
  /** A run stops as diverged once some Q_ii exceeds this (default 1e6). */
  divergenceBound?: number;
  /** Keep per-run trajectories in the result (default false). */
  perRun?: boolean;
  /** Called after each run with (runs done, runs total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface MeanStd<T> {
  mean: T;
  std: T;
}

export interface RunTrajectory {
  seed: number;
  status: "completed" | "diverged";
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** Student permutation applied before averaging (matched[i] = original index of unit i). */
  matched: number[];
}

export interface SimulationResult {
  alpha: Float64Array;
  eg: MeanStd<Float64Array>;
  Q: MeanStd<number[][][]>;
  R: MeanStd<number[][][]>;
  /** "completed" when every run completed, else "diverged". */
  status: "completed" | "diverged";
  message: string;
  runs: RunTrajectory[] | null;
  stats: { runs: number; divergedRuns: number; stepsPerRun: number; wallTimeMs: number; stepsPerSecond: number };
  options: Omit<ResolvedOdeOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol" | "maxSteps" | "convergenceTolerance" | "hermiteCheck" | "hermiteTolerance"> & { d: number; runs: number; seed: number; matching: string };
}

/** Seed of run r: splitmix64-style mixing of (seed, r), as two 32-bit halves. */
export function runSeed(seed: number, r: number): [number, number] {
  let z = BigInt.asUintN(64, BigInt(seed) + BigInt(r + 1) * 0x9e3779b97f4a7c15n);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  z = z ^ (z >> 31n);
  return [Number(z >> 32n), Number(z & 0xffffffffn)];
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let k = 0; k < n; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

/** Student order maximising the summed cosine overlap with teacher units at the last sample. */
function matchStudents(Q: number[][], R: number[][], T: number[][]): number[] {
  const K = Q.length, M = T.length;
  const cos = (i: number, n: number) => R[i][n] / Math.sqrt(Q[i][i] * T[n][n]);
  const identity = Array.from({ length: K }, (_, i) => i);
  if (K > 7) {
    // greedy: largest remaining cosine first
    const used = new Set<number>(), order = new Array<number>(K).fill(-1);
    const pairs: [number, number, number][] = [];
    for (let i = 0; i < K; i++) for (let n = 0; n < Math.min(K, M); n++) pairs.push([cos(i, n), i, n]);
    pairs.sort((a, b) => b[0] - a[0]);
    for (const [, i, n] of pairs) if (order[n] < 0 && !used.has(i)) { order[n] = i; used.add(i); }
    for (let n = 0, i = 0; n < K; n++) if (order[n] < 0) { while (used.has(i)) i++; order[n] = i; used.add(i); }
    return order;
  }
  let best = identity, bestScore = -Infinity;
  for (const p of permutations(K)) {
    let score = 0;
    for (let slot = 0; slot < Math.min(K, M); slot++) score += cos(p[slot], slot);
    if (score > bestScore + 1e-12) { bestScore = score; best = p; }
  }
  return best;
}

export function simulate(options: SimulateOptions = {}): SimulationResult {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const t0 = typeof performance !== "undefined" ? performance.now() : Date.now();
  const setting = resolveSetting(options, true);
  const { K, M } = setting;
  const d = options.d === undefined ? 1000 : check.number("d", options.d, { min: K + M, max: 1e7, integer: true });
  const runs = options.runs === undefined ? 10 : check.number("runs", options.runs, { min: 1, max: 1e5, integer: true });
  const seed = options.seed === undefined ? 1 : check.number("seed", options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const learningRate = resolveLearningRate(options);
  const divergenceBound = options.divergenceBound === undefined ? 1e6 : check.number("divergenceBound", options.divergenceBound, { min: 0, minExclusive: true });
  let requested: number[];
  if (options.alphas !== undefined) {
    requested = check.vector("alphas", options.alphas, options.alphas.length);
  } else {
    const alphaMax = options.alphaMax === undefined ? 100 : check.number("alphaMax", options.alphaMax, { min: 0, minExclusive: true });
    const samples = options.samples === undefined ? 101 : check.number("samples", options.samples, { min: 2, max: 1e6, integer: true });
    requested = Array.from({ length: samples }, (_, i) => (alphaMax * i) / (samples - 1));
  }
  const steps = requested.map((a, i) => {
    if (!(a >= 0)) throw new RangeError(`alphas[${i}] must be >= 0; got ${a}`);
    return Math.round(a * d);
  });
  steps.forEach((s, i) => {
    if (i > 0 && s <= steps[i - 1]) throw new RangeError(`alphas must be at least 1/d = ${1 / d} apart after rounding to steps; alphas[${i}] = ${requested[i]}`);
  });
  const nS = steps.length;
  const e: Engine = getEngine();
  const x = e.exports;
  if (x.layout(K, M, nS) === 0 || x.simLayout(d, nS) === 0) throw new RangeError(`d = ${d} with K = ${K}, M = ${M} does not fit in WebAssembly memory`);
  let f = e.f64;
  const tp = x.ptrT() >> 3;
  setting.T.forEach((row, n) => row.forEach((v, m) => (f[tp + n * M + m] = v)));
  f.set(setting.v, x.ptrV() >> 3);
  f.set(setting.vStar, x.ptrVs() >> 3);
  const NV = K + M;
  const c0 = x.ptrSimC0() >> 3;
  for (let a = 0; a < NV; a++)
    for (let b = 0; b < NV; b++) {
      const v = a < K && b < K ? setting.Q0[a][b] : a < K ? setting.R0[a][b - K] : b < K ? setting.R0[b][a - K] : setting.T[a - K][b - K];
      f[c0 + a * NV + b] = v;
    }
  f.set(steps, x.ptrSimSteps() >> 3);
  x.configureModel(ACTIVATION_CODE[setting.activation], 0, 10, learningRate);
  const D = x.stateDimension();
  const trajectories: RunTrajectory[] = [];
  let diverged = 0;
  for (let r = 0; r < runs; r++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("simulate aborted");
    const [hi, lo] = runSeed(seed, r);
    const code = x.sgd(hi, lo, ACTIVATION_CODE[setting.activation], learningRate, divergenceBound);
    if (code === 3) throw new RangeError("C0 = [[Q0, R0], [R0^T, T]] must be positive definite (Cholesky failed in the simulation)");
    f = e.f64;
    const rec = x.sgdSamplesRecorded();
    const out = f.slice(x.ptrOut() >> 3, (x.ptrOut() >> 3) + rec * (D + 1));
    const eg = new Float64Array(rec);
    const Q: number[][][] = [], R: number[][][] = [];
    for (let s = 0; s < rec; s++) {
      eg[s] = out[s * (D + 1) + D];
      const st = unpackState(out, K, M, s * (D + 1));
      Q.push(st.Q);
      R.push(st.R);
    }
    let matched = Array.from({ length: K }, (_, i) => i);
    if (rec > 0 && code === 0) matched = matchStudents(Q[rec - 1], R[rec - 1], setting.T);
    const Qm = Q.map((q) => matched.map((i) => matched.map((k) => q[i][k])));
    const Rm = R.map((rr) => matched.map((i) => rr[i]));
    if (code !== 0) diverged++;
    trajectories.push({ seed: r, status: code === 0 ? "completed" : "diverged", eg, Q: Qm, R: Rm, matched });
    options.onProgress?.(r + 1, runs);
  }
  const done = trajectories.filter((t) => t.status === "completed");
  const pool = done.length > 0 ? done : [];
  const n = pool.length;
  const mean = (get: (t: RunTrajectory) => number) => pool.reduce((s, t) => s + get(t), 0) / n;
  const std = (get: (t: RunTrajectory) => number, m: number) => (n > 1 ? Math.sqrt(pool.reduce((s, t) => s + (get(t) - m) ** 2, 0) / (n - 1)) : 0);
  const egMean = new Float64Array(n ? nS : 0), egStd = new Float64Array(n ? nS : 0);
  const Qmean: number[][][] = [], Qstd: number[][][] = [], Rmean: number[][][] = [], Rstd: number[][][] = [];
  for (let s = 0; n && s < nS; s++) {
    egMean[s] = mean((t) => t.eg[s]);
    egStd[s] = std((t) => t.eg[s], egMean[s]);
    const qm = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => mean((t) => t.Q[s][i][k])));
    Qmean.push(qm);
    Qstd.push(qm.map((row, i) => row.map((m, k) => std((t) => t.Q[s][i][k], m))));
    const rm = Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, m) => mean((t) => t.R[s][i][m])));
    Rmean.push(rm);
    Rstd.push(rm.map((row, i) => row.map((m, k) => std((t) => t.R[s][i][k], m))));
  }
  const wallTimeMs = (typeof performance !== "undefined" ? performance.now() : Date.now()) - t0;
  const totalSteps = trajectories.length * steps[nS - 1];
  const status = diverged === 0 ? "completed" : "diverged";
  return {
    alpha: Float64Array.from(steps, (s) => s / d),
    eg: { mean: egMean, std: egStd },
    Q: { mean: Qmean, std: Qstd },
    R: { mean: Rmean, std: Rstd },
    status,
    message: diverged === 0 ? `${runs} runs of ${steps[nS - 1]} steps at d = ${d}` : `${diverged} of ${runs} runs diverged (some Q_ii exceeded divergenceBound = ${divergenceBound}); mean and std are over the ${n} completed runs`,
    runs: options.perRun ? trajectories : null,
    stats: { runs, divergedRuns: diverged, stepsPerRun: steps[nS - 1], wallTimeMs, stepsPerSecond: totalSteps / (wallTimeMs / 1000) },
    options: { ...setting, learningRate, alphas: requested, divergenceBound, d, runs, seed, matching: K === M ? "students permuted per run to maximise the summed cosine overlap R_in / sqrt(Q_ii T_nn) with teacher n at the last sample" : "none (K != M)" },
  };
}
