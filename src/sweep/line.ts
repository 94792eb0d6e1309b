// One line of a sweep file (JSON lines): the point's command and options, the version stamp of
// the build that computed it, an optional note (how it was computed, when that is not the usual
// way), and its result (the command's --format json object) or the error that stopped it:
//   {"command":"ode","options":{...},"version":{"package":"0.1.0","core":"..."},"result":{...}}
// Written by one append of the whole line; the result text is inserted as computed, so a point
// computed remotely reads exactly as one computed locally.
import { canonicalJson } from "../text/grid";
import { pointKey } from "./key";
import type { VersionStamp } from "./version";

export interface SweepLine {
  command: string;
  options: Record<string, unknown>;
  version?: VersionStamp;
  note?: string;
  result?: Record<string, unknown>;
  error?: string;
}

/** The text of a line (without its newline); `result` is the result's JSON text. */
export function lineText(p: { command: string; options: object; version: VersionStamp; note?: string } & ({ result: string } | { error: string })): string {
  const head = `{"command":${JSON.stringify(p.command)},"options":${canonicalJson(p.options)},"version":${JSON.stringify({ package: p.version.package, core: p.version.core })}`;
  const note = p.note === undefined ? "" : `,"note":${JSON.stringify(p.note)}`;
  return "result" in p ? `${head}${note},"result":${p.result}}` : `${head}${note},"error":${JSON.stringify(p.error)}}`;
}

/** A line read back, or a reason why it is not a sweep line. */
export function parseLine(text: string): { line: SweepLine; key: string } | { problem: string } {
  let o: SweepLine;
  try {
    o = JSON.parse(text);
  } catch {
    return { problem: "is not JSON" };
  }
  if (o === null || typeof o !== "object" || typeof o.command !== "string" || o.options === null || typeof o.options !== "object") return { problem: "has no command and options" };
  if (o.result === undefined && o.error === undefined) return { problem: "has neither a result nor an error" };
  return { line: o, key: pointKey(o.command, o.options) };
}

/** Fields that measure time, not the computation: they differ between two runs of the same point. */
const TIMINGS = new Set(["wallTimeMs", "stepsPerSecond"]);

/** The value with every timing field removed, at any depth (for comparing two computations of a point). */
export function untimed(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(untimed);
  if (x !== null && typeof x === "object") return Object.fromEntries(Object.entries(x).filter(([k]) => !TIMINGS.has(k)).map(([k, v]) => [k, untimed(v)]));
  return x;
}

/** Whether two lines hold the same computation (result or error; timings and notes aside). */
export const sameOutcome = (a: SweepLine, b: SweepLine) => canonicalJson(untimed(a.result ?? null)) === canonicalJson(untimed(b.result ?? null)) && (a.error ?? null) === (b.error ?? null);
