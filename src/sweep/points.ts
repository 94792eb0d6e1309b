// How one sweep point runs, the same wherever it runs (a worker thread of `scm sweep`, the edge's
// POST /point): the command's API function on the point's options, to the JSON text of the
// command's --format json. Runtime-neutral (no Node APIs), so the CLI and the edge share it.
import { aggregateRuns, estimateWork, integrate, integrateSymmetric, learningRateRegimes, optimalSchedule, plateau, simulateRunRange, simulateSync, transitions, type RawRun, type SimulateOptions } from "../api";
import type { RunControl } from "../core/control";
import { resultJson, simulationJson } from "../text/json";
import { symmetricJson } from "../report/symmetric";
import { scheduleJson } from "../report/schedules";
import { withControl } from "../text/progress";

type Runner = (options: never) => string;

/** The point runners by sweep command (options: the API options the CLI's parse produced). */
export const POINT_RUNNERS: Record<string, Runner> = {
  ode: (o: Parameters<typeof integrate>[0]) => resultJson(integrate(o)),
  // every point runs in one thread: the points, not the runs, are spread over threads
  sgd: (o: SimulateOptions) => simulationJson(simulateSync(o)),
  "eta-regimes": (o: Parameters<typeof learningRateRegimes>[0]) => JSON.stringify(learningRateRegimes(o)),
  "optimal-schedule": (o: Parameters<typeof optimalSchedule>[0]) => scheduleJson(optimalSchedule(o)),
  transitions: (o: Parameters<typeof transitions>[0]) => JSON.stringify(transitions(o)),
  "ode-symmetric": (o: Parameters<typeof integrateSymmetric>[0]) => symmetricJson(integrateSymmetric(o)),
  plateau: (o: Parameters<typeof plateau>[0]) => JSON.stringify(plateau(o)),
};

/** The API function a command's point calls (for estimateWork). */
export const POINT_WORK_KINDS = { ode: "integrate", sgd: "simulateSync", "eta-regimes": "learningRateRegimes", "optimal-schedule": "optimalSchedule", transitions: "transitions", "ode-symmetric": "integrateSymmetric", plateau: "plateau" } as const;

/** A point's estimated seconds (the API's cost model, estimateWork); throws when its options cannot be estimated. */
export const pointSeconds = (command: string, options: object): number => estimateWork(POINT_WORK_KINDS[command as keyof typeof POINT_WORK_KINDS], options).seconds;

/** Runs one point under `control` (the API's own checks apply); its result's JSON text. */
export function runPoint(command: string, options: object, control: RunControl): string {
  const run = POINT_RUNNERS[command];
  if (!run) throw new RangeError(`no sweep command ${JSON.stringify(command)}; commands: ${Object.keys(POINT_RUNNERS).join(", ")}`);
  return run(withControl(options, control) as never);
}

// ---- SGD points split by runs (run r of a point depends only on its options and r)

/** A raw run as JSON: the Float64Arrays as base64 of their little-endian bytes (every bit kept, NaN included). */
export interface RawRunJson {
  run: number;
  code: number;
  recorded: number;
  out: string;
  test: string | null;
  /** The learning rate per recorded sample (a schedule's, or the constant one). */
  eta: string;
  /** The test error's Monte-Carlo standard error and the training error (docs/theory.md section 9), when recorded (absent: null). */
  testStandardError?: string | null;
  training?: string | null;
}

function f64ToBase64(a: Float64Array): string {
  const bytes = new Uint8Array(a.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i], true);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64ToF64(text: string): Float64Array {
  const s = atob(text);
  if (s.length % 8 !== 0) throw new RangeError("a run's data must be a whole number of doubles");
  const view = new DataView(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) view.setUint8(i, s.charCodeAt(i));
  return Float64Array.from({ length: s.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

const encodeOrNull = (a: Float64Array | null) => (a ? f64ToBase64(a) : null);
const decodeOrNull = (t: string | null | undefined) => (typeof t === "string" ? base64ToF64(t) : null);

export const encodeRun = (r: RawRun): RawRunJson => ({
  run: r.run, code: r.code, recorded: r.recorded, out: f64ToBase64(r.out), test: encodeOrNull(r.test), eta: f64ToBase64(r.eta),
  ...(r.testStandardError ? { testStandardError: f64ToBase64(r.testStandardError) } : {}), ...(r.training ? { training: f64ToBase64(r.training) } : {}),
});

export function decodeRun(j: RawRunJson): RawRun {
  if (j === null || typeof j !== "object" || !Number.isInteger(j.run) || !Number.isInteger(j.code) || !Number.isInteger(j.recorded) || typeof j.out !== "string" || typeof j.eta !== "string") throw new RangeError("not a run: expected {run, code, recorded, out, test, eta}");
  return { run: j.run, code: j.code, recorded: j.recorded, out: base64ToF64(j.out), test: j.test === null ? null : base64ToF64(j.test), eta: base64ToF64(j.eta), testStandardError: decodeOrNull(j.testStandardError), training: decodeOrNull(j.training) };
}

/** Runs firstRun .. firstRun + count - 1 of an SGD point, as JSON text {"runs": [RawRunJson]}. */
export function runSgdRuns(options: SimulateOptions, firstRun: number, count: number, control: RunControl): string {
  return JSON.stringify({ runs: simulateRunRange(withControl(options, control), { firstRun, count }).map(encodeRun) });
}

/** The point's result text from all its runs (any order): the aggregation simulateSync() does. */
export function aggregateSgdRuns(options: SimulateOptions, runs: readonly RawRunJson[], wallTimeMs: number): string {
  return simulationJson(aggregateRuns(options, runs.map(decodeRun), wallTimeMs));
}
