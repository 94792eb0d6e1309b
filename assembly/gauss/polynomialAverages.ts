// Gaussian averages of products of polynomials, exactly (docs/theory.md sections 2.3, 10):
// with u_v = z_v / s_v standard and rho_ij their correlations, Wick's theorem in the Hermite
// basis (the Kibble-Slepian formula, a finite sum for polynomials) reads
//   E[prod_v P_v(z_v)] = sum_{n_ij >= 0} prod_{i<j} rho_ij^{n_ij} / n_ij! * prod_v a_v[n_v],
//   a_v[n] = E[P_v(s_v u) He_n(u)],  n_v = sum_{j != v} n_vj <= deg P_v.
// It holds for any correlation in [-1, 1], so repeated and perfectly correlated variables
// need no special case; a variable of zero variance contributes P_v(0).
// Up to four factors: the g and g' of polynomial (and linear) units and the z_b of I3.

const MAX_DEGREE: i32 = 16;
const ND: i32 = MAX_DEGREE + 1;
const MONO: usize = memory.data(4 * ND * 8, 8); // monomial coefficients of each factor
const DEG: usize = memory.data(4 * 4, 4);
const VAR: usize = memory.data(4 * 4, 4);
const A: usize = memory.data(4 * ND * 8, 8); // Hermite coefficients at the variable's scale
const POWERS: usize = memory.data(6 * ND * 8, 8); // rho_ij^n / n!, edge-major
const SCALED: usize = memory.data(ND * 8, 8);
const FACT: usize = memory.data(3 * ND * 8, 8); // n!, then (n - 1)!!, then 1 / n!
const MOMENT: usize = memory.data(ND * ND * 8, 8); // [k][n] = E[u^k He_n(u)] = k! / (k - n)! (k - n - 1)!!
let nFactors: i32 = 0;
let tables = false;

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function cget(C: usize, ldc: i32, i: i32, j: i32): f64 { return load<f64>(C + (<usize>(i * ldc + j) << 3)); }

function setupTables(): void {
  let f: f64 = 1;
  for (let n = 0; n < ND; n++) {
    if (n > 0) f *= <f64>n;
    st(FACT, n, f);
    // (n - 1)!! for even n (E[u^n]); 0 for odd n
    let df: f64 = (n & 1) != 0 ? 0.0 : 1.0;
    if ((n & 1) == 0) for (let k = n - 1; k > 1; k -= 2) df *= <f64>k;
    st(FACT, ND + n, df);
    st(FACT, 2 * ND + n, 1.0 / f);
  }
  for (let k = 0; k < ND; k++)
    for (let n = 0; n < ND; n++)
      st(MOMENT, k * ND + n, n <= k && ((k - n) & 1) == 0 ? (ld(FACT, k) / ld(FACT, k - n)) * ld(FACT, ND + k - n) : 0.0);
  tables = true;
}

/**
 * a[n] = E[P(s u) He_n(u)], n = 0..degree, u standard normal, of P = sum_k mono[k] x^k (the
 * Hermite coefficients of P at the scale s, times n!): sum_k mono[k] s^k E[u^k He_n(u)].
 */
export function hermiteAtScale(mono: usize, degree: i32, s: f64, a: usize): void {
  if (!tables) setupTables();
  // scale the monomials once, then the table
  for (let k = 0, sk: f64 = 1; k <= degree; k++, sk *= s) st(SCALED, k, ld(mono, k) * sk);
  for (let n = 0; n <= degree; n++) {
    let sum: f64 = 0;
    for (let k = n; k <= degree; k += 2) sum += ld(SCALED, k) * ld(MOMENT, k * ND + n);
    st(a, n, sum);
  }
}

/** n! (n <= 16). */
export function factorial(n: i32): f64 {
  if (!tables) setupTables();
  return ld(FACT, n);
}

/** 1 / n! (n <= 16). */
export function inverseFactorial(n: i32): f64 {
  if (!tables) setupTables();
  return ld(FACT, 2 * ND + n);
}

export function polynomialBegin(): void {
  nFactors = 0;
}
/** Adds the factor P(z_v), monomial coefficients written afterwards with polynomialCoefficient. */
export function polynomialFactor(v: i32, degree: i32): i32 {
  const k = nFactors++;
  store<i32>(VAR + (<usize>k << 2), v);
  store<i32>(DEG + (<usize>k << 2), degree);
  for (let j = 0; j <= degree; j++) st(MONO + (<usize>(k * ND) << 3), j, 0.0);
  return k;
}
export function polynomialCoefficient(k: i32, power: i32, c: f64): void {
  st(MONO + (<usize>(k * ND) << 3), power, c);
}

