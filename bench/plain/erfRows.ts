// Plain-TypeScript port of assembly/ode/erfRows.ts (benchmark baseline): the erf averages of the
// right-hand side row by row, with the square roots and determinants shared by a row hoisted; one
// average at a time (no SIMD in plain TypeScript). Same expressions and summation order as the
// per-average loops of model.ts.
import { asinClamped } from "./constants";

const TWO_OVER_PI = 2.0 / Math.PI;
const FOUR_OVER_PI2 = 4.0 / (Math.PI * Math.PI);

/** J3[i NV + b] = sum_c s_c I3(i, b, c); W: NV scratch. */
export function erfJ3Rows(C: Float64Array, nv: number, K: number, S: Float64Array, J3: Float64Array, W: Float64Array): void {
  for (let i = 0; i < K; i++) {
    const ri = i * nv;
    const p11 = 1.0 + C[ri + i];
    for (let c = 0; c < nv; c++) {
      const a13 = C[ri + c];
      W[c] = TWO_OVER_PI / Math.sqrt(p11 * (1.0 + C[c * nv + c]) - a13 * a13);
    }
    for (let b = 0; b < nv; b++) {
      const rb = b * nv;
      const a12 = C[ri + b];
      let s = 0;
      for (let c = 0; c < nv; c++) s += S[c] * ((W[c] * (C[rb + c] * p11 - a12 * C[ri + c])) / p11);
      J3[ri + b] = s;
    }
  }
}

/** sum_{c,e} s_c s_e I4(i, k, c, e) in model.ts's order; L: NV scratch. */
export function erfS4Rows(C: Float64Array, nv: number, i: number, k: number, S: Float64Array, L: Float64Array): number {
  const ri = i * nv, rk = k * nv;
  const p11 = 1.0 + C[ri + i], p22 = 1.0 + C[rk + k], a12 = C[ri + k];
  const l4 = p11 * p22 - a12 * a12;
  const factor = FOUR_OVER_PI2 / Math.sqrt(l4);
  const twoA12 = 2.0 * a12;
  for (let c = 0; c < nv; c++) {
    const a13 = C[ri + c], a23 = C[rk + c];
    L[c] = l4 * (1.0 + C[c * nv + c]) - a23 * a23 * p11 - a13 * a13 * p22 + twoA12 * a13 * a23;
  }
  let s4 = 0;
  for (let c = 0; c < nv; c++) {
    const rc = c * nv;
    const sc = S[c], a13 = C[ri + c], a23 = C[rk + c], l1 = L[c];
    {
      const l0 = l4 * C[rc + c] - a23 * a23 * p11 - a13 * a13 * p22 + a12 * a13 * a23 + a12 * a13 * a23;
      s4 += sc * sc * (factor * asinClamped(l0 / Math.sqrt(l1 * l1)));
    }
    const twoSc = 2.0 * sc;
    for (let e = c + 1; e < nv; e++) {
      const a14 = C[ri + e], a24 = C[rk + e];
      const l0 = l4 * C[rc + e] - a23 * a24 * p11 - a13 * a14 * p22 + a12 * a13 * a24 + a12 * a14 * a23;
      s4 += twoSc * S[e] * (factor * asinClamped(l0 / Math.sqrt(l1 * L[e])));
    }
  }
  return s4;
}
