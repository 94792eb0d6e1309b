// One `scm` invocation: the command line read against the schema, the command run, every error
// turned into one line naming the flag as typed (no stack trace) and an exit code. Runs inside the
// CLI's worker thread (src/cli/worker.ts); the main thread shows progress and handles Ctrl-C.
import { AbortError, isOptionError, WorkLimitError } from "../core/errors";
import { COMMANDS, commandByName } from "../options/commands";
import { commandHelp, mainHelp } from "../options/help";
import { problemText } from "../options/problem";
import { closest, emptyArgs, tokenize, UsageError } from "../options/tokenize";
import { Context, flagName, specIn, type Io } from "./context";
import { OutputError } from "./files";
import { RUNNERS } from "./commands";
import { runSweep, sweepHelp } from "./sweep";

/** Exit codes: 0 done, 1 a computation or a file failed, 2 invalid input or refused work, 130 interrupted, 70 internal error. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, internal: 70, interrupted: 130 } as const;

const seconds = (s: number) => (s < 120 ? `${+s.toPrecision(2)} s` : s < 7200 ? `${+(s / 60).toPrecision(2)} min` : s < 172800 ? `${+(s / 3600).toPrecision(2)} h` : `${+(s / 86400).toPrecision(2)} days`);
const bytes = (b: number) => (b < 2 ** 20 ? `${Math.ceil(b / 1024)} KiB` : b < 2 ** 30 ? `${+(b / 2 ** 20).toPrecision(3)} MiB` : `${+(b / 2 ** 30).toPrecision(3)} GiB`);

/** The one line an error prints (after "scm: error: ") and the exit code. */
export function describeError(err: unknown, ctx?: Pick<Context, "nameOf" | "specOf">): { line: string; code: number } {
  const nameOf = ctx?.nameOf ?? ((n: string) => n);
  if (err instanceof UsageError) return { line: err.message, code: EXIT.invalid };
  if (isOptionError(err)) return { line: problemText(err, nameOf, ctx?.specOf), code: EXIT.invalid };
  if (err instanceof WorkLimitError) {
    const e = err.estimate;
    const change = e.drivers.map(nameOf).join(", ");
    const what = err.kind === "memory" ? `needs about ${bytes(e.memoryBytes)} of memory, more than the ${bytes(err.limit)} available` : `is estimated at ${seconds(e.seconds)} of computation, more than --max-work ${err.limit} s`;
    const lift = err.kind === "memory" ? "" : " or raise --max-work";
    return { line: `refused before starting: this ${what} (${e.breakdown}); lower ${change || "the sizes"}${lift}`, code: EXIT.invalid };
  }
  if (err instanceof OutputError) return { line: err.message, code: EXIT.failed };
  if (err instanceof AbortError) return { line: "interrupted", code: EXIT.interrupted };
  if (err instanceof RangeError || err instanceof TypeError) return { line: err.message, code: EXIT.invalid };
  const e = err as Error;
  return { line: `internal error: ${e?.name ?? "Error"}: ${e?.message ?? String(err)} (please report it with the command line)`, code: EXIT.internal };
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0] !== undefined && commandByName(rest[0])) return runCommand([rest[0], "--help"], io);
    io.stdout(mainHelp());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  let ctx: Context | undefined;
  let naming: Pick<Context, "nameOf" | "specOf"> | undefined;
  let started = false;
  try {
    const spec = commandByName(name);
    if (!spec) {
      const near = closest(name, COMMANDS.map((c) => c.name));
      throw new UsageError(`unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ""} (scm --help lists the commands)`);
    }
    if (name === "sweep") {
      if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
        io.stdout(sweepHelp());
        return rest.length === 0 ? EXIT.invalid : EXIT.ok;
      }
      return await runSweep(rest, io, (c) => (naming = c));
    }
    const args = emptyArgs();
    naming = { nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api) };
    tokenize(rest, spec.options, { context: `scm ${name}` }, args);
    if (args.help) {
      io.stdout(commandHelp(spec));
      return EXIT.ok;
    }
    ctx = new Context(spec, args, io);
    started = true;
    return await RUNNERS[name](ctx);
  } catch (err) {
    const { line, code } = describeError(err, ctx ?? naming);
    // a file that failed before any work is invalid input; after the computation, a failure
    io.stderr(`scm: error: ${line}\n`);
    return err instanceof OutputError && !started ? EXIT.invalid : code;
  }
}
