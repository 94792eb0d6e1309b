// `scm optimal-lr` (the optimal step of one batch given as JSON) and `scm optimal-lr-demo`
// (loss curves of the optimal step against fixed learning rates), docs/theory.md section 6.
import { readFileSync } from "node:fs";
import { optimalLearningRate, trainSingleLayer, type OptimalLearningRateOptions } from "../index";
import { OptionError } from "../core/errors";
import { formatVerified } from "../text/digits";
import { demoCsv, demoJson, demoLossFormatter, type DemoRun } from "../report/optimalLr";
import type { Context } from "./context";

/** The batch object from --batch FILE (or - for stdin) or --json TEXT. */
function readBatch(ctx: Context): Record<string, unknown> {
  const file = ctx.given<string>("batch"), text0 = ctx.given<string>("json");
  if ((file === undefined) === (text0 === undefined)) {
    throw new OptionError({ option: "batch", value: file, accepted: "a JSON file (or - for stdin), or --json TEXT", related: ["json"], reason: file === undefined ? "is required: give the batch with --batch FILE.json (- for stdin) or --json TEXT" : "and --json both given: give the batch once" });
  }
  let text: string;
  try {
    text = text0 ?? (file === "-" ? ctx.io.readStdin() : readFileSync(file!, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new OptionError({ option: "batch", value: file, accepted: "a readable JSON file", reason: `cannot read ${JSON.stringify(file)}: ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "it is a folder" : (e.code ?? e.message)}` });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OptionError({ option: file !== undefined ? "batch" : "json", value: file ?? text0, accepted: "a JSON object {W, b, X, Y}", reason: `is not valid JSON (${(err as Error).message})` });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new OptionError({ option: file !== undefined ? "batch" : "json", value: file ?? text0, accepted: "a JSON object {W, b, X, Y}", reason: "must hold a JSON object with W, X, Y (and optionally b, activation, slope)" });
  return parsed as Record<string, unknown>;
}

export function runOptimalLr(ctx: Context): number {
  const j = readBatch(ctx);
  // fields of the batch (W, X, Y, b) are named as such in errors
  const nameOf = ctx.nameOf;
  ctx.nameOf = (api) => (ctx.specOf(api) ? nameOf(api) : `the batch's ${api}`);
  const o = { ...j, ...ctx.pick(["activation", "slope", "method"]), maxWork: ctx.get<number>("maxWork") } as unknown as OptimalLearningRateOptions;
  const r = optimalLearningRate(o);
  // the other route sums in another order: where they agree bounds the rounding error
  const other = optimalLearningRate({ ...o, method: r.method === "gram" ? "gradient" : "gram" });
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? undefined : Math.max(Math.abs(a - b), 1e-15 * Math.abs(a)));
  const agreement = { learningRate: diff(r.learningRate, other.learningRate) ?? null, numerator: diff(r.numerator, other.numerator)!, denominator: diff(r.denominator, other.denominator)! };
  const render = (f: string) => {
    if (f === "json") return JSON.stringify({ ...r, firstKink: Number.isFinite(r.firstKink) ? r.firstKink : null, agreement }) + "\n";
    const show = (x: number | null, e: number | undefined | null) => (x === null ? "not defined" : formatVerified(x, e ?? undefined, 12));
    return [
      `learningRate   ${show(r.learningRate, agreement.learningRate)}`,
      `numerator      ${show(r.numerator, agreement.numerator)}`,
      `denominator    ${show(r.denominator, agreement.denominator)}`,
      `defined        ${r.defined ? "yes" : "no (denominator not positive)"}`,
      `loss           ${formatVerified(r.loss, 1e-15 * r.loss, 12)}`,
      `predictedLoss  ${r.predictedLoss === null ? "not defined" : formatVerified(r.predictedLoss, Math.abs(r.predictedLoss - (other.predictedLoss ?? r.predictedLoss)) || 1e-15 * r.loss, 12)}`,
      `firstKink      ${Number.isFinite(r.firstKink) ? formatVerified(r.firstKink, 1e-12 * r.firstKink, 12) : "none"}`,
      `exact          ${r.exact ? "yes (no kink crossed on [0, a*])" : "no"}`,
      `method         ${r.method} (M = ${r.shape.M}, n0 = ${r.shape.n0}, n1 = ${r.shape.n1})`,
    ].join("\n") + "\n";
  };
  ctx.emit((f) => render(f === "csv" ? "table" : f));
  return r.defined ? 0 : 1;
}

export type { DemoRun };

export async function runOptimalLrDemo(ctx: Context): Promise<number> {
  const every = ctx.get<number>("every");
  const plot = ctx.given<string>("plot");
  const rates = ctx.get<number[]>("rates");
  const base = { ...ctx.pick(["activation", "slope", "n0", "n1", "batchSize", "steps", "noise", "testSize", "seed"]), ...ctx.control("training", "runs") };
  const runs: DemoRun[] = [{ label: "optimal", result: trainSingleLayer({ ...base, learningRate: "optimal" }) }];
  for (const a of rates) runs.push({ label: `η = ${a}`, result: trainSingleLayer({ ...base, learningRate: a }) });
  const render = (f: string) => {
    if (f === "json") return demoJson(runs);
    if (f === "csv") return demoCsv(runs);
    const steps = Math.max(...runs.map((r) => r.result.testLoss.length));
    const showLoss = demoLossFormatter(runs);
    const header = ["step", ...runs.map((r) => r.label)];
    const rows: string[][] = [];
    for (let s = 0; s < steps; s += 1) {
      if (s % every !== 0 && s !== steps - 1) continue;
      rows.push([String(s), ...runs.map((r) => (s < r.result.testLoss.length ? showLoss(r.result.testLoss[s]) : r.result.status))]);
    }
    const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
    const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
    const o = runs[0].result;
    const summary = runs.map(({ label, result: r }) => `# ${label}: ${r.status}, final test loss ${showLoss(r.testLoss[r.testLoss.length - 1])}${label === "optimal" ? ` (${r.stats.exactSteps} of ${r.stats.steps} steps exact, ${r.stats.undefinedSteps} undefined)` : ""}`);
    return `# test loss (teacher: ${o.options.activation}, n0 = ${o.options.n0}, n1 = ${o.options.n1}, batch ${o.options.batchSize}, seed ${o.options.seed})\n` + [line(header), ...rows.map(line)].join("\n") + "\n" + summary.join("\n") + "\n";
  };
  ctx.emit(render);
  if (plot) {
    const { demoSvg } = await import("./optimalLrPlot");
    ctx.writeFile("plot", plot, await demoSvg(runs));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  return 0;
}
