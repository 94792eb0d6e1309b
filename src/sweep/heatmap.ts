// Phase diagrams of a sweep file: one quantity of each point's result over two swept options, as
// the cells of a heatmap (the CLI's `scm sweep plot` and the web page's sweep view share this).
// Runtime-neutral, plain data in and out.
import { canonicalJson } from "../text/grid";
import type { SweepLine } from "./line";

/** A quantity --z can show: its name, what it reads, and whether it is a number or a category. */
export interface PlotQuantity {
  name: string;
  kind: "number" | "category";
  /** Commands whose results hold it. */
  commands: readonly string[];
  help: string;
}

export const PLOT_QUANTITIES: readonly PlotQuantity[] = [
  { name: "eg", kind: "number", commands: ["ode", "sgd", "ode-symmetric"], help: "eps_g at the last sample (sgd: the mean over runs)" },
  { name: "status", kind: "category", commands: ["ode", "sgd", "eta-regimes", "transitions", "ode-symmetric", "plateau"], help: "the result's status (completed, diverged, converged, max-steps, ...; error for a failed point)" },
  { name: "alpha-reach", kind: "number", commands: ["ode", "sgd", "ode-symmetric"], help: "the first alpha at which eps_g (sgd: the mean) falls to --threshold, interpolated linearly between samples; blank when it never does" },
  { name: "plateau-length", kind: "number", commands: ["ode", "sgd", "ode-symmetric"], help: "the alpha spanned by the longest stretch of samples on which eps_g changes by less than --flatness relative to itself per unit alpha (while eps_g > 1e-8): the plateau; reaching the last sample on it counts up to there" },
  { name: "eta-nonmonotonic", kind: "number", commands: ["eta-regimes"], help: "etaNonmonotonic of scm eta-regimes" },
  { name: "eta-fold", kind: "number", commands: ["eta-regimes"], help: "etaFold of scm eta-regimes" },
  { name: "eta-divergence", kind: "number", commands: ["eta-regimes"], help: "etaDivergence of scm eta-regimes" },
  { name: "eta-perfect-stable", kind: "number", commands: ["eta-regimes"], help: "etaPerfectStable of scm eta-regimes" },
  { name: "alpha-s", kind: "number", commands: ["transitions"], help: "alphaS of scm transitions" },
  { name: "alpha-c", kind: "number", commands: ["transitions"], help: "alphaC of scm transitions" },
  { name: "alpha-inst", kind: "number", commands: ["transitions"], help: "alphaInst of scm transitions" },
  { name: "escape-rate", kind: "number", commands: ["plateau"], help: "escapeRate of scm plateau (blank where the plateau was not found or is stable)" },
  { name: "predicted-plateau-length", kind: "number", commands: ["plateau"], help: "plateauLength of scm plateau, ln(D/delta)/lambda (without the escape constant: ln(1/delta)/lambda); needs --delta" },
];

export const PLOT_QUANTITY_NAMES = PLOT_QUANTITIES.map((q) => q.name);
export const PLOT_QUANTITIES_HELP = PLOT_QUANTITIES.map((q) => `${q.name} (${q.commands.join(", ")}): ${q.help}`).join("; ");

/** Default of --flatness: relative change of eps_g per unit alpha below which a stretch is a plateau. */
export const DEFAULT_FLATNESS = 0.01;
/** Below this eps_g a flat curve is convergence (rounding floor), not a plateau. */
const PLATEAU_FLOOR = 1e-8;

export interface QuantityOptions {
  /** eps_g level of alpha-reach. */
  threshold?: number;
  /** Relative change per unit alpha of plateau-length. */
  flatness?: number;
}

/** The eps_g curve of an ode, ode-symmetric or sgd result (sgd: the mean), or null. */
export function egCurve(result: Record<string, unknown> | undefined): { alpha: number[]; eg: number[] } | null {
  if (!result || !Array.isArray(result.alpha)) return null;
  const eg = Array.isArray(result.eg) ? result.eg : (result.eg as { mean?: unknown } | undefined)?.mean;
  if (!Array.isArray(eg)) return null;
  return { alpha: result.alpha as number[], eg: eg as number[] };
}

/** First alpha at which eg falls to `level` (linear between the two samples around it), or null. */
export function alphaReach(alpha: readonly number[], eg: readonly number[], level: number): number | null {
  const n = Math.min(alpha.length, eg.length);
  if (n === 0) return null;
  if (eg[0] <= level) return alpha[0];
  for (let s = 1; s < n; s++) {
    if (eg[s] <= level) {
      const f = (eg[s - 1] - level) / (eg[s - 1] - eg[s]);
      return alpha[s - 1] + f * (alpha[s] - alpha[s - 1]);
    }
  }
  return null;
}

