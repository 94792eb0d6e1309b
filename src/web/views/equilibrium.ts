// The equilibrium view: every local minimum of the site-symmetric free energy of [O] over an alpha
// grid, per branch (equilibrium(), docs/theory.md section 5), and the characteristic alphas of the
// specialisation transition (transitions()). Figure and exports are those of `scm equilibrium`.
import { equilibrium, resolveEquilibriumOptions, type EquilibriumOptions, type EquilibriumResult } from "../../equilibrium/equilibrium";
import { transitions, type BranchPoint, type TransitionsResult } from "../../equilibrium/transitions";
import type { EquilibriumActivation } from "../../equilibrium/freeEnergy";
import { OptionError } from "../../core/errors";
import { equilibriumCsv, equilibriumData, equilibriumSpec, type AlphaMark } from "../../text/equilibrium";
import { formatVerified } from "../../text/digits";
import { withControl } from "../../text/progress";
import { atFields, formField } from "../../options/form";
import { option } from "../../options/option";
import { equilibriumActivation, equilibriumK, equilibriumSamples, equilibriumAlphaMax } from "../../options/catalog/equilibrium";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { read } from "./setting";

export interface EquilibriumParams {
  activation: EquilibriumActivation;
  K: number;
  alphaMin: number;
  alphaMax: number;
  samples: number;
}

export interface EquilibriumViewResult {
  equilibrium: EquilibriumResult;
  /** null until computed (the first, partial result has only the curves). */
  transitions: TransitionsResult | null;
}

/** The grid's lower end: the page's own option (the API takes alphas, the CLI alpha-max and samples from 0). */
const alphaMin = option({ name: "alphaMin", flag: "alpha-min", type: "number", range: { min: 0 }, group: "equilibrium", default: 0, help: "first alpha of the grid", web: { label: "α min" } });

const fields: Field[] = [
  formField(equilibriumActivation, { group: "Model" }),
  formField(equilibriumK, { group: "Model" }),
  formField(alphaMin, { group: "α grid", value: "0" }),
  formField(equilibriumAlphaMax, { group: "α grid", value: "12", hint: "relu: transitions near α ≈ 6.1–6.3; sigmoid: ≈ 24 (K = 2) to ≈ 70 (large K)" }),
  formField(equilibriumSamples, { group: "α grid", value: "121", label: "points (α min and α max included)" }),
];

function parse(v: Values): EquilibriumParams {
  const r = <T>(id: string) => read<T>(fields, v, id);
  return { activation: r("activation"), K: r("K"), alphaMin: r("alphaMin"), alphaMax: r("alphaMax"), samples: r("samples") };
}

/** equilibrium() options: from 0 exactly those of `scm equilibrium --alpha-max --samples`; else an explicit grid. */
export function equilibriumOptions(p: EquilibriumParams): EquilibriumOptions {
  const { activation, K, alphaMin, alphaMax, samples } = p;
  atFields(fields, () => resolveEquilibriumOptions({ activation, K, alphaMax, samples })); // the API's own checks, before any work
  if (alphaMin === 0) return { activation, K, alphaMax, samples };
  atFields(fields, () => {
    if (!(alphaMin < alphaMax)) throw new OptionError({ option: "alphaMin", value: alphaMin, accepted: `a number >= 0 and < α max (${alphaMax})`, related: ["alphaMax"], reason: `must be below α max = ${alphaMax}; got ${alphaMin}` });
  });
  // written so that both ends are exactly the numbers typed
  return { activation, K, alphas: Array.from({ length: samples }, (_, i) => (alphaMin * (samples - 1 - i) + alphaMax * i) / (samples - 1)) };
}

async function compute(p: EquilibriumParams, ctx: ComputeContext): Promise<EquilibriumViewResult> {
  ctx.progress({ label: "every local minimum of βf on the α grid" });
  const eq = equilibrium(withControl(equilibriumOptions(p), { onProgress: ctx.listener("local minima", "alphas") }));
  ctx.partial({ equilibrium: eq, transitions: null });
  ctx.progress({ label: "locating α_s, α_c and α_inst" });
  return { equilibrium: eq, transitions: transitions(withControl({ activation: p.activation, K: p.K }, { onProgress: ctx.listener("transitions") })) };
}

/** The characteristic alphas as rules on the figure (one rule for coinciding values). */
function marks(t: TransitionsResult | null): AlphaMark[] {
  if (!t) return [];
  const out: AlphaMark[] = [];
  for (const [name, a] of [["α_s", t.alphaS], ["α_c", t.alphaC], ["α_inst", t.alphaInst]] as const) {
    if (a === null) continue;
    const same = out.find((m) => m.alpha === a);
    if (same) same.name += ` = ${name}`;
    else out.push({ alpha: a, name });
  }
  return out;
}

function figure(r: EquilibriumViewResult): Record<string, unknown> {
  return equilibriumSpec(r.equilibrium, marks(r.transitions));
}

// Digits of the characteristic alphas: those the stated relative tolerance supports, and at most
// 10 (as `scm transitions` and the README's table): the root finders' tolerances (down to 1e-15)
// reach the rounding noise of the functions whose roots they are, which the last digits would not survive.
const MAX_ALPHA_DIGITS = 10;
// eps_g of a minimum: Newton converges to rounding, and the alpha it is taken at is known to the
// tolerance above; 6 digits sit well inside both (the CLI's curve table prints 8).
const EG_DIGITS = 6;

