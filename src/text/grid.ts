// Parameter grids from option text (`scm sweep`): every option given as a list or a range spans
// one axis, the points are the cartesian product. Runtime-neutral (no Node APIs).
//
// Rules, chosen so that no value is ambiguous:
// - number and word options: "a,b,c" is a list; "start:stop:step" is an inclusive range; list
//   items may be ranges ("0.1,0.5:1:0.25"). Ranges are computed in decimal fixed point, so
//   0.1:0.3:0.1 gives exactly 0.1, 0.2, 0.3 (the doubles nearest those decimals, no drift).
// - options whose single value already contains commas (matrices "1,0;0,2", "diag:1,2" and
//   vectors "1,0.5"): a list of values is separated by "|" ("eye|diag:1,2"); no ranges.
// - boolean flags are never swept.
import { OptionError, OptionTypeError } from "../core/errors";

/** Option texts by name; booleans as they are. */
export type TextValues = Record<string, string | boolean | undefined>;

const bad = (option: string, text: string, reason: string) => new OptionTypeError({ option, value: text, accepted: "a value, a list a,b,c or a range start:stop:step", reason });

/** Most points one range or one grid may have (a typo such as 0:1000:1e-6 fails fast). */
export const MAX_GRID_POINTS = 100_000;

/** Digits after the decimal point that the number's text needs ("0.25" 2, "1e-3" 3, "5" 0). */
function decimals(text: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return NaN;
  return Math.max(0, (m[2]?.length ?? 0) - Number(m[3] ?? 0));
}

/** The points of an inclusive range "start:stop:step", as numbers. */
export function parseRange(option: string, text: string): number[] {
  const parts = text.split(":").map((s) => s.trim());
  const accepted = `a range is start:stop:step with finite numbers, e.g. 0.1:0.3:0.1 (stop included when a whole number of steps away)`;
  if (parts.length !== 3) throw bad(option, text, `must be a value, a list a,b,c or a range; ${JSON.stringify(text)} is not a range: ${accepted}`);
  const [start, stop, step] = parts.map(Number);
  parts.forEach((p, i) => {
    if (p === "" || !Number.isFinite([start, stop, step][i])) throw bad(option, text, `has a range ${JSON.stringify(text)} whose ${["start", "stop", "step"][i]} ${JSON.stringify(p)} is not a finite number; ${accepted}`);
  });
  if (step === 0) throw bad(option, text, `has a range ${JSON.stringify(text)} with step 0; ${accepted}`);
  if ((stop - start) * step < 0) throw bad(option, text, `has a range ${JSON.stringify(text)} whose step ${step} does not lead from ${start} to ${stop} (the range would be empty)`);
  // fixed point with the inputs' decimals: integers are exact, and an integer divided by a power
  // of ten rounds once, to the double nearest the decimal the user meant
  const dec = Math.max(...parts.map(decimals));
  const scale = 10 ** dec;
  const [a, b, s] = [start, stop, step].map((x) => Math.round(x * scale));
  const exact = dec <= 15 && [a, b, s].every((x) => Math.abs(x) <= Number.MAX_SAFE_INTEGER) && s !== 0;
  const count = exact ? Math.floor((b - a) / s) + 1 : Math.floor((stop - start) / step * (1 + 1e-12)) + 1;
  if (count > MAX_GRID_POINTS) throw new OptionError({ option, value: text, accepted: `a range of at most ${MAX_GRID_POINTS} points`, reason: `has a range ${JSON.stringify(text)} of ${count} points; at most ${MAX_GRID_POINTS}` });
  return Array.from({ length: count }, (_, i) => (exact ? (a + i * s) / scale : start + i * step));
}

/** The values an option takes in the grid, as option text (one entry when it is not swept). */
export function expandOption(option: string, text: string, barList: boolean): string[] {
  if (barList) {
    const items = text.split("|").map((s) => s.trim());
    if (items.some((s) => s === "")) throw bad(option, text, `has an empty entry in ${JSON.stringify(text)}; separate the values of a list of matrices or vectors with "|"`);
    return items;
  }
  const out: string[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    if (item === "") throw bad(option, text, `has an empty entry in ${JSON.stringify(text)}; a list is a,b,c`);
    if (item.includes(":")) out.push(...parseRange(option, item).map(String));
    else out.push(item);
  }
  return out;
}

/** Every point of the grid spanned by `values`: the cartesian product, the last option fastest. */
export function expandGrid(values: TextValues, barLists: readonly string[], nameOf: (option: string) => string = (n) => `--${n}`): TextValues[] {
  const axes: [string, (string | boolean)[]][] = [];
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (typeof v === "boolean") axes.push([name, [v]]);
    else axes.push([name, expandOption(name, v, barLists.includes(name))]);
  }
  const size = axes.reduce((n, [, vs]) => n * vs.length, 1);
  if (size > MAX_GRID_POINTS) {
    const spans = axes.filter(([, vs]) => vs.length > 1);
    throw new OptionError({ option: spans[0][0], value: size, accepted: `a grid of at most ${MAX_GRID_POINTS} points`, related: spans.slice(1).map(([n]) => n), reason: `spans a grid of ${size} points with the other lists; at most ${MAX_GRID_POINTS} (${spans.map(([n, vs]) => `${nameOf(n)}: ${vs.length}`).join(", ")})` });
  }
  let points: TextValues[] = [{}];
  for (const [name, vs] of axes) points = points.flatMap((p) => vs.map((v) => ({ ...p, [name]: v })));
  return points;
}

/** JSON with object keys sorted at every level: the same options always give the same text. */
export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v,
  );
}
