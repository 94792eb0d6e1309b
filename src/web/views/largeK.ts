// The large-network view (docs/theory.md section 11): the site-symmetric ODE for K = M up to 1e6
// (Q, C, R, S and eps_g against alpha, integrateSymmetric), the unspecialised plateau at the
// chosen K and eta with its escape rate and predicted length (plateau), and the learning-rate
// limits and the plateau length at the fastest escape against K (etaLimits). Tables and exports
// are those of `scm ode-symmetric`, `scm plateau` and `scm eta-limits`.
import { etaLimits, integrateSymmetric, plateau, ready, type EtaLimitsOptions, type EtaLimitsResult, type IntegrateSymmetricOptions, type PlateauResult, type SymmetricOdeResult } from "../../index";
import { isOptionError } from "../../core/errors";
import { symmetricErrorEstimate } from "../../symmetric/errorEstimate";
import { symmetricResultToJSON } from "../../symmetric/integrateSymmetric";
import { atFields, formField } from "../../options/form";
import { ACTIVATIONS } from "../../options/values";
import { alphaMax, learningRate, samples } from "../../options/catalog/learning";
import { integrator, step } from "../../options/catalog/numerics";
import { C0, delta, escapeConstant, etaLimitsK, etaLimitsPrecision, S0, symmetricActivation, symmetricK, symmetricQ0, symmetricR0, symmetricT, symmetricTeacherActivation, symmetricV, symmetricVStar } from "../../options/catalog/symmetric";
import { CONFIG, SCHEMA } from "../../report/fixedPoints";
import { ETA_LIMITS_COLUMNS, etaLimitsRows, everyNth, lastVerifiedEg, plateauBlockRows, plateauSummaryRows, settingText, SYMMETRIC_COLUMNS, symmetricRows, symmetricTrajectorySpec, type SymmetricErrors } from "../../report/symmetric";
import { withControl } from "../../text/progress";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { read } from "./setting";

export interface LargeKParams {
  /** The setting shared by the three computations (activations, T, v, v*). */
  setting: Pick<IntegrateSymmetricOptions, "activation" | "teacherActivation" | "T" | "v" | "vStar">;
  /** integrateSymmetric() options (the setting, eta, the start, the alpha grid and the integrator). */
  ode: IntegrateSymmetricOptions;
  /** Initial specialisation R - S on the plateau, and whether to integrate the escape for D. */
  delta: number;
  escapeConstant: boolean;
  /** etaLimits() options (the setting without K, the values of K, precision). */
  limits: EtaLimitsOptions;
}

export interface LargeKResult {
  ode: SymmetricOdeResult;
  /** Absolute errors of the trajectory's samples (null until the rerun is done). */
  errors: SymmetricErrors | null;
  /** The plateau at (K, eta) (null: K = 1 has none, or it could not be computed: plateauError). */
  plateau: PlateauResult | null;
  plateauError: string | null;
  /** The learning-rate limits against K (null until computed, or etaLimitsError). */
  etaLimits: EtaLimitsResult | null;
  etaLimitsError: string | null;
  delta: number;
}

const SETTING = "Setting (K = M, T = t I)";
const LEARNING = "Learning and start";
const fields: Field[] = [
  formField(symmetricActivation, { group: SETTING, value: "relu" }),
  formField(symmetricTeacherActivation, { value: "same", choices: ["same", ...ACTIVATIONS], group: SETTING }),
  formField(symmetricK, { group: SETTING }),
  formField(symmetricT, { group: SETTING }),
  formField(symmetricV, { group: SETTING, label: "v (student output weights)" }),
  formField(symmetricVStar, { group: SETTING, label: "v* (teacher output weights)" }),
  formField(learningRate, { group: LEARNING, value: "0.02", hint: "with unit output weights ε_g grows like K: η of order 1/K" }),
  formField(symmetricQ0, { group: LEARNING }),
  formField(C0, { group: LEARNING }),
  formField(symmetricR0, { group: LEARNING }),
  formField(S0, { group: LEARNING }),
  formField(alphaMax, { group: LEARNING, value: "5000" }),
  formField(samples, { group: LEARNING, value: "201" }),
  formField(integrator, { group: "ODE numerics", value: "adaptive", choices: ["adaptive", "rk4", "euler"] }),
  formField(step, { group: "ODE numerics" }),
  formField(delta, { group: "Plateau" }),
  formField(escapeConstant, { group: "Plateau", value: "false", hint: "slow for large K: the escape lasts ~ln(1/δ)/λ" }),
  formField(etaLimitsK, { group: "η limits against K", value: "2,10,100,1000,10000" }),
  formField(etaLimitsPrecision, { group: "η limits against K" }),
];

