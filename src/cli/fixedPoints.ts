// `scm fixed-points`, `scm continue`, `scm eta-regimes`, `scm eta-sweep` (docs/theory.md section 4).
import { continueFixedPoint, etaSweep, fixedPoints, learningRateRegimes, type BranchResult, type RegimesOptions, type RegimesResult } from "../index";
import { OptionError, isOptionError } from "../core/errors";
import { expandMatrix, type MatrixSpec } from "../options/matrix";
import { settingFromValues } from "../options/setting";
import { fixedPointRow, regimeRows } from "../report/fixedPoints";
import type { Context } from "./context";
import { branchSvg, sweepSvg } from "./figures";
import { ODE_OPTIONS } from "./ode";

const fmt = (x: number, d = 10) => (Number.isFinite(x) ? String(+x.toPrecision(d)) : String(x));
const table = (header: string[], rows: string[][]) => {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (c: string[]) => c.map((x, j) => x.padStart(w[j])).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
};

/** The setting and the right-hand side's numerics (method, hermiteOrder) of the fixed-point commands. */
export function fixedPointSetting(values: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = { ...settingFromValues(values) };
  for (const n of ["method", "hermiteOrder", "averageTolerance"]) if (values[n] !== undefined) o[n] = values[n];
  return o;
}

/** --guess-Q and --guess-R (together) as a {Q, R} at the setting's shape. */
function guess(ctx: Context, K: number, M: number): { Q: number[][]; R: number[][] } | undefined {
  const q = ctx.given<MatrixSpec>("guessQ"), r = ctx.given<MatrixSpec>("guessR");
  if (!q !== !r) {
    const missing = q ? "guessR" : "guessQ";
    throw new OptionError({ option: missing, value: undefined, accepted: "a matrix", related: [q ? "guessQ" : "guessR"], reason: `is required with ${q ? "guessQ" : "guessR"} (a starting point needs both)` });
  }
  return q && r ? { Q: expandMatrix("guessQ", q, K, K), R: expandMatrix("guessR", r, K, M) } : undefined;
}

/** API errors about guesses[0].Q / start.R blamed on the flag that gave them. */
function blameGuess<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isOptionError(e) && (e.option === "guesses" || e.option === "start")) {
      const which = /R$/.test(e.element) ? "guessR" : "guessQ";
      throw new OptionError({ option: which, value: e.value, accepted: e.accepted, reason: e.reason, related: e.related });
    }
    throw e;
  }
}

const shape = (setting: Record<string, unknown>) => ({ K: (setting.K as number | undefined) ?? 2, M: (setting.M as number | undefined) ?? 2 });

export function runFixedPoints(ctx: Context): number {
  const setting = fixedPointSetting(ctx.args.values);
  const { K, M } = shape(setting);
  const g = guess(ctx, K, M);
  const r = blameGuess(() => fixedPoints({ ...setting, ...ctx.pick(["learningRate", "symmetric", "multiStart", "seed"]), guesses: g ? [g] : undefined, ...ctx.control("fixed points", "starts") }));
  ctx.emit((f) => {
    if (f === "json") return JSON.stringify(r) + "\n";
    const rows = r.fixedPoints.map((p) => {
      const x = fixedPointRow(p);
      return [x.stability, x.eg, x.residual, x.Q, x.R, x.eigenvalues];
    });
    return `# eta = ${r.learningRate}; values printed to the digits they are known to (eigenvalues: the Jacobian entries' estimated error times the dimension; "?" when that exceeds 1)\n` + table(["stability", "eg", "residual", "Q", "R", "eigenvalues"], rows);
  });
  ctx.io.stderr(`${r.fixedPoints.length} fixed points from ${r.starts} starts (${r.failed} did not converge), ${r.stats.wallTimeMs.toFixed(0)} ms\n`);
  return 0;
}

function renderBranch(b: BranchResult, f: string): string {
  if (f === "json") return JSON.stringify({ ...b, values: Array.from(b.values), eg: Array.from(b.eg) }) + "\n";
  const K = b.Q[0].length, M = b.R[0][0].length;
  const names = [b.parameter, "eg", "stability"];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) names.push(`Q_${i + 1}${k + 1}`);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) names.push(`R_${i + 1}${n + 1}`);
  const rows = Array.from(b.values, (p, s) => {
    const r = [p, b.eg[s]].map((x) => (f === "csv" ? String(x) : fmt(x, 10)));
    r.push(b.stability[s] ?? "");
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) r.push(f === "csv" ? String(b.Q[s][i][k]) : fmt(b.Q[s][i][k], 8));
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) r.push(f === "csv" ? String(b.R[s][i][n]) : fmt(b.R[s][i][n], 8));
    return r;
  });
  if (f === "csv") return [names.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
  return `# ${b.message}\n` + b.folds.map((x) => `# fold: ${b.parameter} = ${fmt(x.value, 10)}, eg = ${fmt(x.eg, 8)}, smallest singular value ${x.smallestSingularValue.toExponential(1)}\n`).join("") + table(names, rows);
}

