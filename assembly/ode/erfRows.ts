// The erf averages of the full right-hand side (model.ts), row by row: the same numbers, bit for bit,
// as the generic loops over erfI3 / erfI4 (gauss/erf.ts), in the same summation order, but
//  - what an average shares with the others of its row is computed once: for I3(i, b, c) the
//    1 / sqrt(l3) of the pair (i, c); for I4(i, k, c, e) the 1 / sqrt(l4) of (i, k) and the
//    determinants l1 (c) and l2 (e), one per variable instead of two per average;
//  - the I4 of two consecutive e are evaluated together in f64x2 lanes (asin2.ts), each lane with
//    the scalar's operations in the scalar's order, then added to the sum one after the other.
// Each expression below is written exactly as in erf.ts (same operands, same association), so the
// hoisted values are the ones the per-average code computes. test/erfRows.test.ts checks the bits.
import { asin2, asin2x2, asinBothInside } from "../gauss/asin2";
import { asinClamped } from "../gauss/constants";

const TWO_OVER_PI: f64 = 2.0 / Math.PI;
const FOUR_OVER_PI2: f64 = 4.0 / (Math.PI * Math.PI);
// the four asins of asin2x2 (module scratch: the kernels are not re-entrant)
const Y: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function row(C: usize, nv: i32, i: i32): usize {
  return C + (<usize>(i * nv) << 3);
}

/**
 * J3[i NV + b] = sum_c s_c I3(i, b, c) for i < K, b < NV (C: NV x NV covariance, S: signed output
 * weights); W: NV doubles of scratch.
 */
export function erfJ3(C: usize, nv: i32, K: i32, S: usize, J3: usize, W: usize): void {
  for (let i = 0; i < K; i++) {
    const rowI = row(C, nv, i);
    const a11 = at(rowI, i);
    const p11 = 1.0 + a11;
    for (let c = 0; c < nv; c++) {
      const a13 = at(rowI, c);
      // l3 = (1 + a11)(1 + a33) - a13^2 of erfI3(i, ., c)
      put(W, c, TWO_OVER_PI / Math.sqrt(p11 * (1.0 + at(row(C, nv, c), c)) - a13 * a13));
    }
    for (let b = 0; b < nv; b++) {
      const rowB = row(C, nv, b);
      const a12 = at(rowI, b);
      let s: f64 = 0;
      for (let c = 0; c < nv; c++) {
        s += at(S, c) * ((at(W, c) * (at(rowB, c) * p11 - a12 * at(rowI, c))) / p11);
      }
      put(J3, i * nv + b, s);
    }
  }
}

/** One I4(i, k, c, e) from the hoisted parts; x = l0 / sqrt(l1 l2) through asinClamped. */
// @ts-ignore: decorator
@inline function i4Scalar(factor: f64, l4: f64, p11: f64, p22: f64, a12: f64, a13: f64, a23: f64, a14: f64, a24: f64, a34: f64, l1: f64, l2: f64): f64 {
  const l0 = l4 * a34 - a23 * a24 * p11 - a13 * a14 * p22 + a12 * a13 * a24 + a12 * a14 * a23;
  return factor * asinClamped(l0 / Math.sqrt(l1 * l2));
}

/** x = l0 / sqrt(l1 l2) of I4(i, k, c, e) and I4(i, k, c, e + 1), at the rows' addresses of e. */
// @ts-ignore: decorator
@inline function erfX(pI: usize, pK: usize, pC: usize, pL: usize, vl4: v128, vp11: v128, vp22: v128, va12: v128, va13: v128, va23: v128, a12a13: v128, vl1: v128): v128 {
  const a14 = v128.load(pI), a24 = v128.load(pK), a34 = v128.load(pC);
  // l0 = l4 a34 - a23 a24 (1 + a11) - a13 a14 (1 + a22) + a12 a13 a24 + a12 a14 a23
  const l0 = f64x2.add(f64x2.add(f64x2.sub(f64x2.sub(f64x2.mul(vl4, a34), f64x2.mul(f64x2.mul(va23, a24), vp11)),
    f64x2.mul(f64x2.mul(va13, a14), vp22)), f64x2.mul(a12a13, a24)), f64x2.mul(f64x2.mul(va12, a14), va23));
  return f64x2.div(l0, f64x2.sqrt(f64x2.mul(vl1, v128.load(pL))));
}

