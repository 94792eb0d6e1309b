// The averages of the full right-hand side (model.ts) when every unit is a polynomial (square,
// He_N, Hermite coefficients, linear; docs/theory.md section 10.1): Wick's theorem in the Hermite
// basis as in polynomialAverages.ts (the Kibble-Slepian sum over edge multiplicities n_vw with
// weights rho_vw^n / n! and a_v[n_v] = E[f_v(s_v u) He_n(u)] per node), with what the ~30 I4 and
// ~32 I3 of one right-hand side share computed once per covariance instead of once per average:
//  - per variable v its standard deviation s_v and the Hermite coefficients at that scale of f_v
//    and of f_v^2 (and of g' and g'^2 for the students; the squares by the Hermite linearisation);
//  - per pair the correlation rho_vw; per pair c < e the two-point table
//      T_ce[x][y] = sum_m rho_ce^m / m! a_c[x + m] a_e[y + m],
//    and per student pair (i, k) the same table of g' (T_ik).
// A repeated variable is one node whose polynomial is the product (g'_i^2 for i = k, f_c^2 for
// c = e), so three of the four kinds of I4 are sums over two or three nodes:
//   I4(i, i, c, c) = sum_p rho_ic^p/p! h_i[p] F_c[p]                           (h = g'^2, F = f^2)
//   I4(i, i, c, e) = sum_{p, p'} rho_ic^p/p! rho_ie^p'/p'! h_i[p + p'] T_ce[p][p']
//   I4(i, k, c, c) = sum_{p, q} rho_ic^p/p! rho_kc^q/q! T_ik[p][q] F_c[p + q]
// (h and F are even for units of a definite parity: only even orders count), and only four
// distinct variables need the four cross edges (p, p', q, q') = (n_ic, n_ie, n_kc, n_ke):
//   I4 = sum rho_ic^p/p! rho_ie^p'/p'! rho_kc^q/q! rho_ke^q'/q'! T_ik[p + p'][q + q'] T_ce[p + q][p' + q'],
// where T_ik[x][y] vanishes unless x = y (mod 2) when g has a definite parity (He_N, square).
// I3 has a lone z_b (a_b = (0, s_b)), so it is two sums of two-point terms:
//   I3(i, b, c) = s_b (rho_ib X10_ic + rho_bc X01_ic),
//   X10_ic = sum_m rho_ic^m/m! a'_i[m + 1] a_c[m],  X01_ic = sum_m rho_ic^m/m! a'_i[m] a_c[m + 1],
// and sum_c s_c I3(i, b, c) costs O(NV) per entry. The same sums as polynomialAverage, grouped
// otherwise: equal to rounding (test/exactRows.test.ts).
import { ACT_LINEAR } from "../activations";
import { activationCode, MAX_POLY_DEGREE, polyDegree, polyMonomial } from "../gauss/activationFunctions";
import { factorial, hermiteAtScale, inverseFactorial } from "../gauss/polynomialAverages";

const NR: i32 = MAX_POLY_DEGREE + 1; // coefficients of one factor at most
const NS: i32 = 2 * MAX_POLY_DEGREE + 1; // of the square of one
// per side: monomials of g and g'; degrees; parity of g (0 even, 1 odd, -1 neither)
const MONO: usize = memory.data(2 * 2 * NR * 8, 8);
let degG0: i32 = 0, degG1: i32 = 0, degD: i32 = 0;
let parity0: i32 = -1, parity1: i32 = -1;
// T_ce of every pair c < e when they fit (else each is formed where it is used: the same bits)
const CACHE_DOUBLES: i32 = 4096;
const CACHE: usize = memory.data(CACHE_DOUBLES * 8, 8);
let cached = false;
// T_ik of the current student pair, and one T_ce when not cached
const TIK: usize = memory.data(NR * NR * 8, 8);
const TCE: usize = memory.data(NR * NR * 8, 8);
const POW: usize = memory.data(NS * 8, 8);

// layout of the tables (set by polynomialRowsBegin)
let nv: i32 = 0, nk: i32 = 0, nt: i32 = 0;
let RHO: usize = 0, SD: usize = 0, AG: usize = 0, AD: usize = 0, FF: usize = 0, HH: usize = 0, PI: usize = 0, PK: usize = 0, W: usize = 0;

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function row(p: usize, r: i32, stride: i32): usize {
  return p + (<usize>(r * stride) << 3);
}
// @ts-ignore: decorator
@inline function degreeOf(v: i32): i32 {
  return v < nk ? degG0 : degG1;
}
// @ts-ignore: decorator
@inline function parityOf(v: i32): i32 {
  return v < nk ? parity0 : parity1;
}
// @ts-ignore: decorator
@inline function monomials(side: i32, piece: i32): usize {
  return MONO + (<usize>((side * 2 + piece) * NR) << 3);
}
const PIECE_G: i32 = 0, PIECE_DG: i32 = 1;

