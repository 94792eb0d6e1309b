// `scm optimal-lr` (the optimal step of one batch given as JSON) and `scm optimal-lr-demo`
// (loss curves of the optimal step against fixed learning rates), THEORY.md section 6.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { optimalLearningRate, trainSingleLayer, type OptimalLearningRateOptions } from "../index";
import { CliError, parseList, parseNumber } from "./args";
import { emit, formatOf, type Io } from "./ode";
import { formatVerified } from "./output";
import { demoCsv, demoJson, demoLossFormatter, type DemoRun } from "../report/optimalLr";

export const optimalLrHelp = `scm optimal-lr: the exact optimal step a* = num / den of [L] (THEORY.md section 6) for one
mini-batch of a single-layer network y = s(W x + b), s = relu, leakyRelu or identity.

Usage: scm optimal-lr --batch FILE.json | --json TEXT | --batch -   (stdin)

The JSON object holds W (n1 rows of n0 numbers), b (n1 numbers, optional: zeros), X (M rows of n0),
Y (M rows of n1), and optionally activation ("relu", "leakyRelu", "identity") and slope.

  --activation NAME        overrides the file's activation (default relu)
  --slope X                leakyRelu slope left of 0 (default 0.01)
  --method auto|gram|gradient
                           route of the computation (default auto: the one with fewer operations;
                           gram: M^2 (n0 + n1) through the batch's Gram matrix, gradient: M n0 n1)
  --format json|table      stdout format (default table); json keys: learningRate (null when not
                           defined), numerator, denominator, defined, loss, predictedLoss,
                           firstKink, exact, method, shape, agreement
  --out FILE               write there instead of stdout (format from .json/.txt)

The table prints each number with the digits on which the Gram and gradient routes (two different
summation orders) agree, at most 12. "exact: yes" means no pre-activation crosses a kink of s
between 0 and a*, where [L]'s step is the exact minimiser of the loss along -grad L; otherwise a*
minimises the local quadratic model only. Exit code 0 when a* is defined, 1 when the denominator is
not positive (no finite optimal step), 2 on invalid input.`;

const args = {
  batch: { type: "string" }, json: { type: "string" }, activation: { type: "string" }, slope: { type: "string" },
  method: { type: "string" }, format: { type: "string" }, out: { type: "string", multiple: true }, help: { type: "boolean", short: "h" },
} as const;

function readBatch(values: { batch?: string; json?: string }): Record<string, unknown> {
  if ((values.batch === undefined) === (values.json === undefined)) throw new CliError("give the batch with exactly one of --batch FILE.json (or - for stdin) and --json TEXT");
  let text: string;
  try {
    text = values.json ?? readFileSync(values.batch === "-" ? 0 : values.batch!, "utf8");
  } catch (err) {
    throw new CliError(`--batch: cannot read ${JSON.stringify(values.batch)}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`the batch is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliError("the batch JSON must be an object with W, X, Y (and optionally b, activation, slope)");
  return parsed as Record<string, unknown>;
}

export function runOptimalLr(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: args, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(optimalLrHelp + "\n");
    return 0;
  }
  const format = formatOf("format", values.format, "table");
  if (format === "csv") throw new CliError("--format must be json or table for scm optimal-lr; got \"csv\"");
  const j = readBatch(values);
  const o = { ...j } as unknown as OptimalLearningRateOptions;
  if (values.activation !== undefined) o.activation = values.activation as OptimalLearningRateOptions["activation"];
  const slope = parseNumber("slope", values.slope);
  if (slope !== undefined) o.slope = slope;
  if (values.method !== undefined) o.method = values.method as OptimalLearningRateOptions["method"];
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
  emit(io, values.out, format, (f) => render(f === "csv" ? "table" : f));
  return r.defined ? 0 : 1;
}

export const optimalLrDemoHelp = `scm optimal-lr-demo: mini-batch training of a single-layer network y = s(W x + b) on data from a
random teacher (same seed: same teacher, test set, initial weights and batches for every run),
with [L]'s optimal step against fixed learning rates (THEORY.md section 6).

  --activation relu|leakyRelu|identity   (default relu)
  --slope X                leakyRelu slope (default 0.01)
  --n0 N --n1 N            input and output dimensions (default 20, 5)
  --batch-size B           mini-batch size (default 32)
  --steps N                gradient steps (default 200)
  --rates a,b,c            fixed learning rates to compare (default 0.05,0.2,0.5,1)
  --noise X                label noise standard deviation (default 0)
  --test-size N            test set size (default 1000)
  --seed N                 seed, integer in [0, 2^53) (default 1)
  --format json|csv|table  stdout format (default table: the test loss every --every steps and a
                           summary); csv: one row per step, a test-loss column per run; json: every run
  --every N                table: every N-th step (default 20)
  --out FILE               write there instead of stdout (format from .json/.csv/.txt)
  --plot FILE.svg          test loss against step for every run (log scale) and the optimal step per step

Losses are printed to at most 6 significant digits, fewer where the rounding of the residuals
(~1e-15 of the output scale) limits them; "<x" means below that floor.`;

const demoArgs = {
  activation: { type: "string" }, slope: { type: "string" }, n0: { type: "string" }, n1: { type: "string" },
  "batch-size": { type: "string" }, steps: { type: "string" }, rates: { type: "string" }, noise: { type: "string" },
  "test-size": { type: "string" }, seed: { type: "string" }, format: { type: "string" }, every: { type: "string" },
  out: { type: "string", multiple: true }, plot: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

export type { DemoRun };

export async function runOptimalLrDemo(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: demoArgs, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(optimalLrDemoHelp + "\n");
    return 0;
  }
  const format = formatOf("format", values.format, "table");
  const every = parseNumber("every", values.every, { integer: true }) ?? 20;
  if (every < 1) throw new CliError(`--every must be an integer >= 1; got ${every}`);
  if (values.plot !== undefined && !values.plot.endsWith(".svg")) throw new CliError(`--plot must name an .svg file; got ${JSON.stringify(values.plot)}`);
  const rates = parseList("rates", values.rates) ?? [0.05, 0.2, 0.5, 1];
  const base = {
    activation: (values.activation ?? "relu") as "relu",
    ...(values.slope !== undefined ? { slope: parseNumber("slope", values.slope) } : {}),
    ...(values.n0 !== undefined ? { n0: parseNumber("n0", values.n0, { integer: true }) } : {}),
    ...(values.n1 !== undefined ? { n1: parseNumber("n1", values.n1, { integer: true }) } : {}),
    ...(values["batch-size"] !== undefined ? { batchSize: parseNumber("batch-size", values["batch-size"], { integer: true }) } : {}),
    ...(values.steps !== undefined ? { steps: parseNumber("steps", values.steps, { integer: true }) } : {}),
    ...(values.noise !== undefined ? { noise: parseNumber("noise", values.noise) } : {}),
    ...(values["test-size"] !== undefined ? { testSize: parseNumber("test-size", values["test-size"], { integer: true }) } : {}),
    ...(values.seed !== undefined ? { seed: parseNumber("seed", values.seed, { integer: true }) } : {}),
  };
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
  emit(io, values.out, format, render);
  if (values.plot) {
    const { demoSvg } = await import("./optimalLrPlot");
    io.writeFile(values.plot, await demoSvg(runs));
    io.stderr(`wrote ${values.plot}\n`);
  }
  return 0;
}
