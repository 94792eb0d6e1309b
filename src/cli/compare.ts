// `scm compare`: ODE against finite-d simulation on one alpha grid (docs/theory.md section 3).
import { compare, type Comparison, type CompareOptions } from "../index";
import { meanPlusMinus } from "../text/digits";
import type { Format } from "../text/odeTable";
import type { Context } from "./context";
import { figureSvg, verifiedEg } from "./plot";
import { SGD_OPTIONS, simulationOptions } from "./sgd";

const { perRun: _p, ...compareOnly } = Object.fromEntries(SGD_OPTIONS.map((n) => [n, n]));
/** compare() options besides the setting: the simulation's (no per-run data), the ODE numerics, the restart. */
export const COMPARE_OPTIONS = [...Object.keys(compareOnly), "method", "hermiteOrder", "averageTolerance", "integrator", "step", "rtol", "atol", "restartAlpha"];

export function comparisonJson(c: Comparison): string {
  const sim = c.simulation;
  const dev = (d: Comparison["deviation"]) => ({ eg: Array.from(d.eg), Q: d.Q, R: d.R, maxAbs: d.maxAbs });
  return JSON.stringify({
    alpha: Array.from(c.alpha),
    ode: { eg: Array.from(c.ode.eg), eta: Array.from(c.ode.eta), Q: c.ode.Q, R: c.ode.R, status: c.ode.status, message: c.ode.message, stats: c.ode.stats },
    simulation: { eg: { mean: Array.from(sim.eg.mean), std: Array.from(sim.eg.std) }, eta: { mean: Array.from(sim.eta.mean), std: Array.from(sim.eta.std) }, Q: sim.Q, R: sim.R, status: sim.status, message: sim.message, stats: sim.stats },
    deviation: dev(c.deviation),
    restart: c.restart ? { alpha: c.restart.alpha, ode: { alpha: Array.from(c.restart.ode.alpha), eg: Array.from(c.restart.ode.eg), Q: c.restart.ode.Q, R: c.restart.ode.R, status: c.restart.ode.status }, deviation: dev(c.restart.deviation) } : null,
    runsAveraged: c.runsAveraged,
    options: { simulation: sim.options, ode: c.ode.options },
  });
}

export function comparisonCsv(c: Comparison): string {
  const { K, M } = c.simulation.options;
  const names: string[] = [];
  for (let i = 1; i <= K; i++) for (let k = i; k <= K; k++) names.push(`Q_${i}${k}`);
  for (let i = 1; i <= K; i++) for (let n = 1; n <= M; n++) names.push(`R_${i}${n}`);
  // with restartAlpha: the restarted ODE and its deviation, empty before the restart sample
  const restart = c.restart;
  const header = ["alpha", "eg_ode", "eg_mean", "eg_std", "eg_dev", ...names.flatMap((n) => [`${n}_ode`, `${n}_mean`, `${n}_std`, `${n}_dev`]),
    ...(restart ? ["eg_restart", "eg_restart_dev", ...names.flatMap((n) => [`${n}_restart`, `${n}_restart_dev`])] : [])];
  const lines = [header.join(",")];
  const sim = c.simulation;
  for (let s = 0; s < c.alpha.length; s++) {
    const row: (number | string)[] = [c.alpha[s], c.ode.eg[s], sim.eg.mean[s], sim.eg.std[s], c.deviation.eg[s]];
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) row.push(c.ode.Q[s][i][k], sim.Q.mean[s][i][k], sim.Q.std[s][i][k], c.deviation.Q[s][i][k]);
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) row.push(c.ode.R[s][i][n], sim.R.mean[s][i][n], sim.R.std[s][i][n], c.deviation.R[s][i][n]);
    if (restart) {
      const t = s - restart.sample, has = t >= 0 && t < restart.ode.alpha.length;
      const cell = (x: () => number) => (has ? x() : "");
      row.push(cell(() => restart.ode.eg[t]), cell(() => restart.deviation.eg[t]));
      for (let i = 0; i < K; i++) for (let k = i; k < K; k++) row.push(cell(() => restart.ode.Q[t][i][k]), cell(() => restart.deviation.Q[t][i][k]));
      for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) row.push(cell(() => restart.ode.R[t][i][n]), cell(() => restart.deviation.R[t][i][n]));
    }
    lines.push(row.map(String).join(","));
  }
  return lines.join("\n") + "\n";
}

/** alpha, ODE eps_g, simulation mean +- std, deviation in standard errors (eg, max over Q, R). */
export function comparisonTable(c: Comparison, every: number): string {
  const sim = c.simulation;
  const restart = c.restart;
  const header = ["alpha", "eg ODE", "eg simulation", "dev eg", "max|dev Q|", "max|dev R|",
    ...(restart ? [`eg ODE from ${+restart.alpha.toPrecision(10)}`, "dev eg", "max|dev Q|", "max|dev R|"] : [])];
  const rows: string[][] = [];
  const maxAbs = (A: number[][]) => Math.max(...A.flat().map(Math.abs));
  for (let s = 0; s < c.alpha.length; s++) {
    if (s % every !== 0 && s !== c.alpha.length - 1 && s !== restart?.sample) continue;
    const t = restart ? s - restart.sample : -1, has = restart !== null && t >= 0 && t < restart.ode.alpha.length;
    rows.push([
      String(+c.alpha[s].toPrecision(10)),
      c.ode.eg[s].toPrecision(6),
      meanPlusMinus(sim.eg.mean[s], sim.eg.std[s], c.runsAveraged),
      c.deviation.eg[s].toFixed(1),
      maxAbs(c.deviation.Q[s]).toFixed(1),
      maxAbs(c.deviation.R[s]).toFixed(1),
      ...(restart ? (has ? [restart.ode.eg[t].toPrecision(6), restart.deviation.eg[t].toFixed(1), maxAbs(restart.deviation.Q[t]).toFixed(1), maxAbs(restart.deviation.R[t]).toFixed(1)] : ["", "", "", ""]) : []),
    ]);
  }
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((x, j) => x.padStart(width[j])).join("  ");
  return `# simulation: mean ± std of ${c.runsAveraged} runs at d = ${sim.options.d}; dev = (mean - ODE) / (std / sqrt(${c.runsAveraged}))\n` + [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function renderComparison(c: Comparison, format: Format, every: number): string {
  if (format === "json") return comparisonJson(c) + "\n";
  if (format === "csv") return comparisonCsv(c);
  return comparisonTable(c, every);
}

export async function runCompare(ctx: Context): Promise<number> {
  const options = simulationOptions(ctx.args.values, COMPARE_OPTIONS) as CompareOptions;
  const every = ctx.get<number>("every");
  const plot = ctx.given<string>("plot");
  const c = await compare({ ...options, ...ctx.control("SGD runs", "runs") });
  ctx.emit((f) => renderComparison(c, f, every));
  if (plot) {
    ctx.writeFile("plot", plot, await figureSvg(c, "ODE and simulation", { odeEgShown: verifiedEg(c) }));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  ctx.io.stderr(`ODE: ${c.ode.status}; simulation: ${c.simulation.status}: ${c.simulation.message} (${c.simulation.stats.threads} threads, ${c.simulation.stats.wallTimeMs.toFixed(0)} ms); max |deviation| eg ${c.deviation.maxAbs.eg.toFixed(1)}, Q ${c.deviation.maxAbs.Q.toFixed(1)}, R ${c.deviation.maxAbs.R.toFixed(1)} standard errors\n`);
  return 0;
}
