// simulate(): online SGD at finite d (docs/theory.md section 3), many seeded runs, mean and standard
// deviation of Q, R, eps_g per alpha. Each run goes through the WebAssembly kernel in chunks of
// SGD steps (bit-for-bit one call); runs are spread over worker threads when the entry point
// provides them (src/index.node.ts, Web Workers). A run depends only on (plan, r), so the result
// never depends on the number of threads or on the chunks.
import { acquireInstance, ready, releaseInstance, type CoreInstance } from "../core/engine";
import { STATUS_PAUSED } from "../core/exports";
import type { Progress } from "../core/control";
import { OptionError, OptionTypeError } from "../core/errors";
import { threads as threadsSpec } from "../options/catalog/simulation";
import { aggregate, type SimulationResult } from "./aggregate";
import { resolveSimulation, type SimulateOptions, type SimulationPlan } from "./plan";
import { beginRun, endRun, prepareEngine, runOne, type RawRun } from "./run";
import { defaultThreads, runInWorkers, workersAvailable } from "./parallel";
import { CHUNK_SECONDS, WorkBudget, resolveControl, throwIfAborted } from "../work/budget";
import { estimateSgd, type Estimate } from "../work/estimates";

export type { SimulateOptions } from "./plan";
export { runSeed } from "./plan";
export type { SimulationResult, RunTrajectory, MeanStd, SimulationStats } from "./aggregate";
export type { RawRun } from "./run";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** The estimate of simulate() for a resolved plan (src/work). */
export function simulationEstimate(plan: SimulationPlan, threads = 1): ReturnType<typeof estimateSgd> {
  return estimateSgd({ ...plan, threads });
}

export interface Admitted {
  plan: SimulationPlan;
  budget: WorkBudget;
  est: Estimate & { stepSeconds: number; sampleSeconds: number };
  /** SGD steps per chunk (about CHUNK_SECONDS). */
  chunkSteps: number;
  /** Samples dropped to fit maxWork (0: the whole plan runs). */
  dropped: number;
}

/**
 * Checks the plan's estimate against the limits; in "truncate" mode cuts the sample list to what
 * fits in maxWork (the SGD cost is exact in steps, so a shorter plan is the same computation
 * stopped by its step counter: the kept samples are bit-for-bit those of the whole run).
 */
export function admitSimulation(options: SimulateOptions, threads: number, kind: string): Admitted {
  const full = resolveSimulation(options);
  const est = simulationEstimate(full, threads);
  const budget = new WorkBudget(kind, est, resolveControl(options), est.firstChunkSeconds);
  let plan = full;
  let dropped = 0;
  if (budget.truncating) {
    const init = est.seconds / full.runs - (full.steps[full.steps.length - 1] * est.stepSeconds + full.steps.length * est.sampleSeconds);
    let keep = 1;
    while (keep < full.steps.length && full.runs * (init + full.steps[keep] * est.stepSeconds + (keep + 1) * est.sampleSeconds) <= budget.allowance) keep++;
    dropped = full.steps.length - keep;
    plan = { ...full, steps: full.steps.slice(0, keep), alphas: full.alphas.slice(0, keep) };
  }
  return { plan, budget, est, dropped, chunkSteps: Math.max(1, Math.floor(CHUNK_SECONDS / est.stepSeconds)) };
}

/** Progress over all runs in SGD steps, from the steps done per run. */
function stepCounter(a: Admitted, label: string) {
  const perRun = a.plan.steps[a.plan.steps.length - 1];
  const total = perRun * a.plan.runs;
  const done = new Float64Array(a.plan.runs);
  let sum = 0;
  return (run: number, steps: number) => {
    sum += steps - done[run];
    a.budget.charge((steps - done[run]) * a.est.stepSeconds);
    done[run] = steps;
    a.budget.step(label, sum, total, "SGD steps");
  };
}

function finish(a: Admitted, raws: RawRun[], perRun: boolean, threads: number, t0: number): SimulationResult {
  const r = aggregate(a.plan, raws, perRun, threads, now() - t0);
  if (a.dropped > 0 && r.status === "completed") {
    r.status = "max-work";
    r.message = a.budget.truncationMessage(`each run stops at alpha = ${r.alpha[r.alpha.length - 1]} (${a.plan.steps.length} of ${a.plan.steps.length + a.dropped} samples)`);
  }
  return r;
}

/** All runs in the calling thread, one after the other. */
export function simulateSync(options: SimulateOptions = {}): SimulationResult {
  const t0 = now();
  const a = admitSimulation(options, 1, "simulateSync");
  const raws = runRange(a, 0, a.plan.runs, "simulateSync");
  return finish(a, raws, options.perRun === true, 1, t0);
}

/** Runs first .. first + count - 1 of an admitted plan in the calling thread (one instance). */
function runRange(a: Admitted, first: number, count: number, kind: string): RawRun[] {
  const e = acquireInstance();
  prepareEngine(e, a.plan);
  const progress = stepCounter(a, "SGD runs");
  const raws: RawRun[] = [];
  for (let r = first; r < first + count; r++) {
    throwIfAborted(a.budget.control.signal, kind);
    raws.push(runOne(e, a.plan, r, a.chunkSteps, (steps) => progress(r, steps)));
    progress(r, a.plan.steps[a.plan.steps.length - 1]);
  }
  releaseInstance(e);
  return raws;
}

/** Which runs of a simulation simulateRunRange() computes. */
export interface RunRange {
  /** First run index r (0-based). */
  firstRun: number;
  /** How many runs, from firstRun on (firstRun + count <= runs). */
  count: number;
}

