// The three-panel figure of [E] Fig. 1 (Q, R, eps_g against alpha): simulation mean with a
// band of one standard deviation, ODE dashed. Drawn by Vega-Lite, rendered to SVG by Vega
// without a browser. Loaded lazily: only `--plot` and the figure job need it.
import { integrationErrorEstimate, type Comparison } from "../index";
import { renderSvg } from "./svg";

/**
 * ODE eps_g samples up to the first whose half-step-rerun error estimate exceeds 10% of the
 * value: near a perfect student the right-hand side's rounding (not the step) sets a floor
 * that both runs share, so later samples that happen to agree are not evidence either.
 */
export function verifiedEg(c: Comparison): ((sample: number) => boolean) & { error: Float64Array } {
  const est = integrationErrorEstimate(c.ode);
  let last = -1;
  while (last + 1 < est.eg.length && est.eg[last + 1] < 0.1 * Math.abs(c.ode.eg[last + 1])) last++;
  return Object.assign((s: number) => s <= last, { error: est.eg });
}

interface Row {
  alpha: number;
  series: string;
  source: string;
  mean: number;
  lo?: number;
  hi?: number;
}

/** Which ODE samples to draw (default all): e.g. eps_g only where a half-step rerun confirms it. */
export interface FigureOptions {
  odeEgShown?: (sample: number) => boolean;
}

function panelRows(c: Comparison, pick: (Q: number[][], R: number[][], eg: number) => [string, number][], stdPick: (Q: number[][], R: number[][], eg: number) => number[], positive: boolean, shown: (s: number) => boolean = () => true): Row[] {
  const rows: Row[] = [];
  const sim = c.simulation;
  for (let s = 0; s < c.alpha.length; s++) {
    const means = pick(sim.Q.mean[s], sim.R.mean[s], sim.eg.mean[s]);
    const stds = stdPick(sim.Q.std[s], sim.R.std[s], sim.eg.std[s]);
    means.forEach(([series, m], j) => {
      let lo = m - stds[j];
      // a log axis cannot show lo <= 0: clip the band there at mean / 10
      if (positive && !(lo > 0)) lo = m / 10;
      if (!positive || m > 0) rows.push({ alpha: c.alpha[s], series, source: "simulation", mean: m, lo, hi: m + stds[j] });
    });
  }
  const odeRows = (o: Comparison["ode"], source: string, keep: (s: number) => boolean) => {
    for (let s = 0; s < o.alpha.length; s++)
      if (keep(s)) for (const [series, m] of pick(o.Q[s], o.R[s], o.eg[s])) if (!positive || m > 0) rows.push({ alpha: o.alpha[s], series, source, mean: m });
  };
  odeRows(c.ode, "ODE", shown);
  if (c.restart) odeRows(c.restart.ode, `ODE from simulation at alpha = ${c.restart.alpha}`, () => true);
  return rows;
}

export function figureSpec(c: Comparison, title: string, opts: FigureOptions = {}): Record<string, unknown> {
  const { K, M } = c.simulation.options;
  const qs: [number, number][] = [], rs: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) qs.push([i, k]);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) rs.push([i, n]);
  // line style by source, with its own legend (solid: the runs' mean, dashed: the ODE)
  const sources = ["simulation", "ODE", ...(c.restart ? [`ODE from simulation at alpha = ${c.restart.alpha}`] : [])];
  const dash = {
    field: "source", type: "nominal", title: null,
    scale: { domain: sources, range: [[1, 0], [6, 4], [2, 2]].slice(0, sources.length) },
    legend: { orient: "top", symbolType: "stroke", labelExpr: "datum.label == 'simulation' ? 'SGD mean (band ±1 std)' : datum.label == 'ODE' ? 'ODE (d → ∞)' : replace(datum.label, 'alpha', 'α')" },
  };
  const panel = (name: string, rows: Row[], log: boolean) => {
    const x = { field: "alpha", type: "quantitative", title: "α" };
    const y = { field: "mean", type: "quantitative", title: name, scale: log ? { type: "log" } : { zero: false } };
    const color = { field: "series", type: "nominal", title: null, legend: { orient: "top" } };
    return {
      width: 280,
      height: 220,
      data: { values: rows },
      layer: [
        { transform: [{ filter: "datum.source == 'simulation'" }], mark: { type: "area", opacity: 0.18 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color } },
        { transform: [{ filter: "datum.source == 'simulation'" }], mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y, color, strokeDash: dash } },
        { transform: [{ filter: "datum.source != 'simulation'" }], mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y, color, strokeDash: dash, detail: { field: "source" } } },
      ],
    };
  };
  const sim = c.simulation;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: `${c.runsAveraged} SGD runs at d = ${sim.options.d}${opts.odeEgShown ? "; the ODE's ε_g drawn up to where a half-step rerun stops confirming it to 10%" : ""}${c.restart ? `; dotted: the ODE restarted from the simulation's mean at α = ${c.restart.alpha}` : ""}` },
    hconcat: [
      panel("Q", panelRows(c, (Q) => qs.map(([i, k]) => [`Q${i + 1}${k + 1}`, Q[i][k]]), (Q) => qs.map(([i, k]) => Q[i][k]), false), false),
      panel("R", panelRows(c, (_, R) => rs.map(([i, n]) => [`R${i + 1}${n + 1}`, R[i][n]]), (_, R) => rs.map(([i, n]) => R[i][n]), false), false),
      panel("ε_g", panelRows(c, (_, __, eg) => [["ε_g", eg]], (_, __, eg) => [eg], true, opts.odeEgShown), true),
    ],
    resolve: { scale: { color: "independent", strokeDash: "shared" }, legend: { strokeDash: "shared" } },
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

/** SVG text of the figure. */
export async function figureSvg(c: Comparison, title: string, opts: FigureOptions = {}): Promise<string> {
  return renderSvg(figureSpec(c, title, opts));
}
