// `scm sweep plot FILE --x eta --y K --z eg --out map.svg --out map.csv`: a phase diagram of a
// sweep file (src/sweep/heatmap.ts): the heatmap drawn by Vega-Lite (src/report/sweepMap.ts) as
// SVG, or as PNG by rasterising that SVG (resvg: a prebuilt renderer from the npm registry, no
// system libraries, loaded only for .png), and the grid as CSV. Node only.
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { OptionError } from "../core/errors";
import { sweepByCommand, SWEEP_TOOLS } from "../options/commands";
import { commandHelp } from "../options/help";
import { flagsOf, type OptionSpec } from "../options/option";
import { parseText } from "../options/text";
import { emptyArgs, tokenize } from "../options/tokenize";
import { heatmap, heatmapCsv, HeatmapError, valueLabel, varyingOptions, type Heatmap } from "../sweep/heatmap";
import { parseLine, type SweepLine } from "../sweep/line";
import { heatmapSpec } from "../report/sweepMap";
import { Context, flagName, specIn, type Io } from "./context";
import { OutputError, writeWhole } from "./files";
import { renderSvg } from "./optimalLrPlot";

const KINDS = [".svg", ".png", ".csv"];

/** The lines of a sweep file (a partial last line left out). */
export function readSweepFile(path: string, option = "file"): SweepLine[] {
  if (!existsSync(path)) throw new OptionError({ option, value: path, accepted: "a sweep file (JSON lines)", reason: `${path}: no such file` });
  const text = readFileSync(path, "utf8");
  const lines: SweepLine[] = [];
  text.slice(0, text.lastIndexOf("\n") + 1).split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const r = parseLine(raw);
    if ("problem" in r) throw new OptionError({ option, value: path, accepted: "a sweep file (JSON lines)", reason: `${path}: line ${i + 1} ${r.problem}; is it a sweep file?` });
    lines.push(r.line);
  });
  if (lines.length === 0) throw new OptionError({ option, value: path, accepted: "a sweep file with points", reason: `${path} holds no point` });
  return lines;
}

/** The PNG of an SVG (2x its size, on white). */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  return new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, background: "white", font: { loadSystemFonts: true } }).render().asPng();
}

export async function runSweepPlot(argv: readonly string[], io: Io, onContext: (c: Pick<Context, "nameOf" | "specOf">) => void): Promise<number> {
  const spec = SWEEP_TOOLS.find((c) => c.name === "sweep plot")!;
  const args = emptyArgs();
  onContext({ nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api) });
  tokenize(argv, spec.options, { context: "scm sweep plot", positionals: 1 }, args);
  if (args.help) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  const ctx = new Context(spec, args, io);
  onContext(ctx);
  const file = args.positionals[0];
  if (file === undefined) throw new OptionError({ option: "file", value: undefined, accepted: "a sweep file", reason: "scm sweep plot needs the sweep file: scm sweep plot FILE.jsonl --x eta --y K --z eg" });
  for (const name of ["x", "y", "z"]) if (!ctx.has(name)) throw new OptionError({ option: name, value: undefined, accepted: spec.options.find((o) => o.name === name)!.help, reason: "is required" });
  const outs = (ctx.given<string[]>("out") ?? []).map((path) => {
    const ext = extname(path).toLowerCase();
    if (!KINDS.includes(ext)) throw new OutputError(ctx.nameOf("out"), path, `must end in ${KINDS.join(", ")} (heatmap or CSV grid)`);
    return { path, ext };
  });

  const lines = readSweepFile(file);
  const sweep = sweepByCommand(lines[0].command);
  const specs: readonly OptionSpec[] = sweep?.options ?? [];
  const varying = varyingOptions(lines);
  const known = () => [...varying.keys()].map((n) => specs.find((s) => s.name === n)?.flag ?? n).join(", ") || "none";
  /** An option as typed (flag, alias or API name) -> its API name in the file's points. */
  const apiName = (typed: string, option: string): OptionSpec | string => {
    const s = specs.find((o) => o.name === typed || o.aliases?.includes(typed) || flagsOf(o).includes(typed));
    if (s) return s;
    if (lines.some((l) => typed in l.options)) return typed;
    throw new OptionError({ option, value: typed, accepted: `an option of the points (varying in ${file}: ${known()})`, reason: `${JSON.stringify(typed)} is not an option of ${lines[0].command}; varying in ${file}: ${known()}` });
  };
  const nameOf = (x: OptionSpec | string) => (typeof x === "string" ? x : x.name);
  const x = nameOf(apiName(ctx.get<string>("x"), "x")), y = nameOf(apiName(ctx.get<string>("y"), "y"));
  const at: Record<string, unknown> = {};
  for (const text of ctx.given<string[]>("at") ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(text);
    if (!m) throw new OptionError({ option: "at", value: text, accepted: "OPTION=VALUE, e.g. alpha-max=50", reason: `must be OPTION=VALUE; got ${JSON.stringify(text)}` });
    const s = apiName(m[1].trim(), "at");
    const name = nameOf(s);
    const value = m[2].trim();
    // numbers and words parse as the option would; other values (matrices) match their text in the file
    const parsed = typeof s !== "string" && ["number", "integer", "enum"].includes(s.type) ? parseText(s, value) : varying.get(name)?.find((v) => valueLabel(v) === value) ?? value;
    at[name] = parsed;
  }
  let h: Heatmap;
  try {
    h = heatmap(lines, { x, y, z: ctx.get<string>("z"), threshold: ctx.given<number>("threshold"), flatness: ctx.get<number>("flatness"), at });
  } catch (err) {
    if (err instanceof HeatmapError) throw new OptionError({ option: err.option, value: ctx.given(err.option), accepted: "axes and a quantity the file has", reason: err.message.replace(/ with at$/, " with --at OPTION=VALUE") });
    throw err;
  }
  const missing = h.cells.filter((c) => c.label === "").length;
  const csv = heatmapCsv(h);
  if (outs.length === 0) io.stdout(csv);
  let svg: string | undefined;
  for (const { path, ext } of outs) {
    if (ext === ".csv") writeWhole(ctx.nameOf("out"), path, csv);
    else {
      svg ??= await renderSvg(heatmapSpec(h));
      writeWhole(ctx.nameOf("out"), path, ext === ".svg" ? svg : await svgToPng(svg));
    }
  }
  io.stderr(`sweep plot: ${h.z} over ${h.xs.length} x ${h.ys.length} cells of ${x} and ${y} from ${h.points} points${missing ? ` (${missing} blank: no point or no value)` : ""}${outs.length ? `; wrote ${outs.map((o) => o.path).join(", ")}` : ""}\n`);
  return 0;
}
