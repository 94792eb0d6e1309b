// Plain-TypeScript port of assembly/gauss/erf.ts (benchmark baseline, no WebAssembly):
// averages for g(x) = erf(x / sqrt 2), g'(x) = sqrt(2/pi) exp(-x^2/2) (docs/theory.md section 2.4).
import { asinClamped } from "./constants";

function cget(C: Float64Array, ld: number, i: number, j: number): number {
  return C[i * ld + j];
}

const TWO_OVER_PI = 2.0 / Math.PI;
const FOUR_OVER_PI2 = 4.0 / (Math.PI * Math.PI);

/** E[g(z_a) g(z_b)]. */
export function erfI2(C: Float64Array, ld: number, a: number, b: number): number {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), ab = cget(C, ld, a, b);
  return TWO_OVER_PI * asinClamped(ab / Math.sqrt((1.0 + aa) * (1.0 + bb)));
}

/** E[g'(z_a) z_b g(z_c)]. */
export function erfI3(C: Float64Array, ld: number, a: number, b: number, c: number): number {
  const a11 = cget(C, ld, a, a), a12 = cget(C, ld, a, b), a13 = cget(C, ld, a, c);
  const a23 = cget(C, ld, b, c), a33 = cget(C, ld, c, c);
  const l3 = (1.0 + a11) * (1.0 + a33) - a13 * a13;
  return (TWO_OVER_PI / Math.sqrt(l3)) * (a23 * (1.0 + a11) - a12 * a13) / (1.0 + a11);
}

/** E[g'(z_a) g'(z_b) g(z_c) g(z_e)]. */
export function erfI4(C: Float64Array, ld: number, a: number, b: number, c: number, e: number): number {
  const a11 = cget(C, ld, a, a), a22 = cget(C, ld, b, b), a33 = cget(C, ld, c, c), a44 = cget(C, ld, e, e);
  const a12 = cget(C, ld, a, b), a13 = cget(C, ld, a, c), a14 = cget(C, ld, a, e);
  const a23 = cget(C, ld, b, c), a24 = cget(C, ld, b, e), a34 = cget(C, ld, c, e);
  const l4 = (1.0 + a11) * (1.0 + a22) - a12 * a12;
  const l0 = l4 * a34 - a23 * a24 * (1.0 + a11) - a13 * a14 * (1.0 + a22) + a12 * a13 * a24 + a12 * a14 * a23;
  const l1 = l4 * (1.0 + a33) - a23 * a23 * (1.0 + a11) - a13 * a13 * (1.0 + a22) + 2.0 * a12 * a13 * a23;
  const l2 = l4 * (1.0 + a44) - a24 * a24 * (1.0 + a11) - a14 * a14 * (1.0 + a22) + 2.0 * a12 * a14 * a24;
  return (FOUR_OVER_PI2 / Math.sqrt(l4)) * asinClamped(l0 / Math.sqrt(l1 * l2));
}
