// Every error of an `scm` invocation as one line (after "scm: error: ") and an exit code: the
// option named as the user typed it, what it accepts, no stack trace.
import { AbortError, isOptionError, WorkLimitError } from "../core/errors";
import { COMMANDS } from "../options/commands";
import type { OptionSpec } from "../options/option";
import { problemText } from "../options/problem";
import { closest, UsageError } from "../options/tokenize";
import { OutputError } from "./files";

/** How a command names options: the flag typed (or its flag) and its declaration. */
export interface Naming {
  nameOf(api: string): string;
  specOf(api: string): OptionSpec | undefined;
  /** Whether the user typed this option. */
  typed?(api: string): boolean;
}

/**
 * The options a refusal asks to change, as the user gave them: an estimate names the alpha range
 * "alphaMax" even when it came from explicit sample points (alphas).
 */
const asGiven = (drivers: readonly string[], ctx?: Naming) => [...new Set(drivers.map((d) => (d === "alphaMax" && ctx?.typed?.("alphas") && !ctx.typed("alphaMax") ? "alphas" : d)))];

export const unknownCommand = (name: string) => {
  const near = closest(name, COMMANDS.map((c) => c.name));
  return new UsageError(`unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ""} (scm --help lists the commands)`);
};

/** Exit codes: 0 done, 1 a computation or a file failed, 2 invalid input or refused work, 130 interrupted, 70 internal error. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, internal: 70, interrupted: 130 } as const;

const seconds = (s: number) => (s < 120 ? `${+s.toPrecision(2)} s` : s < 7200 ? `${+(s / 60).toPrecision(2)} min` : s < 172800 ? `${+(s / 3600).toPrecision(2)} h` : `${+(s / 86400).toPrecision(2)} days`);
const bytes = (b: number) => (b < 2 ** 20 ? `${Math.ceil(b / 1024)} KiB` : b < 2 ** 30 ? `${+(b / 2 ** 20).toPrecision(3)} MiB` : `${+(b / 2 ** 30).toPrecision(3)} GiB`);

/** The one line an error prints (after "scm: error: ") and the exit code. */
export function describeError(err: unknown, ctx?: Naming): { line: string; code: number } {
  const nameOf = ctx?.nameOf ?? ((n: string) => n);
  if (err instanceof UsageError) return { line: err.message, code: EXIT.invalid };
  if (isOptionError(err)) return { line: problemText(err, nameOf, ctx?.specOf), code: EXIT.invalid };
  if (err instanceof WorkLimitError) {
    const e = err.estimate;
    const change = asGiven(e.drivers, ctx).map(nameOf).join(", ");
    const what = err.kind === "memory" ? `needs about ${bytes(e.memoryBytes)} of memory, more than the ${bytes(err.limit)} available` : `is estimated at ${seconds(e.seconds)} of computation, more than --max-work ${err.limit} s`;
    const lift = err.kind === "memory" ? "" : " or raise --max-work";
    return { line: `refused before starting: this ${what} (${e.breakdown}); lower ${change || "the sizes"}${lift}`, code: EXIT.invalid };
  }
  if (err instanceof OutputError) return { line: err.message, code: EXIT.failed };
  if (err instanceof AbortError) return { line: "interrupted", code: EXIT.interrupted };
  // not an option's fault: the computation could not give a result (e.g. every run diverged)
  if (err instanceof RangeError || err instanceof TypeError) return { line: err.message, code: EXIT.failed };
  const e = err as Error;
  return { line: `internal error: ${e?.name ?? "Error"}: ${e?.message ?? String(err)} (please report it with the command line)`, code: EXIT.internal };
}

