// Math.asin on two lanes at once, bit for bit equal to the scalar Math.asin of the core (AssemblyScript's
// NativeMath.asin, a port of musl's asin): every lane performs the same IEEE operations in the same
// order as the scalar code (f64x2 add, mul, div and sqrt round exactly as their scalar forms; there is
// no fused multiply-add in WebAssembly SIMD), and the scalar's branches become lane selections.
// Defined for |x| < 1 in both lanes only: callers test that (asinBothInside) and fall back to the
// scalar code otherwise (|x| >= 1, NaN), so the clamping of asinClamped stays in one place.

const pS0 = reinterpret<f64>(0x3FC5555555555555);
const pS1 = reinterpret<f64>(0xBFD4D61203EB6F7D);
const pS2 = reinterpret<f64>(0x3FC9C1550E884455);
const pS3 = reinterpret<f64>(0xBFA48228B5688F3B);
const pS4 = reinterpret<f64>(0x3F49EFE07501B288);
const pS5 = reinterpret<f64>(0x3F023DE10DFDF709);
const qS1 = reinterpret<f64>(0xC0033A271C8A2D4B);
const qS2 = reinterpret<f64>(0x40002AE59C598AC8);
const qS3 = reinterpret<f64>(0xBFE6066C1B8D0159);
const qS4 = reinterpret<f64>(0x3FB3B8C5B12E9282);
const PIO2_HI = reinterpret<f64>(0x3FF921FB54442D18);
const PIO2_LO = reinterpret<f64>(0x3C91A62633145C07);
// The scalar code branches on the high word ix of |x|; for finite |x| each test is a comparison of |x|:
const TINY = reinterpret<f64>(0x3E50000000000000); // ix < 0x3E500000: |x| < 2^-26, asin(x) = x ...
const MIN_NORMAL = reinterpret<f64>(0x0010000000000000); // ... unless subnormal (ix < 0x00100000)
const NEAR_ONE = reinterpret<f64>(0x3FEF333300000000); // ix >= 0x3FEF3333

// Every constant of the kernel, each in both lanes, loaded from memory: a v128 literal in a loop
// costs V8 several instructions per use (it rebuilds it from two integer moves), a load costs one.
const TABLE: usize = memory.data<f64>([
  pS0, pS0, pS1, pS1, pS2, pS2, pS3, pS3, pS4, pS4, pS5, pS5,
  qS1, qS1, qS2, qS2, qS3, qS3, qS4, qS4,
  PIO2_HI, PIO2_HI, PIO2_LO, PIO2_LO, 0.5 * PIO2_HI, 0.5 * PIO2_HI,
  TINY, TINY, MIN_NORMAL, MIN_NORMAL, NEAR_ONE, NEAR_ONE,
  0.5, 0.5, 1.0, 1.0, 2.0, 2.0,
  reinterpret<f64>(0xFFFFFFFF00000000), reinterpret<f64>(0xFFFFFFFF00000000),
  reinterpret<f64>(0x8000000000000000), reinterpret<f64>(0x8000000000000000),
], 16);
const P0: i32 = 0, P1: i32 = 1, P2: i32 = 2, P3: i32 = 3, P4: i32 = 4, P5: i32 = 5;
const Q1: i32 = 6, Q2: i32 = 7, Q3: i32 = 8, Q4: i32 = 9;
const HI: i32 = 10, LO: i32 = 11, HALF_HI: i32 = 12, TINY_AT: i32 = 13, MIN_NORMAL_AT: i32 = 14, NEAR_ONE_AT: i32 = 15;
const HALF: i32 = 16, ONE: i32 = 17, TWO: i32 = 18, HIGH_WORD: i32 = 19, SIGN: i32 = 20;
// @ts-ignore: decorator
@inline function k(i: i32): v128 {
  return v128.load(TABLE + (<usize>i << 4));
}

