// Figures (Vega-Lite specs) and printed rows of the fixed-point results (docs/theory.md section 4), shared by
// the CLI (rendered to SVG there) and the web page. Runtime-neutral: no vega, no Node modules.
import type { BranchResult, EtaSweepResult, FixedPoint, RegimesResult } from "../api";
import { formatVerified } from "../text/digits";

export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
export const CONFIG = { font: "sans-serif", view: { stroke: "#888" } };

const fmt = (x: number, d = 10) => (Number.isFinite(x) ? String(+x.toPrecision(d)) : String(x));

function panel(title: string, rows: Record<string, unknown>[], x: string, xTitle: string, log: boolean, marks: { value: number; kind: string }[] = []) {
  const line = {
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: x, type: "quantitative", title: xTitle },
      y: { field: "value", type: "quantitative", title, scale: log ? { type: "log" } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "top" } },
      order: { field: "s" },
    },
  };
  if (!marks.length) return { width: 300, height: 230, data: { values: rows }, ...line };
  // vertical rules: the fold (saddle-node) and other marked parameter values
  const rule = {
    data: { values: marks },
    mark: { type: "rule", strokeDash: [4, 3] },
    encoding: { x: { field: "value", type: "quantitative" }, stroke: { field: "kind", type: "nominal", title: null, scale: { domain: ["fold", "chosen η"], range: ["#d62728", "#888"] }, legend: { orient: "bottom" } } },
  };
  return { width: 300, height: 230, layer: [{ data: { values: rows }, ...line }, rule], resolve: { scale: { color: "independent" } } };
}

/** [E] Fig. 2b: the branch's coordinates and eps_g against the parameter, folds marked (and `at`, e.g. a chosen eta). */
export function branchSpec(b: BranchResult, opts: { at?: number } = {}): Record<string, unknown> {
  const K = b.Q[0].length, M = b.R[0][0].length;
  const qa: Record<string, unknown>[] = [], ra: Record<string, unknown>[] = [], ea: Record<string, unknown>[] = [];
  b.values.forEach((p, s) => {
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) qa.push({ p, s, series: `Q${i + 1}${k + 1}`, value: b.Q[s][i][k] });
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) ra.push({ p, s, series: `R${i + 1}${n + 1}`, value: b.R[s][i][n] });
    ea.push({ p, s, series: "ε_g", value: b.eg[s] });
  });
  const x = b.parameter === "eta" ? "η" : b.parameter;
  const marks = b.folds.map((f) => ({ value: f.value, kind: "fold" }));
  if (opts.at !== undefined) marks.push({ value: opts.at, kind: "chosen η" });
  return {
    $schema: SCHEMA,
    title: { text: `Fixed-point branch against ${x}`, subtitle: b.folds.length ? `fold (saddle-node, dashed red) at ${x} = ${b.folds.map((f) => f.value.toPrecision(10)).join(", ")}` : "no fold in range" },
    hconcat: [panel("Q", qa, "p", x, false, marks), panel("R", ra, "p", x, false, marks), panel("ε_g", ea, "p", x, false, marks)],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}

/** [E] Fig. 2a: eps_g(alpha) for several learning rates (log axis). */
export function sweepSpec(r: EtaSweepResult): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  r.curves.forEach((c, j) => c.alpha.forEach((a, s) => {
    if (c.eg[s] > 1e-8) rows.push({ alpha: a, s, series: `η = ${r.learningRates[j]}`, value: c.eg[s] });
  }));
  return {
    $schema: SCHEMA,
    title: { text: "Learning curves for several learning rates", subtitle: "ODE (d → ∞); ε_g shown above 1e-8" },
    ...panel("ε_g", rows, "alpha", "α", true),
    config: CONFIG,
  };
}

export const REGIME_KEYS = ["etaNonmonotonic", "etaFold", "etaDivergence", "etaPerfectStable"] as const;

/**
 * Significant digits of a threshold: the last one printed is no finer than its bracket width (or
 * stated accuracy), so the printed value is within one unit of its last digit of the threshold.
 */
export function thresholdDigits(t: NonNullable<RegimesResult["etaFold"]>): number {
  if (t.value === null) return 0;
  const width = Math.max(t.bracket ? t.bracket[1] - t.bracket[0] : 0, t.accuracy ?? 0, 1e-15);
  // (the slack keeps a width of 1e-4 + rounding at 1e-4)
  return Math.max(1, Math.min(15, Math.floor(Math.log10(Math.abs(t.value))) - Math.ceil(Math.log10(width) - 1e-9) + 1));
}

/** Rows [threshold, value, bracket, definition] (value printed to thresholdDigits). */
export function regimeRows(r: RegimesResult): string[][] {
  return REGIME_KEYS.filter((k) => r[k]).map((k) => {
    const t = r[k]!;
    return [k, t.value === null ? "none" : t.value.toPrecision(thresholdDigits(t)), t.bracket ? `[${t.bracket.map((x) => fmt(x, 12)).join(", ")}]` : "-", t.definition];
  });
}

/**
 * Digits of a fixed point: coordinates and eps_g to residual / (smallest |eigenvalue|) (Newton's
 * distance to the root), eigenvalues to D x the Jacobian's entry error (a bound on their shift).
 */
export function fixedPointRow(p: FixedPoint): { stability: string; eg: string; residual: string; Q: string; R: string; eigenvalues: string } {
  const D = p.u.length;
  const lam = Math.min(...p.eigenvalues.map((e) => Math.hypot(e.re, e.im)));
  const du = Math.max(p.residual / Math.max(lam, 1e-300), 1e-15);
  // |d eps_g / du| is O(1) for O(1) overlaps: the eps_g error is of the order of du
  const eigError = Math.max(D * p.jacobianError, 1e-15);
  const matrix = (A: number[][]) => "[" + A.map((row) => "[" + row.map((x) => formatVerified(x, Math.max(du, 1e-15 * Math.abs(x)), 8)).join(", ") + "]").join(", ") + "]";
  const eig = (e: { re: number; im: number }) => {
    // an uncertainty of order 1 or more (a singular fixed point, where F is not differentiable): no digit
    if (!(eigError < 1)) return "?";
    const re = formatVerified(e.re, eigError, 6);
    if (e.im === 0 || Math.abs(e.im) < 2 * eigError) return re;
    return `${re} ${e.im > 0 ? "+" : "−"} ${formatVerified(Math.abs(e.im), eigError, 6)}i`;
  };
  return {
    stability: p.stability + (p.stability === "saddle" ? ` (${p.unstableDirections} unstable)` : ""),
    eg: formatVerified(p.eg, Math.max(du, 1e-16), 8),
    residual: p.residual.toExponential(1),
    Q: matrix(p.Q),
    R: matrix(p.R),
    eigenvalues: p.eigenvalues.map(eig).join(", "),
  };
}
