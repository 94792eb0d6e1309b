// `scm ode-symmetric`, `scm plateau`, `scm eta-limits`: large networks in the site-symmetric
// setting K = M, T = t I, equal output weights (docs/theory.md section 11).
import { etaLimits, integrateSymmetric, plateau, type EtaLimitsOptions, type EtaLimitsResult, type IntegrateSymmetricOptions, type PlateauOptions } from "../api";
import { symmetricErrorEstimate } from "../symmetric/errorEstimate";
import { apiOptionsOf } from "../options/commands";
import { pickValues } from "../options/setting";
import { etaLimitsCsvAll, etaLimitsSpec, etaLimitsTable, plateauTable, symmetricCsv, symmetricJson, symmetricTable, symmetricTrajectorySpec } from "../report/symmetric";
import { withControl } from "../text/progress";
import type { Context } from "./context";
import { renderSvg } from "./optimalLrPlot";

/** The API options of a command from its parsed values (the API applies its defaults to the rest). */
export const apiValues = (command: string, values: Record<string, unknown>) => pickValues(values, apiOptionsOf(command).map((o) => o.name));

export async function runOdeSymmetric(ctx: Context): Promise<number> {
  const o = apiValues("ode-symmetric", ctx.args.values) as IntegrateSymmetricOptions;
  const r = integrateSymmetric(withControl(o, ctx.control("site-symmetric ODE", "alpha")));
  const every = ctx.get<number>("every");
  // the table's digits need a rerun: made once, only when a table is written
  let errors: ReturnType<typeof symmetricErrorEstimate> | null | undefined;
  const estimate = () => (errors === undefined ? (errors = ctx.get<boolean>("errorEstimate") && r.alpha.length > 0 ? symmetricErrorEstimate(r) : null) : errors);
  ctx.emit((f) => (f === "json" ? symmetricJson(r) + "\n" : f === "csv" ? symmetricCsv(r) : symmetricTable(r, estimate(), every)));
  const plot = ctx.given<string>("plot");
  if (plot) {
    ctx.writeFile("plot", plot, await renderSvg(symmetricTrajectorySpec(r)));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  ctx.io.stderr(`status: ${r.status}: ${r.message} (${r.stats.steps} steps, ${r.stats.rhsEvaluations} right-hand sides, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

export function runPlateau(ctx: Context): number {
  const o = apiValues("plateau", ctx.args.values) as PlateauOptions;
  const p = plateau(withControl(o, ctx.control("plateau")));
  ctx.emit((f) => (f === "json" ? JSON.stringify(p) + "\n" : plateauTable(p)));
  ctx.io.stderr(`${p.status}: ${p.message} (${p.stats.rhsEvaluations} right-hand sides, ${p.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return p.status === "found" ? 0 : 1;
}

/** etaLimits() options, one per activation given. */
export function etaLimitsRuns(values: Record<string, unknown>): EtaLimitsOptions[] {
  const { activation, ...rest } = apiValues("eta-limits", values);
  const list = (activation as EtaLimitsOptions["activation"][] | undefined) ?? [undefined];
  return list.map((a) => ({ ...rest, ...(a === undefined ? {} : { activation: a }) }) as EtaLimitsOptions);
}

export async function runEtaLimits(ctx: Context): Promise<number> {
  const control = ctx.control("eta limits", "values of K");
  const results: EtaLimitsResult[] = etaLimitsRuns(ctx.args.values).map((o) => etaLimits(withControl(o, control)));
  ctx.emit((f) => (f === "json" ? JSON.stringify(results.length === 1 ? results[0] : results) + "\n" : f === "csv" ? etaLimitsCsvAll(results) : etaLimitsTable(results)));
  const plot = ctx.given<string>("plot");
  if (plot) {
    ctx.writeFile("plot", plot, await renderSvg(etaLimitsSpec(results)));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  for (const r of results) ctx.io.stderr(`${r.options.activation}: ${r.rows.length} values of K in ${(r.stats.wallTimeMs / 1000).toFixed(1)} s (${r.stats.rhsEvaluations} reduced right-hand sides)${r.status === "completed" ? "" : `; ${r.status}: ${r.message}`}\n`);
  return 0;
}