/** Doubles of scratch the tables need beside the NV x NV correlations (model.ts's rows region). */
export function polynomialRowsDoubles(K: i32, NV: i32): i32 {
  return NV * (1 + NR + 3 * NS + 1) + K * (NR + NS);
}

/** Monomials of g and g' of a side (linear: x and 1), its degree; returns the parity of g. */
function sideMonomials(side: i32): i32 {
  const g = monomials(side, PIECE_G), dg = monomials(side, PIECE_DG);
  const linear = activationCode(side) == ACT_LINEAR;
  const d = linear ? 1 : polyDegree(side);
  let even = true, odd = true;
  for (let k = 0; k < NR; k++) {
    const c = linear ? (k == 1 ? 1.0 : 0.0) : k <= d ? polyMonomial(side, 0, k) : 0.0;
    put(g, k, c);
    put(dg, k, linear ? (k == 0 ? 1.0 : 0.0) : k < d ? polyMonomial(side, 1, k) : 0.0);
    if (c != 0.0) {
      if (k & 1) even = false;
      else odd = false;
    }
  }
  if (side == 0) degG0 = d;
  else degG1 = d;
  return even ? 0 : odd ? 1 : -1;
}

/**
 * F[j] = E[f(s u)^2 He_j(u)], j <= 2d, from a[n] = E[f(s u) He_n(u)], n <= d, by the linearisation
 * He_m He_n = sum_k C(m, k) C(n, k) k! He_{m + n - 2k}: with f = sum_n a[n] He_n / n!,
 * F[m + n - 2k] += (m + n - 2k)! a[m] a[n] / (k! (m - k)! (n - k)!). (Through the monomials of f^2
 * the alternating coefficients of He_8 lose ~1e-14 relative.)
 */
function squareOf(a: usize, d: i32, out: usize): void {
  for (let j = 0; j <= 2 * d; j++) put(out, j, 0.0);
  for (let m = 0; m <= d; m++) {
    const am = at(a, m);
    if (am == 0.0) continue;
    for (let n = 0; n <= d; n++) {
      const amn = am * at(a, n);
      if (amn == 0.0) continue;
      for (let k = 0; k <= min(m, n); k++) {
        const j = m + n - 2 * k;
        put(out, j, at(out, j) + amn * inverseFactorial(k) * inverseFactorial(m - k) * inverseFactorial(n - k));
      }
    }
  }
  for (let j = 2; j <= 2 * d; j++) put(out, j, at(out, j) * factorial(j));
}

/** rho^m / m!, m = 0..top, into out. */
// @ts-ignore: decorator
@inline function powers(r: f64, top: i32, out: usize): void {
  let v: f64 = 1;
  for (let m = 0; m <= top; m++) {
    put(out, m, v * inverseFactorial(m));
    v *= r;
  }
}

/**
 * T[x][y] = sum_m rho^m/m! a[x + m] b[y + m], x <= da, y <= db (row stride nt); pa, pb the
 * parities of a and b (-1: neither), whose wrong-parity coefficients vanish.
 */
function pairTable(a: usize, da: i32, pa: i32, b: usize, db: i32, pb: i32, r: f64, out: usize): void {
  powers(r, min(da, db), POW);
  const definite = pa >= 0 && pb >= 0;
  const step = definite ? 2 : 1;
  for (let x = 0; x <= da; x++) {
    const o = row(out, x, nt);
    // a[x + m] needs m = pa - x (mod 2), then b[y + m] needs y = pb - m (mod 2)
    const m0 = definite ? (pa - x) & 1 : 0;
    for (let y = 0; y <= db; y++) {
      let s: f64 = 0;
      if (!definite || ((y + m0 - pb) & 1) == 0) {
        const top = min(da - x, db - y);
        for (let m = m0; m <= top; m += step) s += at(POW, m) * at(a, x + m) * at(b, y + m);
      }
      put(o, y, s);
    }
  }
}

// @ts-ignore: decorator
@inline function pairIndex(c: i32, e: i32): i32 {
  // c < e, row-major strict upper triangle
  return c * nv - ((c * (c + 1)) >> 1) + (e - c - 1);
}

/**
 * Tables of covariance C (NV x NV): correlations into rho (NV x NV doubles), the rest into rows
 * (polynomialRowsDoubles of them). Valid until the next call.
 */
