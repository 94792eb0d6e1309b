// Figure of `scm optimal-lr-demo` (spec in src/report/optimalLr.ts), rendered to SVG by Vega.
import { demoSpec, type DemoRun } from "../report/optimalLr";

export { demoSpec };

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function demoSvg(runs: DemoRun[]): Promise<string> {
  return renderSvg(demoSpec(runs));
}
