// Stability against deviations from site symmetry (docs/theory.md section 5): beta f in all K^2 + K(K-1)/2 order
// parameters theta = (R_in row-major, then Q_ik for i < k), with Q_ii = 1 and T = I:
//   beta f = alpha [ sum_{i<k} phi(Q_ik) - sum_{i,n} phi(R_in) ] + const - 1/2 ln det C,
// C = [[Q, R], [R^T, I]] (2K x 2K), phi the unit-variance I2 (ReLU f; sigmoid (2/pi) asin(x/2)).
// eps_g is a sum of one-parameter terms, so its Hessian is diagonal; for the entropy, with W = C^-1 and
// a parameter theta_a entering C at (p, q) and (q, p):  d(1/2 ln det C)/d theta_a = W_pq and
// d^2/(d theta_a d theta_b) = -(W_pr W_qs + W_ps W_qr) for theta_b at (r, s).
import { Matrix, inverse } from "ml-matrix";
import type { Model } from "./freeEnergy";
import { jacobiEigen } from "../numerics/jacobiEigen";
import { symmetricEigenvalues } from "../numerics/eigen";

/** Largest K for which equilibrium() runs the check by default (n = K^2 + K(K-1)/2 = 145 parameters). */
export const SITE_SYMMETRY_DEFAULT_MAX_K = 10;
/** Hard limit (n = 1,300 parameters: one dense eigenproblem of ~1 s). */
export const SITE_SYMMETRY_MAX_K = 30;

/** Stability of a site-symmetric point against every deviation from site symmetry (docs/theory.md section 5.7). */
export interface SiteSymmetryCheck {
  /** Number of order parameters K^2 + K(K-1)/2. */
  parameters: number;
  /** Smallest eigenvalues of the full Hessian (ascending, at most 6). */
  smallestEigenvalues: number[];
  /** Eigenvalues below -1e-9 relative to the largest. */
  negative: number;
  /** All eigenvalues > 1e-9 relative to the largest: a local minimum in every direction. */
  stable: boolean;
  /** max |d beta f / d theta| at the point (0 up to rounding at a site-symmetric stationary point). */
  maxGradient: number;
}

function phiDerivatives(activation: Model["activation"], x: number): [number, number, number] {
  if (activation === "relu") {
    // f(x) = x/4 + (sqrt(1-x^2) + x asin x)/(2 pi); f' = 1/4 + asin(x)/(2 pi); f'' = 1/(2 pi sqrt(1-x^2))
    return [x / 4 + (Math.sqrt(1 - x * x) + x * Math.asin(x)) / (2 * Math.PI), 0.25 + Math.asin(x) / (2 * Math.PI), 1 / (2 * Math.PI * Math.sqrt(1 - x * x))];
  }
  const r = Math.sqrt(4 - x * x);
  return [(2 / Math.PI) * Math.asin(x / 2), 2 / (Math.PI * r), (2 * x) / (Math.PI * r * r * r)];
}

/** Where each parameter sits in C: (p, q) with p < q. */
function parameterPositions(K: number): [number, number][] {
  const pos: [number, number][] = [];
  for (let i = 0; i < K; i++) for (let n = 0; n < K; n++) pos.push([i, K + n]);
  for (let i = 0; i < K; i++) for (let k = i + 1; k < K; k++) pos.push([i, k]);
  return pos;
}

/** Full order parameters of the site-symmetric point (R, S, C). */
export function siteSymmetricParameters(K: number, R: number, S: number, C: number): Float64Array {
  const theta = new Float64Array(K * K + (K * (K - 1)) / 2);
  let a = 0;
  for (let i = 0; i < K; i++) for (let n = 0; n < K; n++) theta[a++] = i === n ? R : S;
  for (let i = 0; i < K; i++) for (let k = i + 1; k < K; k++) theta[a++] = C;
  return theta;
}

function overlapMatrix(K: number, theta: ArrayLike<number>): Matrix {
  const Cm = Matrix.eye(2 * K);
  parameterPositions(K).forEach(([p, q], a) => {
    Cm.set(p, q, theta[a]);
    Cm.set(q, p, theta[a]);
  });
  return Cm;
}

/**
 * beta f, gradient and Hessian in all order parameters, or null when
 * C is not positive definite.
 */
