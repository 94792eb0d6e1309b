// Up-front option checks. Errors name the option, the value received and what is accepted:
// TypeError for the wrong kind of value, RangeError for a value out of range.

export type Matrix = number[][];

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    const s = JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    return s.length > 120 ? s.slice(0, 117) + "..." : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function number(name: string, value: unknown, range: { min?: number; max?: number; minExclusive?: boolean; integer?: boolean } = {}): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number; got ${show(value)}`);
  const { min, max, minExclusive, integer } = range;
  const accepted = [
    integer ? "an integer" : "a finite number",
    min !== undefined ? `${minExclusive ? ">" : ">="} ${min}` : "",
    max !== undefined ? `<= ${max}` : "",
  ].filter(Boolean).join(" ");
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be ${accepted}; got ${value}`);
  if (integer && !Number.isInteger(value)) throw new RangeError(`${name} must be ${accepted}; got ${value}`);
  if (min !== undefined && (minExclusive ? value <= min : value < min)) throw new RangeError(`${name} must be ${accepted}; got ${value}`);
  if (max !== undefined && value > max) throw new RangeError(`${name} must be ${accepted}; got ${value}`);
  return value;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string") throw new TypeError(`${name} must be one of ${allowed.join(", ")}; got ${show(value)}`);
  if (!(allowed as readonly string[]).includes(value)) throw new RangeError(`${name} must be one of ${allowed.join(", ")}; got ${show(value)}`);
  return value as T;
}

export function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${name} must be true or false; got ${show(value)}`);
  return value;
}

/** A rows x cols matrix given as an array of rows (plain arrays or typed arrays) with finite entries. */
export function matrix(name: string, value: unknown, rows: number, cols: number): Matrix {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of ${rows} rows; got ${show(value)}`);
  if (value.length !== rows) throw new RangeError(`${name} must have ${rows} rows (${rows} x ${cols}); got ${value.length} rows: ${show(value)}`);
  return value.map((row: unknown, i: number) => {
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new TypeError(`${name}[${i}] must be an array of ${cols} numbers; got ${show(row)}`);
    const r = Array.from(row as ArrayLike<unknown>);
    if (r.length !== cols) throw new RangeError(`${name} must be ${rows} x ${cols}; row ${i} has ${r.length} entries`);
    return r.map((x, j) => {
      if (typeof x !== "number") throw new TypeError(`${name}[${i}][${j}] must be a number; got ${show(x)}`);
      if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}][${j}] must be finite; got ${x}`);
      return x;
    });
  });
}

export function vector(name: string, value: unknown, length: number): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new TypeError(`${name} must be an array of ${length} numbers; got ${show(value)}`);
  const v = Array.from(value as ArrayLike<unknown>);
  if (v.length !== length) throw new RangeError(`${name} must have ${length} entries; got ${v.length}`);
  return v.map((x, i) => {
    if (typeof x !== "number") throw new TypeError(`${name}[${i}] must be a number; got ${show(x)}`);
    if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}] must be finite; got ${x}`);
    return x;
  });
}

export function symmetric(name: string, A: Matrix): void {
  const n = A.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const tol = 1e-12 * Math.max(1, Math.abs(A[i][j]), Math.abs(A[j][i]));
      if (Math.abs(A[i][j] - A[j][i]) > tol) throw new RangeError(`${name} must be symmetric; entry [${i}][${j}] = ${A[i][j]} but [${j}][${i}] = ${A[j][i]}`);
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

export function positiveDefinite(name: string, A: Matrix, what: string): void {
  symmetric(name, A);
  const p = relativeMinPivot(A);
  if (!(p > 1e-13)) {
    throw new RangeError(`${name} must be positive definite (${what}); its Cholesky factorisation fails (smallest relative pivot ${p.toPrecision(3)})`);
  }
}

export function positiveSemidefinite(name: string, A: Matrix): void {
  symmetric(name, A);
  const n = A.length;
  // PSD test by Cholesky of A + tiny ridge: a covariance with repeated variables is allowed
  const scale = Math.max(...A.map((r, i) => Math.abs(r[i])), Number.MIN_VALUE);
  const ridge = A.map((r, i) => r.map((x, j) => (i === j ? x + 1e-12 * scale : x)));
  for (let i = 0; i < n; i++) if (A[i][i] < 0) throw new RangeError(`${name} must be positive semi-definite; diagonal entry [${i}][${i}] = ${A[i][i]} is negative`);
  if (!(relativeMinPivot(ridge) > 0)) throw new RangeError(`${name} must be positive semi-definite (a covariance matrix); it has a negative eigenvalue`);
}
