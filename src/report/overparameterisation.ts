// The over-parameterisation figure (Vega-Lite spec), its CSV and its table (docs/theory.md
// section 9), shared by the CLI (rendered to SVG there) and the web page. Runtime-neutral.
import type { OverparameterisationResult } from "../api";
import { CONFIG, SCHEMA } from "./fixedPoints";
import { meanPlusMinus } from "../text/digits";

const LAYERS = { first: "first layer only", both: "both layers" } as const;

/** Final eps_g against L, one panel per activation, a line per variant; SGD means with their standard errors as points. */
export function overparameterisationSpec(r: OverparameterisationResult): Record<string, unknown> {
  const rows = r.points.map((p) => ({ L: p.L, value: p.eg, series: LAYERS[p.layers], activation: p.activation, status: p.status }));
  const sims = r.points.filter((p) => p.simulation).map((p) => ({
    L: p.L, series: LAYERS[p.layers], activation: p.activation,
    mean: p.simulation!.eg.mean, lo: p.simulation!.eg.mean - p.simulation!.eg.standardError, hi: p.simulation!.eg.mean + p.simulation!.eg.standardError,
  }));
  const o = r.options;
  const panel = (activation: string) => {
    const x = { field: "L", type: "quantitative", title: `L = K − M (M = ${o.M})`, axis: { tickMinStep: 1 } };
    const y = { field: "value", type: "quantitative", title: "final ε_g", scale: { type: "log" } };
    const color = { field: "series", type: "nominal", title: null, legend: { orient: "top" } };
    const layer: Record<string, unknown>[] = [
      { data: { values: rows.filter((x) => x.activation === activation) }, mark: { type: "line", point: true, strokeWidth: 1.5 }, encoding: { x, y, color, shape: { field: "status", type: "nominal", title: "ODE", legend: { orient: "bottom" } } } },
    ];
    if (sims.length) {
      const s = sims.filter((x) => x.activation === activation);
      layer.push({ data: { values: s }, mark: { type: "rule" }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color } });
      layer.push({ data: { values: s }, mark: { type: "point", shape: "diamond", filled: true, size: 40 }, encoding: { x, y: { ...y, field: "mean" }, color } });
    }
    return { title: activation, width: 300, height: 240, layer };
  };
  const activations = [...new Set(r.points.map((p) => p.activation))];
  return {
    $schema: SCHEMA,
    title: {
      text: "Final generalisation error of over-parameterised students (K = M + L) with label noise",
      subtitle: `ODE (d → ∞), η = ${o.learningRate}, σ = ${o.noise}, T = I, v* = 1; each point where the ODE converged (max |du/dα| < ${o.convergenceTolerance}) or at α = ${o.alphaMax} (status "completed")${sims.length ? `; diamonds: ${o.runs} SGD runs at d = ${o.d} to α = ${o.simulationAlpha} (± 1 standard error)` : ""}`,
    },
    hconcat: activations.map(panel),
    resolve: { scale: { y: "independent" } },
    config: CONFIG,
  };
}

/** One row per point. */
export function overparameterisationCsv(r: OverparameterisationResult): string {
  const header = ["activation", "layers", "L", "K", "eg", "egNoisy", "status", "alphaReached", "steps", "lastDecadeChange", "sim_alpha", "sim_eg_mean", "sim_eg_se", "sim_ode_eg", "sim_deviation"];
  const lines = [header.join(",")];
  for (const p of r.points) {
    const s = p.simulation;
    lines.push([p.activation, p.layers, p.L, p.K, p.eg, p.egNoisy, p.status, p.alphaReached, p.steps, p.lastDecadeChange, s?.alpha ?? "", s?.eg.mean ?? "", s?.eg.standardError ?? "", s?.odeEg ?? "", s?.deviation ?? ""].map(String).join(","));
  }
  return lines.join("\n") + "\n";
}

/**
 * The table: eps_g to 4 significant digits (the adaptive integrator's tolerance, rtol 1e-7, leaves
 * the 4th digit unchanged when it is tightened 100-fold, bench/RESULTS.md), the status and alpha.
 */
export function overparameterisationTable(r: OverparameterisationResult): string {
  const head = ["activation", "layers", "L", "K", "eps_g", "status", "alpha", "last decade", ...(r.options.simulate ? ["SGD eps_g", "(SGD - ODE)/SE"] : [])];
  const rows = r.points.map((p) => [
    p.activation, LAYERS[p.layers], String(p.L), String(p.K), p.eg.toPrecision(4), p.status, String(+p.alphaReached.toPrecision(4)), `${(100 * p.lastDecadeChange).toFixed(1)} %`,
    ...(p.simulation ? [meanPlusMinus(p.simulation.eg.mean, p.simulation.eg.std, p.simulation.runs), p.simulation.deviation.toFixed(1)] : r.options.simulate ? ["-", "-"] : []),
  ]);
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (c: string[]) => c.map((x, j) => x.padStart(w[j])).join("  ");
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}
