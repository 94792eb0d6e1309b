// The phase diagram of a sweep file (src/sweep/heatmap.ts) as a Vega-Lite heatmap, shared by
// `scm sweep plot` (SVG, PNG) and the web page's sweep view (hover shows every cell's values).
import type { Heatmap } from "../sweep/heatmap";

/** A label for an option or quantity name ("learningRate" -> "eta"). */
const NAMES: Record<string, string> = { learningRate: "η", eg: "final ε_g", "alpha-reach": "α to reach the threshold", "plateau-length": "plateau length (α)", "escape-rate": "escape rate λ", "predicted-plateau-length": "predicted plateau length (α)" };
export const axisTitle = (name: string) => NAMES[name] ?? name;

export function heatmapSpec(h: Heatmap, title?: string): Record<string, unknown> {
  const data = h.cells.map((c) => ({ x: c.x, y: c.y, z: c.z, label: c.label === "" ? "no value" : c.label }));
  const numeric = h.kind === "number";
  const cellSize = Math.max(12, Math.min(48, Math.floor(480 / Math.max(h.xs.length, h.ys.length))));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title ?? `${axisTitle(h.z)} over ${axisTitle(h.x)} and ${axisTitle(h.y)}` },
    width: cellSize * h.xs.length,
    height: cellSize * h.ys.length,
    data: { values: data },
    mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "x", type: "ordinal", sort: h.xs, title: axisTitle(h.x), axis: { labelAngle: 0, labelOverlap: true } },
      // the first y value at the bottom, as on a plot's axis
      y: { field: "y", type: "ordinal", sort: [...h.ys].reverse(), title: axisTitle(h.y) },
      color: numeric
        ? { field: "z", type: "quantitative", title: axisTitle(h.z), scale: { scheme: "viridis" } }
        : { field: "label", type: "nominal", title: axisTitle(h.z), scale: { scheme: "category10" } },
      tooltip: [
        { field: "x", type: "ordinal", title: axisTitle(h.x) },
        { field: "y", type: "ordinal", title: axisTitle(h.y) },
        { field: "label", type: "nominal", title: axisTitle(h.z) },
      ],
    },
    config: { view: { stroke: null } },
  };
}
