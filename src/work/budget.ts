// The RunControl fields of a public function at work: the estimate is compared with the limits
// before any WebAssembly work (refused at once, or admitted with a budget in "truncate" mode),
// the work done is counted from the kernels' own counters (right-hand sides, SGD steps, Newton
// starts) converted to seconds by the cost model, never from the clock (the clock stands still
// inside a workerd request), and progress and abort are handled between chunks.
import { AbortError, OptionError, OptionTypeError, WorkLimitError, type WorkEstimate } from "../core/errors";
import { DEFAULT_MAX_WORK_SECONDS, MAX_MEMORY_BYTES, type Progress, type RunControl } from "../core/control";
import type { RhsCost } from "./estimates";

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

/** Refuses (WorkLimitError, kind "memory") an estimate beyond MAX_MEMORY_BYTES, naming its memory drivers. */
export function checkMemory(kind: string, estimate: WorkEstimate & { memoryDrivers?: string[] }): void {
  if (!(estimate.memoryBytes > MAX_MEMORY_BYTES)) return;
  const e = { ...plainEstimate(estimate), drivers: estimate.memoryDrivers ?? estimate.drivers };
  throw new WorkLimitError(e, MAX_MEMORY_BYTES, "memory",
    `${kind}: needs about ${fmtBytes(estimate.memoryBytes)} of memory, more than the ${fmtBytes(MAX_MEMORY_BYTES)} allowed (${estimate.breakdown}); reduce ${e.drivers.join(", ")}`);
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
    readonly estimate: WorkEstimate & { memoryDrivers?: string[]; firstChunkDrivers?: string[] },
    control: ResolvedControl,
    /** Estimated seconds of the smallest piece that can be returned (the first chunk). */
    firstChunkSeconds = 0,
    /** Whether a partial result can be returned at all. */
    truncatable = true,
  ) {
    this.control = control;
    checkMemory(kind, estimate);
    throwIfAborted(control.signal, kind);
    const truncate = control.workLimitAction === "truncate";
    const over = estimate.seconds > control.maxWork;
    if (over && (!truncate || !truncatable || firstChunkSeconds > control.maxWork)) {
      // a first part that does not fit is refused naming what sizes it (the shape, not the length)
      const firstPart = truncate && truncatable;
      const e = { ...plainEstimate(estimate), drivers: firstPart ? estimate.firstChunkDrivers ?? estimate.drivers : estimate.drivers };
      const why = truncate
        ? truncatable ? `; even its first part (about ${fmtSeconds(firstChunkSeconds)}) does not fit` : "; a partial result of this computation would mean nothing"
        : "";
      throw new WorkLimitError(e, control.maxWork, "time",
        `${kind}: estimated ${fmtSeconds(estimate.seconds)} of computation (${estimate.breakdown}) exceeds maxWork = ${control.maxWork} s${why}; reduce ${e.drivers.join(", ")} or raise maxWork`);
    }
    // In "truncate" mode a truncatable computation stops at maxWork whatever its estimate said: the
    // work is charged from the kernels' counters as it is done, so an estimate that was too low
    // (a ReLU state whose quadratures need more panels than the calibration's) cannot overrun it.
    this.truncating = truncate && truncatable;
    this.allowance = this.truncating ? control.maxWork : Infinity;
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

  /** Reports progress at the start (nothing done yet: the fraction 0 and the estimate); checks the signal. */
  begin(label: string, total: number, unit: string): void {
    this.step(label, 0, total, unit);
  }

  private unitDone = NaN;
  private unitStart = 0;

  /**
   * Reports progress (done of total in unit) and checks the signal; call between chunks. Within a
   * whole unit that takes many chunks (a Newton start, a K of a scan) the fraction also moves by
   * the estimated work spent since the unit began, up to 95 % of one unit's share of the estimate,
   * so a long unit still shows progress.
   */
  step(label: string, done: number, total: number, unit: string): void {
    throwIfAborted(this.control.signal, this.kind);
    if (done !== this.unitDone) {
      this.unitDone = done;
      this.unitStart = this.spent;
    }
    const f = this.control.onProgress;
    if (!f) return;
    const goal = Math.min(this.estimate.seconds, this.allowance);
    let fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    if (total > 0 && done < total && Number.isInteger(done) && Number.isInteger(total) && this.estimate.seconds > 0) {
      const share = this.estimate.seconds / total;
      fraction = Math.min(1, (done + Math.min(0.95, (this.spent - this.unitStart) / share)) / total);
    }
    f({ label, done, total, unit, fraction, remainingSeconds: Number.isFinite(goal) ? Math.max(0, goal - this.spent) : null });
  }

  /** The message of a result cut at maxWork. */
  truncationMessage(what: string): string {
    return `stopped at maxWork = ${this.control.maxWork} s of estimated work (the whole computation was estimated at ${fmtSeconds(this.estimate.seconds)}: ${this.estimate.breakdown}); ${what}`;
  }
}

/** The WorkEstimate fields alone (an Estimate carries more). */
export const plainEstimate = (e: WorkEstimate): WorkEstimate => ({ seconds: e.seconds, memoryBytes: e.memoryBytes, breakdown: e.breakdown, drivers: e.drivers });

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
 * WorkExhausted. With `panels` (the kernel's cumulative count of ReLU orthant panels), a unit is
 * charged at its panel-free cost and the panels done at theirs (src/work/estimates.ts rhsWork()).
 */
export class EvaluationMeter {
  private pending = 0;
  private panelsSeen: number;
  readonly every: number;
  readonly cost: RhsCost;
  constructor(readonly budget: WorkBudget, cost: number | RhsCost, readonly report: () => void, private readonly panels?: () => number) {
    this.cost = typeof cost === "number" ? { perRhs: cost, perPanel: 0, panelsPerRhs: 0 } : cost;
    this.every = Math.max(1, Math.floor(CHUNK_SECONDS / (this.cost.perRhs + this.cost.perPanel * this.cost.panelsPerRhs)));
    this.panelsSeen = panels?.() ?? 0;
  }
  tick(units = 1): void {
    this.pending += units;
    if (this.pending < this.every) return;
    this.flush();
  }
  flush(): void {
    let work = this.pending * this.cost.perRhs;
    if (this.panels) {
      const p = this.panels();
      work += (p - this.panelsSeen) * this.cost.perPanel;
      this.panelsSeen = p;
    }
    this.budget.charge(work);
    this.pending = 0;
    this.report();
    if (this.budget.truncating && this.budget.exhausted) throw new WorkExhausted();
  }
  /** Marks the panels counted so far as charged (by a trajectory that charged its own). */
  skipPanels(): void {
    if (this.panels) this.panelsSeen = this.panels();
  }
}
