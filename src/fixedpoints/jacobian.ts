// Jacobians of F(u) by finite differences whose accuracy is estimated, not assumed.
//
// Interior states (C = [[Q, R], [R^T, T]] positive definite): central differences, Richardson
// extrapolated in h^2 (error O(h^4)); the estimate compares the extrapolations from base steps
// h and h/2.
//
// Boundary states (C singular: perfect learning, identical student vectors): a step in a
// coordinate direction leaves the set of valid overlaps, and F is not smooth there (ReLU
// averages carry sqrt(det) terms, so F(u* + t P) = t J P + c t^(3/2) + ...). There the
// Jacobian is assembled from directions that stay valid: moving a student vector inside the
// span of all vectors (central differences) and adding a component orthogonal to all of them
// (Q += t P, P positive semi-definite; one-sided differences extrapolated in powers of t^(1/2)).
import { EigenvalueDecomposition, Matrix, pseudoInverse } from "ml-matrix";
import { richardson, richardsonJacobian } from "../numerics/differences";
import { symmetricEigenvalues } from "../numerics/eigen";

export type VectorField = (u: Float64Array) => Float64Array;

/** A finite-difference Jacobian with its estimated entry error (docs/theory.md section 4.3). */
export interface JacobianResult {
  /** J_ij = dF_i / du_j. */
  J: number[][];
  /** Estimated max |error| over the entries (difference of two independent extrapolations). */
  errorEstimate: number;
  evaluations: number;
  /** "central" (interior state) or "boundary" (C singular, see file comment). */
  mode: "central" | "boundary";
  /** Base step used. */
  step: number;
}

/** Central-difference Jacobian with one Richardson step and its error estimate (src/numerics/differences.ts). */
export function centralJacobian(f: VectorField, u: ArrayLike<number>, step: number | ArrayLike<number> = 1e-3): JacobianResult {
  const r = richardsonJacobian(f, u, step);
  return { J: r.J, errorEstimate: r.errorEstimate, evaluations: r.evaluations, mode: "central", step: r.step };
}

/**
 * One-sided derivative along a valid direction, D(t) = (g(t) - g(0)) / t expanded in powers
 * of t^(1/2) (exponents 1/2, 1, 3/2 eliminated in turn on t, t/4, t/16, t/64).
 */
export function sqrtRichardson(g: (t: number) => Float64Array, g0: Float64Array, t: number): { d: Float64Array; error: number } {
  const levels = [0, 1, 2, 3, 4].map((k) => {
    const s = t / 4 ** k;
    const v = g(s);
    return Float64Array.from(v, (a, i) => (a - g0[i]) / s);
  });
  // the two final-column entries are independent extrapolations (t.. and t/4..)
  const r = richardson(levels, 4, [0.5, 1, 1.5]);
  return { d: r.value, error: r.error };
}

export interface GramSystem {
  K: number;
  M: number;
  /** State dimension: the (Q, R) part, then smooth coordinates (a trained v, docs/theory.md section 9). */
  D: number;
  /** C = [[Q, R], [R^T, T]] for the state u. */
  covariance(u: ArrayLike<number>): number[][];
}

/**
 * u from the Gram matrix of student vectors z (K rows) and teacher vectors zt (M rows), followed
 * by the trailing coordinates `rest` (a trained v: F is smooth in them).
 */
function stateFromVectors(z: number[][], zt: number[][], rest: ArrayLike<number> = []): Float64Array {
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  const u: number[] = [];
  for (let i = 0; i < z.length; i++) for (let k = i; k < z.length; k++) u.push(dot(z[i], z[k]));
  for (let i = 0; i < z.length; i++) for (let n = 0; n < zt.length; n++) u.push(dot(z[i], zt[n]));
  for (let i = 0; i < rest.length; i++) u.push(rest[i]);
  return Float64Array.from(u);
}