export function polynomialRowsBegin(C: usize, NV: i32, K: i32, rho: usize, rows: usize): void {
  nv = NV;
  nk = K;
  parity0 = sideMonomials(0);
  parity1 = sideMonomials(1);
  degD = degG0 > 0 ? degG0 - 1 : 0;
  nt = max(degG0, degG1) + 1;
  RHO = rho;
  SD = rows;
  AG = SD + (<usize>NV << 3);
  FF = AG + (<usize>(NV * NR) << 3);
  AD = FF + (<usize>(NV * NS) << 3);
  HH = AD + (<usize>(K * NR) << 3);
  PI = HH + (<usize>(K * NS) << 3);
  PK = PI + (<usize>(NV * NS) << 3);
  W = PK + (<usize>(NV * NS) << 3);
  for (let v = 0; v < NV; v++) {
    const cvv = load<f64>(C + (<usize>(v * NV + v) << 3));
    put(SD, v, cvv > 0.0 ? Math.sqrt(cvv) : 0.0);
  }
  // correlations as polynomialAverage forms them (clamped; 0 with a zero variance)
  for (let v = 0; v < NV; v++) {
    const cvv = load<f64>(C + (<usize>(v * NV + v) << 3));
    put(RHO, v * NV + v, cvv > 0.0 ? 1.0 : 0.0);
    for (let w = v + 1; w < NV; w++) {
      const cww = load<f64>(C + (<usize>(w * NV + w) << 3));
      let r: f64 = 0;
      if (cvv > 0.0 && cww > 0.0) {
        r = load<f64>(C + (<usize>(v * NV + w) << 3)) / Math.sqrt(cvv * cww);
        if (r > 1.0) r = 1.0;
        if (r < -1.0) r = -1.0;
      }
      put(RHO, v * NV + w, r);
      put(RHO, w * NV + v, r);
    }
  }
  for (let v = 0; v < NV; v++) {
    const side = v < K ? 0 : 1, d = side == 0 ? degG0 : degG1, s = at(SD, v);
    hermiteAtScale(monomials(side, PIECE_G), d, s, row(AG, v, NR));
    squareOf(row(AG, v, NR), d, row(FF, v, NS));
  }
  for (let i = 0; i < K; i++) {
    const s = at(SD, i);
    hermiteAtScale(monomials(0, PIECE_DG), degD, s, row(AD, i, NR));
    squareOf(row(AD, i, NR), degD, row(HH, i, NS));
  }
  cached = ((NV * (NV - 1)) >> 1) * nt * nt <= CACHE_DOUBLES;
  if (cached) {
    for (let c = 0; c < NV; c++) {
      for (let e = c + 1; e < NV; e++) {
        pairTable(row(AG, c, NR), degreeOf(c), parityOf(c), row(AG, e, NR), degreeOf(e), parityOf(e), at(RHO, c * NV + e), row(CACHE, pairIndex(c, e), nt * nt));
      }
    }
  }
}

/** J3[i NV + b] = sum_c s_c I3(i, b, c), i < K, b < NV (S: signed output weights). */
export function polynomialJ3(S: usize, J3: usize): void {
  for (let i = 0; i < nk; i++) {
    const ai = row(AD, i, NR), rhoI = row(RHO, i, nv);
    let a10: f64 = 0;
    for (let c = 0; c < nv; c++) {
      const ac = row(AG, c, NR), dc = degreeOf(c);
      const top10 = min(degD - 1, dc), top01 = min(degD, dc - 1);
      powers(at(rhoI, c), max(top10, top01), POW);
      let x10: f64 = 0, x01: f64 = 0;
      for (let m = 0; m <= top10; m++) x10 += at(POW, m) * at(ai, m + 1) * at(ac, m);
      for (let m = 0; m <= top01; m++) x01 += at(POW, m) * at(ai, m) * at(ac, m + 1);
      const sc = at(S, c);
      a10 += sc * x10;
      put(W, c, sc * x01);
    }
    for (let b = 0; b < nv; b++) {
      const rhoB = row(RHO, b, nv);
      let s: f64 = 0;
      for (let c = 0; c < nv; c++) s += at(rhoB, c) * at(W, c);
      put(J3, i * nv + b, at(SD, b) * (at(rhoI, b) * a10 + s));
    }
  }
}

