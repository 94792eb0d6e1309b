// `scm equilibrium` and `scm transitions`: the equilibrium theory of [O] (docs/theory.md section 5).
import { equilibrium, transitions, type EquilibriumOptions, type EquilibriumResult, type TransitionsResult } from "../index";
import { formatVerified } from "../text/digits";
import type { Format } from "../text/odeTable";
import { equilibriumCsv, equilibriumJson, equilibriumSpec } from "../text/equilibrium";
import type { Context } from "./context";
import { renderSvg } from "./svg";

function equilibriumTable(r: EquilibriumResult, every: number): string {
  // Newton converges to rounding; 8 significant digits is well inside what the tests verify
  const f = (x: number | null) => (x === null ? "-" : x.toPrecision(8));
  const rows: string[] = [`# activation ${r.activation}, K = ${r.K}; * marks the global minimum; columns per branch: R S C eps_g beta_f`];
  rows.push(["alpha", ...r.branches.map((b, j) => `${b.label}#${j}`)].join("\t"));
  r.alpha.forEach((a, i) => {
    if (i % every !== 0 && i !== r.alpha.length - 1) return;
    rows.push([String(+a.toPrecision(10)), ...r.branches.map((b, j) => (b.R[i] === null ? "-" : `${r.global[i] === j ? "*" : ""}${[b.R[i], b.S[i], b.C[i], b.eg[i], b.freeEnergy[i]].map(f).join(" ")}`))].join("\t"));
  });
  return rows.join("\n") + "\n";
}

export function renderEquilibrium(r: EquilibriumResult, format: Format, every: number): string {
  if (format === "json") return equilibriumJson(r) + "\n";
  if (format === "csv") return equilibriumCsv(r);
  return equilibriumTable(r, every);
}

async function equilibriumSvg(r: EquilibriumResult): Promise<string> {
  return renderSvg(equilibriumSpec(r));
}

export async function runEquilibrium(ctx: Context): Promise<number> {
  const o = { ...ctx.pick(["activation", "K", "alphaMax", "samples", "alphas", "siteSymmetry"]) } as unknown as EquilibriumOptions;
  o.activation ??= "relu";
  o.K ??= 2;
  const every = ctx.get<number>("every");
  const plot = ctx.given<string>("plot");
  const r = equilibrium({ ...o, ...ctx.control("equilibrium", "alphas") });
  ctx.emit((f) => renderEquilibrium(r, f, every));
  if (plot) {
    ctx.writeFile("plot", plot, await equilibriumSvg(r));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  ctx.io.stderr(`${r.branches.length} branches over ${r.alpha.length} alphas (${r.stats.minimizations} minimizations, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

function transitionsTable(rs: TransitionsResult[]): string {
  // the digits each value's stated tolerance supports (tolerances: 1e-15 .. ~5e-8 relative), at most 10
  const f = (x: number | null, tol: number | null) => (x === null ? "-" : tol === null ? "unresolved" : formatVerified(x, tol * Math.abs(x), 10));
  const lines = [`# ${rs[0].activation}: alpha_s, alpha_c, alpha_inst (definitions: --format json), kind, jump in R - S at alpha_c or fitted exponent of |R - S|`];
  lines.push(["K", "alpha_s", "alpha_c", "alpha_inst", "alpha_c/K", "kind", "jump|exponent", "status"].join("\t"));
  for (const r of rs) lines.push([r.K, f(r.alphaS, r.tolerances.alphaS), f(r.alphaC, r.tolerances.alphaC), f(r.alphaInst, r.tolerances.alphaInst), r.alphaC === null ? "-" : (r.alphaC / r.K).toPrecision(6), r.kind, r.jump !== null ? r.jump.toPrecision(4) : r.exponent ? `exp ${r.exponent.value.toFixed(3)}` : "-", r.status].join("\t"));
  for (const r of rs) for (const w of r.warnings) lines.push(`# K = ${r.K}: warning: ${w}`);
  return lines.join("\n") + "\n";
}

export function runTransitions(ctx: Context): number {
  const Ks = ctx.get<number[]>("K");
  const activation = ctx.get<"relu" | "sigmoid">("activation");
  const control = ctx.control("transitions", "K");
  const rs = Ks.map((K, i) => {
    const r = transitions({ activation, K, ...control });
    control.onProgress(i + 1, Ks.length);
    return r;
  });
  ctx.emit((fmt) => (fmt === "json" ? JSON.stringify(rs.length === 1 ? rs[0] : rs) + "\n" : transitionsTable(rs)));
  for (const r of rs) ctx.io.stderr(`K = ${r.K}: ${r.status}: ${r.message} (${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}
