// The learning-rate regimes and fixed points view (docs/theory.md section 4): the thresholds in eta, the
// plateau branch continued in eta with its fold ([E] Fig. 2b), the fixed points at a chosen eta
// with their eigenvalues and stability, and learning curves for several eta ([E] Fig. 2a).
import { continueFixedPoint, etaSweep, fixedPoints, learningRateRegimes, ready, type BranchResult, type EtaSweepResult, type FixedPointsResult, type IntegrateOptions, type RegimesResult } from "../../index";
import { branchSpec, CONFIG, fixedPointRow, REGIME_KEYS, regimeRows, SCHEMA, sweepSpec } from "../../report/fixedPoints";
import { atFields, formField } from "../../options/form";
import { isOptionError } from "../../core/errors";
import { alphaMax, learningRate, learningRates, samples } from "../../options/catalog/learning";
import { integrator, step } from "../../options/catalog/numerics";
import { branchLearningRate, fixedPointSeed, max, multiStart, precision } from "../../options/catalog/fixedPoints";
import { withControl } from "../../text/progress";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { averagesFields, parseAverages, parseSetting, read, settingFields } from "./setting";

type Setting = ReturnType<typeof parseSetting> & Pick<IntegrateOptions, "method" | "hermiteOrder">;

export interface RegimesParams {
  setting: Setting;
  fixedPoints: { learningRate: number; multiStart: number; seed: number };
  branch: { learningRate: number; max: number };
  precision: number;
  sweep: { learningRates: number[]; alphaMax: number; samples: number; integrator: IntegrateOptions["integrator"]; step: number };
}

export interface RegimesViewResult {
  /** Each part is null until computed (partial results arrive in this order). */
  branch: BranchResult | null;
  fixedPoints: FixedPointsResult | null;
  sweep: EtaSweepResult | null;
  regimes: RegimesResult | null;
  /** Why the thresholds could not be decided (e.g. a trajectory that neither converged nor diverged). */
  regimesError: string | null;
  /** The chosen eta of the fixed points (marked on the branch). */
  eta: number;
}

const fields: Field[] = [
  ...settingFields.map((f) => (f.id === "Q0" || f.id === "R0" ? { ...f, hint: `${f.hint ? f.hint + "; " : ""}the initial condition of the plateau and of the thresholds' trajectories` } : f)),
  ...averagesFields("Setting"),
  formField(learningRate, { group: "Fixed points", label: "η (fixed points at this learning rate)" }),
  formField(multiStart, { group: "Fixed points" }),
  formField(fixedPointSeed, { group: "Fixed points" }),
  formField(branchLearningRate, { group: "Plateau branch and thresholds" }),
  formField(max, { group: "Plateau branch and thresholds", value: "10" }),
  formField(precision, { group: "Plateau branch and thresholds" }),
  formField(learningRates, { group: "η sweep" }),
  formField(alphaMax, { group: "η sweep" }),
  formField(samples, { group: "η sweep" }),
  formField(integrator, { group: "η sweep", choices: ["rk4", "euler", "adaptive"] }),
  formField(step, { group: "η sweep" }),
];

function parse(v: Values): RegimesParams {
  const n = (id: string) => read<number>(fields, v, id);
  return {
    setting: { ...parseSetting(v, fields), ...parseAverages(v, fields) },
    fixedPoints: { learningRate: n("eta"), multiStart: n("multiStart"), seed: n("seed") },
    branch: { learningRate: n("branchEta"), max: n("branchMax") },
    precision: n("precision"),
    sweep: { learningRates: read<number[]>(fields, v, "etas"), alphaMax: n("alphaMax"), samples: n("samples"), integrator: read<IntegrateOptions["integrator"]>(fields, v, "integrator"), step: n("step") },
  };
}

/** Each stage's options at that stage's fields (learningRate is η of the fixed points, or where the branch starts). */
const STAGE_FIELDS = {
  branch: { learningRate: "branchEta", eta: "branchEta", max: "branchMax", min: "branchMax" },
  fixedPoints: { learningRate: "eta", eta: "eta" },
  sweep: { learningRates: "etas", alphas: "alphaMax" },
} as const;

