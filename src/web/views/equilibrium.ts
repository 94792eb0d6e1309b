// The equilibrium view: every local minimum of the site-symmetric free energy of [O] over an alpha
// grid, per branch (equilibrium(), THEORY section 5), and the characteristic alphas of the
// specialisation transition (transitions()). Figure and exports are those of `scm equilibrium`.
import { equilibrium, resolveEquilibriumOptions, type EquilibriumOptions, type EquilibriumResult } from "../../equilibrium/equilibrium";
import { transitions, type BranchPoint, type TransitionsResult } from "../../equilibrium/transitions";
import type { EquilibriumActivation } from "../../equilibrium/freeEnergy";
import * as check from "../../core/validate";
import { CliError, parseNumber } from "../../text/args";
import { equilibriumCsv, equilibriumData, equilibriumSpec, type AlphaMark } from "../../text/equilibrium";
import { formatVerified } from "../../cli/output";
import { FieldError, type ComputeContext, type Field, type Table, type Values, type ViewDefinition } from "../view";

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

const fields: Field[] = [
  { id: "activation", label: "activation", kind: "select", value: "relu", choices: ["relu", "sigmoid"], group: "Model", hint: "sigmoid: 1 + erf(x/√2)" },
  { id: "K", label: "K (hidden units of student and teacher)", kind: "number", value: "2", group: "Model", hint: "1 … 10⁶; site-symmetry checked for K ≤ 10" },
  { id: "alphaMin", label: "α min", kind: "number", value: "0", group: "α grid", options: ["alphas"] },
  { id: "alphaMax", label: "α max", kind: "number", value: "12", group: "α grid", hint: "relu: transitions near α ≈ 6.1–6.3; sigmoid: ≈ 24 (K = 2) to ≈ 70 (large K)" },
  { id: "samples", label: "points (α min and α max included)", kind: "number", value: "121", group: "α grid" },
];

/** The text parsers' errors re-addressed to the field ("--K must be ..." -> "K must be ..."). */
function field<T>(id: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CliError) throw new FieldError(id, e.message.replace(/^--/, ""));
    throw e;
  }
}

function parse(v: Values): EquilibriumParams {
  const num = (id: string, integer = false) => field(id, () => parseNumber(id, v[id], { integer })!);
  return { activation: v.activation as EquilibriumActivation, K: num("K", true), alphaMin: num("alphaMin"), alphaMax: num("alphaMax"), samples: num("samples", true) };
}

/** equilibrium() options: from 0 exactly those of `scm equilibrium --alpha-max --samples`; else an explicit grid. */
export function equilibriumOptions(p: EquilibriumParams): EquilibriumOptions {
  const { activation, K, alphaMin, alphaMax, samples } = p;
  resolveEquilibriumOptions({ activation, K, alphaMax, samples }); // the API's own checks, before any work
  if (alphaMin === 0) return { activation, K, alphaMax, samples };
  check.number("alphaMin", alphaMin, { min: 0 });
  if (!(alphaMin < alphaMax)) throw new RangeError(`alphaMin must be < alphaMax = ${alphaMax}; got ${alphaMin}`);
  // written so that both ends are exactly the numbers typed
  return { activation, K, alphas: Array.from({ length: samples }, (_, i) => (alphaMin * (samples - 1 - i) + alphaMax * i) / (samples - 1)) };
}

async function compute(p: EquilibriumParams, ctx: ComputeContext): Promise<EquilibriumViewResult> {
  ctx.progress({ label: "every local minimum of βf on the α grid" });
  const eq = equilibrium(equilibriumOptions(p));
  ctx.partial({ equilibrium: eq, transitions: null });
  ctx.progress({ label: "locating α_s, α_c and α_inst" });
  return { equilibrium: eq, transitions: transitions({ activation: p.activation, K: p.K }) };
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
  description: "Hidden-unit specialisation in equilibrium (THEORY.md section 5): every local minimum of the free energy βf(R, S, C) against the training-set size α, per branch, and where the specialised state appears (α_s), becomes global (α_c) and where the unspecialised one loses stability (α_inst).",
  fields,
  parse,
  compute,
  figure,
  table,
  summary,
  csv: (r) => equilibriumCsv(r.equilibrium),
  json,
};