/** E[prod of the factors] over N(0, C) (C with leading dimension ldc). */
export function polynomialAverage(C: usize, ldc: i32): f64 {
  if (!tables) setupTables();
  const m = nFactors;
  // Hermite coefficients of each factor at its scale: E[(s u)^k He_n(u)] = s^k k!/(k-n)! (k-n-1)!!
  for (let f = 0; f < 4; f++) {
    const a = A + (<usize>(f * ND) << 3);
    if (f >= m) { st(a, 0, 1.0); continue; }
    const v = load<i32>(VAR + (<usize>f << 2));
    const d = load<i32>(DEG + (<usize>f << 2));
    const cvv = cget(C, ldc, v, v);
    hermiteAtScale(MONO + (<usize>(f * ND) << 3), d, cvv > 0.0 ? Math.sqrt(cvv) : 0.0, a);
  }
  // edge tables rho^n / n! (pair order 01 02 03 12 13 23); pairs with a padded factor or a zero variance: rho = 0
  let e = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = i + 1; j < 4; j++) {
      let rho: f64 = 0;
      if (j < m) {
        const vi = load<i32>(VAR + (<usize>i << 2)), vj = load<i32>(VAR + (<usize>j << 2));
        const cii = cget(C, ldc, vi, vi), cjj = cget(C, ldc, vj, vj);
        if (cii > 0.0 && cjj > 0.0) {
          rho = cget(C, ldc, vi, vj) / Math.sqrt(cii * cjj);
          if (rho > 1.0) rho = 1.0;
          if (rho < -1.0) rho = -1.0;
        }
      }
      // only the orders the two factors can use: n_ij <= min(deg_i, deg_j)
      const p = POWERS + (<usize>(e * ND) << 3);
      const top = j < m ? min(load<i32>(DEG + (<usize>i << 2)), load<i32>(DEG + (<usize>j << 2))) : 0;
      let r: f64 = 1;
      for (let n = 0; n <= top; n++) {
        st(p, n, r * ld(FACT, 2 * ND + n));
        r *= rho;
      }
      e++;
    }
  }
  const d0 = m > 0 ? load<i32>(DEG) : 0, d1 = m > 1 ? load<i32>(DEG + 4) : 0;
  const d2 = m > 2 ? load<i32>(DEG + 8) : 0, d3 = m > 3 ? load<i32>(DEG + 12) : 0;
  const a0 = A, a1 = A + (<usize>ND << 3), a2 = A + (<usize>(2 * ND) << 3), a3 = A + (<usize>(3 * ND) << 3);
  const p01 = POWERS, p02 = POWERS + (<usize>ND << 3), p03 = POWERS + (<usize>(2 * ND) << 3);
  const p12 = POWERS + (<usize>(3 * ND) << 3), p13 = POWERS + (<usize>(4 * ND) << 3), p23 = POWERS + (<usize>(5 * ND) << 3);
  let total: f64 = 0;
  for (let n01 = 0; n01 <= min(d0, d1); n01++) {
    const w01 = ld(p01, n01);
    if (w01 == 0.0) continue;
    for (let n02 = 0; n01 + n02 <= d0 && n02 <= d2; n02++) {
      const w02 = w01 * ld(p02, n02);
      if (w02 == 0.0) continue;
      for (let n03 = 0; n01 + n02 + n03 <= d0 && n03 <= d3; n03++) {
        const w03 = w02 * ld(p03, n03);
        if (w03 == 0.0) continue;
        const c0 = ld(a0, n01 + n02 + n03);
        if (c0 == 0.0) continue;
        for (let n12 = 0; n01 + n12 <= d1 && n02 + n12 <= d2; n12++) {
          const w12 = w03 * c0 * ld(p12, n12);
          if (w12 == 0.0) continue;
          for (let n13 = 0; n01 + n12 + n13 <= d1 && n03 + n13 <= d3; n13++) {
            const w13 = w12 * ld(p13, n13);
            if (w13 == 0.0) continue;
            const c1 = ld(a1, n01 + n12 + n13);
            if (c1 == 0.0) continue;
            for (let n23 = 0; n02 + n12 + n23 <= d2 && n03 + n13 + n23 <= d3; n23++) {
              const c2 = ld(a2, n02 + n12 + n23), c3 = ld(a3, n03 + n13 + n23);
              total += w13 * c1 * ld(p23, n23) * c2 * c3;
            }
          }
        }
      }
    }
  }
  return total;
}
