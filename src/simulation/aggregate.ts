// Runs -> result: students matched to teachers per run, then mean and standard deviation
// over the completed runs at every sample.
import { unpackState } from "../online/integrate";
import type { SimulationPlan } from "./plan";
import type { RawRun } from "./run";

export interface MeanStd<T> {
  mean: T;
  std: T;
}

export interface RunTrajectory {
  /** Run index r (its seed is runSeed(seed, r)). */
  run: number;
  status: "completed" | "diverged";
  eg: Float64Array;
  /** Monte-Carlo test error per sample (null unless testInputs > 0). */
  egTest: Float64Array | null;
  Q: number[][][];
  R: number[][][];
  /** Student permutation applied before averaging (matched[i] = original index of unit i). */
  matched: number[];
}

export interface SimulationStats {
  runs: number;
  divergedRuns: number;
  /** SGD updates per run (each uses `batch` examples). */
  stepsPerRun: number;
  threads: number;
  wallTimeMs: number;
  /** SGD updates per second over all threads. */
  stepsPerSecond: number;
}

export interface SimulationResult {
  alpha: Float64Array;
  eg: MeanStd<Float64Array>;
  /** Monte-Carlo test error (null unless testInputs > 0). */
  egTest: MeanStd<Float64Array> | null;
  Q: MeanStd<number[][][]>;
  R: MeanStd<number[][][]>;
  /** "completed" when every run completed, "diverged" when some diverged, "max-work" when cut at RunControl.maxWork. */
  status: "completed" | "diverged" | "max-work";
  message: string;
  runs: RunTrajectory[] | null;
  stats: SimulationStats;
  options: SimulationPlan & { threads: number; matching: string };
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let k = 0; k < n; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

/** T^{-1} by Gauss-Jordan (T is symmetric positive definite, checked on input). */
function inverse(T: number[][]): number[][] {
  const n = T.length;
  const A = T.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const p = A[c][c];
    for (let j = 0; j < 2 * n; j++) A[c][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) A[r][j] -= f * A[c][j];
    }
  }
  return A.map((row) => row.slice(n));
}

/**
 * Student order p (unit i of the result = unit p[i] of the run) maximising the summed cosine
 * between the run's student units and the reference units, both described by their overlaps
 * with the teachers (rows of R) and compared in the metric T^{-1} of the teacher span
 * (exhaustive for K <= 7, greedy above).
 */
export function matchStudents(R: number[][], reference: number[][], T: number[][]): number[] {
  const K = R.length;
  const Ti = inverse(T);
  const inner = (a: number[], b: number[]) => {
    let s = 0;
    for (let n = 0; n < a.length; n++) for (let m = 0; m < b.length; m++) s += a[n] * Ti[n][m] * b[m];
    return s;
  };
  const norm = (a: number[]) => Math.sqrt(Math.max(inner(a, a), 1e-300));
  const cos = R.map((r) => reference.map((ref) => inner(r, ref) / (norm(r) * norm(ref))));
  if (K > 7) {
    const used = new Set<number>(), order = new Array<number>(K).fill(-1);
    const pairs: [number, number, number][] = [];
    for (let j = 0; j < K; j++) for (let i = 0; i < K; i++) pairs.push([cos[j][i], j, i]);
    pairs.sort((a, b) => b[0] - a[0]);
    for (const [, j, i] of pairs) if (order[i] < 0 && !used.has(j)) { order[i] = j; used.add(j); }
    return order;
  }
  let best = Array.from({ length: K }, (_, i) => i), bestScore = -Infinity;
  for (const p of permutations(K)) {
    let score = 0;
    for (let i = 0; i < K; i++) score += cos[p[i]][i];
    if (score > bestScore + 1e-12) { bestScore = score; best = p; }
  }
  return best;
}

export const MATCHING_RULE = "students permuted per run, at the last sample, to maximise the summed cosine (in the metric T^-1 of the teacher span) between each unit's overlaps with the teachers and those of the reference units";

