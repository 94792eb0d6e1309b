// docs/cli.md, the command-line reference, from the same command table and option declarations as
// the --help texts (`npm run docs:cli` writes it; a test fails when the committed file differs).
import { acceptedPhrase } from "./check";
import { COMMANDS, SWEEP_TOOLS, SWEEPS } from "./commands";
import { defaultPhrase, flagUsage, groupsOf, usageLine } from "./help";
import { flagsOf, GROUPS } from "./option";

/** Markdown text: "<out-dir>" would read as an HTML tag. */
const prose = (s: string) => s.replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cell = (s: string) => prose(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

export function cliReference(): string {
  const out: string[] = [
    "# Command-line reference",
    "",
    "Generated from the option schema (`src/options/`) by `npm run docs:cli`; `scm <command> --help` prints the same.",
    "A value may start with a minus sign (`--eta -1`, `--x-range -1,2`); `--flag=value` works too; booleans take no value",
    "(`--per-run`, `--no-error-estimate`). Errors name the flag as typed and what it accepts; exit code 2 on invalid input,",
    "130 when interrupted (Ctrl-C). Long computations show progress on stderr; `--max-work SECONDS` bounds their estimated cost.",
    "",
    "| command | what it does |",
    "|---|---|",
    ...COMMANDS.map((c) => `| [\`${c.name}\`](#scm-${c.name}) | ${cell(c.summary)} |`),
  ];
  const section = (c: (typeof COMMANDS)[number]) => {
    out.push("", `## scm ${c.name}`, "", "```sh", usageLine(c), "```", "", prose(c.description).replace(/\n/g, "\n\n"));
    if (c.name === "sweep") out.push("", "Sweepable commands: " + SWEEPS.map((s) => `\`${s.command}\` (${s.summary})`).join("; ") + ".");
    for (const [g, list] of groupsOf(c.options)) {
      out.push("", `### ${GROUPS[g]}`, "", "| option | accepts | default | meaning |", "|---|---|---|---|");
      for (const s of list) {
        const also = flagsOf(s).slice(1).map((f) => `\`--${f}\``).join(", ");
        out.push(`| \`${cell(flagUsage(s))}\`${also ? ` (also ${also})` : ""} | ${cell(acceptedPhrase(s))} | ${cell(defaultPhrase(s).replace(/^default:? /, "")) || "-"} | ${cell(s.help)} |`);
      }
    }
    if (c.notes) out.push("", prose(c.notes));
  };
  for (const c of COMMANDS) {
    section(c);
    if (c.name === "sweep") SWEEP_TOOLS.forEach(section);
  }
  return out.join("\n") + "\n";
}