/** (asin(x) - x) / x^3 as the scalar R(z) of NativeMath: the same Horner scheme and division. */
// @ts-ignore: decorator
@inline function R2(z: v128): v128 {
  const p = f64x2.mul(z, f64x2.add(k(P0), f64x2.mul(z, f64x2.add(k(P1), f64x2.mul(z, f64x2.add(k(P2),
    f64x2.mul(z, f64x2.add(k(P3), f64x2.mul(z, f64x2.add(k(P4), f64x2.mul(z, k(P5))))))))))));
  const q = f64x2.add(k(ONE), f64x2.mul(z, f64x2.add(k(Q1), f64x2.mul(z, f64x2.add(k(Q2),
    f64x2.mul(z, f64x2.add(k(Q3), f64x2.mul(z, k(Q4)))))))));
  return f64x2.div(p, q);
}

/** True when both lanes satisfy |x| < 1 (false for NaN): asin2 applies. */
// @ts-ignore: decorator
@inline export function asinBothInside(x: v128): bool {
  return i64x2.all_true(f64x2.lt(f64x2.abs(x), k(ONE)));
}

/** Math.asin of each lane, for |x| < 1 in both lanes. */
// @ts-ignore: decorator
@inline export function asin2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const small = f64x2.lt(ax, k(HALF)); // ix < 0x3FE00000
  const z = f64x2.sub(k(HALF), f64x2.mul(ax, k(HALF)));
  // one rational approximation per lane, at x^2 (|x| < 0.5) or at z
  const r = R2(v128.bitselect(f64x2.mul(x, x), z, small));
  let ys = f64x2.add(x, f64x2.mul(x, r));
  ys = v128.bitselect(x, ys, v128.and(f64x2.lt(ax, k(TINY_AT)), f64x2.ge(ax, k(MIN_NORMAL_AT))));
  if (i64x2.all_true(small)) return ys;
  const s = f64x2.sqrt(z);
  // ix >= 0x3FEF3333: pio2_hi - (2 (s + s r) - pio2_lo)
  const y1 = f64x2.sub(k(HI), f64x2.sub(f64x2.mul(k(TWO), f64x2.add(s, f64x2.mul(s, r))), k(LO)));
  // otherwise, with f the high word of s: 0.5 pio2_hi - (2 s r - (pio2_lo - 2 c) - (0.5 pio2_hi - 2 f))
  const f = v128.and(s, k(HIGH_WORD));
  const c = f64x2.div(f64x2.sub(z, f64x2.mul(f, f)), f64x2.add(s, f));
  const halfPio2 = k(HALF_HI);
  const y2 = f64x2.sub(halfPio2, f64x2.sub(
    f64x2.sub(f64x2.mul(f64x2.mul(k(TWO), s), r), f64x2.sub(k(LO), f64x2.mul(k(TWO), c))),
    f64x2.sub(halfPio2, f64x2.mul(k(TWO), f))));
  let yl = v128.bitselect(y1, y2, f64x2.ge(ax, k(NEAR_ONE_AT)));
  // select(-y, y, x < 0): y > 0 here, so negation is setting the sign bit of x
  yl = v128.or(yl, v128.and(x, k(SIGN)));
  return v128.bitselect(ys, yl, small);
}

/**
 * asin2 of xa and of xb, written to out (xa's lanes) and out + 16 (xb's): the same operations,
 * interleaved so that the two independent chains of divisions and square roots overlap.
 */
