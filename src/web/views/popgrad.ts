// The population-gradient view (THEORY section 7): gradient flow of the population loss of a
// two-layer ReLU network on the symmetric subspace of [T] Theorem 7, as [T] Fig. 8: the reduced
// 2-D vector field, trajectories from chosen starts and the critical points by type.
import { CliError, parseList } from "../../cli/args";
import { ready } from "../../index";
import { criticalPointRows, DEFAULT_STARTS, popgradCsv, popgradJson, popgradRun, popgradSpec, trajectoryRows, type PopgradRun } from "../../report/popgrad";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { field, num } from "./setting";

export interface PopgradParams {
  K: number;
  starts: [number, number][];
  tMax: number;
  xRange: [number, number];
  yRange: [number, number];
  grid: number;
}

const fields: Field[] = [
  { id: "K", label: "K (teacher and student units)", kind: "number", value: "6", group: "Network", hint: "K ≥ 6: the symmetric attractor away from (1, 0) is a spurious local minimum" },
  { id: "starts", label: "trajectory starts (x, y)", kind: "text", value: DEFAULT_STARTS.map((s) => s.join(",")).join(";"), group: "Flow", hint: `points separated by ";" ("1.5,0.3;0.15,0.02")`, options: ["x0", "y0"] },
  { id: "tMax", label: "integrate each trajectory to t", kind: "number", value: "100", group: "Flow" },
  { id: "xRange", label: "x window (min,max)", kind: "text", value: "-0.8,1.6", group: "Vector field" },
  { id: "yRange", label: "y window (min,max)", kind: "text", value: "-0.8,1.6", group: "Vector field" },
  { id: "grid", label: "arrows per axis", kind: "number", value: "21", group: "Vector field", options: ["n"] },
];

function range(v: Values, id: string): [number, number] {
  return field(id, () => {
    const x = parseList(id, v[id]);
    if (!x || x.length !== 2 || !(x[1] > x[0])) throw new CliError(`${id} must be "min,max" with max > min; got ${JSON.stringify(v[id])}`);
    return [x[0], x[1]];
  });
}

function parse(v: Values): PopgradParams {
  const starts = field("starts", () =>
    v.starts.split(";").filter((p) => p.trim() !== "").map((p, i): [number, number] => {
      const x = parseList("starts", p)!;
      if (x.length !== 2) throw new CliError(`starts: point ${i + 1} must be "x,y"; got ${JSON.stringify(p.trim())}`);
      return [x[0], x[1]];
    }),
  );
  return { K: num(v, "K", true), starts, tMax: num(v, "tMax"), xRange: range(v, "xRange"), yRange: range(v, "yRange"), grid: num(v, "grid", true) };
}

async function compute(p: PopgradParams, ctx: ComputeContext): Promise<PopgradRun> {
  await ready();
  ctx.progress({ label: `critical points, ${p.starts.length} trajectories and the vector field` });
  return popgradRun(p);
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
  description: "Gradient flow of the population loss of a two-layer ReLU network with an orthonormal teacher (THEORY.md section 7), on the symmetric subspace w_j = x e_j + y Σ_{k≠j} e_k of [T] Theorem 7: the 2-D vector field, trajectories and critical points ([T] Fig. 8).",
  fields,
  parse,
  compute,
  figure: popgradSpec,
  table: tables,
  summary,
  csv: popgradCsv,
  json: popgradJson,
};
