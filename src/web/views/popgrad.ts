// The population-gradient view (docs/theory.md section 7): gradient flow of the population loss of a
// two-layer ReLU network on the symmetric subspace of [T] Theorem 7, as [T] Fig. 8: the reduced
// 2-D vector field, trajectories from chosen starts and the critical points by type.
import { ready } from "../../index";
import { formField } from "../../options/form";
import { grid, popgradK, starts, tMax, xRange, yRange } from "../../options/catalog/populationGradient";
import { valueText } from "../../options/text";
import { withControl } from "../../text/progress";
import { criticalPointRows, DEFAULT_STARTS, popgradCsv, popgradJson, popgradRun, popgradSpec, trajectoryRows, type PopgradRun } from "../../report/popgrad";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { read } from "./setting";

export interface PopgradParams {
  K: number;
  starts: [number, number][];
  tMax: number;
  xRange: [number, number];
  yRange: [number, number];
  grid: number;
}

const fields: Field[] = [
  formField(popgradK, { group: "Network" }),
  formField(starts, { group: "Flow", value: valueText(DEFAULT_STARTS) }),
  formField(tMax, { group: "Flow" }),
  formField(xRange, { group: "Vector field" }),
  formField(yRange, { group: "Vector field" }),
  formField(grid, { group: "Vector field" }),
];

function parse(v: Values): PopgradParams {
  const r = <T>(id: string) => read<T>(fields, v, id);
  return { K: r("K"), starts: r("starts"), tMax: r("tMax"), xRange: r("xRange"), yRange: r("yRange"), grid: r("grid") };
}

async function compute(p: PopgradParams, ctx: ComputeContext): Promise<PopgradRun> {
  await ready();
  ctx.progress({ label: `critical points, ${p.starts.length} trajectories and the vector field` });
  return popgradRun(withControl(p, { onProgress: ctx.listener("critical points, trajectories and field") }));
}

function tables(r: PopgradRun): Table[] {
  return [
    {
      caption: `Critical points of the reduced flow, K = ${r.K} (the origin, every w_j = 0, is singular and excluded); coordinates to the digits residual / smallest |eigenvalue| supports; "full space": the type in all K × K weights (smallest Hessian eigenvalue)`,
      header: ["x", "y", "type (2-D)", "loss", "residual", "full space"],
      rows: criticalPointRows(r),
    },
    { caption: "Where each trajectory ends (adaptive Dormand-Prince, rtol 1e-10: 1e-8 absolute trusted)", header: ["start", "t", "x", "y", "loss", "status"], rows: trajectoryRows(r) },
  ];
}

function summary(r: PopgradRun): string {
  const steps = r.trajectories.reduce((s, t) => s + t.trajectory.stats.steps, 0);
  return `${r.criticalPoints.length} critical points besides the origin; ${r.trajectories.length} trajectories (${steps} Dormand-Prince steps); ${r.field.x.length} arrows.`;
}

export const popgrad: ViewDefinition<PopgradParams, PopgradRun> = {
  id: "popgrad",
  title: "Population gradient",
  description: "Gradient flow of the population loss of a two-layer ReLU network with an orthonormal teacher (docs/theory.md section 7), on the symmetric subspace w_j = x e_j + y Σ_{k≠j} e_k of [T] Theorem 7: the 2-D vector field, trajectories and critical points ([T] Fig. 8).",
  fields,
  parse,
  compute,
  figure: popgradSpec,
  table: tables,
  summary,
  csv: popgradCsv,
  json: popgradJson,
  explain: {
    text: [
      "Gradient flow of the population loss of a two-layer ReLU network whose teacher has orthonormal weights, restricted to the symmetric subspace w_j = x e_j + y Σ_{k≠j} e_k: every point of the plane is a network, arrows show the flow, and the curves start from the points you give.",
      "(1, 0) is the teacher itself (zero loss); other critical points are saddles or, from K = 6 on, a spurious local minimum of the full space (table: 2-D and full-space types).",
    ],
    theory: [{ title: "population gradient", anchor: "7-population-gradient-of-a-two-layer-relu-network" }, { title: "the symmetric reduction", anchor: "73-the-symmetric-reduction-t-theorem-7" }],
  },
};
