// The online-learning view: the order-parameter ODE of online SGD (docs/theory.md section 1), with
// optional finite-d SGD runs next to it (section 3, through compare()), as Q, R and eps_g panels.
import { compare, integrate, integrationErrorEstimate, ready, type IntegrateOptions, type OdeResult, type SimulationResult } from "../../index";
import { formatVerified, meanPlusMinus } from "../../text/digits";
import { resultCsv, resultJson } from "../../text/odeTable";
import { formField } from "../../options/form";
import { withControl } from "../../text/progress";
import { alphaMax, etaMax, learningRate, learningRateSchedule, samples } from "../../options/catalog/learning";
import { integrator, step } from "../../options/catalog/numerics";
import { batch, compareRuns, d, seed } from "../../options/catalog/simulation";
import { labelNoise, learningRate2, trainSecondLayer, weightDecay } from "../../options/catalog/training";
import type { Field, Table, Values, ViewDefinition } from "../view";
import { averagesFields, parseAverages, parseSetting, read, settingFields } from "./setting";

export interface OnlineParams {
  ode: IntegrateOptions;
  /** SGD runs next to the ODE (null: ODE only). */
  sgd: { d: number; runs: number; seed: number; batch: number } | null;
}

/** Absolute error estimates of the ODE's samples (integrationErrorEstimate without its rerun). */
interface Estimate {
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  method: string;
}

export interface OnlineResult {
  ode: OdeResult;
  simulation: SimulationResult | null;
  /** Completed runs behind the simulation's standard errors. */
  runsAveraged: number;
  /** Largest |mean - ODE| / standard error over samples (with SGD runs). */
  maxDeviation: { eg: number; Q: number; R: number } | null;
  /** null until computed (the first, partial result has none). */
  estimate: Estimate | null;
}

const sgdOn = (v: Values) => v.sgd === "true";
const scheduled = (o: OnlineResult["ode"]) => o.options.learningRateSchedule !== "constant";
const constantRate = (v: Values) => (v.etaSchedule ?? "constant").trim() === "constant";
const greedyRate = (v: Values) => (v.etaSchedule ?? "").trim() === "greedy";
const trainedV = (v: Values) => v.trainSecondLayer === "true";

const fields: Field[] = [
  ...settingFields,
  formField(learningRate, { group: "Learning", enabled: constantRate }),
  formField(learningRateSchedule, { group: "Learning" }),
  formField(etaMax, { group: "Learning", enabled: greedyRate }),
  formField(alphaMax, { group: "Learning" }),
  formField(samples, { group: "Learning" }),
  // docs/theory.md section 9: label noise, weight decay, a trained second layer
  formField(labelNoise, { group: "Learning" }),
  formField(weightDecay, { group: "Learning" }),
  formField(trainSecondLayer, { group: "Learning" }),
  formField(learningRate2, { group: "Learning", enabled: trainedV }),
  ...averagesFields("ODE numerics"),
  formField(integrator, { group: "ODE numerics", choices: ["rk4", "euler", "adaptive"] }),
  formField(step, { group: "ODE numerics" }),
  { id: "sgd", label: "also run online SGD at finite d", kind: "checkbox", value: "false", group: "SGD simulation" },
  formField(d, { group: "SGD simulation", enabled: sgdOn }),
  formField(compareRuns, { group: "SGD simulation", enabled: sgdOn }),
  formField(seed, { group: "SGD simulation", enabled: sgdOn }),
  formField(batch, { group: "SGD simulation", enabled: sgdOn }),
];

function parse(v: Values): OnlineParams {
  const n = (id: string) => read<number>(fields, v, id);
  const schedule = read<string>(fields, v, "etaSchedule");
  const ode: IntegrateOptions = {
    ...parseSetting(v, fields),
    // a schedule sets the rate itself (the η field is disabled then)
    ...(schedule === "constant" ? { learningRate: n("eta") } : { learningRateSchedule: schedule, ...(schedule === "greedy" ? { etaMax: n("etaMax") } : {}) }),
    alphaMax: n("alphaMax"),
    samples: n("samples"),
    ...parseAverages(v, fields),
    integrator: read<IntegrateOptions["integrator"]>(fields, v, "integrator"),
    step: n("step"),
    noise: n("noise"),
    weightDecay: n("weightDecay"),
    trainSecondLayer: trainedV(v),
    // an empty second-layer rate: the first layer's
    ...(trainedV(v) && (v.eta2 ?? "").trim() !== "" ? { learningRate2: n("eta2") } : {}),
  };
  const sgd = sgdOn(v) ? { d: n("d"), runs: n("runs"), seed: n("seed"), batch: n("batch") } : null;
  return { ode, sgd };
}

