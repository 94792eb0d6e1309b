// Runs of one plan spread over worker threads. The entry point registers how to start a
// worker in its runtime (worker_threads in Node: src/simulation/platform.node.ts; Web Workers
// in browsers: src/simulation/platform.web.ts); without one, simulate() stays in-thread.
import type { SimulationPlan } from "./plan";
import type { RawRun } from "./run";

/** The part of a worker the pool needs, the same for worker_threads and Web Workers. */
export interface WorkerHandle {
  /** Sends a request to the worker. */
  postMessage(message: unknown): void;
  /** Registers the listener of the worker's replies. */
  onMessage(listener: (message: WorkerReply) => void): void;
  /** Registers the listener of the worker's failures. */
  onError(listener: (error: unknown) => void): void;
  /** Stops the worker. */
  terminate(): void;
}

/** How a runtime starts simulation workers (Node worker_threads, Web Workers). */
export interface WorkerPlatform {
  /** Starts one worker running the simulation worker script. */
  spawn(): WorkerHandle;
  /** Number of CPU cores (the default number of threads). */
  cores(): number;
}

export type WorkerRequest = { type: "init"; module: WebAssembly.Module; plan: SimulationPlan } | { type: "run"; run: number; chunkSteps: number };
/** progress: steps done in a run, posted after each chunk of chunkSteps SGD steps. */
export type WorkerReply = { type: "ready" } | { type: "progress"; run: number; steps: number } | { type: "result"; raw: RawRun } | { type: "error"; name: string; message: string };

let platform: WorkerPlatform | undefined;

/** Sets how simulate() starts workers (undefined: runs stay in the calling thread). */
export function registerWorkerPlatform(p: WorkerPlatform | undefined): void {
  platform = p;
}
export function workersAvailable(): boolean {
  return platform !== undefined;
}
export function defaultThreads(): number {
  return platform ? Math.max(1, platform.cores()) : 1;
}

function rebuildError(name: string, message: string): Error {
  if (name === "RangeError") return new RangeError(message);
  if (name === "TypeError") return new TypeError(message);
  return new Error(message);
}

/**
 * Runs 0..plan.runs-1 on `threads` workers, handing out the next run as each one finishes; each
 * run goes in chunks of chunkSteps SGD steps, after each of which onSteps(run, steps done) is
 * called. An aborted signal terminates the workers at once.
 */
export function runInWorkers(
  module: WebAssembly.Module,
  plan: SimulationPlan,
  threads: number,
  chunkSteps: number,
  onSteps: (run: number, steps: number) => void,
  signal: AbortSignal | undefined,
  abortError: () => unknown,
): Promise<RawRun[]> {
  const p = platform;
  if (!p) return Promise.reject(new Error("no worker platform registered"));
  return new Promise<RawRun[]>((resolve, reject) => {
    const workers: WorkerHandle[] = [];
    const raws: RawRun[] = [];
    let next = 0, finished = false;
    const stop = () => {
      finished = true;
      for (const w of workers) w.terminate();
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (err: unknown) => {
      if (finished) return;
      stop();
      reject(err);
    };
    const onAbort = () => fail(abortError());
    signal?.addEventListener("abort", onAbort);
    const dispatch = (w: WorkerHandle) => {
      if (next < plan.runs) w.postMessage({ type: "run", run: next++, chunkSteps } satisfies WorkerRequest);
    };
    for (let t = 0; t < threads; t++) {
      const w = p.spawn();
      workers.push(w);
      w.onError(fail);
      w.onMessage((m) => {
        if (finished) return;
        if (m.type === "error") return fail(rebuildError(m.name, m.message));
        if (m.type === "progress") {
          try {
            onSteps(m.run, m.steps);
          } catch (err) {
            fail(err); // the progress callback threw (or aborted)
          }
          return;
        }
        if (m.type === "result") {
          raws.push(m.raw);
          try {
            onSteps(m.raw.run, plan.steps[plan.steps.length - 1]);
          } catch (err) {
            return fail(err);
          }
          if (raws.length === plan.runs) {
            stop();
            return resolve(raws);
          }
        }
        dispatch(w);
      });
      w.postMessage({ type: "init", module, plan } satisfies WorkerRequest);
    }
    if (signal?.aborted) onAbort();
  });
}