/**
 * Length in alpha of the longest run of consecutive sample intervals on which
 * |eg[s+1] - eg[s]| / (eg[s] (alpha[s+1] - alpha[s])) < flatness, with eg above 1e-8 (a curve
 * that has converged to zero is not on a plateau); 0 when there is none.
 */
export function plateauLength(alpha: readonly number[], eg: readonly number[], flatness = DEFAULT_FLATNESS): number {
  const n = Math.min(alpha.length, eg.length);
  let best = 0, start = -1;
  for (let s = 0; s + 1 < n; s++) {
    const da = alpha[s + 1] - alpha[s];
    const flat = da > 0 && eg[s] > PLATEAU_FLOOR && eg[s + 1] > PLATEAU_FLOOR && Math.abs(eg[s + 1] - eg[s]) < flatness * eg[s] * da;
    if (flat) {
      if (start < 0) start = s;
      best = Math.max(best, alpha[s + 1] - alpha[start]);
    } else start = -1;
  }
  return best;
}

const THRESHOLD_KEYS: Record<string, string> = {
  "eta-nonmonotonic": "etaNonmonotonic", "eta-fold": "etaFold", "eta-divergence": "etaDivergence", "eta-perfect-stable": "etaPerfectStable",
  "alpha-s": "alphaS", "alpha-c": "alphaC", "alpha-inst": "alphaInst",
};

/** The quantity `z` of a line: a number, a category, or null where the point does not have it. */
export function quantityOf(line: SweepLine, z: string, o: QuantityOptions = {}): number | string | null {
  const r = line.result;
  if (z === "status") return r ? String(r.status ?? "unknown") : "error";
  if (!r) return null;
  const finite = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  if (z in THRESHOLD_KEYS) {
    const v = r[THRESHOLD_KEYS[z]];
    return finite(v !== null && typeof v === "object" ? (v as { value?: unknown }).value : v);
  }
  if (z === "escape-rate") return finite(r.escapeRate);
  if (z === "predicted-plateau-length") return finite(r.plateauLength) ?? finite(r.plateauLengthLeading);
  const c = egCurve(r);
  if (!c) return null;
  if (z === "eg") return finite(c.eg[c.eg.length - 1]);
  if (z === "alpha-reach") return alphaReach(c.alpha, c.eg, o.threshold ?? NaN);
  if (z === "plateau-length") return plateauLength(c.alpha, c.eg, o.flatness);
  throw new RangeError(`unknown quantity ${JSON.stringify(z)}; one of ${PLOT_QUANTITY_NAMES.join(", ")}`);
}

/** An axis value as a label: numbers as JavaScript prints them, others as canonical JSON. */
export const valueLabel = (v: unknown) => (v === undefined ? "default" : typeof v === "number" || typeof v === "string" ? String(v) : canonicalJson(v));

/** The options (API names) that take more than one value among the lines, with their values. */
export function varyingOptions(lines: readonly SweepLine[]): Map<string, unknown[]> {
  const names = new Set(lines.flatMap((l) => Object.keys(l.options)));
  const out = new Map<string, unknown[]>();
  for (const name of [...names].sort()) {
    const seen = new Map<string, unknown>();
    for (const l of lines) seen.set(canonicalJson(l.options[name] ?? null), l.options[name]);
    if (seen.size > 1) out.set(name, [...seen.values()]);
  }
  return out;
}

export interface HeatmapCell {
  x: string;
  y: string;
  /** Numeric z (null for categories and missing values). */
  z: number | null;
  /** The z as shown: the number, the category, or "" when missing. */
  label: string;
}

export interface Heatmap {
  x: string;
  y: string;
  z: string;
  kind: "number" | "category";
  /** Axis values in order (numbers ascending, others as first met). */
  xs: string[];
  ys: string[];
  /** One cell per (x, y) of the grid, y outer, x inner; missing points have z null and label "". */
  cells: HeatmapCell[];
  /** Lines used (those matching `at`). */
  points: number;
}

export interface HeatmapOptions extends QuantityOptions {
  /** API names of the axes. */
  x: string;
  y: string;
  z: string;
  /** Fixed values (API name -> value) of the other options that vary. */
  at?: Record<string, unknown>;
}

/** Where a heatmap cannot be drawn as asked: the option at fault and why. */
export class HeatmapError extends Error {
  /** option "at": the options (API names) that must be fixed, with their values. */
  free: Map<string, unknown[]> = new Map();
  constructor(readonly option: string, message: string) {
    super(message);
    this.name = "HeatmapError";
  }
}

