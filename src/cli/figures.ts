// SVG figures of the fixed-point commands (Vega-Lite rendered by Vega without a browser,
// loaded only when --plot is given, as in plot.ts).
import type { BranchResult, EtaSweepResult } from "../index";

async function svgOf(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const panel = (title: string, rows: Record<string, unknown>[], x: string, xTitle: string, log: boolean) => ({
  width: 300,
  height: 230,
  data: { values: rows },
  mark: { type: "line", strokeWidth: 1.5 },
  encoding: {
    x: { field: x, type: "quantitative", title: xTitle },
    y: { field: "value", type: "quantitative", title, scale: log ? { type: "log" } : { zero: false } },
    color: { field: "series", type: "nominal", title: null, legend: { orient: "top" } },
  },
});

/** [E] Fig. 2b: the branch's coordinates and eps_g against the parameter, folds marked. */
export function branchSvg(b: BranchResult): Promise<string> {
  const { K, M } = { K: b.Q[0].length, M: b.R[0][0].length };
  const qa: Record<string, unknown>[] = [], ra: Record<string, unknown>[] = [], ea: Record<string, unknown>[] = [];
  b.values.forEach((p, s) => {
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) qa.push({ p, s, series: `Q${i + 1}${k + 1}`, value: b.Q[s][i][k] });
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) ra.push({ p, s, series: `R${i + 1}${n + 1}`, value: b.R[s][i][n] });
    ea.push({ p, s, series: "ε_g", value: b.eg[s] });
  });
  const order = (v: ReturnType<typeof panel>) => ({ ...v, encoding: { ...v.encoding, order: { field: "s" } } });
  const x = b.parameter === "eta" ? "η" : b.parameter;
  return svgOf({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Fixed-point branch against ${x}`, subtitle: b.folds.length ? `fold (saddle-node) at ${x} = ${b.folds.map((f) => f.value.toPrecision(10)).join(", ")}` : "no fold in range" },
    hconcat: [order(panel("Q", qa, "p", x, false)), order(panel("R", ra, "p", x, false)), order(panel("ε_g", ea, "p", x, false))],
    resolve: { scale: { color: "independent" } },
    config: { font: "sans-serif", view: { stroke: "#888" } },
  });
}

/** [E] Fig. 2a: eps_g(alpha) for several learning rates (log axis). */
export function sweepSvg(r: EtaSweepResult): Promise<string> {
  const rows: Record<string, unknown>[] = [];
  r.curves.forEach((c, j) => c.alpha.forEach((a, s) => {
    if (c.eg[s] > 1e-8) rows.push({ alpha: a, series: `η = ${r.learningRates[j]}`, value: c.eg[s] });
  }));
  return svgOf({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Learning curves for several learning rates", subtitle: "ODE (d → ∞); ε_g shown above 1e-8" },
    ...panel("ε_g", rows, "alpha", "α", true),
    config: { font: "sans-serif", view: { stroke: "#888" } },
  });
}