/** Jacobian at a state whose C is singular (see the file comment); t0 is the base step. */
export function boundaryJacobian(f: VectorField, sys: GramSystem, u: ArrayLike<number>, t0 = 1e-3, debug?: unknown[]): JacobianResult {
  const { K, M } = sys;
  const C = sys.covariance(u);
  const n = K + M;
  const evd = new EigenvalueDecomposition(new Matrix(C), { assumeSymmetric: true });
  const lam = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const top = Math.max(...lam.map(Math.abs));
  const keep = lam.map((l, a) => [l, a] as const).filter(([l]) => l > 1e-10 * top).map(([, a]) => a);
  // vectors in R^r (r = rank C) with the Gram matrix C (up to the dropped ~1e-10 eigenvalues)
  const vecs = Array.from({ length: n }, (_, i) => keep.map((a) => V.get(i, a) * Math.sqrt(lam[a])));
  const r = keep.length;
  const z0 = vecs.slice(0, K), zt = vecs.slice(K);
  const DQR = (K * (K + 1)) / 2 + K * M;
  const rest = Array.from({ length: sys.D - DQR }, (_, i) => u[DQR + i]);
  const base = stateFromVectors(z0, zt, rest);
  let evaluations = 0;
  const F = (x: Float64Array) => {
    evaluations++;
    return Float64Array.from(f(x));
  };
  const F0 = F(base);
  const dirs: number[][] = [];
  const derivs: Float64Array[] = [];
  let err = 0;
  // moves inside the span: z_i += t e_a, two-sided, Richardson in t^2
  for (let i = 0; i < K; i++) {
    for (let a = 0; a < r; a++) {
      const at = (t: number) => {
        const z = z0.map((row, k) => (k === i ? row.map((x, b) => (b === a ? x + t : x)) : row));
        return stateFromVectors(z, zt, rest);
      };
      const d = (h: number) => {
        const up = F(at(h)), down = F(at(-h));
        return Float64Array.from(up, (x, q) => (x - down[q]) / (2 * h));
      };
      // on the boundary the odd part of F along such a move carries |t| t terms (a correlation
      // reaches 1 quadratically), so D(h) = J + a |h| + b h^2 + c |h|^3: eliminate 1, 2, 3
      // (base step 10 t0: these moves are smooth enough, and smaller steps meet the core's rounding near |r| = 1)
      const { value: r2, error: e1 } = richardson([1, 2, 4, 8, 16].map((k) => d((10 * t0) / k)), 2, [1, 2, 3]);
      err = Math.max(err, e1);
      if (debug) debug.push(["span", i, a, e1]);
      // du/dt at t = 0
      const du: number[] = [];
      for (let p = 0; p < K; p++) for (let k = p; k < K; k++) du.push((p === i ? z0[k][a] : 0) + (k === i ? z0[p][a] : 0));
      for (let p = 0; p < K; p++) for (let m = 0; m < M; m++) du.push(p === i ? zt[m][a] : 0);
      for (let q = 0; q < rest.length; q++) du.push(0);
      dirs.push(du);
      derivs.push(r2);
    }
  }
  // a component orthogonal to every vector: Q += t P with P = e_i e_i^T or (e_i + e_k)(e_i + e_k)^T
  const D = base.length;
  for (let i = 0; i < K; i++) {
    for (let k = i; k < K; k++) {
      const P = Array.from({ length: K }, (_, p) => Array.from({ length: K }, (_, q) => ((p === i || p === k) && (q === i || q === k) ? 1 : 0)));
      const du = new Array<number>(D).fill(0);
      let idx = 0;
      for (let p = 0; p < K; p++) for (let q = p; q < K; q++) du[idx++] = P[p][q];
      const { d, error } = sqrtRichardson((t) => F(Float64Array.from(base, (x, j) => x + t * du[j])), F0, 64 * t0);
      err = Math.max(err, error);
      if (debug) debug.push(["orthogonal", i, k, error]);
      dirs.push(du);
      derivs.push(d);
    }
  }
  // the trailing coordinates (a trained v): F is smooth in them, central differences
  for (let q = 0; q < rest.length; q++) {
    const du = new Array<number>(D).fill(0);
    du[DQR + q] = 1;
    const d = (h: number) => {
      const up = F(Float64Array.from(base, (x, j) => (j === DQR + q ? x + h : x)));
      const down = F(Float64Array.from(base, (x, j) => (j === DQR + q ? x - h : x)));
      return Float64Array.from(up, (x, j) => (x - down[j]) / (2 * h));
    };
    const { value, error } = richardson([1, 2, 4].map((k) => d((10 * t0) / k)), 2, [2]);
    err = Math.max(err, error);
    dirs.push(du);
    derivs.push(value);
  }
  // J dirs = derivs (more directions than unknowns: least squares through the pseudo-inverse)
  const Dm = new Matrix(dirs).transpose(); // D x N
  const Y = new Matrix(derivs.map((x) => Array.from(x))).transpose(); // D x N
  const J = Y.mmul(pseudoInverse(Dm)).to2DArray();
  return { J, errorEstimate: err, evaluations, mode: "boundary", step: t0 };
}

/** Smallest eigenvalue of C relative to its largest (0 on the boundary of valid states). */
export function relativeMinEigenvalue(C: number[][]): number {
  const lam = symmetricEigenvalues(C);
  return Math.min(...lam) / Math.max(...lam.map(Math.abs));
}

/** The Jacobian of F at u: central differences inside, the boundary construction on it. */
export function orderParameterJacobian(f: VectorField, sys: GramSystem, u: ArrayLike<number>, step = 1e-3): JacobianResult {
  const C = sys.covariance(u);
  const lmin = relativeMinEigenvalue(C);
  if (lmin < 1e-9) return boundaryJacobian(f, sys, u, step);
  // keep the stencil (largest step 1e-3, reaching |du| = 1e-3) well inside the valid set
  const scale = Math.max(...C.map((r, i) => r[i]));
  const h = Math.min(step, (lmin * scale) / 10);
  return centralJacobian(f, u, h);
}