async function compute(p: RegimesParams, ctx: ComputeContext): Promise<RegimesViewResult> {
  await ready();
  const r: RegimesViewResult = { branch: null, fixedPoints: null, sweep: null, regimes: null, regimesError: null, eta: p.fixedPoints.learningRate };
  const total = 4;
  // cheap and figure-giving first: the branch (~0.2 s at the reference setting), then the rest
  ctx.progress({ label: "continuing the plateau branch in η", done: 0, total });
  // setting errors are reported unprefixed (they name their own field)
  atFields(fields, () => fixedPoints({ ...p.setting, learningRate: p.fixedPoints.learningRate, multiStart: 0, builtInStarts: false }), STAGE_FIELDS.fixedPoints);
  r.branch = atFields(fields, () => continueFixedPoint(withControl({ ...p.setting, learningRate: p.branch.learningRate, max: p.branch.max }, { onProgress: ctx.listener("plateau branch", "points") })), STAGE_FIELDS.branch);
  ctx.partial({ ...r });
  ctx.progress({ label: `fixed points at η = ${p.fixedPoints.learningRate}`, done: 1, total });
  r.fixedPoints = atFields(fields, () => fixedPoints(withControl({ ...p.setting, ...p.fixedPoints }, { onProgress: ctx.listener("fixed points", "starts") })), STAGE_FIELDS.fixedPoints);
  ctx.partial({ ...r });
  ctx.progress({ label: `learning curves for ${p.sweep.learningRates.length} learning rates`, done: 2, total });
  r.sweep = atFields(fields, () => etaSweep(withControl({ ...p.setting, ...p.sweep }, { onProgress: ctx.listener("learning curves", "curves") })), STAGE_FIELDS.sweep);
  ctx.partial({ ...r });
  ctx.progress({ label: "thresholds in η (bisection and continuation)", done: 3, total });
  try {
    r.regimes = learningRateRegimes(withControl({ ...p.setting, precision: p.precision }, { onProgress: ctx.listener("thresholds", "thresholds") }));
  } catch (e) {
    // a bad option is the user's input; an undecided trajectory is a finding, shown in the table
    if (!(e instanceof RangeError) || isOptionError(e)) throw e;
    r.regimesError = e.message;
  }
  return r;
}

function figure(r: RegimesViewResult): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  const strip = (s: Record<string, unknown>) => {
    const { $schema: _s, config: _c, ...body } = s;
    return body;
  };
  if (r.branch) rows.push(strip(branchSpec(r.branch, { at: r.eta })));
  if (r.sweep) rows.push(strip(sweepSpec(r.sweep)));
  const fold = r.branch?.folds[0];
  return {
    $schema: SCHEMA,
    title: { text: "Learning-rate regimes and fixed points", subtitle: fold ? `plateau branch folds at η = ${fold.value.toPrecision(10)}` : r.branch ? "no fold of the plateau branch in range" : "" },
    vconcat: rows,
    resolve: { scale: { color: "independent", stroke: "independent" } },
    config: CONFIG,
  };
}

function tables(r: RegimesViewResult): Table[] {
  const out: Table[] = [];
  const regimes: Table = { caption: "Thresholds in η (docs/theory.md section 4), each printed to the digits its bracket width and accuracy fix", header: ["threshold", "value", "bracket", "definition"], rows: [] };
  if (r.regimes) regimes.rows = regimeRows(r.regimes);
  else if (r.regimesError) regimes.caption = `Thresholds in η: not decided. ${r.regimesError}`;
  else regimes.caption = "Thresholds in η: computing…";
  out.push(regimes);
  const fp: Table = { caption: `Fixed points at η = ${r.eta}: computing…`, header: ["#", "stability", "ε_g", "residual max |F|", "Q", "R", "eigenvalues of the Jacobian"], rows: [] };
  if (r.fixedPoints) {
    const f = r.fixedPoints;
    fp.caption = `Fixed points at η = ${f.learningRate} (${f.fixedPoints.length} from ${f.starts} Newton starts); coordinates and ε_g to the digits residual / smallest |eigenvalue| supports, eigenvalues to D × the Jacobian's entry error`;
    fp.rows = f.fixedPoints.map((p, i) => {
      const x = fixedPointRow(p);
      return [String(i + 1), x.stability, x.eg, x.residual, x.Q, x.R, x.eigenvalues];
    });
  }
  out.push(fp);
  if (r.sweep) {
    const s = r.sweep;
    out.push({ caption: "Learning curves (ODE, d → ∞): how each ended (the samples are in the exports)", header: ["η", "status", "α reached", "message"], rows: s.curves.map((c, j) => [String(s.learningRates[j]), c.status, String(+c.alpha[c.alpha.length - 1].toPrecision(10)), c.message]) });
  }
  return out;
}

function summary(r: RegimesViewResult): string {
  const parts: string[] = [];
  if (r.branch) parts.push(`branch: ${r.branch.status}, ${r.branch.stats.points} points (${r.branch.stats.wallTimeMs.toFixed(0)} ms)`);
  if (r.fixedPoints) parts.push(`${r.fixedPoints.fixedPoints.length} fixed points at η = ${r.fixedPoints.learningRate} (${r.fixedPoints.stats.wallTimeMs.toFixed(0)} ms)`);
  if (r.sweep) parts.push(`${r.sweep.curves.length} learning curves (${r.sweep.stats.wallTimeMs.toFixed(0)} ms)`);
  if (r.regimes) parts.push(`thresholds (${r.regimes.stats.wallTimeMs.toFixed(0)} ms)`);
  return parts.join("; ") + ".";
}

