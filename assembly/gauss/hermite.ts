// Truncated Kibble-Slepian (Hermite) series for the ReLU I4 (docs/theory.md section 2.3, [E]):
//   I4 = sum_{n_ij} prod_{i<j} rho_ij^{n_ij} / n_ij! * <He_n1, theta><He_n2, theta><He_n3, relu><He_n4, relu>
// keeping exactly the index sets with n1, n2 <= N - 1 and n3, n4 <= N.
// Factorised: for fixed (n13, n14, n23, n24) the sums over n12 and n34 separate, so they
// are tabulated once per evaluation (S12, S34) and the outer sum has O(N^4 / 4) terms.
import { INV_SQRT_2PI } from "./constants";

export const HERMITE_MAX_ORDER: i32 = 100;
const NT: i32 = HERMITE_MAX_ORDER + 2;
const COEF_THETA: usize = memory.data(NT * 8, 8);
const COEF_RELU: usize = memory.data(NT * 8, 8);
const POW: usize = memory.data(6 * NT * 8, 8); // rho_ij^n / n!, pair-major
const S12: usize = memory.data(NT * NT * 8, 8);
const S34: usize = memory.data(NT * NT * 8, 8);
let tablesReady = false;

@inline function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

/** He_n(0) = (-1)^(n/2) (n-1)!! for even n, 0 for odd n. */
function hermiteAtZero(n: i32): f64 {
  if (n & 1) return 0.0;
  let v: f64 = 1.0;
  for (let k = n - 1; k > 1; k -= 2) v *= <f64>k;
  return (n >> 1) & 1 ? -v : v;
}

function setupTables(): void {
  for (let n = 0; n < NT; n++) {
    // <He_n, theta>: 1/2, then He_{n-1}(0)/sqrt(2 pi)
    st(COEF_THETA, n, n == 0 ? 0.5 : hermiteAtZero(n - 1) * INV_SQRT_2PI);
    // <He_n, relu>: 1/sqrt(2 pi), 1/2, then He_{n-2}(0)/sqrt(2 pi)
    st(COEF_RELU, n, n == 0 ? INV_SQRT_2PI : n == 1 ? 0.5 : hermiteAtZero(n - 2) * INV_SQRT_2PI);
  }
  tablesReady = true;
}

export function thetaCoefficient(n: i32): f64 {
  if (!tablesReady) setupTables();
  return ld(COEF_THETA, n);
}
export function reluCoefficient(n: i32): f64 {
  if (!tablesReady) setupTables();
  return ld(COEF_RELU, n);
}

@inline function pw(pair: i32, n: i32): f64 {
  return load<f64>(POW + (<usize>(pair * NT + n) << 3));
}

/**
 * Series for the correlation matrix with off-diagonals r12..r34 (variables 1, 2 carry
 * theta, 3, 4 carry relu), truncated at order N.
 */
export function hermiteI4Correlation(r12: f64, r13: f64, r14: f64, r23: f64, r24: f64, r34: f64, N: i32): f64 {
  if (!tablesReady) setupTables();
  // power tables, pair order 12 13 14 23 24 34
  for (let p = 0; p < 6; p++) {
    const r = p == 0 ? r12 : p == 1 ? r13 : p == 2 ? r14 : p == 3 ? r23 : p == 4 ? r24 : r34;
    let v: f64 = 1.0;
    for (let n = 0; n <= N; n++) {
      store<f64>(POW + (<usize>(p * NT + n) << 3), v);
      v *= r / <f64>(n + 1);
    }
  }
  // S12[x][y] = sum_{n12} r12^n12/n12! cth[x+n12] cth[y+n12], x + n12 <= N-1, y + n12 <= N-1
  for (let x = 0; x < N; x++) {
    for (let y = 0; y < N; y++) {
      const top = N - 1 - (x > y ? x : y);
      let s: f64 = 0;
      for (let m = 0; m <= top; m++) s += pw(0, m) * ld(COEF_THETA, x + m) * ld(COEF_THETA, y + m);
      st(S12, x * NT + y, s);
    }
  }
  // S34[x][y] = sum_{n34} r34^n34/n34! crelu[x+n34] crelu[y+n34], x + n34 <= N, y + n34 <= N
  for (let x = 0; x <= N; x++) {
    for (let y = 0; y <= N; y++) {
      const top = N - (x > y ? x : y);
      let s: f64 = 0;
      for (let m = 0; m <= top; m++) s += pw(5, m) * ld(COEF_RELU, x + m) * ld(COEF_RELU, y + m);
      st(S34, x * NT + y, s);
    }
  }
  let total: f64 = 0;
  for (let n13 = 0; n13 < N; n13++) {
    const p13 = pw(1, n13);
    for (let n14 = 0; n13 + n14 < N; n14++) {
      const p1314 = p13 * pw(2, n14);
      const x = n13 + n14;
      for (let n23 = 0; n23 < N && n13 + n23 <= N; n23++) {
        const p3 = p1314 * pw(3, n23);
        const c3 = n13 + n23;
        let inner: f64 = 0;
        for (let n24 = 0; n23 + n24 < N && n14 + n24 <= N; n24++) {
          inner += pw(4, n24) * ld(S12, x * NT + n23 + n24) * ld(S34, c3 * NT + n14 + n24);
        }
        total += p3 * inner;
      }
    }
  }
  return total;
}

