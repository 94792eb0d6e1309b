// Figure of `scm optimal-lr-demo`: test loss against step for the optimal step and each fixed
// rate (log scale), and the optimal step chosen at each step. Vega-Lite, rendered to SVG by Vega.
import type { DemoRun } from "./optimalLr";

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function demoSpec(runs: DemoRun[]): Record<string, unknown> {
  const loss: { step: number; run: string; loss: number }[] = [];
  for (const { label, result } of runs) result.testLoss.forEach((l, s) => l > 0 && Number.isFinite(l) && loss.push({ step: s, run: label, loss: l }));
  const rate = Array.from(runs[0].result.learningRates, (a, s) => ({ step: s, rate: a })).filter((r) => r.rate > 0);
  const o = runs[0].result.options;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Optimal step [L] against fixed learning rates", subtitle: `single-layer ${o.activation} network, teacher data, n0 = ${o.n0}, n1 = ${o.n1}, batch ${o.batchSize}, seed ${o.seed}` },
    hconcat: [
      {
        width: 360, height: 260, data: { values: loss },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step" },
          y: { field: "loss", type: "quantitative", title: "test loss", scale: { type: "log" } },
          color: { field: "run", type: "nominal", title: null, sort: runs.map((r) => r.label), legend: { orient: "top" } },
        },
      },
      {
        width: 260, height: 260, data: { values: rate },
        mark: { type: "point", size: 12, filled: true },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step" },
          y: { field: "rate", type: "quantitative", title: "optimal step a* of the batch", scale: { type: "log" } },
        },
      },
    ],
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

export function demoSvg(runs: DemoRun[]): Promise<string> {
  return renderSvg(demoSpec(runs));
}
