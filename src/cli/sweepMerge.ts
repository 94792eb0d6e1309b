// `scm sweep merge A.jsonl B.jsonl ... --out all.jsonl`: the shards of a job array (or files of
// resumed runs) into one sweep file, one line per point, sorted by key. Refuses what would mix
// computations that need not agree: another build (version stamp), another command, a point with
// two different results. Node only.
import { existsSync, readFileSync } from "node:fs";
import { OptionError } from "../core/errors";
import { SWEEP_TOOLS } from "../options/commands";
import { commandHelp } from "../options/help";
import { emptyArgs, tokenize } from "../options/tokenize";
import { parseLine, sameOutcome, type SweepLine } from "../sweep/line";
import { sameStamp, stampText } from "../sweep/version";
import { Context, flagName, specIn, type Io } from "./context";
import { writeWhole } from "./files";

interface Found { line: SweepLine; text: string; where: string }

export async function runMerge(argv: readonly string[], io: Io, onContext: (c: Pick<Context, "nameOf" | "specOf">) => void): Promise<number> {
  const spec = SWEEP_TOOLS.find((c) => c.name === "sweep merge")!;
  const args = emptyArgs();
  onContext({ nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api) });
  tokenize(argv, spec.options, { context: "scm sweep merge", positionals: 100_000 }, args);
  if (args.help) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  const ctx = new Context(spec, args, io);
  onContext(ctx);
  const out = ctx.given<string>("out");
  if (out === undefined) throw new OptionError({ option: "out", value: undefined, accepted: "a file name", reason: "FILE is required (the merged sweep file)" });
  const inputs = args.positionals;
  if (inputs.length === 0) throw new OptionError({ option: "file", value: undefined, accepted: "sweep files (JSON lines)", reason: "scm sweep merge needs the files to merge: scm sweep merge A.jsonl B.jsonl --out all.jsonl" });

  const points = new Map<string, Found>();
  let first: Found | undefined, total = 0, duplicates = 0;
  for (const path of inputs) {
    if (!existsSync(path)) throw new OptionError({ option: "file", value: path, accepted: "existing sweep files", reason: `${path}: no such file` });
    const text = readFileSync(path, "utf8");
    const end = text.lastIndexOf("\n") + 1;
    if (end < text.length) io.stderr(`sweep merge: ${path}: left out a partial last line (${text.length - end} bytes, an interrupted write)\n`);
    text.slice(0, end).split("\n").forEach((raw, i) => {
      if (raw.trim() === "") return;
      const where = `${path}:${i + 1}`;
      const parsed = parseLine(raw);
      if ("problem" in parsed) throw new OptionError({ option: "file", value: path, accepted: "sweep files (JSON lines)", reason: `${where} ${parsed.problem}; is it a sweep file?` });
      const found: Found = { line: parsed.line, text: raw, where };
      total++;
      first ??= found;
      const l = parsed.line;
      if (!l.version) throw new OptionError({ option: "file", value: path, accepted: "lines with a version stamp", reason: `${where} has no version stamp (written by an older build): its numbers cannot be checked against the others` });
      if (!sameStamp(l.version, first.line.version))
        throw new OptionError({ option: "file", value: path, accepted: `lines computed by one build (${stampText(first.line.version!)}, as ${first.where})`, reason: `${where} was computed by soft-committee ${stampText(l.version)}, ${first.where} by ${stampText(first.line.version!)}: their numbers could differ` });
      if (l.command !== first.line.command) throw new OptionError({ option: "file", value: path, accepted: `lines of one command (${first.line.command}, as ${first.where})`, reason: `${where} is a point of ${l.command}, ${first.where} of ${first.line.command}` });
      const before = points.get(parsed.key);
      if (!before) return void points.set(parsed.key, found);
      duplicates++;
      if (sameOutcome(before.line, l)) return;
      if (before.line.result && l.error) return; // a result is kept over an error
      if (before.line.error && l.result) return void points.set(parsed.key, found);
      throw new OptionError({ option: "file", value: path, accepted: "one result per point", reason: `${where} and ${before.where} hold different results for the same point (${parsed.key.slice(0, 200)}): computed with different options or builds` });
    });
  }
  const keys = [...points.keys()].sort();
  writeWhole(ctx.nameOf("out"), out, keys.map((k) => points.get(k)!.text + "\n").join(""));
  io.stderr(`sweep merge: ${total} lines from ${inputs.length} file${inputs.length === 1 ? "" : "s"}, ${keys.length} points (${duplicates} duplicate line${duplicates === 1 ? "" : "s"} kept once); wrote ${out}\n`);
  return 0;
}