const plainBranch = (b: BranchResult) => ({ ...b, values: Array.from(b.values), eg: Array.from(b.eg) });
const plainSweep = (s: EtaSweepResult) => ({ learningRates: s.learningRates, curves: s.curves.map((c, j) => ({ eta: s.learningRates[j], alpha: Array.from(c.alpha), eg: Array.from(c.eg), Q: c.Q, R: c.R, status: c.status, message: c.message })), stats: s.stats });

/** Everything at full precision: {branch, fixedPoints, regimes, sweep} as the CLI's JSON of each. */
function json(r: RegimesViewResult): string {
  return JSON.stringify({ branch: r.branch && plainBranch(r.branch), fixedPoints: r.fixedPoints, regimes: r.regimes, regimesError: r.regimesError, sweep: r.sweep && plainSweep(r.sweep) }) + "\n";
}

/** One tidy table: dataset (branch, fixedPoint, threshold, sweep), index, eta, alpha, quantity, value. */
function csv(r: RegimesViewResult): string {
  const lines = ["dataset,index,eta,alpha,quantity,value"];
  const add = (d: string, i: number, eta: number, alpha: number | "", q: string, v: number) => lines.push(`${d},${i},${eta},${alpha},${q},${v}`);
  const overlaps = (d: string, i: number, eta: number, Q: number[][], R: number[][]) => {
    Q.forEach((row, a) => row.forEach((x, b) => b >= a && add(d, i, eta, "", `Q_${a + 1}${b + 1}`, x)));
    R.forEach((row, a) => row.forEach((x, n) => add(d, i, eta, "", `R_${a + 1}${n + 1}`, x)));
  };
  if (r.branch) r.branch.values.forEach((p, s) => {
    add("branch", s, p, "", "eg", r.branch!.eg[s]);
    overlaps("branch", s, p, r.branch!.Q[s], r.branch!.R[s]);
  });
  if (r.fixedPoints) r.fixedPoints.fixedPoints.forEach((f, i) => {
    add("fixedPoint", i + 1, r.fixedPoints!.learningRate, "", "eg", f.eg);
    add("fixedPoint", i + 1, r.fixedPoints!.learningRate, "", "residual", f.residual);
    overlaps("fixedPoint", i + 1, r.fixedPoints!.learningRate, f.Q, f.R);
    f.eigenvalues.forEach((e, j) => {
      add("fixedPoint", i + 1, r.fixedPoints!.learningRate, "", `eigenvalue_${j + 1}_re`, e.re);
      add("fixedPoint", i + 1, r.fixedPoints!.learningRate, "", `eigenvalue_${j + 1}_im`, e.im);
    });
  });
  if (r.regimes) REGIME_KEYS.forEach((k, i) => {
    const t = r.regimes![k];
    if (t?.value != null) add("threshold", i, t.value, "", k, t.value);
    if (t?.bracket) {
      add("threshold", i, t.bracket[0], "", `${k}_bracket_lo`, t.bracket[0]);
      add("threshold", i, t.bracket[1], "", `${k}_bracket_hi`, t.bracket[1]);
    }
  });
  if (r.sweep) r.sweep.curves.forEach((c, j) => c.alpha.forEach((a, s) => add("sweep", j, r.sweep!.learningRates[j], a, "eg", c.eg[s])));
  return lines.join("\n") + "\n";
}

export const regimes: ViewDefinition<RegimesParams, RegimesViewResult> = {
  id: "regimes",
  title: "Learning-rate regimes and fixed points",
  description: "Where online learning changes character as η grows (docs/theory.md section 4): the thresholds in η, the plateau's branch of fixed points continued in η up to its fold ([E] Fig. 2b), every fixed point at a chosen η with its stability, and learning curves for several η ([E] Fig. 2a).",
  fields,
  parse,
  compute,
  figure,
  table: tables,
  summary,
  csv,
  json,
  explain: {
    text: [
      "How the learning rate η changes online learning: below the first threshold ε_g decreases monotonically; higher, it rises on the way to the plateau; past the fold the plateau fixed point no longer exists; past the divergence threshold the weights grow without bound; and perfect learning is stable only up to the last threshold.",
      "The branch figure follows the plateau fixed point as η grows, up to its fold (dashed red); the fixed-point table lists every fixed point at the chosen η with its eigenvalues (a saddle has an unstable direction: the escape from the plateau).",
    ],
    theory: [{ title: "fixed points and learning-rate regimes", anchor: "4-fixed-points-and-learning-rate-regimes" }, { title: "continuation and folds", anchor: "46-continuation-and-folds" }, { title: "the thresholds", anchor: "47-learning-rate-thresholds" }],
  },
};
