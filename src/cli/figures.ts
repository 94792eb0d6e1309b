// SVG figures of the fixed-point commands (Vega-Lite specs from src/report, rendered by Vega
// without a browser, loaded only when --plot is given, as in plot.ts).
import type { BranchResult, EtaSweepResult } from "../index";
import { branchSpec, sweepSpec } from "../report/fixedPoints";
import { renderSvg } from "./optimalLrPlot";

/** [E] Fig. 2b: the branch's coordinates and eps_g against the parameter, folds marked. */
export function branchSvg(b: BranchResult): Promise<string> {
  return renderSvg(branchSpec(b));
}

/** [E] Fig. 2a: eps_g(alpha) for several learning rates (log axis). */
export function sweepSvg(r: EtaSweepResult): Promise<string> {
  return renderSvg(sweepSpec(r));
}