function trajectory(plan: SimulationPlan, raw: RawRun): RunTrajectory {
  const { K, M } = plan;
  const D = (K * (K + 1)) / 2 + K * M;
  const eg = new Float64Array(raw.recorded);
  const Q: number[][][] = [], R: number[][][] = [];
  for (let s = 0; s < raw.recorded; s++) {
    eg[s] = raw.out[s * (D + 1) + D];
    const st = unpackState(raw.out, K, M, s * (D + 1));
    Q.push(st.Q);
    R.push(st.R);
  }
  let matched = Array.from({ length: K }, (_, i) => i);
  const reference = plan.matchTo === "none" ? null : plan.matchTo ?? (K === M ? plan.T : null);
  if (raw.recorded > 0 && raw.code === 0 && reference) matched = matchStudents(R[raw.recorded - 1], reference, plan.T);
  return {
    run: raw.run,
    status: raw.code === 0 ? "completed" : "diverged",
    eg,
    egTest: raw.test,
    Q: Q.map((q) => matched.map((i) => matched.map((k) => q[i][k]))),
    R: R.map((rr) => matched.map((i) => rr[i])),
    matched,
  };
}

/** Mean and sample standard deviation (n - 1) of f(run) over runs. */
function meanStd(pool: RunTrajectory[], f: (t: RunTrajectory) => number): [number, number] {
  const n = pool.length;
  let m = 0;
  for (const t of pool) m += f(t);
  m /= n;
  let v = 0;
  if (n > 1) for (const t of pool) v += (f(t) - m) ** 2;
  return [m, n > 1 ? Math.sqrt(v / (n - 1)) : 0];
}

function matrixMeanStd(pool: RunTrajectory[], rows: number, cols: number, get: (t: RunTrajectory, i: number, k: number) => number): [number[][], number[][]] {
  const mean: number[][] = [], std: number[][] = [];
  for (let i = 0; i < rows; i++) {
    mean.push([]);
    std.push([]);
    for (let k = 0; k < cols; k++) {
      const [m, s] = meanStd(pool, (t) => get(t, i, k));
      mean[i].push(m);
      std[i].push(s);
    }
  }
  return [mean, std];
}

export function aggregate(plan: SimulationPlan, raws: RawRun[], perRun: boolean, threads: number, wallTimeMs: number): SimulationResult {
  const { K, M, d, batch, steps } = plan;
  const trajectories = [...raws].sort((a, b) => a.run - b.run).map((raw) => trajectory(plan, raw));
  const pool = trajectories.filter((t) => t.status === "completed");
  const n = pool.length, nS = n > 0 ? steps.length : 0;
  const eg = { mean: new Float64Array(nS), std: new Float64Array(nS) };
  const egTest = plan.testInputs > 0 ? { mean: new Float64Array(nS), std: new Float64Array(nS) } : null;
  const Q: MeanStd<number[][][]> = { mean: [], std: [] }, R: MeanStd<number[][][]> = { mean: [], std: [] };
  for (let s = 0; s < nS; s++) {
    [eg.mean[s], eg.std[s]] = meanStd(pool, (t) => t.eg[s]);
    if (egTest) [egTest.mean[s], egTest.std[s]] = meanStd(pool, (t) => t.egTest![s]);
    const [qm, qs] = matrixMeanStd(pool, K, K, (t, i, k) => t.Q[s][i][k]);
    const [rm, rs] = matrixMeanStd(pool, K, M, (t, i, k) => t.R[s][i][k]);
    Q.mean.push(qm); Q.std.push(qs); R.mean.push(rm); R.std.push(rs);
  }
  const diverged = trajectories.length - n;
  const lastStep = steps[steps.length - 1];
  const totalSteps = trajectories.reduce((sum, t) => sum + (t.status === "completed" ? lastStep : 0), 0);
  return {
    alpha: Float64Array.from(steps, (s) => (s * batch) / d),
    eg,
    egTest,
    Q,
    R,
    status: diverged === 0 ? "completed" : "diverged",
    message:
      diverged === 0
        ? `${plan.runs} runs of ${lastStep} SGD steps (batch ${batch}) at d = ${d}`
        : `${diverged} of ${plan.runs} runs diverged (some Q_ii exceeded divergenceBound = ${plan.divergenceBound}); mean and std are over the ${n} completed runs`,
    runs: perRun ? trajectories : null,
    stats: { runs: plan.runs, divergedRuns: diverged, stepsPerRun: lastStep, threads, wallTimeMs, stepsPerSecond: totalSteps / (wallTimeMs / 1000) },
    options: { ...plan, threads, matching: plan.matchTo === "none" ? "none (matchTo: none)" : plan.matchTo ? `${MATCHING_RULE} (reference: matchTo)` : K === M ? `${MATCHING_RULE} (reference: the teachers, student i <-> teacher i)` : "none (K != M and no matchTo)" },
  };
}
