// Gaussian moments in which only some variables carry a step function:
//   E[ prod_v z_v^{p_v} prod_{v in mask} theta(z_v) ],  z ~ N(0, A), sum p <= 2,
// the products of mixed activations (mixed.ts): a linear unit, or the z_b of I3, is a power
// without theta. Stein's lemma on a theta-free variable a,
//   E[z_a h(z)] = sum_j A_aj E[d h / d z_j],  d theta(z_j) = delta(z_j),
//   E[delta(z_j) h] = (2 pi A_jj)^(-1/2) E[h | z_j = 0],
// removes the theta-free powers one by one (closed form, nothing is integrated); what is left
// has a theta on every variable and goes to truncatedMoment (relu.ts). Theta-free variables
// are never conditioned on, so they may be singular or perfectly correlated with anything.
import { INV_SQRT_2PI, MERGE_GAP } from "./constants";
import { conditionalCovariance } from "./compensated";
import { conditionOn, dropVariable, mergeable, pget, premove, pstep, scratchMatrix, truncatedMoment } from "./relu";

/** Largest number of variables (leading dimension of the work matrices). */
export const STEIN_LD: i32 = 8;
const DEPTHS: i32 = 16;
const WORK: usize = memory.data(DEPTHS * 64 * 8, 8);

/** Work matrix of a recursion depth: a call at depth d writes only to workMatrix(d + 1). */
@inline export function workMatrix(depth: i32): usize {
  return WORK + (<usize>depth << 9);
}
@inline export function wat(A: usize, i: i32, j: i32): f64 {
  return load<f64>(A + (<usize>((i << 3) + j) << 3));
}
@inline export function wput(A: usize, i: i32, j: i32, v: f64): void {
  store<f64>(A + (<usize>((i << 3) + j) << 3), v);
}
// theta flags one bit per variable (powers: pget/pstep/premove of relu.ts)
/**
 * Absorbs the Gaussian weight exp(-z_a^2 / 2) into the covariance G (nv x nv, layout of wat):
 * E[exp(-z_a^2/2) h] = (1 + G_aa)^(-1/2) E_{G'}[h], G' = G - G e_a e_a^T G / (1 + G_aa).
 * Updates G to G' and returns s = 1 + G_aa; col is scratch for nv doubles.
 */
export function absorbGaussianWeight(G: usize, nv: i32, a: i32, col: usize): f64 {
  const s = 1.0 + wat(G, a, a);
  for (let i = 0; i < nv; i++) store<f64>(col + (<usize>i << 3), wat(G, i, a));
  for (let i = 0; i < nv; i++) {
    const gi = load<f64>(col + (<usize>i << 3));
    const ratio = gi / s;
    for (let j = 0; j < nv; j++) wput(G, i, j, conditionalCovariance(wat(G, i, j), gi, load<f64>(col + (<usize>j << 3)), s, ratio));
  }
  return s;
}

@inline function mremove(m: i32, v: i32): i32 {
  return (m & ((1 << v) - 1)) | ((m >> (v + 1)) << v);
}
@inline function hasTheta(m: i32, v: i32): bool {
  return ((m >> v) & 1) != 0;
}

/**
 * E[prod_v z_v^{p_v} prod_{v in mask} theta(z_v)] for the n x n matrix A (leading dimension 8,
 * positive semi-definite, n <= 8, at most four theta variables left once the theta-free ones
 * are gone). gap: the merge threshold of theta pairs (ROOT_MERGE_GAP for the caller's own
 * covariance, MERGE_GAP after conditioning).
 */
export function gaussianMoment(A: usize, n: i32, p: i32, mask: i32, depth: i32, gap: f64): f64 {
  // variables with neither power nor theta integrate out; a zero variance kills the product
  // (theta(0) = 0, z^p = 0)
  let keep = 0;
  for (let v = 0; v < n; v++) {
    if (!hasTheta(mask, v) && pget(p, v) == 0) continue;
    if (!(wat(A, v, v) > 0.0)) return 0.0;
    keep++;
  }
  if (keep < n) {
    const B = workMatrix(depth + 1);
    let bp = 0, bm = 0, bi = 0;
    for (let i = 0; i < n; i++) {
      if (!hasTheta(mask, i) && pget(p, i) == 0) continue;
      let bj = 0;
      for (let j = 0; j < n; j++) {
        if (!hasTheta(mask, j) && pget(p, j) == 0) continue;
        wput(B, bi, bj, wat(A, i, j));
        bj++;
      }
      bp |= pget(p, i) << (bi << 2);
      if (hasTheta(mask, i)) bm |= 1 << bi;
      bi++;
    }
    return gaussianMoment(B, keep, bp, bm, depth + 1, gap);
  }
  if (n == 0) return 1.0;
  // a theta pair with correlation +-1 is one variable (docs/theory.md section 2.5)
  for (let i = 0; i < n; i++) {
    if (!hasTheta(mask, i)) continue;
    for (let j = i + 1; j < n; j++) {
      if (!hasTheta(mask, j)) continue;
      const aii = wat(A, i, i), ajj = wat(A, j, j), aij = wat(A, i, j);
      if (!mergeable(aii, aij, ajj, gap)) continue;
      if (aij < 0.0) return 0.0; // theta(z) theta(-c z) = 0
      const s = Math.sqrt(ajj / aii);
      const pj = pget(p, j);
      let factor: f64 = 1.0;
      for (let q = 0; q < pj; q++) factor *= s;
      const B = workMatrix(depth + 1);
      dropVariable(A, n, j, B, STEIN_LD);
      return factor * gaussianMoment(B, n - 1, premove(p + pj * pstep(i), j), mremove(mask, j), depth + 1, gap);
    }
  }
  let a = 0;
  while (a < n && (hasTheta(mask, a) || pget(p, a) == 0)) a++;
  if (a == n) {
    // theta on every variable: the ReLU recursion
    if (n > 4) return NaN; // not reached by the averages of docs/theory.md section 1 (mixed.ts)
    const S = scratchMatrix(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) store<f64>(S + (<usize>((i << 2) + j) << 3), wat(A, i, j));
    return truncatedMoment(S, n, p, 0, gap);
  }
  const q = p - pstep(a);
  let result: f64 = 0;
  for (let j = 0; j < n; j++) {
    const aaj = wat(A, a, j);
    if (aaj == 0.0) continue;
    const qj = pget(q, j);
    if (qj > 0) {
      // derivative of the polynomial part
      result += aaj * <f64>qj * gaussianMoment(A, n, q - pstep(j), mask, depth + 1, gap);
    } else if (hasTheta(mask, j)) {
      // derivative of theta(z_j): condition on z_j = 0
      const ajj = wat(A, j, j);
      const B = workMatrix(depth + 1);
      conditionOn(A, STEIN_LD, n, j, B, STEIN_LD);
      result += aaj * INV_SQRT_2PI / Math.sqrt(ajj) * gaussianMoment(B, n - 1, premove(q, j), mremove(mask, j), depth + 1, MERGE_GAP);
    }
  }
  return result;
}