// @ts-ignore: decorator
@inline export function asin2x2(xa: v128, xb: v128, out: usize): void {
  const axa = f64x2.abs(xa);
  const axb = f64x2.abs(xb);
  const smalla = f64x2.lt(axa, k(HALF));
  const smallb = f64x2.lt(axb, k(HALF));
  const za = f64x2.sub(k(HALF), f64x2.mul(axa, k(HALF)));
  const zb = f64x2.sub(k(HALF), f64x2.mul(axb, k(HALF)));
  const wa = v128.bitselect(f64x2.mul(xa, xa), za, smalla);
  const wb = v128.bitselect(f64x2.mul(xb, xb), zb, smallb);
  const pa = f64x2.mul(wa, f64x2.add(k(P0), f64x2.mul(wa, f64x2.add(k(P1), f64x2.mul(wa, f64x2.add(k(P2),
    f64x2.mul(wa, f64x2.add(k(P3), f64x2.mul(wa, f64x2.add(k(P4), f64x2.mul(wa, k(P5))))))))))));
  const pb = f64x2.mul(wb, f64x2.add(k(P0), f64x2.mul(wb, f64x2.add(k(P1), f64x2.mul(wb, f64x2.add(k(P2),
    f64x2.mul(wb, f64x2.add(k(P3), f64x2.mul(wb, f64x2.add(k(P4), f64x2.mul(wb, k(P5))))))))))));
  const qa = f64x2.add(k(ONE), f64x2.mul(wa, f64x2.add(k(Q1), f64x2.mul(wa, f64x2.add(k(Q2),
    f64x2.mul(wa, f64x2.add(k(Q3), f64x2.mul(wa, k(Q4)))))))));
  const qb = f64x2.add(k(ONE), f64x2.mul(wb, f64x2.add(k(Q1), f64x2.mul(wb, f64x2.add(k(Q2),
    f64x2.mul(wb, f64x2.add(k(Q3), f64x2.mul(wb, k(Q4)))))))));
  const ra = f64x2.div(pa, qa);
  const rb = f64x2.div(pb, qb);
  const ysa = v128.bitselect(xa, f64x2.add(xa, f64x2.mul(xa, ra)), v128.and(f64x2.lt(axa, k(TINY_AT)), f64x2.ge(axa, k(MIN_NORMAL_AT))));
  const ysb = v128.bitselect(xb, f64x2.add(xb, f64x2.mul(xb, rb)), v128.and(f64x2.lt(axb, k(TINY_AT)), f64x2.ge(axb, k(MIN_NORMAL_AT))));
  if (i64x2.all_true(v128.and(smalla, smallb))) {
    // every |x| < 0.5 (overlaps far from +-1): no square root, no second division
    v128.store(out, ysa);
    v128.store(out, ysb, 16);
    return;
  }
  const sa = f64x2.sqrt(za);
  const sb = f64x2.sqrt(zb);
  const y1a = f64x2.sub(k(HI), f64x2.sub(f64x2.mul(k(TWO), f64x2.add(sa, f64x2.mul(sa, ra))), k(LO)));
  const y1b = f64x2.sub(k(HI), f64x2.sub(f64x2.mul(k(TWO), f64x2.add(sb, f64x2.mul(sb, rb))), k(LO)));
  const fa = v128.and(sa, k(HIGH_WORD));
  const fb = v128.and(sb, k(HIGH_WORD));
  const ca = f64x2.div(f64x2.sub(za, f64x2.mul(fa, fa)), f64x2.add(sa, fa));
  const cb = f64x2.div(f64x2.sub(zb, f64x2.mul(fb, fb)), f64x2.add(sb, fb));
  const y2a = f64x2.sub(k(HALF_HI), f64x2.sub(
    f64x2.sub(f64x2.mul(f64x2.mul(k(TWO), sa), ra), f64x2.sub(k(LO), f64x2.mul(k(TWO), ca))),
    f64x2.sub(k(HALF_HI), f64x2.mul(k(TWO), fa))));
  const y2b = f64x2.sub(k(HALF_HI), f64x2.sub(
    f64x2.sub(f64x2.mul(f64x2.mul(k(TWO), sb), rb), f64x2.sub(k(LO), f64x2.mul(k(TWO), cb))),
    f64x2.sub(k(HALF_HI), f64x2.mul(k(TWO), fb))));
  const yla = v128.or(v128.bitselect(y1a, y2a, f64x2.ge(axa, k(NEAR_ONE_AT))), v128.and(xa, k(SIGN)));
  const ylb = v128.or(v128.bitselect(y1b, y2b, f64x2.ge(axb, k(NEAR_ONE_AT))), v128.and(xb, k(SIGN)));
  v128.store(out, v128.bitselect(ysa, yla, smalla));
  v128.store(out, v128.bitselect(ysb, ylb, smallb), 16);
}
