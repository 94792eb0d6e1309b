// Renderings of an optimal learning-rate schedule (`scm optimal-schedule`, the page's schedules
// view): the figure (eps_g along the optimal, greedy and best constant schedules, and the
// schedules themselves), JSON, CSV and a table with verified digits. Runtime-neutral.
import type { OptimalScheduleResult, ScheduleOutcome } from "../schedules/optimalSchedule";
import { formatVerified } from "../text/digits";

const LABELS = ["optimal", "greedy", "best constant"] as const;

function outcomes(r: OptimalScheduleResult): [string, ScheduleOutcome][] {
  return [[LABELS[0], r.optimal], [LABELS[1], r.greedy], [`${LABELS[2]} η = ${formatVerified(r.constant.learningRate!, 1e-7 * r.constant.learningRate!, 4)}`, r.constant]];
}

/** What is minimised, in words. */
export function objectiveText(r: OptimalScheduleResult): string {
  return r.options.objective === "final" ? `ε_g(${r.options.alphaMax})` : `∫ε_g dα over [0, ${r.options.alphaMax}]`;
}

/** A value of the objective with the digits its discretisation error supports (at most 6). */
export const showValue = (o: ScheduleOutcome) => (Number.isFinite(o.value) ? formatVerified(o.value, o.discretisationError > 0 ? o.discretisationError : 1e-15 * Math.abs(o.value), 6) : "diverged");

/** Gains to 3 digits (the values behind them are known to more). */
export const showGain = (g: number) => (Number.isFinite(g) ? (g >= 1e4 ? g.toExponential(2) : g.toPrecision(3)) : "∞");

export function scheduleSpec(r: OptimalScheduleResult): Record<string, unknown> {
  const eg: { alpha: number; schedule: string; eg: number }[] = [];
  const eta: { alpha: number; schedule: string; eta: number }[] = [];
  const order = outcomes(r).map(([label]) => label);
  for (const [label, o] of outcomes(r)) {
    o.curve.alpha.forEach((a, s) => {
      if (o.curve.eg[s] > 0) eg.push({ alpha: a, schedule: label, eg: o.curve.eg[s] });
      eta.push({ alpha: a, schedule: label, eta: o.curve.eta[s] });
    });
  }
  // the optimal rates as steps (right-continuous): two points per interval
  const steps: { alpha: number; schedule: string; eta: number }[] = [];
  r.eta.forEach((v, j) => steps.push({ alpha: r.bounds[j], schedule: order[0], eta: v }, { alpha: r.bounds[j + 1], schedule: order[0], eta: v }));
  const o = r.options;
  const color = { field: "schedule", type: "nominal", title: null, sort: order, legend: { orient: "top", labelLimit: 400 } };
  const x = { field: "alpha", type: "quantitative", title: "α" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Learning-rate schedules minimising ${objectiveText(r)}`,
      subtitle: `${o.activation}${o.teacherActivation !== o.activation ? "/" + o.teacherActivation : ""}, K = ${o.K}, M = ${o.M}, ${o.intervals} intervals, η ≤ ${o.etaMax}, RK4 step ${o.step}; optimal ${showValue(r.optimal)}: ${showGain(r.gains.overConstant)}× below the best constant rate, ${showGain(r.gains.overGreedy)}× below greedy`,
    },
    hconcat: [
      { width: 340, height: 260, data: { values: eg }, mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "eg", type: "quantitative", title: "ε_g", scale: { type: "log" } }, color } },
      {
        width: 300, height: 260,
        layer: [
          { data: { values: eta.filter((p) => p.schedule !== order[0]) }, mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "eta", type: "quantitative", title: "η(α)" }, color } },
          { data: { values: steps }, mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "eta", type: "quantitative" }, color } },
        ],
      },
    ],
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

const arr = (a: ArrayLike<number>) => Array.from(a);

/** The JSON of `scm optimal-schedule --format json`. */
export function scheduleJson(r: OptimalScheduleResult): string {
  const outcome = (o: ScheduleOutcome) => ({ ...o, curve: { alpha: arr(o.curve.alpha), eg: arr(o.curve.eg), eta: arr(o.curve.eta), status: o.curve.status } });
  return JSON.stringify({ ...r, optimal: outcome(r.optimal), greedy: outcome(r.greedy), constant: outcome(r.constant) });
}

/** CSV: one row per sample, eps_g and eta of each schedule. */
export function scheduleCsv(r: OptimalScheduleResult): string {
  const lines = ["alpha,eg_optimal,eta_optimal,eg_greedy,eta_greedy,eg_constant,eta_constant"];
  const { alpha } = r.optimal.curve;
  for (let s = 0; s < alpha.length; s++) {
    const cell = (o: ScheduleOutcome, k: "eg" | "eta") => (s < o.curve[k].length ? String(o.curve[k][s]) : "");
    lines.push([alpha[s], cell(r.optimal, "eg"), cell(r.optimal, "eta"), cell(r.greedy, "eg"), cell(r.greedy, "eta"), cell(r.constant, "eg"), cell(r.constant, "eta")].join(","));
  }
  return lines.join("\n") + "\n";
}

/** The summary table and the optimal rate of every interval. */
export function scheduleTable(r: OptimalScheduleResult): string {
  const rows = outcomes(r).map(([label, o]) => [label, showValue(o), o.discretisationError > 0 ? o.discretisationError.toExponential(1) : "0", label === LABELS[0] ? "1" : showGain(o.value / r.optimal.value)]);
  const header = ["schedule", objectiveText(r).replace("ε_g", "eps_g").replace("∫", "integral of ").replace(" dα", ""), "discretisation error", "times the optimum"];
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
  const etas = r.eta.map((v, j) => `  [${+r.bounds[j].toPrecision(6)}, ${+r.bounds[j + 1].toPrecision(6)})  ${v.toPrecision(3)}`).join("\n");
  const stall = r.greedy.report?.stall.detected ? `# greedy: ${r.greedy.report.stall.message}\n` : "";
  return [line(header), ...rows.map(line)].join("\n") + "\n" + stall +
    `# ${r.iterations} iterations, ${r.converged ? "converged" : "not converged"}, projected gradient of ln Phi ${r.gradientNorm.toExponential(2)}; started from ${r.start}; ${r.stats.gradientEvaluations} gradients, ${r.stats.objectiveEvaluations} objective evaluations, ${(r.stats.wallTimeMs / 1000).toFixed(1)} s\n` +
    `# optimal rate per interval (3 digits: the rates are known to the optimiser's tolerance, not to the last digit):\n${etas}\n`;
}
