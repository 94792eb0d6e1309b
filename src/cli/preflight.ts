// What the CLI's main thread answers by itself, before starting the worker: the help texts and a
// command line that cannot be read (unknown command or flag, a value the schema refuses). The
// same code paths as in the worker, so the answers are the same; the rest runs in the worker.
import { commandByName } from "../options/commands";
import { commandHelp, mainHelp } from "../options/help";
import { emptyArgs, tokenize } from "../options/tokenize";
import { flagName, specIn } from "./context";
import { describeError, EXIT, unknownCommand } from "./errors";

/** The exit code when answered here (text written through `out`/`err`), else undefined. */
export function preflight(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number | undefined {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || (name === "help" && (rest[0] === undefined || !commandByName(rest[0])))) {
    out(mainHelp());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  const spec = commandByName(name === "help" ? rest[0] : name);
  if (!spec) {
    err(`scm: error: ${describeError(unknownCommand(name)).line}\n`);
    return EXIT.invalid;
  }
  if (spec.name === "sweep") return undefined; // its options depend on the swept command
  if (name === "help") {
    out(commandHelp(spec));
    return EXIT.ok;
  }
  const args = emptyArgs();
  try {
    tokenize(rest, spec.options, { context: `scm ${name}` }, args);
  } catch (e) {
    err(`scm: error: ${describeError(e, { nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api) }).line}\n`);
    return EXIT.invalid;
  }
  if (args.help) {
    out(commandHelp(spec));
    return EXIT.ok;
  }
  return undefined;
}