function axisValues(lines: readonly SweepLine[], name: string): string[] {
  const values = new Map<string, unknown>();
  for (const l of lines) values.set(valueLabel(l.options[name]), l.options[name]);
  const all = [...values.entries()];
  if (all.every(([, v]) => typeof v === "number")) all.sort((a, b) => (a[1] as number) - (b[1] as number));
  return all.map(([k]) => k);
}

/** The cells of z over (x, y) from the lines; other varying options must be fixed by `at`. */
export function heatmap(lines: readonly SweepLine[], o: HeatmapOptions): Heatmap {
  const q = PLOT_QUANTITIES.find((p) => p.name === o.z);
  if (!q) throw new HeatmapError("z", `must be one of ${PLOT_QUANTITY_NAMES.join(", ")}; got ${JSON.stringify(o.z)}`);
  if (o.z === "alpha-reach" && !(typeof o.threshold === "number" && o.threshold > 0)) throw new HeatmapError("threshold", "is required by alpha-reach (the eps_g level to reach, > 0)");
  if (o.x === o.y) throw new HeatmapError("y", `must differ from x (both ${o.x})`);
  const at = o.at ?? {};
  const chosen = lines.filter((l) => Object.entries(at).every(([k, v]) => canonicalJson(l.options[k] ?? null) === canonicalJson(v)));
  if (chosen.length === 0) throw new HeatmapError(Object.keys(at)[0] ?? "x", `no point of the file matches ${Object.entries(at).map(([k, v]) => `${k}=${valueLabel(v)}`).join(", ")}`);
  const commands = new Set(chosen.map((l) => l.command));
  for (const c of commands) if (!q.commands.includes(c)) throw new HeatmapError("z", `${o.z} is not in results of ${c}; quantities of ${c}: ${PLOT_QUANTITIES.filter((p) => p.commands.includes(c)).map((p) => p.name).join(", ")}`);
  const varying = varyingOptions(chosen);
  for (const axis of ["x", "y"] as const) {
    if (!varying.has(o[axis]) && !chosen.some((l) => o[axis] in l.options)) throw new HeatmapError(axis, `${o[axis]} is not an option of the points in the file; options that vary: ${[...varying.keys()].join(", ") || "none"}`);
  }
  const xs = axisValues(chosen, o.x), ys = axisValues(chosen, o.y);
  // options that vary with x or y alone (Q0 = 0.2*eye expands with K) are fine; one that varies
  // within a cell must be fixed
  const groups = new Map<string, SweepLine[]>();
  for (const l of chosen) {
    const cell = `${valueLabel(l.options[o.x])}\u0000${valueLabel(l.options[o.y])}`;
    groups.set(cell, [...(groups.get(cell) ?? []), l]);
  }
  const crowded = [...groups.values()].find((g) => g.length > 1);
  if (crowded) {
    const inCell = varyingOptions(crowded);
    const free = [...inCell.keys()].filter((n) => n !== o.x && n !== o.y);
    const values = (n: string) => varyingOptions(chosen.filter((l) => groups.get(`${valueLabel(l.options[o.x])}\u0000${valueLabel(l.options[o.y])}`)!.length > 1)).get(n) ?? inCell.get(n)!;
    const err = new HeatmapError("at", `the file also varies ${free.map((n) => `${n} (${values(n).map(valueLabel).join(", ")})`).join("; ")}: fix ${free.length === 1 ? "it" : "each"} with at`);
    for (const n of free) err.free.set(n, values(n));
    throw err;
  }
  const byCell = new Map<string, SweepLine>();
  for (const [cell, g] of groups) byCell.set(cell, g[0]);
  const cells: HeatmapCell[] = [];
  for (const y of ys)
    for (const x of xs) {
      const l = byCell.get(`${x}\u0000${y}`);
      const v = l ? quantityOf(l, o.z, o) : null;
      cells.push({ x, y, z: typeof v === "number" ? v : null, label: v === null ? "" : String(v) });
    }
  return { x: o.x, y: o.y, z: o.z, kind: q.kind, xs, ys, cells, points: chosen.length };
}

/** The grid as CSV: a header row "y \ x" and the x values, then one row per y value. */
export function heatmapCsv(h: Heatmap): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [[`${h.y} \\ ${h.x}`, ...h.xs].map(cell).join(",")];
  for (let j = 0; j < h.ys.length; j++) rows.push([h.ys[j], ...h.xs.map((_, i) => h.cells[j * h.xs.length + i].label)].map(cell).join(","));
  return rows.join("\n") + "\n";
}