/**
 * Runs firstRun .. firstRun + count - 1 of the simulation `options` describes (in the calling
 * thread), as raw data for aggregateRuns(): a simulation split into pieces (over machines, say)
 * and aggregated is bit for bit simulateSync() with the same options, timings aside, because a run
 * depends only on (plan, r). The estimate is that of these runs; a range is never truncated: in
 * either workLimitAction it is refused (WorkLimitError) when the estimate exceeds maxWork.
 */
export function simulateRunRange(options: SimulateOptions, range: RunRange): RawRun[] {
  const plan = resolveSimulation(options);
  const { firstRun, count } = range;
  if (!Number.isInteger(firstRun) || firstRun < 0 || firstRun >= plan.runs)
    throw new OptionError({ option: "firstRun", value: firstRun, accepted: `an integer in [0, ${plan.runs - 1}] (runs = ${plan.runs})`, related: ["runs"] });
  if (!Number.isInteger(count) || count < 1 || firstRun + count > plan.runs)
    throw new OptionError({ option: "count", value: count, accepted: `an integer in [1, ${plan.runs - firstRun}] (runs = ${plan.runs}, firstRun = ${firstRun})`, related: ["runs", "firstRun"] });
  const est = simulationEstimate({ ...plan, runs: count }, 1);
  const control = { ...resolveControl(options), workLimitAction: "refuse" as const };
  const a: Admitted = { plan, budget: new WorkBudget("simulateRunRange", est, control, est.firstChunkSeconds), est, dropped: 0, chunkSteps: Math.max(1, Math.floor(CHUNK_SECONDS / est.stepSeconds)) };
  return runRange(a, firstRun, count, "simulateRunRange");
}

/**
 * The result of simulateSync() from its runs computed in pieces by simulateRunRange() (every run
 * 0 .. runs - 1 exactly once, in any order): the same aggregation (matching, mean and spread) as
 * simulateSync, with threads 1 and the wall time given.
 */
export function aggregateRuns(options: SimulateOptions, raws: readonly RawRun[], wallTimeMs = 0): SimulationResult {
  const plan = resolveSimulation(options);
  const seen = new Set(raws.map((r) => r.run));
  if (raws.length !== plan.runs || seen.size !== plan.runs || raws.some((r) => !Number.isInteger(r.run) || r.run < 0 || r.run >= plan.runs))
    throw new OptionError({ option: "raws", value: raws.length, accepted: `runs 0 .. ${plan.runs - 1}, each once`, related: ["runs"], reason: `must hold runs 0 .. ${plan.runs - 1} each once; got runs ${[...raws.map((r) => r.run)].sort((x, y) => x - y).join(", ")}` });
  return aggregate(plan, [...raws], options.perRun === true, 1, wallTimeMs);
}

/**
 * Runs spread over `threads` workers (default: one per core, at most `runs`); falls back to
 * the calling thread, yielding between chunks, where workers are not available.
 */
export async function simulate(options: SimulateOptions = {}): Promise<SimulationResult> {
  const threads = simulationThreads(options);
  return runAdmitted(admitSimulation(options, threads, "simulate"), options.perRun === true, threads);
}

/** Threads simulate() will use for these options (1 where workers are not available). */
export function simulationThreads(options: SimulateOptions): number {
  const requested = options.threads === undefined ? undefined : checkThreads(options.threads);
  const runs = resolveSimulation(options).runs;
  const threads = Math.min(runs, requested ?? defaultThreads());
  return threads > 1 && workersAvailable() ? threads : 1;
}

/** Runs an admitted plan (on workers when threads > 1). */
export async function runAdmitted(a: Admitted, perRun: boolean, threads: number): Promise<SimulationResult> {
  const t0 = now();
  const signal = a.budget.control.signal;
  const module = await ready();
  const progress = stepCounter(a, "SGD runs");
  const abortError = () => {
    try {
      throwIfAborted(signal, "simulate");
    } catch (err) {
      return err;
    }
    return new Error("simulate aborted");
  };
  let raws: RawRun[];
  if (threads > 1) {
    raws = await runInWorkers(module, a.plan, threads, a.chunkSteps, progress, signal, abortError);
  } else {
    const e = acquireInstance();
    prepareEngine(e, a.plan);
    raws = [];
    for (let r = 0; r < a.plan.runs; r++) {
      // one chunk per turn of the event loop: an abort or a redraw gets in between
      const raw = await runYielding(e, a, r, (steps) => progress(r, steps));
      raws.push(raw);
      progress(r, a.plan.steps[a.plan.steps.length - 1]);
    }
    releaseInstance(e);
  }
  return finish(a, raws, perRun, threads, t0);
}

/** runOne with a turn of the event loop after each chunk (in-thread fallback of simulate()). */
async function runYielding(e: CoreInstance, a: Admitted, r: number, onChunk: (steps: number) => void): Promise<RawRun> {
  let code = beginRun(e, a.plan, r);
  while (code === STATUS_PAUSED) {
    code = e.exports.sgdContinue(a.chunkSteps);
    if (code === STATUS_PAUSED) {
      onChunk(e.exports.sgdStepsDone());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return endRun(e, a.plan, r, code);
}

function checkThreads(t: unknown): number {
  const range = `an integer in [${threadsSpec.range!.min}, ${threadsSpec.range!.max}]`;
  if (typeof t !== "number" || !Number.isInteger(t)) throw new OptionTypeError({ option: "threads", value: t, accepted: range, reason: `must be an integer; got ${String(t)}` });
  if (t < threadsSpec.range!.min! || t > threadsSpec.range!.max!) throw new OptionError({ option: "threads", value: t, accepted: range, reason: `must be in [1, 256]; got ${t}` });
  return t;
}

export type { Progress };
