// Finite-difference derivatives: plain central differences (O(h^2)) and Richardson extrapolation
// with an error estimate from two independent extrapolations.

export type VectorFunction = (x: Float64Array) => ArrayLike<number>;

/** (f(t + h) - f(t - h)) / 2h elementwise for a vector-valued f of one variable; null when either evaluation is. */
export function centralDifference(f: (t: number) => ArrayLike<number> | null, t: number, h: number): Float64Array | null {
  const up = f(t + h);
  if (!up) return null;
  const a = Float64Array.from(up);
  const down = f(t - h);
  if (!down) return null;
  return Float64Array.from(a, (v, i) => (v - down[i]) / (2 * h));
}

/**
 * Central-difference Jacobian J_ij = (f_i(x + h_j e_j) - f_i(x - h_j e_j)) / 2h_j, error O(h^2);
 * step h one number for every coordinate or one per coordinate.
 */
export function centralDifferenceJacobian(f: VectorFunction, x: ArrayLike<number>, step: number | ArrayLike<number>): number[][] {
  const n = x.length;
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) y[j] = x[j];
  let J: number[][] = [];
  let up = new Float64Array(0);
  for (let j = 0; j < n; j++) {
    const h = typeof step === "number" ? step : step[j];
    y[j] = x[j] + h;
    const fu = f(y);
    const m = fu.length;
    if (j === 0) {
      J = Array.from({ length: m }, () => new Array<number>(n));
      up = new Float64Array(m);
    }
    // copied: f may hand back a buffer it reuses
    for (let i = 0; i < m; i++) up[i] = fu[i];
    y[j] = x[j] - h;
    const fd = f(y);
    y[j] = x[j];
    for (let i = 0; i < m; i++) J[i][j] = (up[i] - fd[i]) / (2 * h);
  }
  return J;
}

/**
 * Richardson extrapolation of estimates D(h_k), h_k = h_0 / ratio^k, whose error expands in the powers
 * `exponents` of h (one eliminated per pass): D(h) = D + c_1 h^p1 + c_2 h^p2 + ... With L levels and
 * E exponents the last pass leaves L - E extrapolations; value is the finest, error the largest
 * elementwise difference between it and the coarsest of them (two independent extrapolations when
 * L = E + 2).
 */
export function richardson(levels: ArrayLike<number>[], ratio: number, exponents: readonly number[]): { value: Float64Array; error: number } {
  if (levels.length <= exponents.length) throw new RangeError(`richardson: ${levels.length} levels cannot eliminate ${exponents.length} error terms`);
  let table = levels.map((l) => Float64Array.from(l));
  for (const p of exponents) {
    const f = ratio ** p;
    const t = table;
    table = t.slice(0, -1).map((coarse, k) => Float64Array.from(coarse, (c, i) => (f * t[k + 1][i] - c) / (f - 1)));
  }
  const value = table[table.length - 1];
  let error = 0;
  for (let i = 0; i < value.length; i++) error = Math.max(error, Math.abs(table[0][i] - value[i]));
  return { value, error };
}

export interface RichardsonJacobian {
  /** J_ij = df_i / dx_j. */
  J: number[][];
  /** Estimated max |error| over the entries (difference of two independent extrapolations). */
  errorEstimate: number;
  evaluations: number;
  /** Base step used (the largest, when given per coordinate). */
  step: number;
}

/**
 * Central-difference Jacobian with one Richardson step: D(h) = J + a h^2 + b h^4 + ...,
 * J ~ (4 D(h/2) - D(h)) / 3 from h/2 and h/4; error estimate: |that - the same from h, h/2|.
 * step: a relative base step (h_j = step max(1, |x_j|)) or one absolute step per coordinate.
 */
export function richardsonJacobian(f: VectorFunction, x: ArrayLike<number>, step: number | ArrayLike<number> = 1e-3): RichardsonJacobian {
  const n = x.length;
  const y = Float64Array.from(x);
  let evaluations = 0;
  const diff = (j: number, h: number): Float64Array => {
    y[j] = x[j] + h;
    const up = Float64Array.from(f(y));
    y[j] = x[j] - h;
    const down = f(y);
    y[j] = x[j];
    evaluations += 2;
    const d = new Float64Array(up.length);
    for (let i = 0; i < up.length; i++) d[i] = (up[i] - down[i]) / (2 * h);
    return d;
  };
  let m = -1;
  let err = 0;
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const h = typeof step === "number" ? step * Math.max(1, Math.abs(x[j])) : step[j];
    const r = richardson([diff(j, h), diff(j, h / 2), diff(j, h / 4)], 2, [2]);
    m = r.value.length;
    err = Math.max(err, r.error);
    cols.push(r.value);
  }
  const J = Array.from({ length: m }, (_, i) => cols.map((c) => c[i]));
  return { J, errorEstimate: err, evaluations, step: typeof step === "number" ? step : Math.max(...Array.from(step)) };
}
