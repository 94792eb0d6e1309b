// simulate(): online SGD at finite d (THEORY 3), many seeded runs, mean and standard
// deviation of Q, R, eps_g per alpha. Each run is one WebAssembly call; runs are spread
// over worker threads when the entry point provides them (src/index.node.ts, Web Workers).
// A run depends only on (plan, r), so the result never depends on the number of threads.
import { OptionError, OptionTypeError } from "../core/errors";
import { threads as threadsSpec } from "../options/catalog/simulation";
import { getEngine, ready } from "../core/engine";
import { aggregate, type SimulationResult } from "./aggregate";
import { resolveSimulation, type SimulateOptions } from "./plan";
import { prepareEngine, runOne, type RawRun } from "./run";
import { defaultThreads, runInWorkers, workersAvailable } from "./parallel";

export type { SimulateOptions } from "./plan";
export { runSeed } from "./plan";
export type { SimulationResult, RunTrajectory, MeanStd, SimulationStats } from "./aggregate";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("simulate aborted");
}

/** All runs in the calling thread, one after the other. */
export function simulateSync(options: SimulateOptions = {}): SimulationResult {
  const t0 = now();
  const plan = resolveSimulation(options);
  const e = getEngine();
  prepareEngine(e, plan);
  const raws: RawRun[] = [];
  for (let r = 0; r < plan.runs; r++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    raws.push(runOne(e, plan, r));
    options.onProgress?.(r + 1, plan.runs);
  }
  return aggregate(plan, raws, options.perRun === true, 1, now() - t0);
}

/**
 * Runs spread over `threads` workers (default: one per core, at most `runs`); falls back to
 * the calling thread, yielding between runs, where workers are not available.
 */
export async function simulate(options: SimulateOptions = {}): Promise<SimulationResult> {
  const t0 = now();
  const plan = resolveSimulation(options);
  const threads = Math.min(plan.runs, options.threads === undefined ? defaultThreads() : checkThreads(options.threads));
  const signal = options.signal;
  if (signal?.aborted) throw abortError(signal);
  const e = await ready();
  const parallel = threads > 1 && workersAvailable() && e.module !== undefined;
  let raws: RawRun[];
  if (parallel) {
    raws = await runInWorkers(e.module!, plan, threads, options.onProgress, signal);
  } else {
    prepareEngine(e, plan);
    raws = [];
    for (let r = 0; r < plan.runs; r++) {
      if (signal?.aborted) throw abortError(signal);
      raws.push(runOne(e, plan, r));
      options.onProgress?.(r + 1, plan.runs);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let an abort or a redraw in
    }
  }
  return aggregate(plan, raws, options.perRun === true, parallel ? threads : 1, now() - t0);
}

function checkThreads(t: unknown): number {
  const range = `an integer in [${threadsSpec.range!.min}, ${threadsSpec.range!.max}]`;
  if (typeof t !== "number" || !Number.isInteger(t)) throw new OptionTypeError({ option: "threads", value: t, accepted: range, reason: `must be an integer; got ${String(t)}` });
  if (t < threadsSpec.range!.min! || t > threadsSpec.range!.max!) throw new OptionError({ option: "threads", value: t, accepted: range, reason: `must be in [1, 256]; got ${t}` });
  return t;
}
