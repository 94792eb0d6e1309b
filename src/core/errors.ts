// Errors of the public API that the front-ends (CLI, edge function, web page) read by their
// fields, never by parsing messages. Each names the option in the API's spelling (learningRate,
// Q0, alphaMax); a front-end translates it to the spelling its user typed (--eta, eta=, the form
// field) and prints `reason` after it.

/** Shortest faithful rendering of a value for a message. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    const s = JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    return s.length > 120 ? s.slice(0, 117) + "..." : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export interface OptionProblemInit {
  /** The option to blame, in the API's spelling (e.g. "learningRate", "Q0"). */
  option: string;
  /** The value received (as given, before any conversion). */
  value: unknown;
  /** What is accepted, as a phrase: "a finite number > 0", "one of relu, erf, linear". */
  accepted: string;
  /** The part of the option at fault, appended to its name: "[1][0]" for a matrix entry. */
  element?: string;
  /** The text printed after the option's name; default `must be ${accepted}; got ${value}`. */
  reason?: string;
  /** Other options that take part in a cross-option rule (API spelling), e.g. ["alphaMax"]. */
  related?: readonly string[];
}

/** The fields every option error carries. */
export interface OptionProblem {
  readonly option: string;
  readonly value: unknown;
  readonly accepted: string;
  readonly element: string;
  readonly reason: string;
  readonly related: readonly string[];
}

function fill(target: OptionProblem, init: OptionProblemInit): void {
  Object.assign(target, {
    option: init.option,
    value: init.value,
    accepted: init.accepted,
    element: init.element ?? "",
    reason: init.reason ?? `must be ${init.accepted}; got ${showValue(init.value)}`,
    related: init.related ?? [],
  });
}

const messageOf = (i: OptionProblemInit) => `${i.option}${i.element ?? ""} ${i.reason ?? `must be ${i.accepted}; got ${showValue(i.value)}`}`;

/** A value out of range, or options that contradict each other. */
export class OptionError extends RangeError implements OptionProblem {
  declare readonly option: string;
  declare readonly value: unknown;
  declare readonly accepted: string;
  declare readonly element: string;
  declare readonly reason: string;
  declare readonly related: readonly string[];
  constructor(init: OptionProblemInit) {
    super(messageOf(init));
    this.name = "OptionError";
    fill(this, init);
  }
}

/** A value of the wrong kind (a string where a number belongs, a matrix that is not an array). */
export class OptionTypeError extends TypeError implements OptionProblem {
  declare readonly option: string;
  declare readonly value: unknown;
  declare readonly accepted: string;
  declare readonly element: string;
  declare readonly reason: string;
  declare readonly related: readonly string[];
  constructor(init: OptionProblemInit) {
    super(messageOf(init));
    this.name = "OptionTypeError";
    fill(this, init);
  }
}

export const isOptionError = (e: unknown): e is OptionError | OptionTypeError => e instanceof OptionError || e instanceof OptionTypeError;

/** What a computation is expected to cost, from its options alone (before it starts). */
export interface WorkEstimate {
  /** Estimated compute time in seconds, one thread of this project's reference machine (see bench/). */
  seconds: number;
  /** Estimated peak memory in bytes (WebAssembly memory plus large host arrays). */
  memoryBytes: number;
  /** How the estimate was formed, e.g. "30001 RK4 steps x 4 right-hand sides x 9.2 us (relu, K + M = 4)". */
  breakdown: string;
  /** The options (API spelling) that drive the cost, most influential first. */
  drivers: readonly string[];
}

/** Refused before any work: the estimate exceeds the allowed work or memory. */
export class WorkLimitError extends RangeError {
  constructor(
    readonly estimate: WorkEstimate,
    /** The limit that was exceeded: seconds (maxWork) or bytes (memory). */
    readonly limit: number,
    readonly kind: "time" | "memory",
    message: string,
  ) {
    super(message);
    this.name = "WorkLimitError";
  }
}

/** A computation stopped by its AbortSignal. */
export class AbortError extends Error {
  constructor(message = "aborted") {
    super(message);
    this.name = "AbortError";
  }
}
