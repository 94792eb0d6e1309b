// Figures of `scm popgrad` and `scm popgrad-check` (specs in src/report/popgrad.ts), rendered to SVG by Vega.
import { renderSvg } from "./optimalLrPlot";
import type { SampledGradientCheck } from "../index";
import { popgradSpec, sampledCheckSpec, type PopgradRun } from "../report/popgrad";

export { popgradSpec, sampledCheckSpec };

export function popgradSvg(r: PopgradRun): Promise<string> {
  return renderSvg(popgradSpec(r));
}

export function sampledCheckSvg(r: SampledGradientCheck): Promise<string> {
  return renderSvg(sampledCheckSpec(r));
}
