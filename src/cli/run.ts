// One `scm` invocation: the command line read against the schema, the command run, every error
// turned into one line naming the flag as typed (no stack trace) and an exit code. Runs inside the
// CLI's worker thread (src/cli/worker.ts); the main thread shows progress and handles Ctrl-C.
import { commandHelp, mainHelp } from "../options/help";
import { commandByName } from "../options/commands";
import { emptyArgs, tokenize } from "../options/tokenize";
import { Context, flagName, specIn, type Io } from "./context";
import { OutputError } from "./files";
import { describeError, EXIT, unknownCommand, type Naming } from "./errors";

export { describeError, EXIT };
import { RUNNERS } from "./commands";
import { runSweep, sweepHelp } from "./sweep";

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0] !== undefined && commandByName(rest[0])) return runCommand([rest[0], "--help"], io);
    io.stdout(mainHelp());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  let ctx: Context | undefined;
  let naming: Naming | undefined;
  let started = false;
  try {
    const spec = commandByName(name);
    if (!spec) throw unknownCommand(name);
    if (name === "sweep") {
      if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
        io.stdout(sweepHelp());
        return rest.length === 0 ? EXIT.invalid : EXIT.ok;
      }
      return await runSweep(rest, io, (c) => (naming = c));
    }
    const args = emptyArgs();
    naming = { nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api), typed: (api) => args.typed[api] !== undefined };
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
