// Figure of `scm optimal-lr-demo` (spec in src/report/optimalLr.ts), rendered to SVG by Vega.
import { demoSpec, type DemoRun } from "../report/optimalLr";
import { renderSvg } from "./svg";

export { demoSpec };

export { renderSvg };

export function demoSvg(runs: DemoRun[]): Promise<string> {
  return renderSvg(demoSpec(runs));
}