/** The same truncated sum term by term (for tests of the factorisation only). */
export function hermiteI4Naive(r12: f64, r13: f64, r14: f64, r23: f64, r24: f64, r34: f64, N: i32): f64 {
  if (!tablesReady) setupTables();
  let total: f64 = 0;
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++)
      for (let c = 0; c < N; c++)
        for (let d = 0; d < N; d++)
          for (let e = 0; e < N; e++)
            for (let f = 0; f <= N; f++) {
              // a=n12 b=n13 c=n14 d=n23 e=n24 f=n34
              const n1 = a + b + c, n2 = a + d + e, n3 = b + d + f, n4 = c + e + f;
              if (n1 > N - 1 || n2 > N - 1 || n3 > N || n4 > N) continue;
              total += (powFact(r12, a) * powFact(r13, b) * powFact(r14, c) * powFact(r23, d) * powFact(r24, e) * powFact(r34, f))
                * ld(COEF_THETA, n1) * ld(COEF_THETA, n2) * ld(COEF_RELU, n3) * ld(COEF_RELU, n4);
            }
  return total;
}

function powFact(r: f64, n: i32): f64 {
  let v: f64 = 1.0;
  for (let k = 1; k <= n; k++) v *= r / <f64>k;
  return v;
}

/** Number of index sets kept at order N, and how many have a non-zero ReLU coefficient. */
export function hermiteIndexSets(N: i32, nonzeroOnly: bool): i32 {
  if (!tablesReady) setupTables();
  let count = 0;
  for (let a = 0; a < N; a++)
    for (let b = 0; b < N; b++)
      for (let c = 0; c < N; c++)
        for (let d = 0; d < N; d++)
          for (let e = 0; e < N; e++)
            for (let f = 0; f <= N; f++) {
              const n1 = a + b + c, n2 = a + d + e, n3 = b + d + f, n4 = c + e + f;
              if (n1 > N - 1 || n2 > N - 1 || n3 > N || n4 > N) continue;
              if (nonzeroOnly && ld(COEF_THETA, n1) * ld(COEF_THETA, n2) * ld(COEF_RELU, n3) * ld(COEF_RELU, n4) == 0.0) continue;
              count++;
            }
  return count;
}

/** Spectral radius of the matrix of |rho_ij| (zero diagonal); the series converges if < 1. */
export function absCorrelationSpectralRadius(r12: f64, r13: f64, r14: f64, r23: f64, r24: f64, r34: f64): f64 {
  const a12 = Math.abs(r12), a13 = Math.abs(r13), a14 = Math.abs(r14);
  const a23 = Math.abs(r23), a24 = Math.abs(r24), a34 = Math.abs(r34);
  // power iteration on A + I (A non-negative symmetric): the Perron root is then the
  // unique dominant eigenvalue even when A has -lambda_max as well
  let x1: f64 = 1, x2: f64 = 1, x3: f64 = 1, x4: f64 = 1;
  let lambda: f64 = 0;
  for (let it = 0; it < 500; it++) {
    const y1 = a12 * x2 + a13 * x3 + a14 * x4;
    const y2 = a12 * x1 + a23 * x3 + a24 * x4;
    const y3 = a13 * x1 + a23 * x2 + a34 * x4;
    const y4 = a14 * x1 + a24 * x2 + a34 * x3;
    if (y1 + y2 + y3 + y4 == 0) return 0;
    const next = (x1 * y1 + x2 * y2 + x3 * y3 + x4 * y4) / (x1 * x1 + x2 * x2 + x3 * x3 + x4 * x4);
    const z1 = y1 + x1, z2 = y2 + x2, z3 = y3 + x3, z4 = y4 + x4;
    const norm = Math.sqrt(z1 * z1 + z2 * z2 + z3 * z3 + z4 * z4);
    x1 = z1 / norm; x2 = z2 / norm; x3 = z3 / norm; x4 = z4 / norm;
    if (it > 5 && Math.abs(next - lambda) <= 1e-15 * next) { lambda = next; break; }
    lambda = next;
  }
  return lambda;
}
