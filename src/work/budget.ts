// The RunControl fields of a public function at work: the estimate is compared with the limits
// before any WebAssembly work (refused at once, or admitted with a budget in "truncate" mode),
// the work done is counted from the kernels' own counters (right-hand sides, SGD steps, Newton
// starts) converted to seconds by the cost model, never from the clock (the clock stands still
// inside a workerd request), and progress and abort are handled between chunks.
import { AbortError, OptionError, OptionTypeError, WorkLimitError, type WorkEstimate } from "../core/errors";
import { DEFAULT_MAX_WORK_SECONDS, MAX_MEMORY_BYTES, type Progress, type RunControl } from "../core/control";

/** Estimated seconds of work in one chunk between progress reports and abort checks. */
export const CHUNK_SECONDS = 0.1;

export interface ResolvedControl {
  onProgress: ((p: Progress) => void) | undefined;
  signal: AbortSignal | undefined;
  maxWork: number;
  workLimitAction: "refuse" | "truncate";
}

/** Validates the RunControl fields of an options object (API spelling in errors). */
export function resolveControl(o: RunControl | undefined): ResolvedControl {
  const c = (o ?? {}) as RunControl;
  if (c.onProgress !== undefined && typeof c.onProgress !== "function")
    throw new OptionTypeError({ option: "onProgress", value: c.onProgress, accepted: "a function (progress) => void" });
  if (c.signal !== undefined && (c.signal === null || typeof c.signal !== "object" || typeof (c.signal as AbortSignal).aborted !== "boolean"))
    throw new OptionTypeError({ option: "signal", value: c.signal, accepted: "an AbortSignal" });
  let maxWork = DEFAULT_MAX_WORK_SECONDS;
  if (c.maxWork !== undefined) {
    if (typeof c.maxWork !== "number") throw new OptionTypeError({ option: "maxWork", value: c.maxWork, accepted: "a number of seconds > 0" });
    if (!(c.maxWork > 0)) throw new OptionError({ option: "maxWork", value: c.maxWork, accepted: "a number of seconds > 0 (Infinity: no limit)" });
    maxWork = c.maxWork;
  }
  const action = c.workLimitAction ?? "refuse";
  if (action !== "refuse" && action !== "truncate")
    throw new OptionError({ option: "workLimitAction", value: c.workLimitAction, accepted: 'one of "refuse", "truncate"' });
  return { onProgress: c.onProgress, signal: c.signal, maxWork, workLimitAction: action };
}

const fmtSeconds = (s: number) => (s >= 3600 ? `${(s / 3600).toPrecision(3)} h` : s >= 60 ? `${(s / 60).toPrecision(3)} min` : s >= 1 ? `${s.toPrecision(3)} s` : `${(s * 1000).toPrecision(3)} ms`);
const fmtBytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toPrecision(3)} GiB` : `${(b / 2 ** 20).toPrecision(3)} MiB`);
export { fmtSeconds, fmtBytes };

/** Throws AbortError when the signal was aborted (its reason as the message when it has one). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (!signal?.aborted) return;
  const r = signal.reason as unknown;
  throw new AbortError(r instanceof Error ? r.message : typeof r === "string" ? r : `${what} aborted`);
}

/**
 * One computation under a RunControl: admits or refuses the estimate, then counts the work done
 * (in estimated seconds) against the allowance, reports progress and checks the signal.
 */
export class WorkBudget {
  readonly control: ResolvedControl;
  /** Seconds of estimated work allowed (Infinity when the estimate fits). */
  readonly allowance: number;
  /** True when the estimate exceeded maxWork and the run stops at the allowance. */
  readonly truncating: boolean;
  /** Seconds of estimated work done so far (from the kernels' counters). */
  spent = 0;

  constructor(
    readonly kind: string,
    readonly estimate: WorkEstimate,
    control: ResolvedControl,
    /** Estimated seconds of the smallest piece that can be returned (the first chunk). */
    firstChunkSeconds = 0,
    /** Whether a partial result can be returned at all. */
    truncatable = true,
  ) {
    this.control = control;
    if (estimate.memoryBytes > MAX_MEMORY_BYTES) {
      throw new WorkLimitError(estimate, MAX_MEMORY_BYTES, "memory",
        `${kind}: needs about ${fmtBytes(estimate.memoryBytes)} of memory, more than the ${fmtBytes(MAX_MEMORY_BYTES)} allowed (${estimate.breakdown}); reduce ${estimate.drivers.join(", ")}`);
    }
    throwIfAborted(control.signal, kind);
    const over = estimate.seconds > control.maxWork;
    if (over && (control.workLimitAction === "refuse" || !truncatable || firstChunkSeconds > control.maxWork)) {
      const why = control.workLimitAction === "truncate"
        ? truncatable ? `; even its first part (about ${fmtSeconds(firstChunkSeconds)}) does not fit` : "; a partial result of this computation would mean nothing"
        : "";
      throw new WorkLimitError(estimate, control.maxWork, "time",
        `${kind}: estimated ${fmtSeconds(estimate.seconds)} of computation (${estimate.breakdown}) exceeds maxWork = ${control.maxWork} s${why}; reduce ${estimate.drivers.join(", ")} or raise maxWork`);
    }
    this.truncating = over;
    this.allowance = over ? control.maxWork : Infinity;
  }

  /** Seconds still allowed (Infinity when not truncating). */
  get remaining(): number {
    return this.allowance - this.spent;
  }

  get exhausted(): boolean {
    return this.spent >= this.allowance;
  }

  /** Counts seconds of estimated work done. */
  charge(seconds: number): void {
    this.spent += seconds;
  }

  /** Reports progress (done of total in unit) and checks the signal; call between chunks. */
  step(label: string, done: number, total: number, unit: string): void {
    throwIfAborted(this.control.signal, this.kind);
    const f = this.control.onProgress;
    if (!f) return;
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    const goal = Math.min(this.estimate.seconds, this.allowance);
    f({ label, done, total, unit, fraction, remainingSeconds: Number.isFinite(goal) ? Math.max(0, goal - this.spent) : null });
  }

  /** The message of a result cut at maxWork. */
  truncationMessage(what: string): string {
    return `stopped at maxWork = ${this.control.maxWork} s of estimated work (the whole computation was estimated at ${fmtSeconds(this.estimate.seconds)}: ${this.estimate.breakdown}); ${what}`;
  }
}

/** Thrown inside a computation when a truncating budget is spent; caught where a partial result is assembled. */
export class WorkExhausted extends Error {
  constructor() {
    super("maxWork spent");
    this.name = "WorkExhausted";
  }
}

/**
 * Counts unit evaluations (right-hand sides) against a budget: every `every` units it charges them,
 * reports progress through `report` and checks the signal; a spent truncating budget throws
 * WorkExhausted.
 */
export class EvaluationMeter {
  private pending = 0;
  readonly every: number;
  constructor(readonly budget: WorkBudget, readonly unitSeconds: number, readonly report: () => void) {
    this.every = Math.max(1, Math.floor(CHUNK_SECONDS / unitSeconds));
  }
  tick(units = 1): void {
    this.pending += units;
    if (this.pending < this.every) return;
    this.flush();
  }
  flush(): void {
    this.budget.charge(this.pending * this.unitSeconds);
    this.pending = 0;
    this.report();
    if (this.budget.truncating && this.budget.exhausted) throw new WorkExhausted();
  }
}
