// The command line, read with the schema: it knows which flags take a value, so `--eta -1`,
// `--x-range -1,2` and `--eta=-1` all work (a value may start with a minus sign); booleans take none
// (`--per-run`, `--no-error-estimate`, `--per-run=false`); a flag given twice is refused unless it is
// repeatable (--out); an unknown flag is refused with the closest known one suggested.
import { flagsOf, placeholderOf, type OptionSpec } from "./option";
import { parseText } from "./text";

/** A command line that cannot be read (unknown flag, missing value, stray argument). */
export class UsageError extends Error {
  constructor(message: string, readonly flag?: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ParsedArgs {
  /** API name -> value (parsed and checked against its declaration), for the options given. */
  values: Record<string, unknown>;
  /** API name -> the text given (a list for repeatable flags). */
  texts: Record<string, string | string[]>;
  /** API name -> the flag as the user typed it ("--eta", "--learning-rate"): errors name it. */
  typed: Record<string, string>;
  help: boolean;
  positionals: string[];
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
  return d[a.length][b.length];
}

/** The known spelling closest to `name` (case-insensitive edit distance), if it is close. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const k of known) {
    const dd = k.toLowerCase().startsWith(name.toLowerCase()) || name.toLowerCase().startsWith(k.toLowerCase()) ? Math.min(distance(name, k), 1.5) : distance(name, k);
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export interface TokenizeOptions {
  /** How the command is called in messages ("scm ode"). */
  context: string;
  /** Positional arguments accepted (default 0). */
  positionals?: number;
  /** Parse and check each value (default true); false keeps the texts only (sweep grids). */
  parse?: boolean;
}

export const emptyArgs = (): ParsedArgs => ({ values: {}, texts: {}, typed: {}, help: false, positionals: [] });

/**
 * Reads argv against the command's options; throws UsageError or the option's OptionError. The
 * result is built in `out` (pass one to know the flags typed so far when an error is thrown).
 */
export function tokenize(argv: readonly string[], specs: readonly OptionSpec[], opts: TokenizeOptions, out: ParsedArgs = emptyArgs()): ParsedArgs {
  const bySpelling = new Map<string, OptionSpec>();
  for (const s of specs) for (const f of flagsOf(s)) if (!bySpelling.has(f)) bySpelling.set(f, s);
  const known = [...bySpelling.keys(), "help"];
  const lookup = (name: string): { spec: OptionSpec; negated: boolean } | undefined => {
    const s = bySpelling.get(name);
    if (s) return { spec: s, negated: false };
    if (name.startsWith("no-")) {
      const b = bySpelling.get(name.slice(3));
      if (b && b.type === "boolean") return { spec: b, negated: true };
    }
    return undefined;
  };
  const isFlag = (t: string) => t === "--" || (t.startsWith("--") && (lookup(t.slice(2).split("=")[0]) !== undefined || t.slice(2) === "help"));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "-h" || token === "--help") {
      out.help = true;
      continue;
    }
    if (token === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith("--")) {
      if (out.positionals.length < (opts.positionals ?? 0)) {
        out.positionals.push(token);
        continue;
      }
      const hint = /^-[A-Za-z]/.test(token) ? ` (flags start with two dashes: --${token.slice(1)})` : /^-?[\d.]/.test(token) ? " (a value must follow its flag, e.g. --eta -1)" : "";
      throw new UsageError(`${opts.context}: unexpected argument ${JSON.stringify(token)}${hint}; see ${opts.context} --help`);
    }
    const eq = token.indexOf("=");
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    const found = lookup(name);
    if (!found) {
      const near = closest(name, known);
      throw new UsageError(`${opts.context}: unknown option --${name}${near ? `; did you mean --${near}?` : ""} (${opts.context} --help lists the options)`, `--${name}`);
    }
    const { spec, negated } = found;
    const typed = `--${negated ? name.slice(3) : name}`;
    let text: string;
    if (spec.type === "boolean") {
      if (negated && inline !== undefined) throw new UsageError(`${opts.context}: --${name} takes no value; got ${JSON.stringify(token)}`, typed);
      text = negated ? "false" : (inline ?? "true");
    } else if (inline !== undefined) text = inline;
    else {
      const next = argv[i + 1];
      if (next === undefined || isFlag(next)) throw new UsageError(`${opts.context}: --${name} needs a value (${placeholderOf(spec)}); ${next === undefined ? "it is the last argument" : `got the flag ${next}`}`, typed);
      text = next;
      i++;
    }
    const prior = out.texts[spec.name];
    if (prior !== undefined && !spec.repeatable) {
      throw new UsageError(`${opts.context}: ${typed} is given more than once (${out.typed[spec.name]} ${JSON.stringify(prior)} and ${typed} ${JSON.stringify(text)}); give it once${opts.parse === false ? " (a list a,b,c spans a sweep axis)" : ""}`, typed);
    }
    out.typed[spec.name] = typed;
    out.texts[spec.name] = spec.repeatable ? [...((prior as string[] | undefined) ?? []), text] : text;
    if (opts.parse !== false) {
      const value = parseText(spec, text);
      out.values[spec.name] = spec.repeatable ? [...((out.values[spec.name] as unknown[] | undefined) ?? []), value] : value;
    }
  }
  return out;
}