export function formatAlpha(x: number | null, tolerance: number | null): string {
  if (x === null) return "none";
  if (tolerance === null) return "unresolved";
  return formatVerified(x, tolerance * Math.abs(x), MAX_ALPHA_DIGITS);
}

const egList = (pts: BranchPoint[]) => (pts.length ? pts.map((b) => `${b.label} ${b.eg.toPrecision(EG_DIGITS)}`).join("; ") : "–");
const tolNote = (tol: number | null) => (tol === null ? "" : `located to ${tol.toExponential(1)} relative`);

function table(r: EquilibriumViewResult): Table {
  const header = ["quantity", "value", "how"];
  const t = r.transitions;
  if (!t) return { caption: "Transitions: locating α_s, α_c and α_inst…", header, rows: [] };
  const rows: string[][] = [
    ["α_s", formatAlpha(t.alphaS, t.tolerances.alphaS), ["a specialised (R > S) minimum appears", tolNote(t.tolerances.alphaS)].filter(Boolean).join("; ")],
    ["α_c", formatAlpha(t.alphaC, t.tolerances.alphaC), ["it becomes the global minimum", tolNote(t.tolerances.alphaC)].filter(Boolean).join("; ")],
    ["α_inst", formatAlpha(t.alphaInst, t.tolerances.alphaInst), ["the R = S minimum loses stability", tolNote(t.tolerances.alphaInst)].filter(Boolean).join("; ")],
    ["kind", t.kind, "decided from the computation: discontinuous when R − S of the global minimum jumps at α_c"],
  ];
  // jump: R - S of two minima converged to rounding at alpha_c, 4 digits (as scm transitions)
  if (t.jump !== null) rows.push(["jump in R − S at α_c", t.jump.toPrecision(4), "specialised minus previous global minimum"]);
  // exponent: a least-squares slope, 3 decimals (as scm transitions); its fit quality beside it
  if (t.exponent) rows.push(["exponent of |R − S|", t.exponent.value.toFixed(3), `fitted on α − α_c in α_c·[${t.exponent.window.map((w) => w.toExponential(0)).join(", ")}], ${t.exponent.points} points, largest log residual ${t.exponent.maxResidual.toExponential(1)}`]);
  if (t.alphaS !== null) rows.push(["ε_g at α_s", egList(t.branches.alphaS), "every minimum there"]);
  if (t.alphaC !== null) rows.push(["ε_g at α_c", egList(t.branches.alphaC), "every minimum there"]);
  if (t.alphaInst !== null) rows.push(["ε_g at α_inst", egList(t.branches.alphaInst), "every minimum there"]);
  const warn = t.warnings.length ? ` Warning: ${t.warnings.join(" ")}` : "";
  return { caption: `Transitions (${t.status}): ${t.message}; digits shown: those the stated tolerance supports, at most ${MAX_ALPHA_DIGITS}; definitions and methods in the JSON export.${warn}`, header, rows };
}

function summary(r: EquilibriumViewResult): string {
  const e = r.equilibrium;
  let s = `${e.branches.length} branch${e.branches.length === 1 ? "" : "es"} over ${e.alpha.length} alphas (${e.stats.minimizations} minimizations, ${e.stats.wallTimeMs.toFixed(0)} ms)`;
  if (e.siteSymmetryChecked) {
    const checks = e.branches.flatMap((b) => b.siteSymmetry.filter((c) => c !== null));
    const unstable = checks.filter((c) => !c!.stable).length;
    s += `; site symmetry checked at ${checks.length} minima: ${unstable ? `${unstable} unstable against asymmetric deviations` : "all stable"}`;
  }
  const t = r.transitions;
  if (t) s += `. Transitions: ${t.status}, ${t.message} (${t.stats.wallTimeMs.toFixed(0)} ms)`;
  return s + ".";
}

function json(r: EquilibriumViewResult): string {
  // the JSON of `scm equilibrium --format json`, with that of `scm transitions --format json` beside it
  return JSON.stringify({ ...equilibriumData(r.equilibrium), transitions: r.transitions }) + "\n";
}

export const equilibriumView: ViewDefinition<EquilibriumParams, EquilibriumViewResult> = {
  id: "equilibrium",
  title: "Equilibrium ([O])",
  description: "Hidden-unit specialisation in equilibrium (docs/theory.md section 5): every local minimum of the free energy βf(R, S, C) against the training-set size α, per branch, and where the specialised state appears (α_s), becomes global (α_c) and where the unspecialised one loses stability (α_inst).",
  fields,
  parse,
  compute,
  figure,
  table,
  summary,
  csv: (r) => equilibriumCsv(r.equilibrium),
  json,
  explain: {
    text: [
      "Learning from α K N examples at high temperature: the order parameters are the minima of a free energy. At small α only the unspecialised minimum (R = S: every student overlaps equally with every teacher) exists; a specialised one (R > S) appears at α_s, becomes the global minimum at α_c, and the unspecialised one becomes unstable at α_inst.",
      "The grey band marks the global minimum, dotted rules the three α's. For ReLU the transition is continuous at K = 2 and discontinuous from K = 3; for the sigmoid the unspecialised state stays metastable up to α_inst ≈ 4πK.",
    ],
    theory: [{ title: "equilibrium theory", anchor: "5-equilibrium-high-temperature-theory" }, { title: "transitions", anchor: "56-transitions" }],
  },
};
