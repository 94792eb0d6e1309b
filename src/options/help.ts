// Help texts of `scm` (the command list and each command's options), from the command table and
// the option declarations: an option added to a command appears in its help by itself.
import { acceptedPhrase } from "./check";
import { COMMANDS, type CommandSpec } from "./commands";
import { flagsOf, GROUPS, placeholderOf, type GroupId, type OptionSpec } from "./option";
import { valueText } from "./text";

const WIDTH = 100;
const COLUMN = 32;

/** Words of `text` in lines of at most `width` characters, each prefixed by `indent`. */
export function wrap(text: string, width: number, indent: string, first = indent): string {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = lines.length === 0 ? first : indent;
    let empty = true;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = indent + word;
      } else line += (empty ? "" : " ") + word;
      empty = false;
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/** The default as help shows it: "default 1", "default: --activation", or "" when there is none. */
export function defaultPhrase(spec: OptionSpec): string {
  if (spec.defaultText) return `default: ${spec.defaultText}`;
  if (spec.default === undefined) return "";
  if (spec.type === "boolean") return spec.default ? "default on" : "";
  const text = valueText(spec.default);
  return `default ${text}${spec.unit ? ` ${spec.unit}` : ""}`;
}

/** What the option's line says after its flag: help, accepted values and default. */
export function optionDescription(spec: OptionSpec): string {
  const shown = spec.type === "enum" || spec.type === "boolean" || spec.type === "matrix" || spec.type === "path" || spec.type === "text" ? "" : acceptedPhrase(spec);
  const details = [shown, defaultPhrase(spec)].filter(Boolean).join("; ");
  const aliases = flagsOf(spec).slice(1).map((f) => `--${f}`);
  return `${spec.help}${details ? ` (${details})` : ""}${aliases.length ? `; also ${aliases.join(", ")}` : ""}`;
}

/** "--eta X", "--site-symmetry, --no-site-symmetry", "--out FILE (repeatable)". */
export function flagUsage(spec: OptionSpec): string {
  const p = placeholderOf(spec);
  const base = `--${spec.flag}${p ? ` ${p}` : ""}`;
  return spec.type === "boolean" && (spec.negatable || spec.default === true) ? `${base}, --no-${spec.flag}` : base;
}

/** Options of a command by group, in the groups' order. */
export function groupsOf(specs: readonly OptionSpec[]): [GroupId, OptionSpec[]][] {
  const by = new Map<GroupId, OptionSpec[]>();
  for (const s of specs) by.set(s.group, [...(by.get(s.group) ?? []), s]);
  return (Object.keys(GROUPS) as GroupId[]).filter((g) => by.has(g)).map((g) => [g, by.get(g)!]);
}

/** The option lines of a help text, grouped. */
export function optionLines(specs: readonly OptionSpec[]): string {
  return groupsOf(specs)
    .map(([g, list]) => {
      const lines = list.map((s) => {
        const left = `  ${flagUsage(s)}`;
        const desc = optionDescription(s);
        if (left.length + 2 <= COLUMN) return wrap(desc, WIDTH, " ".repeat(COLUMN), left.padEnd(COLUMN));
        return `${left}\n${wrap(desc, WIDTH, " ".repeat(COLUMN))}`;
      });
      return `${GROUPS[g]}\n${lines.join("\n")}`;
    })
    .join("\n\n");
}

export function usageLine(c: CommandSpec): string {
  return `scm ${c.name} ${c.usage ?? "[options]"}`;
}

/** `scm <command> --help`. `extra` adds sections a command computes (the sweepable commands). */
export function commandHelp(c: CommandSpec, extra = ""): string {
  return [
    `scm ${c.name}: ${c.summary}`,
    `Usage: ${usageLine(c)}`,
    wrap(c.description, WIDTH, ""),
    ...(extra ? [extra] : []),
    optionLines(c.options),
    `  -h, --help                    this text`,
    ...(c.notes ? [wrap(c.notes, WIDTH, "")] : []),
  ].join("\n\n") + "\n";
}

/** `scm --help`: the command list. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const list = COMMANDS.map((c) => wrap(c.summary, WIDTH, " ".repeat(2 + width), `  ${c.name.padEnd(width)}`)).join("\n");
  return `scm: statistical physics of learning in soft committee machines\n\nUsage: scm <command> [options]     (scm <command> --help for its options)\n\nCommands\n${list}\n\nNumbers may be negative (--eta -1 is read as a value); --flag=value works too. Errors name the\nflag as typed and what it accepts; exit code 2 on invalid input, 130 when interrupted (Ctrl-C).\n`;
}
