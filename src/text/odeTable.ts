// Formats of a learning curve: JSON (one object), CSV (one row per sample) and a text table with
// verified digits (`scm ode`, `scm reference`, the web page's exports). Runtime-neutral.
import type { OdeResult } from "../online/integrate";
import { formatVerified } from "./digits";

export type Format = "json" | "csv" | "table";

export { resultJson } from "./json";

// alpha, eg, the state (Q, R, then v when trained); egNoisy when there is label noise; a
// learning-rate schedule adds the rate per sample as the last column
const scheduled = (r: OdeResult) => r.options.learningRateSchedule !== undefined && r.options.learningRateSchedule !== "constant";

function columns(r: OdeResult): string[] {
  const { K, M } = r.options;
  const c = ["alpha", "eg"];
  for (let i = 1; i <= K; i++) for (let k = i; k <= K; k++) c.push(`Q_${i}${k}`);
  for (let i = 1; i <= K; i++) for (let n = 1; n <= M; n++) c.push(`R_${i}${n}`);
  if (r.options.trainSecondLayer) for (let i = 1; i <= K; i++) c.push(`v_${i}`);
  if (r.options.noise > 0) c.push("egNoisy");
  if (scheduled(r)) c.push("eta");
  return c;
}

function rowValues(r: OdeResult, s: number): number[] {
  const { K, M } = r.options;
  const v = [r.alpha[s], r.eg[s]];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) v.push(r.Q[s][i][k]);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) v.push(r.R[s][i][n]);
  if (r.options.trainSecondLayer) for (let i = 0; i < K; i++) v.push(r.v[s][i]);
  if (r.options.noise > 0) v.push(r.egNoisy[s]);
  if (scheduled(r)) v.push(r.eta[s]);
  return v;
}

/** CSV with full double precision (shortest round-trip representation). */
export function resultCsv(r: OdeResult): string {
  const lines = [columns(r).join(",")];
  for (let s = 0; s < r.alpha.length; s++) lines.push(rowValues(r, s).map(String).join(","));
  return lines.join("\n") + "\n";
}

/** A fixed-width table; `errors` (same layout as rowValues) limits printed digits. */
export function resultTable(r: OdeResult, opts: { every?: number; errors?: (s: number) => number[] | undefined } = {}): string {
  const every = opts.every ?? 1;
  const header = columns(r);
  const rows: string[][] = [];
  for (let s = 0; s < r.alpha.length; s++) {
    if (s % every !== 0 && s !== r.alpha.length - 1) continue;
    const err = opts.errors?.(s);
    rows.push(rowValues(r, s).map((x, j) => (j === 0 ? String(+x.toPrecision(10)) : formatVerified(x, err?.[j]))));
  }
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(width[j])).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function rowsOf(r: OdeResult): number[][] {
  return Array.from({ length: r.alpha.length }, (_, s) => rowValues(r, s));
}
