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

// @ts-ignore: decorator
@inline function sp(x: f64): v128 {
  return f64x2.splat(x);
}

/** (asin(x) - x) / x^3 as the scalar R(z) of NativeMath: the same Horner scheme and division. */
// @ts-ignore: decorator
@inline function R2(z: v128): v128 {
  const p = f64x2.mul(z, f64x2.add(sp(pS0), f64x2.mul(z, f64x2.add(sp(pS1), f64x2.mul(z, f64x2.add(sp(pS2),
    f64x2.mul(z, f64x2.add(sp(pS3), f64x2.mul(z, f64x2.add(sp(pS4), f64x2.mul(z, sp(pS5))))))))))));
  const q = f64x2.add(sp(1.0), f64x2.mul(z, f64x2.add(sp(qS1), f64x2.mul(z, f64x2.add(sp(qS2),
    f64x2.mul(z, f64x2.add(sp(qS3), f64x2.mul(z, sp(qS4)))))))));
  return f64x2.div(p, q);
}

/** True when both lanes satisfy |x| < 1 (false for NaN): asin2 applies. */
// @ts-ignore: decorator
@inline export function asinBothInside(x: v128): bool {
  return i64x2.all_true(f64x2.lt(f64x2.abs(x), sp(1.0)));
}

/** Math.asin of each lane, for |x| < 1 in both lanes. */
export function asin2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const small = f64x2.lt(ax, sp(0.5)); // ix < 0x3FE00000
  const z = f64x2.sub(sp(0.5), f64x2.mul(ax, sp(0.5)));
  // one rational approximation per lane, at x^2 (|x| < 0.5) or at z
  const r = R2(v128.bitselect(f64x2.mul(x, x), z, small));
  let ys = f64x2.add(x, f64x2.mul(x, r));
  ys = v128.bitselect(x, ys, v128.and(f64x2.lt(ax, sp(TINY)), f64x2.ge(ax, sp(MIN_NORMAL))));
  if (i64x2.all_true(small)) return ys;
  const s = f64x2.sqrt(z);
  // ix >= 0x3FEF3333: pio2_hi - (2 (s + s r) - pio2_lo)
  const y1 = f64x2.sub(sp(PIO2_HI), f64x2.sub(f64x2.mul(sp(2.0), f64x2.add(s, f64x2.mul(s, r))), sp(PIO2_LO)));
  // otherwise, with f the high word of s: 0.5 pio2_hi - (2 s r - (pio2_lo - 2 c) - (0.5 pio2_hi - 2 f))
  const f = v128.and(s, i64x2.splat(<i64>0xFFFFFFFF00000000));
  const c = f64x2.div(f64x2.sub(z, f64x2.mul(f, f)), f64x2.add(s, f));
  const halfPio2 = sp(0.5 * PIO2_HI);
  const y2 = f64x2.sub(halfPio2, f64x2.sub(
    f64x2.sub(f64x2.mul(f64x2.mul(sp(2.0), s), r), f64x2.sub(sp(PIO2_LO), f64x2.mul(sp(2.0), c))),
    f64x2.sub(halfPio2, f64x2.mul(sp(2.0), f))));
  let yl = v128.bitselect(y1, y2, f64x2.ge(ax, sp(NEAR_ONE)));
  // select(-y, y, x < 0): y > 0 here, so negation is setting the sign bit of x
  yl = v128.or(yl, v128.and(x, i64x2.splat(<i64>0x8000000000000000)));
  return v128.bitselect(ys, yl, small);
}