/** --parameter "eta" or "T:n,m" (1-based, 1 <= n, m <= M) as the API's "eta" or [n - 1, m - 1]. */
export function continuationParameter(text: string, M: number): "eta" | [number, number] {
  if (text.trim() === "eta") return "eta";
  const m = /^\s*T\s*:\s*(-?\d+)\s*,\s*(-?\d+)\s*$/.exec(text);
  const accepted = `eta, or T:n,m with 1 <= n, m <= ${M} (1-based indices of the M x M teacher overlaps)`;
  if (!m) throw new OptionError({ option: "parameter", value: text, accepted, reason: `must be ${accepted}; got ${JSON.stringify(text)}` });
  const n = Number(m[1]), k = Number(m[2]);
  if (!(n >= 1 && n <= M && k >= 1 && k <= M)) throw new OptionError({ option: "parameter", value: text, accepted, related: ["M"], reason: `must be ${accepted}; got ${JSON.stringify(text)}` });
  return [n - 1, k - 1];
}

export async function runContinue(ctx: Context): Promise<number> {
  const setting = fixedPointSetting(ctx.args.values);
  const { K, M } = shape(setting);
  const parameter = continuationParameter(ctx.get<string>("parameter"), M);
  const start = guess(ctx, K, M);
  if (ctx.get<boolean>("full") && !start) throw new OptionError({ option: "full", value: true, accepted: "--full with --guess-Q and --guess-R", related: ["guessQ", "guessR"], reason: "needs a starting point, --guess-Q and --guess-R (the default start, the plateau, lies in the symmetric subspace)" });
  const direction = ctx.given<string>("direction");
  const plot = ctx.given<string>("plot");
  const b = blameGuess(() => continueFixedPoint({
    ...setting, ...ctx.pick(["learningRate", "min", "max", "step"]), parameter, symmetric: ctx.get<boolean>("full") !== true,
    start, direction: direction === undefined ? undefined : (Number(direction) as 1 | -1), ...ctx.control("continuation", "points"),
  }));
  ctx.emit((f) => renderBranch(b, f));
  if (plot) {
    ctx.writeFile("plot", plot, await branchSvg(b));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  ctx.io.stderr(`${b.status}: ${b.message} (${b.stats.points} points, ${b.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

export function renderRegimes(r: RegimesResult, f: string): string {
  if (f === "json") return JSON.stringify(r) + "\n";
  // digits: the bracket width (and the stated accuracy) limit what is printed; the last
  // digit's unit is at least that uncertainty (ceil: 4.8e-7 prints to 1e-6, not 1e-7)
  return table(["threshold", "value", "bracket", "definition"], regimeRows(r));
}

/** learningRateRegimes() options from the parsed values. */
export function etaRegimesOptions(values: Record<string, unknown>): RegimesOptions {
  const o: Record<string, unknown> = fixedPointSetting(values);
  for (const n of ["precision", "integrator", "step", "rtol", "atol", "convergenceTolerance", "divergenceBound"]) if (values[n] !== undefined) o[n] = values[n];
  return o as RegimesOptions;
}

export function runEtaRegimes(ctx: Context): number {
  const r = learningRateRegimes({ ...etaRegimesOptions(ctx.args.values), ...ctx.control("thresholds", "thresholds") });
  ctx.emit((f) => renderRegimes(r, f));
  ctx.io.stderr(`thresholds in ${r.stats.wallTimeMs.toFixed(0)} ms (trajectories: ${r.settings.integrator}, rtol ${r.settings.rtol}, atol ${r.settings.atol})\n`);
  return 0;
}

export async function runEtaSweep(ctx: Context): Promise<number> {
  const o: Record<string, unknown> = { ...settingFromValues(ctx.args.values) };
  for (const n of ODE_OPTIONS) if (n !== "learningRate" && ctx.args.values[n] !== undefined) o[n] = ctx.args.values[n];
  const plot = ctx.given<string>("plot");
  const r = etaSweep({ ...o, learningRates: ctx.get<number[]>("learningRates"), ...ctx.control("learning curves", "curves") });
  const format = ctx.format;
  const every = ctx.given<number>("every") ?? (format === "table" ? 10 : 1);
  ctx.emit((f) => {
    if (f === "json") return JSON.stringify({ learningRates: r.learningRates, curves: r.curves.map((c, j) => ({ eta: r.learningRates[j], alpha: Array.from(c.alpha), eg: Array.from(c.eg), status: c.status, message: c.message })) }) + "\n";
    const n = Math.max(...r.curves.map((c) => c.alpha.length));
    const longest = r.curves.find((c) => c.alpha.length === n)!;
    const rows: string[][] = [];
    for (let s = 0; s < n; s++) {
      if (f === "table" && s % every !== 0 && s !== n - 1) continue;
      rows.push([f === "csv" ? String(longest.alpha[s]) : fmt(longest.alpha[s]), ...r.curves.map((c) => (s < c.eg.length ? (f === "csv" ? String(c.eg[s]) : c.eg[s].toPrecision(6)) : ""))]);
    }
    const header = ["alpha", ...r.learningRates.map((e) => `eg(eta=${e})`)];
    return f === "csv" ? [header.join(","), ...rows.map((x) => x.join(","))].join("\n") + "\n" : table(header, rows);
  });
  if (plot) {
    ctx.writeFile("plot", plot, await sweepSvg(r));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  ctx.io.stderr(r.curves.map((c, j) => `eta = ${r.learningRates[j]}: ${c.status}`).join("; ") + ` (${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

export type { BranchResult, RegimesResult };
