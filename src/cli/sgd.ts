// `scm sgd`: finite-d online SGD simulations (docs/theory.md section 3).
import { simulate, type SimulateOptions, type SimulationResult } from "../index";
import { settingFromValues } from "../options/setting";
import { formatVerified, meanPlusMinus } from "../text/digits";
import type { Format } from "../text/odeTable";
import { simulationJson } from "../text/json";
import type { Context } from "./context";

/** The simulate() options of `scm sgd` besides the setting. */
export const SGD_OPTIONS = ["learningRate", "learningRateSchedule", "etaMax", "alphaMax", "samples", "alphas", "d", "runs", "seed", "batch", "trainingSetSize", "threads", "testInputs", "divergenceBound", "matching", "perRun"] as const;

/** simulate() options from the parsed values (the API applies defaults to what is not given). */
export function simulationOptions(values: Record<string, unknown>, names: readonly string[] = SGD_OPTIONS): SimulateOptions {
  const o: Record<string, unknown> = { ...settingFromValues(values) };
  for (const n of names) if (values[n] !== undefined) o[n] = values[n];
  return o as SimulateOptions;
}

type Column = { name: string; get: (Q: number[][], R: number[][], v: number[]) => number };

/** Q, R and (trained) v columns. */
function unitColumns(K: number, M: number, trainedV: boolean): Column[] {
  const c: Column[] = [];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) c.push({ name: `Q_${i + 1}${k + 1}`, get: (Q) => Q[i][k] });
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) c.push({ name: `R_${i + 1}${n + 1}`, get: (_, R) => R[i][n] });
  if (trainedV) for (let i = 0; i < K; i++) c.push({ name: `v_${i + 1}`, get: (_, __, v) => v[i] });
  return c;
}

/** The error columns besides eg: egTest, egTraining, egNoisy when present. */
function errorColumns(r: SimulationResult): { name: string; m: MeanStdArrays }[] {
  const c: { name: string; m: MeanStdArrays }[] = [];
  if (r.egTest) c.push({ name: "egTest", m: r.egTest });
  if (r.egTraining) c.push({ name: "egTraining", m: r.egTraining });
  if (r.options.noise > 0) c.push({ name: "egNoisy", m: r.egNoisy });
  return c;
}
type MeanStdArrays = { mean: Float64Array; std: Float64Array };

export function simulationCsv(r: SimulationResult): string {
  const { K, M } = r.options;
  const cols = unitColumns(K, M, r.options.trainSecondLayer);
  const errs = errorColumns(r);
  const scheduled = r.options.learningRateSchedule !== "constant";
  const header = ["alpha", "eg_mean", "eg_std", ...errs.flatMap((e) => [`${e.name}_mean`, `${e.name}_std`]), ...cols.flatMap((c) => [`${c.name}_mean`, `${c.name}_std`]), ...(scheduled ? ["eta_mean", "eta_std"] : [])];
  const lines = [header.join(",")];
  for (let s = 0; s < r.eg.mean.length; s++) {
    const row = [r.alpha[s], r.eg.mean[s], r.eg.std[s], ...errs.flatMap((e) => [e.m.mean[s], e.m.std[s]])];
    for (const c of cols) row.push(c.get(r.Q.mean[s], r.R.mean[s], r.v.mean[s]), c.get(r.Q.std[s], r.R.std[s], r.v.std[s]));
    if (scheduled) row.push(r.eta.mean[s], r.eta.std[s]);
    lines.push(row.map(String).join(","));
  }
  return lines.join("\n") + "\n";
}

export function simulationTable(r: SimulationResult, every: number): string {
  const { K, M } = r.options;
  const n = r.stats.runs - r.stats.divergedRuns;
  const cols = unitColumns(K, M, r.options.trainSecondLayer);
  const errs = errorColumns(r);
  const scheduled = r.options.learningRateSchedule !== "constant";
  const header = ["alpha", "eg", ...errs.map((e) => e.name), ...cols.map((c) => c.name), ...(scheduled ? ["eta"] : [])];
  const rows: string[][] = [];
  for (let s = 0; s < r.eg.mean.length; s++) {
    if (s % every !== 0 && s !== r.eg.mean.length - 1) continue;
    rows.push([
      String(+r.alpha[s].toPrecision(10)),
      meanPlusMinus(r.eg.mean[s], r.eg.std[s], n),
      ...errs.map((e) => meanPlusMinus(e.m.mean[s], e.m.std[s], n)),
      ...cols.map((c) => meanPlusMinus(c.get(r.Q.mean[s], r.R.mean[s], r.v.mean[s]), c.get(r.Q.std[s], r.R.std[s], r.v.std[s]), n)),
      ...(scheduled ? [r.eta.std[s] === 0 ? formatVerified(r.eta.mean[s], undefined) : meanPlusMinus(r.eta.mean[s], r.eta.std[s], n)] : []),
    ]);
  }
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(width[j])).join("  ");
  return `# mean ± standard deviation over ${n} runs; means to the digits of their standard error\n` + [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function renderSimulation(r: SimulationResult, format: Format, every: number): string {
  if (format === "json") return simulationJson(r) + "\n";
  if (format === "csv") return simulationCsv(r);
  return simulationTable(r, every);
}

export async function runSgd(ctx: Context): Promise<number> {
  const options = simulationOptions(ctx.args.values);
  const every = ctx.get<number>("every");
  const r = await simulate({ ...options, ...ctx.control("SGD runs", "runs") });
  ctx.emit((f) => renderSimulation(r, f, every));
  ctx.io.stderr(`status: ${r.status}: ${r.message} (${r.stats.threads} threads, ${(r.stats.stepsPerSecond / 1e3).toFixed(0)}k steps/s, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}
