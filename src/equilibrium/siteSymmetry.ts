// Stability against deviations from site symmetry (THEORY 5): beta f in all K^2 + K(K-1)/2 order
// parameters theta = (R_in row-major, then Q_ik for i < k), with Q_ii = 1 and T = I:
//   beta f = alpha [ sum_{i<k} phi(Q_ik) - sum_{i,n} phi(R_in) ] + const - 1/2 ln det C,
// C = [[Q, R], [R^T, I]] (2K x 2K), phi the unit-variance I2 (ReLU f; sigmoid (2/pi) asin(x/2)).
// eps_g is a sum of one-parameter terms, so its Hessian is diagonal; for the entropy, with W = C^-1 and
// a parameter theta_a entering C at (p, q) and (q, p):  d(1/2 ln det C)/d theta_a = W_pq and
// d^2/(d theta_a d theta_b) = -(W_pr W_qs + W_ps W_qr) for theta_b at (r, s).
import { EigenvalueDecomposition, Matrix, inverse } from "ml-matrix";
import type { Model } from "./freeEnergy";

/** Largest K for which equilibrium() runs the check by default (n = K^2 + K(K-1)/2 = 145 parameters). */
export const SITE_SYMMETRY_DEFAULT_MAX_K = 10;
/** Hard limit (n = 1,300 parameters: one dense eigenproblem of ~1 s). */
export const SITE_SYMMETRY_MAX_K = 30;

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

/** The check at a site-symmetric point. */
export function siteSymmetryCheck(model: Model, alpha: number, R: number, S: number, C: number): SiteSymmetryCheck | null {
  const theta = siteSymmetricParameters(model.K, R, S, C);
  const full = fullFreeEnergy(model, alpha, theta);
  if (!full) return null;
  const n = theta.length;
  const H = new Matrix(n, n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) H.set(a, b, full.hessian[a * n + b]);
  const values = new EigenvalueDecomposition(H, { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
  const top = Math.max(...values.map(Math.abs));
  const tol = 1e-9 * top;
  return {
    parameters: n,
    smallestEigenvalues: values.slice(0, 6),
    negative: values.filter((v) => v < -tol).length,
    stable: values[0] > tol,
    maxGradient: Math.max(...Array.from(full.gradient, Math.abs)),
  };
}
