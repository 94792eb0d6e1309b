// Plain-TypeScript port of assembly/gauss/constants.ts (benchmark baseline, no WebAssembly).

export const TWO_PI = 2.0 * Math.PI;
export const INV_SQRT_2PI = 0.3989422804014327; // 1/sqrt(2 pi)
export const FOUR_PI_SQ = 4.0 * Math.PI * Math.PI;


export const ZERO_VAR = 1e-300;

/** asin clamped to [-1, 1]: rounding can push a correlation a few ulp past 1. */
export function asinClamped(x: number): number {
  if (x >= 1.0) return Math.PI / 2;
  if (x <= -1.0) return -Math.PI / 2;
  return Math.asin(x);
}