/** s4 + 2 s_c s_e I4(i, k, c, e) + 2 s_c s_{e+1} I4(i, k, c, e + 1), added in that order, from their x. */
// @ts-ignore: decorator
@inline function addPair(s4: f64, x: v128, e: i32, factor: f64, l4: f64, p11: f64, p22: f64, a12: f64, a13: f64, a23: f64, l1: f64,
  twoSc: f64, vtwoSc: v128, vfactor: v128, rowI: usize, rowK: usize, rowC: usize, S: usize, L: usize): f64 {
  if (asinBothInside(x)) {
    const t = f64x2.mul(f64x2.mul(vtwoSc, v128.load(S + (<usize>e << 3))), f64x2.mul(vfactor, asin2(x)));
    s4 += f64x2.extract_lane(t, 0);
    s4 += f64x2.extract_lane(t, 1);
    return s4;
  }
  // a correlation at or beyond +-1 (or not a number): the scalar code, lane by lane
  s4 += twoSc * at(S, e) * i4Scalar(factor, l4, p11, p22, a12, a13, a23, at(rowI, e), at(rowK, e), at(rowC, e), l1, at(L, e));
  s4 += twoSc * at(S, e + 1) * i4Scalar(factor, l4, p11, p22, a12, a13, a23, at(rowI, e + 1), at(rowK, e + 1), at(rowC, e + 1), l1, at(L, e + 1));
  return s4;
}

/**
 * sum_{c, e} s_c s_e I4(i, k, c, e) as model.ts sums it (c ascending; the diagonal term, then
 * 2 s_c s_e I4 for e > c ascending); L: NV doubles of scratch.
 */
export function erfS4(C: usize, nv: i32, i: i32, k: i32, S: usize, L: usize): f64 {
  const rowI = row(C, nv, i), rowK = row(C, nv, k);
  const p11 = 1.0 + at(rowI, i), p22 = 1.0 + at(rowK, k), a12 = at(rowI, k);
  const l4 = p11 * p22 - a12 * a12;
  const factor = FOUR_OVER_PI2 / Math.sqrt(l4);
  const twoA12 = 2.0 * a12;
  for (let c = 0; c < nv; c++) {
    const a13 = at(rowI, c), a23 = at(rowK, c);
    // l1 of erfI4(i, k, c, .), which is also its l2 when c is the fourth index
    put(L, c, l4 * (1.0 + at(row(C, nv, c), c)) - a23 * a23 * p11 - a13 * a13 * p22 + twoA12 * a13 * a23);
  }
  const vl4 = f64x2.splat(l4), vp11 = f64x2.splat(p11), vp22 = f64x2.splat(p22), va12 = f64x2.splat(a12);
  const vfactor = f64x2.splat(factor);
  let s4: f64 = 0;
  for (let c = 0; c < nv; c++) {
    const rowC = row(C, nv, c);
    const sc = at(S, c), a13 = at(rowI, c), a23 = at(rowK, c), l1 = at(L, c);
    s4 += sc * sc * i4Scalar(factor, l4, p11, p22, a12, a13, a23, a13, a23, at(rowC, c), l1, l1);
    const twoSc = 2.0 * sc;
    const va13 = f64x2.splat(a13), va23 = f64x2.splat(a23), vl1 = f64x2.splat(l1), vtwoSc = f64x2.splat(twoSc);
    const a12a13 = f64x2.mul(va12, va13);
    let e = c + 1;
    // four at a time: two lane pairs whose divisions and square roots overlap
    for (; e + 3 < nv; e += 4) {
      const o = <usize>e << 3;
      const xa = erfX(rowI + o, rowK + o, rowC + o, L + o, vl4, vp11, vp22, va12, va13, va23, a12a13, vl1);
      const xb = erfX(rowI + o + 16, rowK + o + 16, rowC + o + 16, L + o + 16, vl4, vp11, vp22, va12, va13, va23, a12a13, vl1);
      if (asinBothInside(xa) && asinBothInside(xb)) {
        asin2x2(xa, xb, Y);
        const ta = f64x2.mul(f64x2.mul(vtwoSc, v128.load(S + o)), f64x2.mul(vfactor, v128.load(Y)));
        const tb = f64x2.mul(f64x2.mul(vtwoSc, v128.load(S + o, 16)), f64x2.mul(vfactor, v128.load(Y, 16)));
        s4 += f64x2.extract_lane(ta, 0);
        s4 += f64x2.extract_lane(ta, 1);
        s4 += f64x2.extract_lane(tb, 0);
        s4 += f64x2.extract_lane(tb, 1);
      } else {
        s4 = addPair(s4, xa, e, factor, l4, p11, p22, a12, a13, a23, l1, twoSc, vtwoSc, vfactor, rowI, rowK, rowC, S, L);
        s4 = addPair(s4, xb, e + 2, factor, l4, p11, p22, a12, a13, a23, l1, twoSc, vtwoSc, vfactor, rowI, rowK, rowC, S, L);
      }
    }
    for (; e + 1 < nv; e += 2) {
      const o = <usize>e << 3;
      const x = erfX(rowI + o, rowK + o, rowC + o, L + o, vl4, vp11, vp22, va12, va13, va23, a12a13, vl1);
      s4 = addPair(s4, x, e, factor, l4, p11, p22, a12, a13, a23, l1, twoSc, vtwoSc, vfactor, rowI, rowK, rowC, S, L);
    }
    if (e < nv) {
      s4 += twoSc * at(S, e) * i4Scalar(factor, l4, p11, p22, a12, a13, a23, at(rowI, e), at(rowK, e), at(rowC, e), l1, at(L, e));
    }
  }
  return s4;
}
