// Figures (Vega-Lite specs) and data files of the site-symmetric results (docs/theory.md
// section 11): learning-rate limits against K, and a site-symmetric trajectory. Runtime-neutral:
// the CLI renders the specs to SVG, the web page with vega-embed.
import type { EtaLimitsResult, PlateauResult, SymmetricOdeResult } from "../api";
import { symmetricResultToJSON } from "../symmetric/integrateSymmetric";
import type { SymmetricErrorEstimate } from "../symmetric/errorEstimate";
import { formatVerified } from "../text/digits";
import { CONFIG, SCHEMA } from "./fixedPoints";

const num = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));

/** eta limits against K (log-log), and the largest escape rate against K, for one or more activations. */
export function etaLimitsSpec(results: EtaLimitsResult[]): Record<string, unknown> {
  const etas: Record<string, unknown>[] = [], rates: Record<string, unknown>[] = [];
  for (const r of results) {
    const act = r.options.activation === r.options.teacherActivation ? r.options.activation : `${r.options.activation}/${r.options.teacherActivation}`;
    for (const row of r.rows) {
      if (row.etaPerfectStable) etas.push({ K: row.K, value: row.etaPerfectStable, series: `perfect learning stable below (${act})` });
      if (row.etaOptimalEscape) etas.push({ K: row.K, value: row.etaOptimalEscape, series: `fastest plateau escape (${act})` });
      if (row.maxEscapeRate) rates.push({ K: row.K, value: row.maxEscapeRate, series: `largest escape rate (${act})` });
    }
  }
  const panel = (rows: Record<string, unknown>[], title: string) => ({
    width: 320, height: 260,
    data: { values: rows },
    mark: { type: "line", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "K", type: "quantitative", title: "K (= M)", scale: { type: "log" } },
      y: { field: "value", type: "quantitative", title, scale: { type: "log" } },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: "Learning-rate limits of the site-symmetric soft committee machine against K", subtitle: "K = M, T = I, unit output weights; full ODE's Jacobian block by block in the irreducible representations of S_K" },
    hconcat: [panel(etas, "learning rate η"), panel(rates, "escape rate λ (per unit α)")],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}

export function etaLimitsJson(r: EtaLimitsResult): string {
  return JSON.stringify(r, null, 1);
}

export function etaLimitsCsv(r: EtaLimitsResult): string {
  const head = "K,etaPerfectStable,perfectStableLow,perfectStableHigh,perfectAccuracy,lostIn,crossing,etaOptimalEscape,maxEscapeRate,plateauQ,plateauC,plateauR,plateauS,plateauEg";
  const lines = r.rows.map((x) => [
    x.K, num(x.etaPerfectStable), num(x.perfectBracket?.[0]), num(x.perfectBracket?.[1]), num(x.perfectAccuracy), x.perfectLostIn?.partition ?? "", x.perfectLostIn?.crossing ?? "",
    num(x.etaOptimalEscape), num(x.maxEscapeRate), num(x.plateauAtOptimum?.Q), num(x.plateauAtOptimum?.C), num(x.plateauAtOptimum?.R), num(x.plateauAtOptimum?.S), num(x.plateauAtOptimum?.eg),
  ].join(","));
  return [head, ...lines].join("\n") + "\n";
}

/** What symmetricTrajectorySpec draws besides the curves. */
export interface TrajectoryFigureOptions {
  /** Samples whose eps_g is drawn (default all): e.g. only those a rerun confirms. */
  egShown?: (sample: number) => boolean;
  /** eps_g of the plateau, drawn as a dotted horizontal rule. */
  plateauEg?: number;
  /** alpha marks drawn as dotted vertical rules on the eps_g panel (e.g. a predicted escape). */
  alphaMarks?: { alpha: number; name: string }[];
  /** Panel width in pixels (default 260). */
  width?: number;
}

/**
 * Q and R, the summed overlaps with the other units (K - 1) C and (K - 1) S (C and S are of order
 * 1/K on the plateau: unscaled they would lie on the axis), and eps_g (log) against alpha.
 */
export function symmetricTrajectorySpec(r: SymmetricOdeResult, opts: TrajectoryFigureOptions = {}): Record<string, unknown> {
  const o = r.options;
  const others = o.K - 1;
  const own: Record<string, unknown>[] = [], sums: Record<string, unknown>[] = [], eg: Record<string, unknown>[] = [];
  r.alpha.forEach((a, s) => {
    own.push({ alpha: a, s, series: "Q (Q_ii)", value: r.Q[s] }, { alpha: a, s, series: "R (R_ii)", value: r.R[s] });
    if (others > 0) sums.push({ alpha: a, s, series: "(K−1) C", value: others * r.C[s] }, { alpha: a, s, series: "(K−1) S", value: others * r.S[s] });
    if (r.eg[s] > 0 && (opts.egShown?.(s) ?? true)) eg.push({ alpha: a, s, series: "ε_g", value: r.eg[s] });
  });
  const width = opts.width ?? 260;
  const x = { field: "alpha", type: "quantitative", title: "α", scale: { domain: [r.alpha[0] ?? 0, r.alpha[r.alpha.length - 1] ?? 1], nice: false } };
  const panel = (rows: Record<string, unknown>[], title: string, log: boolean) => ({
    width, height: 220, data: { values: rows }, mark: { type: "line", strokeWidth: 1.5, clip: true },
    encoding: {
      x,
      y: { field: "value", type: "quantitative", title, scale: log ? { type: "log" } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "top", labelLimit: 200 } },
      order: { field: "s" },
    },
  });
  const rules: Record<string, unknown>[] = [];
  if (opts.plateauEg !== undefined && opts.plateauEg > 0) rules.push({ data: { values: [{ value: opts.plateauEg, name: "plateau ε_g" }] }, mark: { type: "rule", strokeDash: [2, 3], color: "#888" }, encoding: { y: { field: "value", type: "quantitative" } } });
  const marks = (opts.alphaMarks ?? []).filter((m) => m.alpha >= (r.alpha[0] ?? 0) && m.alpha <= (r.alpha[r.alpha.length - 1] ?? 0));
  if (marks.length) rules.push({ data: { values: marks }, mark: { type: "rule", strokeDash: [4, 3], color: "#d62728" }, encoding: { x: { field: "alpha", type: "quantitative" }, tooltip: { field: "name" } } });
  const { width: _w, height: _h, ...egLayer } = panel(eg, "ε_g", true);
  const egPanel = rules.length ? { width, height: 220, layer: [egLayer, ...rules] } : panel(eg, "ε_g", true);
  const notes = [opts.egShown ? "ε_g drawn while a rerun confirms it to 10%" : "", rules.length ? "dotted: the plateau's ε_g" + (marks.length ? `; dashed: ${marks.map((m) => m.name).join(", ")}` : "") : ""].filter(Boolean);
  return {
    $schema: SCHEMA,
    title: { text: `Site-symmetric ODE, K = M = ${o.K}`, subtitle: `${settingText(o)}, η = ${shown(o.learningRate)}${notes.length ? "; " + notes.join("; ") : ""}` },
    hconcat: [panel(own, "Q, R", false), ...(others > 0 ? [panel(sums, "Σ over the other units: (K−1) C, (K−1) S", false)] : []), egPanel],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}

// ---- printed numbers (tables of `scm ode-symmetric`, `scm plateau`, `scm eta-limits` and the page)

/** `scm ode-symmetric --format json`: the result with arrays for Float64Arrays. */
export function symmetricJson(r: SymmetricOdeResult): string {
  return JSON.stringify(symmetricResultToJSON(r));
}

/** `scm ode-symmetric --format csv`: one row per sample, full double precision. */
export function symmetricCsv(r: SymmetricOdeResult): string {
  const lines = ["alpha,eg,Q,C,R,S"];
  r.alpha.forEach((a, s) => lines.push([a, r.eg[s], r.Q[s], r.C[s], r.R[s], r.S[s]].map(String).join(",")));
  return lines.join("\n") + "\n";
}

/** Absolute errors per sample (symmetricErrorEstimate without its rerun). */
export type SymmetricErrors = Pick<SymmetricErrorEstimate, "eg" | "Q" | "C" | "R" | "S" | "method">;

/**
 * Last sample whose eps_g the rerun confirms to 10% (-1: none): past it eps_g is printed
 * "unresolved", since near a perfect student the right-hand side's rounding sets a floor that
 * reruns can share (the rule of `scm ode`).
 */
export function lastVerifiedEg(r: SymmetricOdeResult, e: SymmetricErrors): number {
  let last = -1;
  while (last + 1 < e.eg.length && e.eg[last + 1] < 0.1 * Math.abs(r.eg[last + 1])) last++;
  return last;
}

export const SYMMETRIC_COLUMNS = ["alpha", "eg", "Q", "C", "R", "S"] as const;

/** Printed rows [alpha, eg, Q, C, R, S] of the samples `shown`, each value to the digits `e` confirms (all digits up to 6 without `e`). */
export function symmetricRows(r: SymmetricOdeResult, e: SymmetricErrors | null, shown: readonly number[]): string[][] {
  const lastEg = e ? lastVerifiedEg(r, e) : r.alpha.length - 1;
  const err = (a: Float64Array | undefined, s: number) => (e ? (a !== undefined && s < a.length ? a[s] : NaN) : undefined);
  return shown.map((s) => [
    String(+r.alpha[s].toPrecision(10)),
    formatVerified(r.eg[s], e ? (s <= lastEg ? e.eg[s] : NaN) : undefined),
    formatVerified(r.Q[s], err(e?.Q, s)), formatVerified(r.C[s], err(e?.C, s)), formatVerified(r.R[s], err(e?.R, s)), formatVerified(r.S[s], err(e?.S, s)),
  ]);
}

/** Samples 0, every, 2 every, ... and the last. */
export function everyNth(n: number, every: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s += every) out.push(s);
  if (n > 0 && out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** A fixed-width text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (c: readonly string[]) => c.map((x, j) => x.padStart(w[j])).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** `scm ode-symmetric` table: every `every`-th sample, verified digits when `e` is given. */
export function symmetricTable(r: SymmetricOdeResult, e: SymmetricErrors | null, every = 1): string {
  const note = e ? `# digits shown agree with the ${e.method}; "<x" means |value| below the error estimate; eps_g "unresolved" past the first sample not confirmed to 10%\n` : "";
  return note + textTable(SYMMETRIC_COLUMNS, symmetricRows(r, e, everyNth(r.alpha.length, every)));
}

/** Uncertainties behind the printed digits of a plateau. */
export function plateauErrors(p: PlateauResult): { coordinates: number; eg: number; eigenvalue: (size: number) => number; escapeRate: number } {
  const o = p.options;
  const trivial = p.eigenvalues.find((b) => b.representation === "trivial");
  // Newton's distance to the root: residual / smallest |eigenvalue| of the trivial block (which
  // holds the Jacobian of the R = S flow, plus the specialisation direction: conservative)
  const smallest = Math.min(...(trivial?.values ?? []).map((e) => Math.hypot(e.re, e.im)));
  const coordinates = Math.max((p.residual ?? 0) / Math.max(smallest, 1e-300), 1e-16);
  // eps_g sums ~K^2 pair terms with weights v^2, v v*, v*^2: its derivatives grow like K^2
  const w = Math.max(o.v * o.v, o.vStar * o.vStar, Math.abs(o.v * o.vStar));
  const eigenvalue = (size: number) => Math.max(size * p.stats.jacobianError, 1e-16);
  return { coordinates, eg: coordinates * o.K * o.K * w, eigenvalue, escapeRate: eigenvalue(Math.max(0, ...p.eigenvalues.map((b) => b.size))) };
}

/** D of ln(D/delta)/lambda: from delta = 1e-9 and 1e-7 it agrees to ~1e-6 (its check), so 4 digits. */
const D_RELATIVE = 1e-4;

/** [quantity, value, note] rows of a plateau: the fixed point, the escape rate and direction, the plateau length. */
export function plateauSummaryRows(p: PlateauResult): string[][] {
  const o = p.options;
  const rows: string[][] = [["status", p.status, p.message]];
  if (!p.fixedPoint) return rows;
  const e = plateauErrors(p);
  const f = p.fixedPoint;
  const coord = (x: number) => formatVerified(x, Math.max(e.coordinates, 1e-16 * Math.abs(x)), 8);
  rows.push(["Q", coord(f.Q), "Q_ii"], ["C", coord(f.C), "Q_ik, i ≠ k"], ["R = S", coord(f.R), "every R_in"]);
  rows.push(["ε_g", formatVerified(f.eg, Math.max(e.eg, 1e-16 * Math.abs(f.eg)), 8), `residual max |dF/dα| = ${(p.residual ?? 0).toExponential(1)}`]);
  if (p.escapeRate === null) rows.push(["escape rate λ", "none", "no eigenvalue with a positive real part: the plateau is stable"]);
  else {
    const lam = p.escapeRate;
    rows.push(["escape rate λ", formatVerified(lam, e.escapeRate), `blocks ${p.escapeDirection?.representations.join(", ")}: ${p.escapeDirection?.description}`]);
    const rel = e.escapeRate / lam;
    if (p.plateauLengthLeading !== null) rows.push(["ln(1/δ)/λ", formatVerified(p.plateauLengthLeading, rel * p.plateauLengthLeading), `predicted plateau length for δ = ${shown(o.delta ?? 0)}`]);
    if (p.escapeConstant && p.plateauLength !== null) {
      rows.push(["D", formatVerified(p.escapeConstant.D, D_RELATIVE * p.escapeConstant.D), p.escapeConstant.check]);
      rows.push(["ln(D/δ)/λ", formatVerified(p.plateauLength, rel * p.plateauLength + D_RELATIVE / lam), `plateau length: ${p.escapeConstant.definition}`]);
    }
  }
  return rows;
}

/** [representation, partition, size, multiplicity, eigenvalues] per block, eigenvalues to size x the Jacobian entries' error. */
export function plateauBlockRows(p: PlateauResult): string[][] {
  const e = plateauErrors(p);
  return p.eigenvalues.map((b) => {
    const err = e.eigenvalue(b.size);
    const one = (x: { re: number; im: number }) => {
      const re = formatVerified(x.re, err);
      return x.im === 0 || Math.abs(x.im) < 2 * err ? re : `${re} ${x.im > 0 ? "+" : "−"} ${formatVerified(Math.abs(x.im), err)}i`;
    };
    return [b.representation, b.partition, String(b.size), String(b.multiplicity), b.values.map(one).join(", ")];
  });
}

/** A number as a setting is written: 1e-6 rather than 0.000001. */
const shown = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential() : String(x));

/** "erf", "relu/erf"; "T = I", "T = 2 I": the setting in words. */
export function settingText(o: { activation: string; teacherActivation: string; T: number; v: number; vStar: number }): string {
  return `${o.activation}${o.teacherActivation !== o.activation ? "/" + o.teacherActivation : ""}, T = ${o.T === 1 ? "" : shown(o.T) + " "}I, v = ${shown(o.v)}, v* = ${shown(o.vStar)}`;
}

/** `scm plateau` table. */
export function plateauTable(p: PlateauResult): string {
  const o = p.options;
  const head = `# plateau R = S: K = M = ${o.K}, eta = ${shown(o.learningRate)}, ${settingText(o)}\n`;
  const summary = plateauSummaryRows(p).map(([q, v, note]) => (q === "status" ? `# ${v}${p.status === "found" ? "" : `: ${note}`}` : `# ${q}: ${v}  (${note})`)).join("\n") + "\n";
  if (!p.eigenvalues.length) return head + summary;
  const note = "# eigenvalues of the full ODE's Jacobian per block (each with the block's multiplicity), to the block size times the entries' estimated error\n";
  return head + summary + note + textTable(["representation", "partition", "size", "multiplicity", "eigenvalues"], plateauBlockRows(p));
}

/** Digits of the escape rate of etaLimits(): central differences with step 1e-5 (it agrees with plateau()'s Richardson-extrapolated rate to ~1e-7 at K = 10). */
const RATE_DIGITS = 4;

/** [K, etaPerfectStable, K etaPerfectStable, lost in, etaOptimalEscape, maxEscapeRate, plateau eps_g] per row. */
export function etaLimitsRows(r: EtaLimitsResult): string[][] {
  const tol = r.options.precision;
  return r.rows.map((x) => {
    const acc = x.perfectAccuracy;
    const perfect = x.etaPerfectStable === null ? "none" : acc === null ? "unresolved" : formatVerified(x.etaPerfectStable, acc, 10);
    const scaled = x.etaPerfectStable === null || acc === null ? "-" : formatVerified(x.K * x.etaPerfectStable, x.K * acc, 10);
    const lost = x.perfectLostIn ? `${x.perfectLostIn.partition} (${x.perfectLostIn.crossing})` : "-";
    const opt = x.etaOptimalEscape === null ? (r.options.escape ? "none" : "-") : formatVerified(x.etaOptimalEscape, tol * x.etaOptimalEscape, 10);
    const rate = x.maxEscapeRate === null ? "-" : x.maxEscapeRate.toPrecision(RATE_DIGITS);
    const eg = x.plateauAtOptimum ? formatVerified(x.plateauAtOptimum.eg, tol * Math.abs(x.plateauAtOptimum.eg), 8) : "-";
    return [String(x.K), perfect, scaled, lost, opt, rate, eg];
  });
}

export const ETA_LIMITS_COLUMNS = ["K", "etaPerfectStable", "K*etaPerfectStable", "lost in", "etaOptimalEscape", "maxEscapeRate", "plateau eg"] as const;

/** `scm eta-limits` table (one block per activation). */
export function etaLimitsTable(results: readonly EtaLimitsResult[]): string {
  return results.map((r) => {
    const o = r.options;
    const fits = (["etaPerfectStable", "etaOptimalEscape", "maxEscapeRate"] as const).map((k) => {
      const s = r.scaling[k];
      return s ? `${k} ~ K^${s.exponent.toFixed(3)} over K = ${s.range[0]} .. ${s.range[1]}` : "";
    }).filter(Boolean).join("; ");
    const notes = r.rows.filter((x) => x.message).map((x) => `# K = ${x.K}: ${x.message}`).join("\n");
    return `# ${settingText(o)}; etaPerfectStable to its estimated accuracy, etaOptimalEscape to ${o.precision} relative, maxEscapeRate to ${RATE_DIGITS} digits${fits ? `\n# power laws: ${fits}` : ""}\n` +
      textTable(ETA_LIMITS_COLUMNS, etaLimitsRows(r)) + (notes ? notes + "\n" : "");
  }).join("\n");
}

/** `scm eta-limits --format csv`: etaLimitsCsv, with the activations as first columns when there are several. */
export function etaLimitsCsvAll(results: readonly EtaLimitsResult[]): string {
  if (results.length === 1) return etaLimitsCsv(results[0]);
  const lines = results.flatMap((r, j) => {
    const [head, ...rows] = etaLimitsCsv(r).trimEnd().split("\n");
    const pre = `${r.options.activation},${r.options.teacherActivation},`;
    return [...(j === 0 ? [`activation,teacherActivation,${head}`] : []), ...rows.map((x) => pre + x)];
  });
  return lines.join("\n") + "\n";
}
