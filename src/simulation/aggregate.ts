// Runs -> result: students relabelled per run (docs/theory.md, "Matching student units across
// runs"), then mean and standard deviation over the completed runs at every sample.
import { unpackTrained } from "../online/integrate";
import type { Matching, SimulationPlan } from "./plan";
import type { RawRun } from "./run";

/** Mean and sample standard deviation over the completed runs. */
export interface MeanStd<T> {
  mean: T;
  std: T;
}

/** One run's trajectory after relabelling (returned with perRun). */
export interface RunTrajectory {
  /** Run index r (its seed is runSeed(seed, r)). */
  run: number;
  status: "completed" | "diverged";
  eg: Float64Array;
  /** Monte-Carlo test error per sample (null unless testInputs > 0). */
  egTest: Float64Array | null;
  /** The learning rate of the step starting at each sample (greedy: the run's own). */
  eta: Float64Array;
  /** Monte-Carlo standard error of each egTest (null unless testInputs > 0). */
  egTestStandardError: Float64Array | null;
  /** Training error on the run's training set per sample (null for online learning). */
  egTraining: Float64Array | null;
  Q: number[][][];
  R: number[][][];
  /** Output weights v per sample (relabelled with the units; constant unless trainSecondLayer). */
  v: number[][];
  /** Student permutation applied at the last sample (matched[i] = the run's own index of unit i). */
  matched: number[];
  /** The permutation applied at each sample (relabelling[s][i] = the run's own index of unit i). */
  relabelling: number[][];
  /**
   * The assignment the run ends in: the permutation matching its last sample to the reference
   * (whatever `matching` is; null without a reference).
   */
  assignment: number[] | null;
  /**
   * First sample from which matching every sample to the reference gives `assignment` (the run
   * has settled into its final assignment there); null without a reference.
   */
  settledSample: number | null;
}

/** How many of the averaged runs ended in one assignment of students to reference units. */
export interface AssignmentCount {
  /** assignment[i] = the run's own index of the unit matched to reference unit i. */
  assignment: number[];
  runs: number;
}

/** Counts and timing of a simulation. */
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