function parse(v: Values): LargeKParams {
  const r = <T>(id: string) => read<T>(fields, v, id);
  const setting = {
    activation: r<IntegrateSymmetricOptions["activation"]>("activation"),
    ...(v.teacherActivation === undefined || v.teacherActivation === "same" ? {} : { teacherActivation: r<IntegrateSymmetricOptions["activation"]>("teacherActivation") }),
    T: r<number>("T"), v: r<number>("v"), vStar: r<number>("vStar"),
  };
  const ode: IntegrateSymmetricOptions = {
    ...setting, K: r("K"), learningRate: r("eta"), Q0: r("Q0"), C0: r("C0"), R0: r("R0"), S0: r("S0"),
    alphaMax: r("alphaMax"), samples: r("samples"), integrator: r("integrator"), step: r("step"),
  };
  return { setting, ode, delta: r("delta"), escapeConstant: r("escapeConstant"), limits: { ...setting, K: r("etaLimitsK"), precision: r("precision") } };
}

/** etaLimits() results of this worker, by their options: editing K or eta does not recompute them. */
const cache = new Map<string, EtaLimitsResult>();
const CACHE_SIZE = 4;

/** A computation that ends without a result (not an input error): its message, shown in the tables. */
function finding(e: unknown): string {
  if (isOptionError(e) || !(e instanceof RangeError)) throw e;
  return e.message;
}

async function compute(p: LargeKParams, ctx: ComputeContext): Promise<LargeKResult> {
  await ready();
  ctx.progress({ label: "integrating the site-symmetric ODE" });
  const ode = atFields(fields, () => integrateSymmetric(withControl(p.ode, { onProgress: ctx.listener("site-symmetric ODE", "alpha") })));
  const result: LargeKResult = { ode, errors: null, plateau: null, plateauError: null, etaLimits: null, etaLimitsError: null, delta: p.delta };
  const K = ode.options.K;
  if (K < 2) result.plateauError = "K = 1: no plateau (R = S needs a teacher other than the student's own)";
  else {
    ctx.progress({ label: `the plateau at K = ${K}, η = ${ode.options.learningRate}${p.escapeConstant ? " and its escape" : ""}` });
    try {
      result.plateau = atFields(fields, () => plateau(withControl({ ...p.setting, K, learningRate: ode.options.learningRate, delta: p.delta, escapeConstant: p.escapeConstant }, { onProgress: ctx.listener("plateau") })), { K: "K" });
    } catch (e) {
      result.plateauError = finding(e);
    }
  }
  ctx.partial({ ...result });
  // the digits printed: a rerun with half the step (adaptive: rtol/100), as `scm ode-symmetric`
  ctx.progress({ label: "checking digits (a rerun with half the step or tighter tolerances)" });
  const { eg, Q, C, R, S, method } = symmetricErrorEstimate(ode);
  result.errors = { eg, Q, C, R, S, method };
  const key = JSON.stringify(p.limits);
  const cached = cache.get(key);
  if (cached) result.etaLimits = cached;
  else {
    ctx.partial({ ...result });
    ctx.progress({ label: `η limits for ${p.limits.K!.length} values of K`, done: 0, total: p.limits.K!.length });
    try {
      result.etaLimits = atFields(fields, () => etaLimits(withControl(p.limits, { onProgress: ctx.listener("η limits", "values of K") })), { K: "etaLimitsK", precision: "precision" });
      cache.set(key, result.etaLimits);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    } catch (e) {
      result.etaLimitsError = finding(e);
    }
  }
  return result;
}

const panelSize = { width: 260, height: 220 };
const CHOSEN = "chosen (K, η)";

/** eta limits against K with the chosen (K, eta) marked, and the plateau length at the fastest escape against K with the chosen one's. */
function limitsPanels(r: LargeKResult): Record<string, unknown>[] {
  const o = r.ode.options;
  const etas: Record<string, unknown>[] = [], lengths: Record<string, unknown>[] = [];
  const L = Math.log(1 / r.delta);
  for (const row of r.etaLimits?.rows ?? []) {
    if (row.etaPerfectStable) etas.push({ K: row.K, value: row.etaPerfectStable, series: "perfect learning stable below" });
    if (row.etaOptimalEscape) etas.push({ K: row.K, value: row.etaOptimalEscape, series: "fastest plateau escape" });
    if (row.maxEscapeRate) lengths.push({ K: row.K, value: L / row.maxEscapeRate, series: "at the fastest-escape η" });
  }
  const chosenEta = [{ K: o.K, value: o.learningRate, series: CHOSEN }];
  const lam = r.plateau?.escapeRate;
  const chosenLength = lam ? [{ K: o.K, value: L / lam, series: CHOSEN }] : [];
  const x = { field: "K", type: "quantitative", title: "K (= M)", scale: { type: "log" } };
  // one color scale (and legend) for the curves and the chosen point
  const panel = (rows: Record<string, unknown>[], chosen: Record<string, unknown>[], title: string, curves: string[]) => {
    const y = { field: "value", type: "quantitative", title, scale: { type: "log" } };
    const color = { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 300 }, scale: { domain: [...curves, CHOSEN], range: ["#4c78a8", "#f58518", "#54a24b"].slice(0, curves.length).concat("#222222") } };
    return {
      ...panelSize,
      data: { values: [...rows, ...chosen] },
      layer: [
        { transform: [{ filter: `datum.series != '${CHOSEN}'` }], mark: { type: "line", point: true, strokeWidth: 1.5 }, encoding: { x, y, color } },
        { transform: [{ filter: `datum.series == '${CHOSEN}'` }], mark: { type: "point", shape: "diamond", size: 110, filled: true, opacity: 1 }, encoding: { x, y, color } },
      ],
    };
  };
  return [
    panel(etas, chosenEta, "learning rate η", ["perfect learning stable below", "fastest plateau escape"]),
    panel(lengths, chosenLength, `plateau length ln(1/δ)/λ, δ = ${r.delta}`, ["at the fastest-escape η"]),
  ];
}

