// The learning-rate schedules view (docs/theory.md section 12): the optimal piecewise-constant
// schedule of the ODE over a horizon next to the greedy schedule and the best constant rate, as
// `scm optimal-schedule`: eps_g along the three (log scale) and the schedules eta(alpha).
import { optimalSchedule, ready, type OptimalScheduleOptions, type OptimalScheduleResult } from "../../index";
import { formField } from "../../options/form";
import * as S from "../../options/catalog/schedules";
import { scheduleCsv, scheduleJson, scheduleSpec, showGain, showValue, objectiveText } from "../../report/schedules";
import { withControl } from "../../text/progress";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { averagesFields, parseAverages, parseSetting, read, settingFields } from "./setting";

const GROUP = "Schedule";

const fields: Field[] = [
  ...settingFields,
  formField(S.horizon, { group: GROUP, id: "alphaMax" }),
  formField(S.intervals, { group: GROUP, value: "20" }),
  formField(S.objective, { group: GROUP }),
  formField(S.scheduleEtaMax, { group: GROUP }),
  formField(S.scheduleStep, { group: GROUP, id: "step", value: "0.1" }),
  formField(S.maxIterations, { group: GROUP, value: "40", label: "quasi-Newton iterations at most" }),
  ...averagesFields("Numerics"),
];

function parse(v: Values): OptimalScheduleOptions {
  const n = (id: string) => read<number>(fields, v, id);
  return {
    ...parseSetting(v, fields),
    alphaMax: n("alphaMax"),
    intervals: n("intervals"),
    objective: read<OptimalScheduleOptions["objective"]>(fields, v, "objective"),
    etaMax: n("etaMax"),
    step: n("step"),
    maxIterations: n("maxIterations"),
    ...parseAverages(v, fields),
  };
}

async function compute(p: OptimalScheduleOptions, ctx: ComputeContext): Promise<OptimalScheduleResult> {
  await ready();
  ctx.progress({ label: "best constant rate, greedy schedule, then the optimisation" });
  return optimalSchedule(withControl(p, { onProgress: ctx.listener("optimal schedule", "iterations") }));
}

function tables(r: OptimalScheduleResult): Table[] {
  const rows = ([["optimal", r.optimal], ["greedy", r.greedy], [`best constant, η = ${r.constant.learningRate!.toPrecision(4)}`, r.constant]] as const).map(([label, o]) => [label, showValue(o), o.discretisationError.toExponential(1), o === r.optimal ? "1" : showGain(o.value / r.optimal.value)]);
  return [
    {
      caption: `${objectiveText(r)} for each schedule, with the digits a half-step rerun confirms (RK4, step ${r.options.step}); ${r.greedy.report?.stall.detected ? "greedy stalled: " + r.greedy.report.stall.message : "greedy did not stall"}`,
      header: ["schedule", objectiveText(r), "discretisation error", "times the optimum"],
      rows,
    },
    {
      caption: `Optimal rate per interval (3 digits; ${r.iterations} quasi-Newton iterations, ${r.converged ? "converged" : "not converged"}, projected gradient of ln Φ ${r.gradientNorm.toExponential(1)}, started from ${r.start})`,
      header: ["from α", "to α", "η"],
      rows: r.eta.map((v, j) => [String(+r.bounds[j].toPrecision(6)), String(+r.bounds[j + 1].toPrecision(6)), v.toPrecision(3)]),
    },
  ];
}

export const schedules: ViewDefinition<OptimalScheduleOptions, OptimalScheduleResult> = {
  id: "schedules",
  title: "Learning-rate schedules",
  description: "The learning-rate schedule η(α), constant on equal intervals, that minimises ε_g at the horizon (or its integral) in the order-parameter ODE, found with exact gradients (the discrete adjoint of RK4) by a projected quasi-Newton method, next to the greedy (locally optimal, myopic) schedule and the best constant rate (docs/theory.md section 12).",
  fields,
  parse,
  compute,
  figure: scheduleSpec,
  table: tables,
  summary: (r) => `${r.message} (${(r.stats.wallTimeMs / 1000).toFixed(1)} s)`,
  csv: scheduleCsv,
  json: (r) => scheduleJson(r),
  explain: {
    text: [
      "A learning-rate schedule η(α) changes the learning curve ε_g(α) of the order-parameter ODE. Here η is constant on equal intervals of [0, α_end], and the rates that make ε_g at the horizon (or its integral) smallest are found with exact gradients (the discrete adjoint of RK4) by a projected quasi-Newton method.",
      "The greedy rate minimises dε_g/dα at every instant. It is myopic: on the plateau it shrinks towards 0 and the student never specialises. In the reference setting the optimal schedule starts low, keeps η near 1 through the plateau and anneals at the end.",
    ],
    theory: [
      { title: "schedules and optimal rates", anchor: "12-learning-rate-schedules-and-optimal-rates-of-the-ode" },
      { title: "the greedy rate is myopic", anchor: "122-the-greedy-rate-is-myopic" },
      { title: "discrete adjoint and quasi-Newton", anchor: "123-the-optimal-schedule-discrete-adjoint-and-projected-quasi-newton" },
    ],
  },
};