/** I4(i, k, c, e), four nodes (i != k, c != e), from the power rows of i, k and the tables. */
function crossSum(c: i32, e: i32, tce: usize): f64 {
  const dc = degreeOf(c), de = degreeOf(e);
  const pic = row(PI, c, NS), pie = row(PI, e, NS), pkc = row(PK, c, NS), pke = row(PK, e, NS);
  const definite = parity0 >= 0;
  const step = definite ? 2 : 1;
  let total: f64 = 0;
  for (let p = 0; p <= min(degD, dc); p++) {
    const wp = at(pic, p);
    if (wp == 0.0) continue;
    for (let pp = 0; pp <= min(degD - p, de); pp++) {
      const wpp = wp * at(pie, pp);
      if (wpp == 0.0) continue;
      const x = p + pp;
      const tik = row(TIK, x, nt);
      for (let q = 0; q <= min(degD, dc - p); q++) {
        const wq = wpp * at(pkc, q);
        if (wq == 0.0) continue;
        const tceRow = row(tce, p + q, nt);
        const top = min(degD - q, de - pp);
        let inner: f64 = 0;
        // T_ik[x][y] = 0 unless x = y (mod 2) when g has a parity
        for (let qq = definite ? (x + q) & 1 : 0; qq <= top; qq += step) {
          inner += at(pke, qq) * at(tik, q + qq) * at(tceRow, pp + qq);
        }
        total += wq * inner;
      }
    }
  }
  return total;
}

/** I4(i, i, c, e), c != e: three nodes, h = g'_i^2. */
function studentSquareSum(h: usize, c: i32, e: i32, tce: usize): f64 {
  const dc = degreeOf(c), de = degreeOf(e), dh = 2 * degD;
  const pic = row(PI, c, NS), pie = row(PI, e, NS);
  // h = g'^2 is even when g has a parity: p + p' even
  const even = parity0 >= 0, step = even ? 2 : 1;
  let total: f64 = 0;
  for (let p = 0; p <= min(dh, dc); p++) {
    const wp = at(pic, p);
    if (wp == 0.0) continue;
    const tceRow = row(tce, p, nt);
    let inner: f64 = 0;
    for (let pp = even ? p & 1 : 0; pp <= min(dh - p, de); pp += step) inner += at(pie, pp) * at(h, p + pp) * at(tceRow, pp);
    total += wp * inner;
  }
  return total;
}

/** I4(i, k, c, c), i != k: three nodes, F = f_c^2. */
function unitSquareSum(c: i32): f64 {
  const df = 2 * degreeOf(c);
  const pic = row(PI, c, NS), pkc = row(PK, c, NS), F = row(FF, c, NS);
  // F = f_c^2 is even when f_c has a parity: p + q even
  const even = parityOf(c) >= 0, step = even ? 2 : 1;
  let total: f64 = 0;
  for (let p = 0; p <= min(degD, df); p++) {
    const wp = at(pic, p);
    if (wp == 0.0) continue;
    const tik = row(TIK, p, nt);
    let inner: f64 = 0;
    for (let q = even ? p & 1 : 0; q <= min(degD, df - p); q += step) inner += at(pkc, q) * at(tik, q) * at(F, p + q);
    total += wp * inner;
  }
  return total;
}

/** sum_{c, e} s_c s_e I4(i, k, c, e), i <= k < K, in model.ts's order (c, then e > c twice). */
export function polynomialS4(i: i32, k: i32, S: usize): f64 {
  const same = i == k;
  const h = row(HH, i, NS);
  if (!same) pairTable(row(AD, i, NR), degD, parity0 >= 0 ? 1 - parity0 : -1, row(AD, k, NR), degD, parity0 >= 0 ? 1 - parity0 : -1, at(RHO, i * nv + k), TIK);
  for (let c = 0; c < nv; c++) {
    const dc = degreeOf(c);
    // the orders the sums below reach on the edges (i, c) and (k, c)
    const top = same ? min(2 * degD, 2 * dc) : min(degD, 2 * dc);
    powers(at(RHO, i * nv + c), top, row(PI, c, NS));
    if (!same) powers(at(RHO, k * nv + c), top, row(PK, c, NS));
  }
  let s4: f64 = 0;
  for (let c = 0; c < nv; c++) {
    const sc = at(S, c);
    let v: f64;
    if (same) {
      // I4(i, i, c, c): two nodes (only even orders when either is even)
      const F = row(FF, c, NS), pic = row(PI, c, NS);
      const step = parity0 >= 0 || parityOf(c) >= 0 ? 2 : 1;
      v = 0;
      for (let p = 0; p <= min(2 * degD, 2 * degreeOf(c)); p += step) v += at(pic, p) * at(h, p) * at(F, p);
    } else v = unitSquareSum(c);
    s4 += sc * sc * v;
    for (let e = c + 1; e < nv; e++) {
      let tce: usize;
      if (cached) tce = row(CACHE, pairIndex(c, e), nt * nt);
      else {
        pairTable(row(AG, c, NR), degreeOf(c), parityOf(c), row(AG, e, NR), degreeOf(e), parityOf(e), at(RHO, c * nv + e), TCE);
        tce = TCE;
      }
      v = same ? studentSquareSum(h, c, e, tce) : crossSum(c, e, tce);
      s4 += 2.0 * sc * at(S, e) * v;
    }
  }
  return s4;
}
