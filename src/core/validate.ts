// Up-front option checks. Every failure is an OptionError (RangeError: a value out of range) or
// an OptionTypeError (TypeError: the wrong kind of value) carrying the option's API name, the value
// received and what is accepted, so that each front-end can name the option as its user wrote it.
// Names may carry a part, "guesses[0].Q" or "parameter[1]": the leading identifier is the option,
// the rest its element.
import { OptionError, OptionTypeError, showValue, type OptionProblemInit } from "./errors";

export type Matrix = number[][];

export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** "guesses[0].Q" -> option "guesses", element "[0].Q". */
export function splitName(name: string): { option: string; element: string } {
  const m = /^([A-Za-z_$][A-Za-z0-9_$]*)(.*)$/s.exec(name);
  return m ? { option: m[1], element: m[2] } : { option: name, element: "" };
}

/** Extra fields of a problem (related options, a custom reason). */
type Extra = Partial<Pick<OptionProblemInit, "related" | "reason">>;

function problem(name: string, value: unknown, accepted: string, extra: Extra = {}): OptionProblemInit {
  const { option, element } = splitName(name);
  return { option, element: element || undefined, value, accepted, ...extra };
}

export const rangeError = (name: string, value: unknown, accepted: string, extra?: Extra) => new OptionError(problem(name, value, accepted, extra));
export const typeError = (name: string, value: unknown, accepted: string, extra?: Extra) => new OptionTypeError(problem(name, value, accepted, extra));

/** A number as messages and help texts write it: powers of ten from 1e6 on as 1e6, 1e7, ...; others as JavaScript prints them. */
export const numberText = (x: number) => (Math.abs(x) >= 1e6 && Number.isInteger(Math.log10(Math.abs(x))) ? (x < 0 ? "-" : "") + `1e${Math.log10(Math.abs(x))}` : String(x));
const show = numberText;

/** What a number range accepts, as a phrase: "a finite number > 0", "an integer >= 1 and <= 100". */
export function numberPhrase(range: NumberRange = {}): string {
  const { min, max, minExclusive, maxExclusive, integer } = range;
  const bounds = [
    min !== undefined ? `${minExclusive ? ">" : ">="} ${show(min)}` : "",
    max !== undefined ? `${maxExclusive ? "<" : "<="} ${show(max)}` : "",
  ].filter(Boolean);
  return [integer ? "an integer" : "a finite number", bounds.join(" and ")].filter(Boolean).join(" ");
}

export function number(name: string, value: unknown, range: NumberRange = {}, extra?: Extra): number {
  const accepted = numberPhrase(range);
  if (typeof value !== "number") throw typeError(name, value, accepted, { reason: `must be ${range.integer ? "an integer" : "a number"}; got ${showValue(value)}`, ...extra });
  const { min, max, minExclusive, maxExclusive, integer } = range;
  const bad =
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    (min !== undefined && (minExclusive ? value <= min : value < min)) ||
    (max !== undefined && (maxExclusive ? value >= max : value > max));
  if (bad) throw rangeError(name, value, accepted, extra);
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], extra?: Extra): T {
  const accepted = `one of ${allowed.join(", ")}`;
  if (typeof value !== "string") throw typeError(name, value, accepted, extra);
  if (!(allowed as readonly string[]).includes(value)) throw rangeError(name, value, accepted, extra);
  return value as T;
}

export function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw typeError(name, value, "true or false");
  return value;
}

/** A rows x cols matrix given as an array of rows (plain arrays or typed arrays) with finite entries. */
export function matrix(name: string, value: unknown, rows: number, cols: number): Matrix {
  const accepted = `a ${rows} x ${cols} matrix of finite numbers`;
  if (!Array.isArray(value)) throw typeError(name, value, accepted, { reason: `must be an array of ${rows} rows; got ${showValue(value)}` });
  if (value.length !== rows) throw rangeError(name, value, accepted, { reason: `must have ${rows} rows (${rows} x ${cols}); got ${value.length} rows: ${showValue(value)}` });
  return value.map((row: unknown, i: number) => {
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw typeError(`${name}[${i}]`, row, `an array of ${cols} numbers`);
    const r = Array.from(row as ArrayLike<unknown>);
    if (r.length !== cols) throw rangeError(name, value, accepted, { reason: `must be ${rows} x ${cols}; row ${i} has ${r.length} entries` });
    return r.map((x, j) => {
      if (typeof x !== "number") throw typeError(`${name}[${i}][${j}]`, x, "a finite number", { reason: `must be a number; got ${showValue(x)}` });
      if (!Number.isFinite(x)) throw rangeError(`${name}[${i}][${j}]`, x, "a finite number", { reason: `must be finite; got ${x}` });
      return x;
    });
  });
}