export function fullFreeEnergy(model: Model, alpha: number, theta: ArrayLike<number>): { F: number; gradient: Float64Array; hessian: Float64Array } | null {
  const K = model.K;
  const pos = parameterPositions(K);
  const n = pos.length;
  const Cm = overlapMatrix(K, theta);
  // ln det by Cholesky (fails outside the domain)
  let logDet = 0;
  const L = Cm.to2DArray();
  for (let j = 0; j < 2 * K; j++) {
    let d = L[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j][j] = ljj;
    logDet += 2 * Math.log(ljj);
    for (let i = j + 1; i < 2 * K; i++) {
      let s = L[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / ljj;
    }
  }
  const W = inverse(Cm).to2DArray();
  const gradient = new Float64Array(n), hessian = new Float64Array(n * n);
  // the theta-independent part of alpha K eps_g: alpha [K phi(1) + K(K-1)/2 phi(0)] (teacher and Q_ii terms)
  let F = -0.5 * logDet + alpha * (K * phiDerivatives(model.activation, 1)[0] + ((K * (K - 1)) / 2) * phiDerivatives(model.activation, 0)[0]);
  for (let a = 0; a < n; a++) {
    const sign = a < K * K ? -1 : 1; // R_in enter eps_g with -phi, Q_ik with +phi
    const [phi, d1, d2] = phiDerivatives(model.activation, theta[a]);
    F += alpha * sign * phi;
    const [p, q] = pos[a];
    gradient[a] = alpha * sign * d1 - W[p][q];
    hessian[a * n + a] += alpha * sign * d2;
    for (let b = 0; b < n; b++) {
      const [r, s] = pos[b];
      hessian[a * n + b] += W[p][r] * W[q][s] + W[p][s] * W[q][r];
    }
  }
  return { F, gradient, hessian };
}

/** The check at a site-symmetric point (the Hessian's spectrum from its symmetry blocks, see below). */
export function siteSymmetryCheck(model: Model, alpha: number, R: number, S: number, C: number): SiteSymmetryCheck | null {
  const theta = siteSymmetricParameters(model.K, R, S, C);
  const full = fullFreeEnergy(model, alpha, theta);
  if (!full) return null;
  const spectrum = symmetryBlockSpectrum(model.K, full.hessian);
  // every direction accounted for (multiplicities add up to all parameters), else the dense route
  if (spectrum.reduce((c, e) => c + e.multiplicity, 0) !== theta.length) return summarize(theta.length, denseSpectrum(full.hessian, theta.length).map((value) => ({ value, multiplicity: 1 })), full.gradient);
  return summarize(theta.length, spectrum, full.gradient);
}

/** The same check by one dense eigenproblem of the whole Hessian (reference for the block method). */
export function siteSymmetryCheckDense(model: Model, alpha: number, R: number, S: number, C: number): SiteSymmetryCheck | null {
  const theta = siteSymmetricParameters(model.K, R, S, C);
  const full = fullFreeEnergy(model, alpha, theta);
  if (!full) return null;
  return summarize(theta.length, denseSpectrum(full.hessian, theta.length).map((value) => ({ value, multiplicity: 1 })), full.gradient);
}

function summarize(n: number, spectrum: { value: number; multiplicity: number }[], gradient: Float64Array): SiteSymmetryCheck {
  const values = spectrum.flatMap((e) => Array.from({ length: Math.min(e.multiplicity, 6) }, () => e.value)).sort((x, y) => x - y);
  const top = Math.max(...spectrum.map((e) => Math.abs(e.value)));
  const tol = 1e-9 * top;
  return {
    parameters: n,
    smallestEigenvalues: values.slice(0, 6),
    negative: spectrum.reduce((c, e) => c + (e.value < -tol ? e.multiplicity : 0), 0),
    stable: values[0] > tol,
    maxGradient: Math.max(...Array.from(gradient, Math.abs)),
  };
}

export function denseSpectrum(hessian: Float64Array, n: number): number[] {
  const H = new Matrix(n, n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) H.set(a, b, hessian[a * n + b]);
  return symmetricEigenvalues(H);
}

/**
 * The Hessian at a site-symmetric point commutes with the simultaneous permutations of students and
 * teachers (T = I, R_in -> R_pi(i)pi(n), Q_ik -> Q_pi(i)pi(k)), so its spectrum splits by the
 * irreducible representations of S_K in the parameter space (R: V x V, Q: off-diagonal pairs, V the
 * permutation representation = trivial + standard):
 *   trivial [K]          (dim 1):            3 copies (R diagonal, R off-diagonal, Q): the 3 x 3 site-symmetric block
 *   standard [K-1,1]     (dim K-1):          4 copies (R diagonal x_i, R rows x_i, R columns x_n, Q x_i + x_k)
 *   [K-2,2]              (dim K(K-3)/2):     2 copies (R off-diagonal Y_in, Q Y_ik; Y symmetric, zero diagonal and row sums)
 *   [K-2,1,1]            (dim (K-1)(K-2)/2): 1 copy  (R off-diagonal A_in; A antisymmetric, zero row sums)
 * (3 + 4(K-1) + K(K-3) + (K-1)(K-2)/2 = K^2 + K(K-1)/2 parameters.) One representative vector per copy,
 * built by the same equivariant map from one x, Y or A, spans the copy's block: its eigenvalues are
 * those of the projected Hessian (a few x a few), each with the irrep's dimension as multiplicity.
 * For K = 2 and 3 some copies vanish or coincide; Gram-Schmidt drops them.
 */
export function symmetryBlockSpectrum(K: number, hessian: Float64Array): { value: number; multiplicity: number }[] {
  const pos = parameterPositions(K);
  const n = pos.length;
  const index = new Map<string, number>();
  pos.forEach(([p, q], a) => index.set(`${p},${q}`, a));
  const rIdx = (i: number, k: number) => index.get(`${i},${K + k}`)!;
  const qIdx = (i: number, k: number) => index.get(`${Math.min(i, k)},${Math.max(i, k)}`)!;
  /** Parameter vector from R_in = fR(i, n) and Q_ik = fQ(i, k) (i < k). */
  const vec = (fR: (i: number, k: number) => number, fQ: (i: number, k: number) => number) => {
    const v = new Float64Array(n);
    for (let i = 0; i < K; i++) for (let k = 0; k < K; k++) v[rIdx(i, k)] = fR(i, k);
    for (let i = 0; i < K; i++) for (let k = i + 1; k < K; k++) v[qIdx(i, k)] = fQ(i, k);
    return v;
  };
  const zero = () => 0;
  const blocks: { vectors: Float64Array[]; dim: number }[] = [];
  const off = (i: number, k: number) => (i === k ? 0 : 1);
  blocks.push({ dim: 1, vectors: [vec((i, k) => (i === k ? 1 : 0), zero), vec(off, zero), vec(zero, () => 1)] });
  if (K >= 2) {
    const x = Float64Array.from({ length: K }, (_, i) => (i === 0 ? 1 : i === 1 ? -1 : 0));
    blocks.push({
      dim: K - 1,
      vectors: [vec((i, k) => (i === k ? x[i] : 0), zero), vec((i, k) => off(i, k) * x[i], zero), vec((i, k) => off(i, k) * x[k], zero), vec(zero, (i, k) => x[i] + x[k])],
    });
  }
  if (K >= 4) {
    // Y_13 = Y_24 = 1, Y_14 = Y_23 = -1 (0-based 0..3), symmetric
    const Y = (i: number, k: number) => {
      const a = Math.min(i, k), b = Math.max(i, k);
      return (a === 0 && b === 2) || (a === 1 && b === 3) ? 1 : (a === 0 && b === 3) || (a === 1 && b === 2) ? -1 : 0;
    };
    blocks.push({ dim: (K * (K - 3)) / 2, vectors: [vec((i, k) => off(i, k) * Y(i, k), zero), vec(zero, Y)] });
  }
  if (K >= 3) {
    // the 3-cycle A_01 = A_12 = A_20 = 1, antisymmetric
    const A = (i: number, k: number) => {
      const c = (a: number, b: number) => (a === 0 && b === 1) || (a === 1 && b === 2) || (a === 2 && b === 0);
      return c(i, k) ? 1 : c(k, i) ? -1 : 0;
    };
    blocks.push({ dim: ((K - 1) * (K - 2)) / 2, vectors: [vec(A, zero)] });
  }
  const out: { value: number; multiplicity: number }[] = [];
  for (const { vectors, dim } of blocks) {
    // orthonormal basis of the copies' span (drop vanishing or dependent ones: K = 2, 3)
    const basis: Float64Array[] = [];
    for (const v0 of vectors) {
      const v = Float64Array.from(v0);
      const norm0 = Math.hypot(...v);
      for (let pass = 0; pass < 2; pass++)
        for (const b of basis) {
          let d = 0;
          for (let a = 0; a < n; a++) d += v[a] * b[a];
          for (let a = 0; a < n; a++) v[a] -= d * b[a];
        }
      const norm = Math.hypot(...v);
      if (norm0 === 0 || norm <= 1e-10 * norm0) continue;
      for (let a = 0; a < n; a++) v[a] /= norm;
      basis.push(v);
    }
    const m = basis.length;
    const Hb = basis.map((b) => {
      const hb = new Float64Array(n);
      for (let a = 0; a < n; a++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += hessian[a * n + c] * b[c];
        hb[a] = s;
      }
      return hb;
    });
    const B = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) B[i * m + j] = basis[i].reduce((s, x, a) => s + x * Hb[j][a], 0);
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) B[i * m + j] = B[j * m + i] = 0.5 * (B[i * m + j] + B[j * m + i]);
    for (const value of jacobiEigen(B, m).values) out.push({ value, multiplicity: dim });
  }
  return out;
}
