// Figure of `scm optimal-lr-demo` and the web page's optimal-learning-rate view: test loss against
// step for the optimal step and each fixed rate (log scale), and the optimal step chosen at each
// step. Runtime-neutral (a Vega-Lite spec; the CLI renders it to SVG in src/cli/optimalLrPlot.ts).
import type { TrainSingleLayerResult } from "../api";
import { formatVerified } from "../text/digits";

export interface DemoRun { label: string; result: TrainSingleLayerResult }

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

/**
 * How a demo's losses are printed: at most 6 significant digits, fewer where the rounding of the
 * residuals (~1e-15 of the output scale, taken from the first test loss) limits them.
 */
export function demoLossFormatter(runs: DemoRun[]): (L: number) => string {
  // a residual e = s - y carries rounding ~1e-15 of the output scale: losses below its square are not resolved
  const delta = 1e-15 * Math.max(1, Math.sqrt(2 * runs[0].result.testLoss[0]));
  return (L: number) => formatVerified(L, 2 * Math.sqrt(Math.abs(L)) * delta + delta * delta, 6);
}

/** The JSON of `scm optimal-lr-demo --format json`: every run, every step. */
export function demoJson(runs: DemoRun[]): string {
  return JSON.stringify(runs.map(({ label, result: r }) => ({ label, loss: Array.from(r.loss), testLoss: Array.from(r.testLoss), learningRates: Array.from(r.learningRates), status: r.status, message: r.message, stats: r.stats, options: r.options }))) + "\n";
}

/** The CSV of `scm optimal-lr-demo --format csv`: one row per step, a test-loss column per run, the optimal step. */
export function demoCsv(runs: DemoRun[]): string {
  const steps = Math.max(...runs.map((r) => r.result.testLoss.length));
  const lines = [["step", ...runs.map((r) => `testLoss[${r.label.replace("η = ", "eta=")}]`), "optimalRate"].join(",")];
  for (let s = 0; s < steps; s++) lines.push([s, ...runs.map((r) => (s < r.result.testLoss.length ? r.result.testLoss[s] : "")), s < runs[0].result.learningRates.length ? runs[0].result.learningRates[s] : ""].join(","));
  return lines.join("\n") + "\n";
}