async function compute(p: OnlineParams, ctx: Parameters<ViewDefinition["compute"]>[1]): Promise<OnlineResult> {
  await ready();
  let result: OnlineResult;
  if (!p.sgd) {
    ctx.progress({ label: "integrating the ODE" });
    result = { ode: integrate(withControl(p.ode, { onProgress: ctx.listener("ODE", "alpha") })), simulation: null, runsAveraged: 0, maxDeviation: null, estimate: null };
  } else {
    const { method, hermiteOrder, integrator, step, ...setting } = p.ode;
    ctx.progress({ label: "ODE, then SGD runs", done: 0, total: p.sgd.runs });
    const c = await compare({
      ...setting, ...p.sgd, method, hermiteOrder, integrator, step,
      onProgress: ctx.listener("SGD steps", "steps"),
    });
    result = { ode: c.ode, simulation: c.simulation, runsAveraged: c.runsAveraged, maxDeviation: c.deviation.maxAbs, estimate: null };
  }
  ctx.partial(result);
  // the digits printed: half-step and relabelled reruns (as `scm ode` tables), ~3x the ODE's time
  ctx.progress({ label: "checking digits (half-step and relabelled reruns)" });
  const { eg, Q, R, method } = integrationErrorEstimate(result.ode, { onProgress: ctx.listener("checking digits") });
  return { ...result, estimate: { eg, Q, R, method } };
}

/** Entries drawn: all for small K, M; otherwise the diagonal of the first 10 units. */
function drawnEntries(K: number, M: number) {
  const q: [number, number][] = [], r: [number, number][] = [];
  if (K <= 4) for (let i = 0; i < K; i++) for (let k = i; k < K; k++) q.push([i, k]);
  else for (let i = 0; i < Math.min(K, 10); i++) q.push([i, i]);
  if (K * M <= 16) for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) r.push([i, n]);
  else for (let i = 0; i < Math.min(K, M, 10); i++) r.push([i, i]);
  return { q, r, all: q.length === (K * (K + 1)) / 2 && r.length === K * M };
}

/** Last sample whose eps_g is confirmed to 10% (-1: none); the CLI's rule (src/cli/plot.ts). */
function lastVerifiedEg(r: OnlineResult): number {
  if (!r.estimate) return r.ode.eg.length - 1;
  let last = -1;
  while (last + 1 < r.estimate.eg.length && r.estimate.eg[last + 1] < 0.1 * Math.abs(r.ode.eg[last + 1])) last++;
  return last;
}

interface Row { alpha: number; series: string; source: string; value: number; lo?: number; hi?: number }