function figure(r: LargeKResult): Record<string, unknown> {
  const { $schema: _s, config: _c, title: _t, ...trajectory } = symmetricTrajectorySpec(r.ode, {
    egShown: r.errors ? ((last) => (s: number) => s <= last)(lastVerifiedEg(r.ode, r.errors)) : undefined,
    plateauEg: r.plateau?.fixedPoint?.eg,
    width: panelSize.width,
  });
  const o = r.ode.options;
  const notes = [
    r.errors ? "ε_g drawn while a rerun confirms it to 10%" : "",
    r.plateau?.fixedPoint ? "dotted: the plateau's ε_g" : "",
    r.etaLimits ? "" : r.etaLimitsError ? "η limits: not computed" : "η limits: computing…",
  ].filter(Boolean);
  return {
    $schema: SCHEMA,
    title: { text: `Large networks: site-symmetric ODE, K = M = ${o.K}, η = ${o.learningRate}`, subtitle: `${settingText(o)}${notes.length ? "; " + notes.join("; ") : ""}` },
    vconcat: [trajectory, { hconcat: limitsPanels(r), resolve: { scale: { color: "independent" } } }],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}

function tables(r: LargeKResult): Table[] {
  const o = r.ode;
  const trajectory: Table = { caption: "Site-symmetric ODE: checking which digits are exact…", header: [...SYMMETRIC_COLUMNS], rows: [] };
  if (r.errors) {
    trajectory.caption = `Site-symmetric ODE (Q = Q_ii, C = Q_ik, R = R_ii, S = R_in): digits shown agree with the ${r.errors.method}; "<x": below the error estimate; ε_g "unresolved" past the first sample not confirmed to 10%`;
    trajectory.rows = symmetricRows(o, r.errors, everyNth(o.alpha.length, Math.max(1, Math.ceil((o.alpha.length - 1) / 10))));
  }
  const fixed: Table = { caption: `Plateau R = S at K = ${o.options.K}, η = ${o.options.learningRate}: fixed point to the digits residual / smallest |eigenvalue| supports, rates to the Jacobian's estimated error`, header: ["quantity", "value", "how"], rows: [] };
  if (r.plateau) fixed.rows = plateauSummaryRows(r.plateau);
  else fixed.caption = `Plateau: ${r.plateauError ?? "computing…"}`;
  const blocks: Table = { caption: "Eigenvalues of the full ODE's Jacobian at the plateau, block by block in the irreducible representations of S_K (each with its block's multiplicity)", header: ["representation", "partition", "size", "multiplicity", "eigenvalues"], rows: r.plateau ? plateauBlockRows(r.plateau) : [] };
  const limits: Table = { caption: "η limits against K: computing…", header: [...ETA_LIMITS_COLUMNS, "ln(1/δ)/λ at the fastest escape"], rows: [] };
  if (r.etaLimits) {
    const L = Math.log(1 / r.delta);
    limits.caption = `Learning-rate limits against K (${settingText(r.etaLimits.options)}): etaPerfectStable to its estimated accuracy, etaOptimalEscape to ${r.etaLimits.options.precision} relative, the escape rate (and the plateau length from it) to 4 digits; definitions in the JSON export`;
    limits.rows = etaLimitsRows(r.etaLimits).map((row, i) => {
      const lam = r.etaLimits!.rows[i].maxEscapeRate;
      return [...row, lam ? (L / lam).toPrecision(4) : "-"];
    });
  } else if (r.etaLimitsError) limits.caption = `η limits against K: not computed. ${r.etaLimitsError}`;
  return [trajectory, fixed, blocks, limits];
}

function summary(r: LargeKResult): string {
  const o = r.ode;
  const parts = [`ODE ${o.status}: ${o.message} (${o.stats.steps} steps, ${o.stats.wallTimeMs.toFixed(0)} ms)`];
  if (r.plateau) parts.push(`plateau ${r.plateau.status}${r.plateau.escapeRate !== null ? `, escape rate ${r.plateau.escapeRate.toPrecision(4)}` : ""} (${r.plateau.stats.wallTimeMs.toFixed(0)} ms)`);
  if (r.etaLimits) parts.push(`η limits for ${r.etaLimits.rows.length} values of K (${r.etaLimits.stats.wallTimeMs.toFixed(0)} ms)`);
  return parts.join("; ") + ".";
}

/** Everything at full precision: {ode, plateau, etaLimits} as `scm ode-symmetric|plateau|eta-limits --format json` give them. */
function json(r: LargeKResult): string {
  return JSON.stringify({ ode: symmetricResultToJSON(r.ode), plateau: r.plateau, plateauError: r.plateauError, etaLimits: r.etaLimits, etaLimitsError: r.etaLimitsError, delta: r.delta }) + "\n";
}

/** One tidy table: dataset (trajectory, plateau, etaLimits), K, eta, alpha, quantity, value. */
function csv(r: LargeKResult): string {
  const lines = ["dataset,K,eta,alpha,quantity,value"];
  const o = r.ode;
  const { K, learningRate: eta } = o.options;
  o.alpha.forEach((a, s) => {
    for (const [q, x] of [["eg", o.eg], ["Q", o.Q], ["C", o.C], ["R", o.R], ["S", o.S]] as const) lines.push(`trajectory,${K},${eta},${a},${q},${x[s]}`);
  });
  const p = r.plateau;
  if (p?.fixedPoint) {
    const add = (q: string, x: number | null | undefined) => x !== null && x !== undefined && lines.push(`plateau,${K},${eta},,${q},${x}`);
    for (const q of ["Q", "C", "R", "S", "eg"] as const) add(q, p.fixedPoint[q]);
    add("escapeRate", p.escapeRate);
    add("plateauLengthLeading", p.plateauLengthLeading);
    add("plateauLength", p.plateauLength);
    add("D", p.escapeConstant?.D);
    p.eigenvalues.forEach((b) => b.values.forEach((e, j) => {
      add(`eigenvalue_${b.partition}_${j + 1}_re`, e.re);
      add(`eigenvalue_${b.partition}_${j + 1}_im`, e.im);
    }));
  }
  for (const row of r.etaLimits?.rows ?? []) {
    const add = (q: string, x: number | null | undefined, at: number | null = null) => x !== null && x !== undefined && lines.push(`etaLimits,${row.K},${at ?? ""},,${q},${x}`);
    add("etaPerfectStable", row.etaPerfectStable, row.etaPerfectStable);
    add("perfectAccuracy", row.perfectAccuracy, row.etaPerfectStable);
    add("etaOptimalEscape", row.etaOptimalEscape, row.etaOptimalEscape);
    add("maxEscapeRate", row.maxEscapeRate, row.etaOptimalEscape);
    add("plateauEg", row.plateauAtOptimum?.eg, row.etaOptimalEscape);
  }
  return lines.join("\n") + "\n";
}

export const largeK: ViewDefinition<LargeKParams, LargeKResult> = {
  id: "large-k",
  title: "Large networks",
  description: "Online learning for K = M up to 10⁶ in the site-symmetric subspace (docs/theory.md section 11: T = t I, equal output weights): the order parameters Q, C, R, S and ε_g against α, the unspecialised plateau at the chosen K and η with its escape rate and predicted length, and the learning-rate limits and the plateau length against K.",
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
      "For a teacher with K orthogonal units and a student of the same size, started with every unit alike, online learning keeps the symmetry: four overlaps describe the state whatever K is (Q: each student's squared norm, C: between two students, R: a student with its own teacher, S: with the others). The trajectory figure shows them, with (K-1) C and (K-1) S so that large K stays readable.",
      "On the plateau no student has picked its teacher yet (R = S). It is a saddle: a small specialisation R − S = δ grows at the escape rate λ, so the plateau lasts about ln(1/δ)/λ. The lower panels show how the largest learning rate at which perfect learning is stable, and the learning rate of the fastest escape, fall with K, and how long the plateau then lasts.",
    ],
    theory: [{ title: "site-symmetric reduction", anchor: "11-site-symmetric-reduction-of-the-ode" }, { title: "the plateau and its escape", anchor: "113-the-plateau-and-its-escape" }, { title: "learning-rate limits against K", anchor: "114-learning-rate-limits-against-k" }],
  },
};