/** Statistics of SGD runs at finite d per sample, with the runs' final assignments and the resolved options. */
export interface SimulationResult {
  alpha: Float64Array;
  eg: MeanStd<Float64Array>;
  /** The learning rate at each sample over the completed runs (std 0 unless the schedule is greedy, whose rate follows each run's state). */
  eta: MeanStd<Float64Array>;
  /**
   * Monte-Carlo test error on fresh inputs against the noise-free teacher (null unless
   * testInputs > 0), with the standard error of its mean over runs (std / sqrt(runs)).
   */
  egTest: (MeanStd<Float64Array> & { standardError: Float64Array }) | null;
  /**
   * Training error (1/P) sum_mu (y^mu - s(xi^mu))^2 / 2 on each run's finite training set, noisy
   * labels included (null for online learning; docs/theory.md section 9).
   */
  egTraining: MeanStd<Float64Array> | null;
  /** Test error on noisy labels, eps_g + sigma^2 / 2, per sample (eg when noise is 0). */
  egNoisy: MeanStd<Float64Array>;
  Q: MeanStd<number[][][]>;
  R: MeanStd<number[][][]>;
  /** Output weights v per sample (K values; zero spread unless trainSecondLayer). */
  v: MeanStd<number[][]>;
  /** "completed" when every run completed, "diverged" when some diverged, "max-work" when cut at RunControl.maxWork. */
  status: "completed" | "diverged" | "max-work";
  message: string;
  runs: RunTrajectory[] | null;
  /**
   * The final assignments of the completed runs (those averaged) with their counts, most
   * frequent first; the counts sum to stats.runs - stats.divergedRuns. Null without a reference
   * (K != M and no matchTo).
   */
  assignments: AssignmentCount[] | null;
  stats: SimulationStats;
  options: SimulationPlan & { threads: number; matching: Matching; matchingRule: string };
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
 * (exhaustive for K <= 7, greedy above). Ties keep the run's own order.
 */
export function matchStudents(R: number[][], reference: number[][], T: number[][]): number[] {
  return matchWith(R, reference, inverse(T)).order;
}

/**
 * The best order and its margin: the smallest loss of summed cosine when two units of the best
 * order are swapped, halved (about 1 for specialised units, about 0 while they are alike).
 */
function matchWith(R: number[][], reference: number[][], Ti: number[][]): { order: number[]; margin: number } {
  const order = bestOrder(R, reference, Ti);
  const cos = cosines(R, reference, Ti);
  let margin = Infinity;
  for (let i = 0; i < order.length; i++)
    for (let j = i + 1; j < order.length; j++)
      margin = Math.min(margin, (cos[order[i]][i] + cos[order[j]][j] - cos[order[j]][i] - cos[order[i]][j]) / 2);
  return { order, margin: order.length > 1 ? margin : 1 };
}

/** cos[j][i]: cosine between the run's unit j and reference unit i in the metric T^-1. */
function cosines(R: number[][], reference: number[][], Ti: number[][]): number[][] {
  const inner = (a: number[], b: number[]) => {
    let s = 0;
    for (let n = 0; n < a.length; n++) for (let m = 0; m < b.length; m++) s += a[n] * Ti[n][m] * b[m];
    return s;
  };
  const norm = (a: number[]) => Math.sqrt(Math.max(inner(a, a), 1e-300));
  return R.map((r) => reference.map((ref) => inner(r, ref) / (norm(r) * norm(ref))));
}

function bestOrder(R: number[][], reference: number[][], Ti: number[][]): number[] {
  const K = R.length;
  const cos = cosines(R, reference, Ti);
  if (K > 7) {
    const used = new Set<number>(), order = new Array<number>(K).fill(-1);
    const pairs: [number, number, number][] = [];
    for (let j = 0; j < K; j++) for (let i = 0; i < K; i++) pairs.push([cos[j][i], j, i]);
    pairs.sort((a, b) => b[0] - a[0] || (a[1] === a[2] ? -1 : b[1] === b[2] ? 1 : 0));
    for (const [, j, i] of pairs) if (order[i] < 0 && !used.has(j)) { order[i] = j; used.add(j); }
    return order;
  }
  // the identity first: another permutation must be better by more than rounding
  let best = Array.from({ length: K }, (_, i) => i), bestScore = 0;
  for (let i = 0; i < K; i++) bestScore += cos[i][i];
  for (const p of permutations(K)) {
    let score = 0;
    for (let i = 0; i < K; i++) score += cos[p[i]][i];
    if (score > bestScore + 1e-12) { bestScore = score; best = p; }
  }
  return best;
}

export const MATCHING_RULES: Record<Matching, string> = {
  final: "each run relabelled by the assignment it ends in (matched at its last sample) from the sample on which it settled into that assignment, before that by the assignment of its first sample (the same for every run)",
  each: "each run matched independently at every sample",
  none: "every run keeps its own labels",
};
const MATCH_CRITERION = "matching: the permutation maximising the summed cosine (in the metric T^-1 of the teacher span) between each unit's overlaps with the teachers and those of the reference units";

const sameOrder = (a: number[], b: number[]) => a.every((x, i) => x === b[i]);

function trajectory(plan: SimulationPlan, raw: RawRun, Ti: number[][] | null): RunTrajectory {
  const { K, M } = plan;
  const D = (K * (K + 1)) / 2 + K * M + (plan.trainSecondLayer ? K : 0);
  const eg = new Float64Array(raw.recorded);
  const Q: number[][][] = [], R: number[][][] = [], V: number[][] = [];
  for (let s = 0; s < raw.recorded; s++) {
    eg[s] = raw.out[s * (D + 1) + D];
    const st = unpackTrained(raw.out, K, M, s * (D + 1), plan.trainSecondLayer);
    Q.push(st.Q);
    R.push(st.R);
    V.push(st.v ?? plan.v);
  }
  const identity = Array.from({ length: K }, (_, i) => i);
  const n = raw.recorded;
  const reference = referenceAt(plan);
  let relabelling = new Array<number[]>(n).fill(identity);
  let assignment: number[] | null = null, settledSample: number | null = null;
  if (n > 0 && reference && Ti) {
    const matched: ({ order: number[]; margin: number } | undefined)[] = new Array(n);
    const match = (s: number) => (matched[s] ??= matchWith(R[s], reference(s), Ti));
    const at = (s: number) => match(s).order;
    const final = at(n - 1);
    // settled: from there on the final assignment is the best at every sample, by at least half
    // its margin at the last sample (a noise-driven match in a plateau does not count)
    const decisive = match(n - 1).margin / 2;
    let settled = n - 1;
    while (settled > 0 && sameOrder(at(settled - 1), final) && match(settled - 1).margin >= decisive) settled--;
    assignment = final;
    settledSample = settled;
    const mode = plan.matching ?? "final";
    if (mode === "final") relabelling = relabelling.map((_, s) => (s >= settled ? final : at(0)));
    else if (mode === "each") relabelling = relabelling.map((_, s) => at(s));
  }
  return {
    run: raw.run,
    status: raw.code === 0 ? "completed" : "diverged",
    eg,
    egTest: raw.test,
    eta: raw.eta,
    egTestStandardError: raw.testStandardError ?? null,
    egTraining: raw.training ?? null,
    Q: Q.map((q, s) => relabelling[s].map((i) => relabelling[s].map((k) => q[i][k]))),
    R: R.map((rr, s) => relabelling[s].map((i) => rr[i])),
    v: V.map((vv, s) => relabelling[s].map((i) => vv[i])),
    matched: n > 0 ? relabelling[n - 1] : identity,
    relabelling,
    assignment,
    settledSample,
  };
}

/** The reference units at sample s, or null when there is nothing to match to. */
function referenceAt(plan: SimulationPlan): ((s: number) => number[][]) | null {
  const ref = plan.matchTo;
  if (ref === null) return plan.K === plan.M ? () => plan.T : null;
  if (Array.isArray(ref[0]) && Array.isArray((ref[0] as number[][])[0])) return (s) => (ref as number[][][])[s];
  return () => ref as number[][];
}

/**
 * Mean and sample standard deviation (n - 1) of f(run) over runs, shifted by the first value:
 * runs that agree exactly (a deterministic start at alpha = 0) give that value and 0 exactly,
 * where the plain sum / n need not (ten times 0.1 summed and divided by 10 is not 0.1).
 */
function meanStd(pool: RunTrajectory[], f: (t: RunTrajectory) => number): [number, number] {
  const n = pool.length;
  const x0 = f(pool[0]);
  let sum = 0;
  for (const t of pool) sum += f(t) - x0;
  const m = x0 + sum / n;
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
  const matching: Matching = plan.matching ?? "final";
  const Ti = plan.matchTo !== null || K === M ? inverse(plan.T) : null;
  const trajectories = [...raws].sort((a, b) => a.run - b.run).map((raw) => trajectory(plan, raw, Ti));
  const pool = trajectories.filter((t) => t.status === "completed");
  const n = pool.length, nS = n > 0 ? steps.length : 0;
  const eg = { mean: new Float64Array(nS), std: new Float64Array(nS) };
  const eta = { mean: new Float64Array(nS), std: new Float64Array(nS) };
  const egTest = plan.testInputs > 0 ? { mean: new Float64Array(nS), std: new Float64Array(nS), standardError: new Float64Array(nS) } : null;
  const egTraining = (plan.trainingExamples ?? 0) > 0 ? { mean: new Float64Array(nS), std: new Float64Array(nS) } : null;
  const Q: MeanStd<number[][][]> = { mean: [], std: [] }, R: MeanStd<number[][][]> = { mean: [], std: [] };
  const v: MeanStd<number[][]> = { mean: [], std: [] };
  for (let s = 0; s < nS; s++) {
    [eg.mean[s], eg.std[s]] = meanStd(pool, (t) => t.eg[s]);
    if (egTest) {
      [egTest.mean[s], egTest.std[s]] = meanStd(pool, (t) => t.egTest![s]);
      egTest.standardError[s] = egTest.std[s] / Math.sqrt(n);
    }
    if (egTraining) [egTraining.mean[s], egTraining.std[s]] = meanStd(pool, (t) => t.egTraining![s]);
    [eta.mean[s], eta.std[s]] = meanStd(pool, (t) => t.eta[s]);
    const [qm, qs] = matrixMeanStd(pool, K, K, (t, i, k) => t.Q[s][i][k]);
    const [rm, rs] = matrixMeanStd(pool, K, M, (t, i, k) => t.R[s][i][k]);
    const [vm, vs] = matrixMeanStd(pool, 1, K, (t, _, i) => t.v[s][i]);
    Q.mean.push(qm); Q.std.push(qs); R.mean.push(rm); R.std.push(rs); v.mean.push(vm[0]); v.std.push(vs[0]);
  }
  const noiseTerm = (plan.noise * plan.noise) / 2;
  const egNoisy = { mean: eg.mean.map((x) => x + noiseTerm), std: Float64Array.from(eg.std) };
  const diverged = trajectories.length - n;
  const lastStep = steps[steps.length - 1];
  const totalSteps = trajectories.reduce((sum, t) => sum + (t.status === "completed" ? lastStep : 0), 0);
  return {
    alpha: Float64Array.from(steps, (s) => (s * batch) / d),
    eg,
    egTest,
    eta,
    egTraining,
    egNoisy,
    Q,
    R,
    v,
    status: diverged === 0 ? "completed" : "diverged",
    message:
      diverged === 0
        ? `${plan.runs} runs of ${lastStep} SGD steps (batch ${batch}) at d = ${d}`
        : `${diverged} of ${plan.runs} runs diverged (some Q_ii exceeded divergenceBound = ${plan.divergenceBound}); mean and std are over the ${n} completed runs`,
    runs: perRun ? trajectories : null,
    assignments: countAssignments(pool, Ti !== null),
    stats: { runs: plan.runs, divergedRuns: diverged, stepsPerRun: lastStep, threads, wallTimeMs, stepsPerSecond: totalSteps / (wallTimeMs / 1000) },
    options: { ...plan, threads, matching, matchingRule: matchingRule(plan, matching) },
  };
}

function matchingRule(plan: SimulationPlan, matching: Matching): string {
  if (plan.matchTo === null && plan.K !== plan.M) return `${MATCHING_RULES.none} (K != M and no matchTo: no reference to match to)`;
  if (matching === "none") return MATCHING_RULES.none;
  const reference = plan.matchTo === null ? "the teachers, student i <-> teacher i" : Array.isArray(plan.matchTo[0][0]) ? "matchTo, one matrix per sample" : "matchTo";
  return `${MATCHING_RULES[matching]}; ${MATCH_CRITERION} (reference: ${reference})`;
}

/** Final assignments of the given runs with their counts, most frequent first. */
function countAssignments(pool: RunTrajectory[], hasReference: boolean): AssignmentCount[] | null {
  if (!hasReference) return null;
  const counts = new Map<string, AssignmentCount>();
  for (const t of pool) {
    const key = t.assignment!.join(",");
    const c = counts.get(key);
    if (c) c.runs++;
    else counts.set(key, { assignment: t.assignment!, runs: 1 });
  }
  return [...counts.values()].sort((a, b) => b.runs - a.runs || a.assignment.join(",").localeCompare(b.assignment.join(",")));
}