export function vector(name: string, value: unknown, length: number, element: NumberRange = {}): number[] {
  const accepted = `${length} numbers`;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw typeError(name, value, `an array of ${accepted}`, { reason: `must be an array of ${length} numbers; got ${showValue(value)}` });
  const v = Array.from(value as ArrayLike<unknown>);
  if (v.length !== length) throw rangeError(name, value, `an array of ${accepted}`, { reason: `must have ${length} entries; got ${v.length}` });
  return v.map((x, i) => {
    if (typeof x !== "number") throw typeError(`${name}[${i}]`, x, "a finite number", { reason: `must be a number; got ${showValue(x)}` });
    if (!Number.isFinite(x)) throw rangeError(`${name}[${i}]`, x, "a finite number", { reason: `must be finite; got ${x}` });
    if (element.min !== undefined || element.max !== undefined || element.integer) number(`${name}[${i}]`, x, element);
    return x;
  });
}

export function symmetric(name: string, A: Matrix): void {
  const n = A.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const tol = 1e-12 * Math.max(1, Math.abs(A[i][j]), Math.abs(A[j][i]));
      if (Math.abs(A[i][j] - A[j][i]) > tol) throw rangeError(name, A, "a symmetric matrix", { reason: `must be symmetric; entry [${i}][${j}] = ${A[i][j]} but [${j}][${i}] = ${A[j][i]}` });
    }
}

/** Smallest Cholesky pivot of A relative to its largest diagonal entry (negative: not PSD). */
export function relativeMinPivot(A: Matrix): number {
  const n = A.length;
  const L: number[][] = A.map(() => new Array(n).fill(0));
  const scale = Math.max(...A.map((r, i) => Math.abs(r[i])), Number.MIN_VALUE);
  let minPivot = Infinity;
  for (let j = 0; j < n; j++) {
    let d = A[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    minPivot = Math.min(minPivot, d / scale);
    if (d <= 0) return minPivot;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  return minPivot;
}

/**
 * A positive definite (Cholesky succeeds with a relative pivot > 1e-13). `subject` is what must be
 * positive definite when it is not the option itself, e.g. "C0 = [[Q0, R0], [R0^T, T]]" blamed on R0.
 */
export function positiveDefinite(name: string, A: Matrix, what: string, opts: { subject?: string; value?: unknown; related?: readonly string[] } = {}): void {
  symmetric(opts.subject ?? name, A);
  const p = relativeMinPivot(A);
  if (!(p > 1e-13)) {
    const fails = `its Cholesky factorisation fails (smallest relative pivot ${p.toPrecision(3)})`;
    const reason = opts.subject ? `must keep ${opts.subject} positive definite (${what}); ${fails}` : `must be positive definite (${what}); ${fails}`;
    throw rangeError(name, opts.value ?? A, `a matrix that makes ${opts.subject ?? name} positive definite`, { reason, related: opts.related });
  }
}

export function positiveSemidefinite(name: string, A: Matrix, opts: { subject?: string; value?: unknown; related?: readonly string[] } = {}): void {
  symmetric(opts.subject ?? name, A);
  const n = A.length;
  const subject = opts.subject ?? name;
  const accepted = `a matrix that makes ${subject} positive semi-definite`;
  const lead = opts.subject ? `must keep ${subject} positive semi-definite` : "must be positive semi-definite";
  // PSD test by Cholesky of A + tiny ridge: a covariance with repeated variables is allowed
  const scale = Math.max(...A.map((r, i) => Math.abs(r[i])), Number.MIN_VALUE);
  const ridge = A.map((r, i) => r.map((x, j) => (i === j ? x + 1e-12 * scale : x)));
  for (let i = 0; i < n; i++) if (A[i][i] < 0) throw rangeError(name, opts.value ?? A, accepted, { reason: `${lead}; diagonal entry [${i}][${i}] = ${A[i][i]} is negative`, related: opts.related });
  if (!(relativeMinPivot(ridge) > 0)) throw rangeError(name, opts.value ?? A, accepted, { reason: `${lead} (a covariance matrix); it has a negative eigenvalue`, related: opts.related });
}
