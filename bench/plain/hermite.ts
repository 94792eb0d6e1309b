// Plain-TypeScript port of assembly/gauss/hermite.ts (benchmark baseline, no WebAssembly):
// truncated Kibble-Slepian (Hermite) series for the ReLU I4 (docs/theory.md section 2.3, [E]),
//   I4 = sum_{n_ij} prod_{i<j} rho_ij^{n_ij} / n_ij! * <He_n1, theta><He_n2, theta><He_n3, relu><He_n4, relu>
// keeping exactly the index sets with n1, n2 <= N - 1 and n3, n4 <= N, factorised as in
// the WebAssembly kernel (S12, S34 tabulated per evaluation, O(N^4 / 4) outer terms).
import { INV_SQRT_2PI } from "./constants";

export const HERMITE_MAX_ORDER = 100;
const NT = HERMITE_MAX_ORDER + 2;
const COEF_THETA = new Float64Array(NT);
const COEF_RELU = new Float64Array(NT);
const POW = new Float64Array(6 * NT); // rho_ij^n / n!, pair-major
const S12 = new Float64Array(NT * NT);
const S34 = new Float64Array(NT * NT);
let tablesReady = false;

/** He_n(0) = (-1)^(n/2) (n-1)!! for even n, 0 for odd n. */
function hermiteAtZero(n: number): number {
  if (n & 1) return 0.0;
  let v = 1.0;
  for (let k = n - 1; k > 1; k -= 2) v *= k;
  return (n >> 1) & 1 ? -v : v;
}

function setupTables(): void {
  for (let n = 0; n < NT; n++) {
    // <He_n, theta>: 1/2, then He_{n-1}(0)/sqrt(2 pi)
    COEF_THETA[n] = n === 0 ? 0.5 : hermiteAtZero(n - 1) * INV_SQRT_2PI;
    // <He_n, relu>: 1/sqrt(2 pi), 1/2, then He_{n-2}(0)/sqrt(2 pi)
    COEF_RELU[n] = n === 0 ? INV_SQRT_2PI : n === 1 ? 0.5 : hermiteAtZero(n - 2) * INV_SQRT_2PI;
  }
  tablesReady = true;
}

export function thetaCoefficient(n: number): number {
  if (!tablesReady) setupTables();
  return COEF_THETA[n];
}
export function reluCoefficient(n: number): number {
  if (!tablesReady) setupTables();
  return COEF_RELU[n];
}

/**
 * Series for the correlation matrix with off-diagonals r12..r34 (variables 1, 2 carry
 * theta, 3, 4 carry relu), truncated at order N (1 <= N <= HERMITE_MAX_ORDER).
 */
export function hermiteI4Correlation(r12: number, r13: number, r14: number, r23: number, r24: number, r34: number, N: number): number {
  if (!tablesReady) setupTables();
  // power tables, pair order 12 13 14 23 24 34
  for (let p = 0; p < 6; p++) {
    const r = p === 0 ? r12 : p === 1 ? r13 : p === 2 ? r14 : p === 3 ? r23 : p === 4 ? r24 : r34;
    let v = 1.0;
    for (let n = 0; n <= N; n++) {
      POW[p * NT + n] = v;
      v *= r / (n + 1);
    }
  }
  // S12[x][y] = sum_{n12} r12^n12/n12! cth[x+n12] cth[y+n12], x + n12 <= N-1, y + n12 <= N-1
  for (let x = 0; x < N; x++) {
    for (let y = 0; y < N; y++) {
      const top = N - 1 - (x > y ? x : y);
      let s = 0;
      for (let m = 0; m <= top; m++) s += POW[m] * COEF_THETA[x + m] * COEF_THETA[y + m];
      S12[x * NT + y] = s;
    }
  }
  // S34[x][y] = sum_{n34} r34^n34/n34! crelu[x+n34] crelu[y+n34], x + n34 <= N, y + n34 <= N
  const p34 = 5 * NT;
  for (let x = 0; x <= N; x++) {
    for (let y = 0; y <= N; y++) {
      const top = N - (x > y ? x : y);
      let s = 0;
      for (let m = 0; m <= top; m++) s += POW[p34 + m] * COEF_RELU[x + m] * COEF_RELU[y + m];
      S34[x * NT + y] = s;
    }
  }
  const p13 = NT, p14 = 2 * NT, p23 = 3 * NT, p24 = 4 * NT;
  let total = 0;
  for (let n13 = 0; n13 < N; n13++) {
    const w13 = POW[p13 + n13];
    for (let n14 = 0; n13 + n14 < N; n14++) {
      const w1314 = w13 * POW[p14 + n14];
      const x = n13 + n14;
      for (let n23 = 0; n23 < N && n13 + n23 <= N; n23++) {
        const w3 = w1314 * POW[p23 + n23];
        const c3 = n13 + n23;
        let inner = 0;
        for (let n24 = 0; n23 + n24 < N && n14 + n24 <= N; n24++) {
          inner += POW[p24 + n24] * S12[x * NT + n23 + n24] * S34[c3 * NT + n14 + n24];
        }
        total += w3 * inner;
      }
    }
  }
  return total;
}

/** Spectral radius of the matrix of |rho_ij| (zero diagonal); the series converges if < 1. */
export function absCorrelationSpectralRadius(r12: number, r13: number, r14: number, r23: number, r24: number, r34: number): number {
  const a12 = Math.abs(r12), a13 = Math.abs(r13), a14 = Math.abs(r14);
  const a23 = Math.abs(r23), a24 = Math.abs(r24), a34 = Math.abs(r34);
  // power iteration on A + I (A non-negative symmetric)
  let x1 = 1, x2 = 1, x3 = 1, x4 = 1;
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const y1 = a12 * x2 + a13 * x3 + a14 * x4;
    const y2 = a12 * x1 + a23 * x3 + a24 * x4;
    const y3 = a13 * x1 + a23 * x2 + a34 * x4;
    const y4 = a14 * x1 + a24 * x2 + a34 * x3;
    if (y1 + y2 + y3 + y4 === 0) return 0;
    const next = (x1 * y1 + x2 * y2 + x3 * y3 + x4 * y4) / (x1 * x1 + x2 * x2 + x3 * x3 + x4 * x4);
    const z1 = y1 + x1, z2 = y2 + x2, z3 = y3 + x3, z4 = y4 + x4;
    const norm = Math.sqrt(z1 * z1 + z2 * z2 + z3 * z3 + z4 * z4);
    x1 = z1 / norm; x2 = z2 / norm; x3 = z3 / norm; x4 = z4 / norm;
    if (it > 5 && Math.abs(next - lambda) <= 1e-15 * next) { lambda = next; break; }
    lambda = next;
  }
  return lambda;
}