function figure(res: OnlineResult): Record<string, unknown> {
  const { K, M } = res.ode.options;
  const { q, r, all } = drawnEntries(K, M);
  const panels: { title: string; log: boolean; rows: Row[] }[] = [
    { title: "Q", log: false, rows: [] },
    { title: "R", log: false, rows: [] },
    { title: "ε_g", log: true, rows: [] },
  ];
  const lastEg = lastVerifiedEg(res);
  const push = (alpha: number, source: string, Qs: number[][], Rs: number[][], eg: number, egOk: boolean, sd?: { Q: number[][]; R: number[][]; eg: number }) => {
    const band = (x: number, s: number | undefined, log: boolean) => (s === undefined ? {} : { lo: log && !(x - s > 0) ? x / 10 : x - s, hi: x + s });
    for (const [i, k] of q) panels[0].rows.push({ alpha, series: `Q${i + 1}${k + 1}`, source, value: Qs[i][k], ...band(Qs[i][k], sd?.Q[i][k], false) });
    for (const [i, n] of r) panels[1].rows.push({ alpha, series: `R${i + 1}${n + 1}`, source, value: Rs[i][n], ...band(Rs[i][n], sd?.R[i][n], false) });
    if (egOk && eg > 0) panels[2].rows.push({ alpha, series: "ε_g", source, value: eg, ...band(eg, sd?.eg, true) });
  };
  const o = res.ode;
  for (let s = 0; s < o.alpha.length; s++) push(o.alpha[s], "ODE", o.Q[s], o.R[s], o.eg[s], s <= lastEg);
  const sim = res.simulation;
  if (sim) for (let s = 0; s < sim.alpha.length; s++) push(sim.alpha[s], "SGD", sim.Q.mean[s], sim.R.mean[s], sim.eg.mean[s], true, { Q: sim.Q.std[s], R: sim.R.std[s], eg: sim.eg.std[s] });
  const panel = ({ title, log, rows }: (typeof panels)[number]) => {
    // one alpha range for all panels (eps_g stops where its digits stop being confirmed)
    const x = { field: "alpha", type: "quantitative", title: "α", scale: { domain: [o.alpha[0], o.alpha[o.alpha.length - 1]], nice: false } };
    const y = { field: "value", type: "quantitative", title, scale: log ? { type: "log" } : { zero: false } };
    const color = { field: "series", type: "nominal", title: null, legend: { orient: "top" } };
    const dashed = { strokeDash: { field: "source", type: "nominal", title: null, scale: { domain: ["ODE", "SGD"], range: [[6, 3], [1, 0]] }, legend: sim ? { orient: "top" } : null } };
    return {
      width: 240,
      height: 200,
      data: { values: rows },
      layer: [
        ...(sim ? [{ transform: [{ filter: "datum.source == 'SGD'" }], mark: { type: "area", opacity: 0.18 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color } }] : []),
        { mark: { type: "line", strokeWidth: 1.5, clip: true }, encoding: { x, y, color, ...dashed, detail: { field: "source" } } },
      ],
    };
  };
  const notes = [
    sim ? `solid: mean of ${res.runsAveraged} SGD runs at d = ${sim.options.d} (band ±1 std); dashed: ODE (d → ∞)` : "ODE (d → ∞)",
    res.estimate ? "ε_g drawn while a half-step rerun confirms it to 10%" : "",
    all ? "" : "diagonal entries of the first units only",
  ].filter(Boolean);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Online learning: ${o.options.activation}, K = ${K}, M = ${M}, ${scheduled(o) ? `η schedule ${o.options.learningRateSchedule}` : `η = ${o.options.learningRate}`}`, subtitle: notes.join("; ") },
    hconcat: panels.map(panel),
    resolve: { scale: { color: "independent", strokeDash: "shared" } },
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

function table(res: OnlineResult): Table {
  const o = res.ode, sim = res.simulation, est = res.estimate;
  const { K, M } = o.options;
  const header = ["α", ...(scheduled(o) ? ["η"] : []), "ε_g (ODE)", ...(sim ? ["ε_g (SGD mean ± std)"] : [])];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) header.push(`Q${i + 1}${k + 1}`);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) header.push(`R${i + 1}${n + 1}`);
  if (!est) return { caption: "ODE values: checking which digits are exact…", header, rows: [] };
  const S = o.alpha.length, every = Math.max(1, Math.ceil((S - 1) / 10)), lastEg = lastVerifiedEg(res);
  const rows: string[][] = [];
  const shown: number[] = [];
  for (let s = 0; s < S; s += every) shown.push(s);
  if (shown[shown.length - 1] !== S - 1) shown.push(S - 1);
  for (const s of shown) {
    // the rate of a schedule is exact at its alpha (greedy: of the state, as its eps_g), 6 digits
    const row = [String(+o.alpha[s].toPrecision(10)), ...(scheduled(o) ? [String(+o.eta[s].toPrecision(6))] : []), s < est.eg.length ? formatVerified(o.eg[s], s <= lastEg ? est.eg[s] : NaN) : "unresolved"];
    if (sim) row.push(meanPlusMinus(sim.eg.mean[s], sim.eg.std[s], res.runsAveraged));
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) row.push(formatVerified(o.Q[s][i][k], est.Q[s]?.[i][k] ?? NaN));
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) row.push(formatVerified(o.R[s][i][n], est.R[s]?.[i][n] ?? NaN));
    rows.push(row);
  }
  const sgdNote = sim ? "; SGD means to the digits their standard error supports" : "";
  return { caption: `ODE digits shown agree with the ${est.method}; "<x": below the error estimate${sgdNote}`, header, rows };
}

function summary(res: OnlineResult): string {
  const o = res.ode;
  let s = `ODE ${o.status}: ${o.message} (${o.stats.steps} steps, ${o.stats.wallTimeMs.toFixed(0)} ms)`;
  if (o.greedy?.stall.detected) s += `. Warning: ${o.greedy.stall.message}`;
  const sim = res.simulation;
  if (sim) {
    s += `. SGD: ${sim.stats.runs} runs at d = ${sim.options.d} (${sim.stats.divergedRuns} diverged), ${sim.stats.threads} thread${sim.stats.threads > 1 ? "s" : ""}, ${(sim.stats.wallTimeMs / 1000).toFixed(1)} s`;
    if (res.maxDeviation) s += `; largest |mean − ODE| / standard error: ε_g ${res.maxDeviation.eg.toFixed(1)}, Q ${res.maxDeviation.Q.toFixed(1)}, R ${res.maxDeviation.R.toFixed(1)}`;
  }
  return s + ".";
}

function simulationData(sim: SimulationResult) {
  return { alpha: Array.from(sim.alpha), eg: { mean: Array.from(sim.eg.mean), std: Array.from(sim.eg.std) }, Q: sim.Q, R: sim.R, status: sim.status, message: sim.message, stats: sim.stats, options: sim.options };
}

function csv(res: OnlineResult): string {
  const sim = res.simulation;
  if (!sim) return resultCsv(res.ode); // the format of `scm ode --format csv`
  const lines = resultCsv(res.ode).trimEnd().split("\n");
  const { K, M } = res.ode.options;
  const cols: [string, (s: number, part: "mean" | "std") => number][] = [["eg", (s, p) => sim.eg[p][s]]];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) cols.push([`Q_${i + 1}${k + 1}`, (s, p) => sim.Q[p][s][i][k]]);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) cols.push([`R_${i + 1}${n + 1}`, (s, p) => sim.R[p][s][i][n]]);
  lines[0] += "," + cols.flatMap(([c]) => [`sgd_${c}_mean`, `sgd_${c}_std`]).join(",");
  for (let s = 0; s < sim.alpha.length; s++) lines[s + 1] += "," + cols.flatMap(([, get]) => [get(s, "mean"), get(s, "std")]).map(String).join(",");
  return lines.join("\n") + "\n";
}

function json(res: OnlineResult): string {
  if (!res.simulation) return resultJson(res.ode) + "\n"; // the format of `scm ode --format json`
  return JSON.stringify({ ode: JSON.parse(resultJson(res.ode)), simulation: simulationData(res.simulation), maxDeviation: res.maxDeviation }) + "\n";
}

export const online: ViewDefinition<OnlineParams, OnlineResult> = {
  id: "online",
  title: "Online learning",
  description: "Typical learning curve of online SGD in a teacher-student soft committee machine: the order-parameter ODE (docs/theory.md section 1), optionally next to SGD runs at finite input dimension d.",
  fields,
  parse,
  compute,
  figure,
  table,
  summary,
  csv,
  json,
  explain: {
    text: [
      "The curves are the order parameters of online SGD as d → ∞: Q (student-student overlaps), R (student-teacher overlaps) and the generalisation error ε_g, against α = examples seen / input dimension. With the reference setting, ε_g first drops, then stays on a plateau where all students are alike (unspecialised), and leaves it once the students specialise, each on one teacher unit.",
      "Tick \"also run online SGD\" to put the mean of finite-d runs (solid, band ±1 std) next to the ODE (dashed): they agree before the plateau; around the escape each run leaves at its own time, so the mean is spread out. The table prints only digits that a half-step rerun confirms.",
    ],
    theory: [{ title: "online SGD and its ODE", anchor: "13-online-gradient-descent-and-its-ode" }, { title: "generalisation error", anchor: "14-generalisation-error" }, { title: "simulation", anchor: "3-finite-d-simulation" }, { title: "where ODE and simulation agree", anchor: "39-where-simulation-and-ode-agree-restarting-the-ode" }],
  },
};
