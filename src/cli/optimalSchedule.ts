// `scm optimal-schedule`: the optimal learning-rate schedule of the ODE over a horizon, next to
// the greedy schedule and the best constant rate (docs/theory.md section 12).
import { optimalSchedule, type OptimalScheduleOptions } from "../index";
import { settingFromValues } from "../options/setting";
import { scheduleCsv, scheduleJson, scheduleTable } from "../report/schedules";
import type { Context } from "./context";

/** The optimalSchedule() options of the command besides the setting. */
export const OPTIMAL_SCHEDULE_OPTIONS = ["alphaMax", "intervals", "objective", "etaMax", "step", "initial", "maxIterations", "gradientTolerance", "samples", "method", "hermiteOrder", "divergenceBound"] as const;

export function optimalScheduleOptions(values: Record<string, unknown>): OptimalScheduleOptions {
  const o: Record<string, unknown> = { ...settingFromValues(values) };
  for (const n of OPTIMAL_SCHEDULE_OPTIONS) if (values[n] !== undefined) o[n] = values[n];
  return o as OptimalScheduleOptions;
}

export async function runOptimalSchedule(ctx: Context): Promise<number> {
  const plot = ctx.given<string>("plot");
  const r = optimalSchedule({ ...optimalScheduleOptions(ctx.args.values), ...ctx.control("optimal schedule") });
  ctx.emit((f) => (f === "json" ? scheduleJson(r) + "\n" : f === "csv" ? scheduleCsv(r) : scheduleTable(r)));
  ctx.io.stderr(`status: ${r.status}: ${r.message}\n`);
  if (r.greedy.report?.stall.detected) ctx.io.stderr(`warning: ${r.greedy.report.stall.message}\n`);
  if (plot) {
    const [{ renderSvg }, { scheduleSpec }] = await Promise.all([import("./optimalLrPlot"), import("../report/schedules")]);
    ctx.writeFile("plot", plot, await renderSvg(scheduleSpec(r)));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  return 0;
}
