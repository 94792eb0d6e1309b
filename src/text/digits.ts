// Numbers printed with only the digits their error estimate supports (tables of the CLI and the
// web page). Runtime-neutral.

/**
 * Rounds x to the digits its error estimate e supports (at most `maxDigits` significant);
 * values not distinguishable from 0 print as "<2e" (e.g. "<3e-9"); e = NaN prints "unresolved".
 */
export function formatVerified(x: number, e: number | undefined, maxDigits = 6): string {
  if (Number.isNaN(e)) return "unresolved";
  if (e === undefined || e === 0 || !Number.isFinite(e)) return fmt(x, maxDigits);
  if (Math.abs(x) < 2 * e) return `<${(2 * e).toPrecision(1)}`;
  const digits = Math.floor(Math.log10(Math.abs(x))) - Math.ceil(Math.log10(e)) + 1;
  return fmt(x, Math.max(1, Math.min(maxDigits, digits)));
}

function fmt(x: number, digits: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e6 ? x.toPrecision(digits) : x.toExponential(digits - 1);
}

/** mean ± std, the mean rounded to the digits its standard error std / sqrt(n) supports. */
export function meanPlusMinus(mean: number, std: number, n: number): string {
  const se = std / Math.sqrt(Math.max(n, 1));
  return `${formatVerified(mean, se > 0 ? se : undefined, 6)} ± ${std === 0 ? "0" : std.toPrecision(2)}`;
}
