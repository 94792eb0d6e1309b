// `scm overparameterisation`: the final eps_g of over-parameterised students against L, first
// layer only and both layers (docs/theory.md section 9), as a table, JSON, CSV and a figure.
import { overparameterisation, type Activation } from "../index";
import { overparameterisationCsv, overparameterisationSpec, overparameterisationTable } from "../report/overparameterisation";
import type { Context } from "./context";
import { renderSvg } from "./optimalLrPlot";

export async function runOverparameterisation(ctx: Context): Promise<number> {
  const activations = ctx.get<string>("activations").split(",") as Activation[];
  const r = overparameterisation({
    activations,
    ...ctx.pick(["M", "L", "learningRate", "learningRate2", "noise", "alphaMax", "convergenceTolerance", "rtol", "seed", "simulate", "d", "runs", "simulationAlpha"]),
    ...ctx.control("over-parameterisation", "points"),
  });
  ctx.emit((f) => (f === "json" ? JSON.stringify(r) + "\n" : f === "csv" ? overparameterisationCsv(r) : overparameterisationTable(r)));
  const plot = ctx.given<string>("plot");
  if (plot) ctx.writeFile("plot", plot, await renderSvg(overparameterisationSpec(r)));
  ctx.io.stderr(`status: ${r.status}: ${r.message} (${(r.stats.wallTimeMs / 1000).toFixed(1)} s)\n`);
  return r.points.length > 0 ? 0 : 1;
}
