// `scm equilibrium` and `scm transitions`: the equilibrium theory of [O] (THEORY section 5).
import { parseArgs } from "node:util";
import { equilibrium, transitions, type EquilibriumOptions, type EquilibriumResult, type TransitionsResult } from "../index";
import { CliError, parseList, parseNumber } from "./args";
import { emit, outputOf, type Io } from "./ode";
import { formatVerified, type Format } from "./output";
import { equilibriumCsv, equilibriumJson, equilibriumSpec } from "../text/equilibrium";

export const equilibriumHelp = `scm equilibrium: every local minimum of the site-symmetric free energy beta f(R, S, C) of [O]
(THEORY.md section 5) over an alpha grid, by multistart and continuation in both directions,
labelled unspecialized (R = S), specialized (R > S) or antiSpecialized (R < S).

  --activation relu|sigmoid      hidden units (default relu; sigmoid = 1 + erf(x/sqrt 2))
  --K N                          hidden units of student and teacher, 1..1e6 (default 2)
  --alpha-max X                  last alpha (default 20)
  --samples N                    evenly spaced alphas from 0 (default 201)
  --alpha-points a,b,c           explicit increasing alphas (instead of the two above)
  --site-symmetry / --no-site-symmetry  stability check in all K^2 + K(K-1)/2 order parameters
                                 (default on for K <= 10, on 50 evenly spaced alphas)
  --format json|csv|table        stdout format (default table); json keys: alpha, branches (each
                                 label, R, S, C, eg, freeEnergy arrays over alpha, null where the
                                 branch does not exist; hessianEigenvalues, siteSymmetry), global
  --out FILE                     write there instead of stdout (format from .json/.csv/.txt)
  --every N                      table: every N-th alpha
  --plot FILE.svg                R, S, C and eps_g against alpha per branch (the figures of [O])`;

export const transitionsHelp = `scm transitions: characteristic alphas of hidden-unit specialisation (THEORY.md section 5):
alpha_s (a specialised minimum appears), alpha_c (it becomes global, or |R - S| starts to grow),
alpha_inst (the R = S minimum loses stability), the kind of the transition and the branches there.
alpha_s and alpha_inst by Newton on extended systems (fold: grad f = 0, H v = 0), alpha_c by Brent on
the free-energy difference; the table prints the digits each value's tolerance supports (at most 10;
json: tolerances, methods). K = 1 .. 10^6; about 1 s each at K = 10^4.

  --activation relu|sigmoid      (default relu)
  --K N[,N...]                   one or more K (default 2); several K print one row / object each
  --format json|table            json: {alphaS, alphaC, alphaInst (number or null), definitions,
                                 kind, jump, exponent, branches {alphaS, alphaC, alphaInst}, ...}
                                 (an array of those for several K)
  --out FILE                     write there instead of stdout`;

const eqArgs = {
  activation: { type: "string" }, K: { type: "string" }, "alpha-max": { type: "string" }, samples: { type: "string" },
  "alpha-points": { type: "string" }, "site-symmetry": { type: "boolean" }, "no-site-symmetry": { type: "boolean" },
  format: { type: "string" }, out: { type: "string", multiple: true }, every: { type: "string" }, plot: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

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
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const spec = equilibriumSpec(r);
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export async function runEquilibrium(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: eqArgs, allowPositionals: false, strict: true });
  if (values.help) {
    io.stdout(equilibriumHelp + "\n");
    return 0;
  }
  const o: EquilibriumOptions = { activation: (values.activation ?? "relu") as EquilibriumOptions["activation"], K: parseNumber("K", values.K, { integer: true }) ?? 2 };
  const am = parseNumber("alpha-max", values["alpha-max"]);
  if (am !== undefined) o.alphaMax = am;
  const sm = parseNumber("samples", values.samples, { integer: true });
  if (sm !== undefined) o.samples = sm;
  const pts = parseList("alpha-points", values["alpha-points"]);
  if (pts) o.alphas = pts;
  if (values["site-symmetry"]) o.siteSymmetry = true;
  if (values["no-site-symmetry"]) o.siteSymmetry = false;
  const { format, every } = outputOf(values);
  if (values.plot !== undefined && !values.plot.endsWith(".svg")) throw new CliError(`--plot must name an .svg file; got ${JSON.stringify(values.plot)}`);
  const r = equilibrium(o);
  emit(io, values.out, format, (f) => renderEquilibrium(r, f, every));
  if (values.plot) {
    io.writeFile(values.plot, await equilibriumSvg(r));
    io.stderr(`wrote ${values.plot}\n`);
  }
  io.stderr(`${r.branches.length} branches over ${r.alpha.length} alphas (${r.stats.minimizations} minimizations, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

const trArgs = { activation: { type: "string" }, K: { type: "string" }, format: { type: "string" }, out: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } } as const;

function transitionsTable(rs: TransitionsResult[]): string {
  // the digits each value's stated tolerance supports (tolerances: 1e-15 .. ~5e-8 relative), at most 10
  const f = (x: number | null, tol: number | null) => (x === null ? "-" : tol === null ? "unresolved" : formatVerified(x, tol * Math.abs(x), 10));
  const lines = [`# ${rs[0].activation}: alpha_s, alpha_c, alpha_inst (definitions: --format json), kind, jump in R - S at alpha_c or fitted exponent of |R - S|`];
  lines.push(["K", "alpha_s", "alpha_c", "alpha_inst", "alpha_c/K", "kind", "jump|exponent", "status"].join("\t"));
  for (const r of rs) lines.push([r.K, f(r.alphaS, r.tolerances.alphaS), f(r.alphaC, r.tolerances.alphaC), f(r.alphaInst, r.tolerances.alphaInst), r.alphaC === null ? "-" : (r.alphaC / r.K).toPrecision(6), r.kind, r.jump !== null ? r.jump.toPrecision(4) : r.exponent ? `exp ${r.exponent.value.toFixed(3)}` : "-", r.status].join("\t"));
  for (const r of rs) for (const w of r.warnings) lines.push(`# K = ${r.K}: warning: ${w}`);
  return lines.join("\n") + "\n";
}

export function runTransitions(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: trArgs, allowPositionals: false, strict: true });
  if (values.help) {
    io.stdout(transitionsHelp + "\n");
    return 0;
  }
  const Ks = parseList("K", values.K) ?? [2];
  const { format } = outputOf(values);
  if (format === "csv") throw new CliError(`--format must be json or table for scm transitions; got "csv"`);
  const rs = Ks.map((K) => transitions({ activation: (values.activation ?? "relu") as "relu", K }));
  emit(io, values.out, format, (fmt) => (fmt === "json" ? JSON.stringify(rs.length === 1 ? rs[0] : rs) + "\n" : transitionsTable(rs)));
  for (const r of rs) io.stderr(`K = ${r.K}: ${r.status}: ${r.message} (${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}
