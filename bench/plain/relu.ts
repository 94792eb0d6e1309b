// Plain-TypeScript port of assembly/gauss/relu.ts (benchmark baseline, no WebAssembly):
// ReLU averages in closed form (docs/theory.md sections 2.1, 2.2, 2.5). Every ReLU average is a truncated
// moment E[prod_v z_v^{p_v} theta(z_v)] reduced by Stein's lemma to orthant probabilities.
import { INV_SQRT_2PI, TWO_PI } from "./constants";
import { asinOfCovariance, conditionalCovariance, det2 } from "./compensated";

// as assembly/gauss/constants.ts: merge at the root when 1 - r^2 <= 1e-14, inside the reduction only exact pairs
const ROOT_MERGE_GAP = 1e-14, MERGE_GAP = 1e-30;
import { orthant4 } from "./orthant";

// One 4x4 scratch matrix (leading dimension 4) per recursion depth, views of one buffer
// allocated once.
const DEPTH_MAX = 24;
const SCRATCH = new Float64Array(DEPTH_MAX * 16);
const SCRATCH_MATRICES: Float64Array[] = Array.from({ length: DEPTH_MAX }, (_, d) => SCRATCH.subarray(d * 16, d * 16 + 16));

export function scratchMatrix(depth: number): Float64Array {
  return SCRATCH_MATRICES[depth];
}
function at(A: Float64Array, i: number, j: number): number {
  return A[(i << 2) + j];
}
function put(A: Float64Array, i: number, j: number, v: number): void {
  A[(i << 2) + j] = v;
}
// powers packed 4 bits per variable
function pget(p: number, v: number): number {
  return (p >> (v << 2)) & 15;
}
function premove(p: number, v: number): number {
  const low = p & ((1 << (v << 2)) - 1);
  const high = p >> ((v + 1) << 2);
  return low | (high << (v << 2));
}
function pstep(v: number): number {
  return 1 << (v << 2);
}

/** Copies A without row and column `skip` into B (both leading dimension 4). */
function dropVariable(A: Float64Array, n: number, skip: number, B: Float64Array): void {
  let bi = 0;
  for (let i = 0; i < n; i++) {
    if (i === skip) continue;
    let bj = 0;
    for (let j = 0; j < n; j++) {
      if (j === skip) continue;
      put(B, bi, bj, at(A, i, j));
      bj++;
    }
    bi++;
  }
}

/**
 * E[prod_v z_v^{p_v} theta(z_v)], z ~ N(0, A), A n x n (n <= 4, leading dimension 4,
 * positive semi-definite), p packed 4 bits per variable, sum p <= 2.
 */
export function truncatedMoment(A: Float64Array, n: number, p: number, depth: number, gap = ROOT_MERGE_GAP): number {
  if (n === 0) return 1.0;
  for (let v = 0; v < n; v++) {
    if (!(at(A, v, v) > 0.0)) return 0.0; // z_v = 0 a.s.: theta(0) = relu(0) = 0
  }
  // merge perfectly correlated pairs (docs/theory.md section 2.5)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const aii = at(A, i, i), ajj = at(A, j, j), aij = at(A, i, j);
      if (det2(aii, ajj, aij, aij) > gap * aii * ajj) continue;
      if (aij < 0.0) return 0.0; // theta(z) theta(-c z) = 0
      {
        // z_j = s z_i: theta(z_j) = theta(z_i), z_j^q = s^q z_i^q
        const s = Math.sqrt(ajj / aii);
        const pj = pget(p, j);
        let factor = 1.0;
        for (let q = 0; q < pj; q++) factor *= s;
        const merged = premove(p + pj * pstep(i), j);
        const B = scratchMatrix(depth + 1);
        dropVariable(A, n, j, B);
        return factor * truncatedMoment(B, n - 1, merged, depth + 1, gap);
      }
    }
  }
  if (p === 0) return orthant(A, n);
  let a = 0;
  while (pget(p, a) === 0) a++;
  const q = p - pstep(a);
  let result = 0;
  for (let j = 0; j < n; j++) {
    const aaj = at(A, a, j);
    if (aaj === 0.0) continue;
    const qj = pget(q, j);
    if (qj > 0) {
      // derivative of the polynomial part
      result += aaj * qj * truncatedMoment(A, n, q - pstep(j), depth + 1, gap);
    } else {
      // derivative of theta(z_j): condition on z_j = 0
      const ajj = at(A, j, j);
      const B = scratchMatrix(depth + 1);
      let bi = 0;
      for (let k = 0; k < n; k++) {
        if (k === j) continue;
        let bj = 0;
        const akj = at(A, k, j);
        for (let l = 0; l < n; l++) {
          if (l === j) continue;
          put(B, bi, bj, conditionalCovariance(at(A, k, l), akj, at(A, j, l), ajj));
          bj++;
        }
        bi++;
      }
      result += aaj * INV_SQRT_2PI / Math.sqrt(ajj) * truncatedMoment(B, n - 1, premove(q, j), depth + 1, MERGE_GAP);
    }
  }
  return result;
}

function orthant(A: Float64Array, n: number): number {
  if (n === 1) return 0.5;
  if (n === 2) return 0.25 + asinOfCovariance(at(A, 0, 0), at(A, 0, 1), at(A, 1, 1)) / TWO_PI;
  if (n === 3) {
    const a01 = asinOfCovariance(at(A, 0, 0), at(A, 0, 1), at(A, 1, 1)), a02 = asinOfCovariance(at(A, 0, 0), at(A, 0, 2), at(A, 2, 2)), a12 = asinOfCovariance(at(A, 1, 1), at(A, 1, 2), at(A, 2, 2));
    return 0.125 + (a01 + a02 + a12) / (2.0 * TWO_PI);
  }
  return orthant4(A, 4);
}

// ------------------------------------------------------------------------------------
// Averages over variables of a global covariance C (leading dimension ld).

function cget(C: Float64Array, ld: number, i: number, j: number): number {
  return C[i * ld + j];
}

// The distinct variables of a product and their powers.
const IDX = new Int32Array(4);
let nvars = 0;
let powers = 0;

function addFactor(v: number, power: number): void {
  for (let k = 0; k < nvars; k++) {
    if (IDX[k] === v) {
      powers += power * pstep(k);
      return;
    }
  }
  IDX[nvars] = v;
  powers += power * pstep(nvars);
  nvars++;
}

function evalProduct(C: Float64Array, ld: number): number {
  const A = scratchMatrix(0);
  for (let i = 0; i < nvars; i++) {
    const gi = IDX[i];
    for (let j = 0; j < nvars; j++) {
      put(A, i, j, cget(C, ld, gi, IDX[j]));
    }
  }
  return truncatedMoment(A, nvars, powers, 0);
}

/** E[relu(z_a) relu(z_b)]. */
export function reluI2(C: Float64Array, ld: number, a: number, b: number): number {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), ab = cget(C, ld, a, b);
  if (a === b) return 0.5 * aa;
  if (!(aa > 0.0) || !(bb > 0.0)) return 0.0;
  // as the WASM: one angle for both terms, from the exact determinant
  const det = det2(aa, bb, ab, ab);
  const root = Math.sqrt(det > 0 ? det : 0);
  return 0.5 * ab + (root - ab * Math.atan2(root, ab)) / TWO_PI;
}

/** E[theta(z_a) z_b relu(z_c)]. */
export function reluI3(C: Float64Array, ld: number, a: number, b: number, c: number): number {
  const aa = cget(C, ld, a, a);
  if (!(aa > 0.0)) return 0.0;
  if (b === a || b === c) {
    nvars = 0;
    powers = 0;
    addFactor(a, 0);
    addFactor(c, 1);
    addFactor(b, 1);
    return evalProduct(C, ld);
  }
  const ba = cget(C, ld, b, a);
  if (a === c) return 0.5 * ba; // E[z_b relu(z_a)] = A_ba E[theta(z_a)]
  // Stein on z_b: A_ba E[delta(z_a) relu(z_c)] + A_bc E[theta(z_a) theta(z_c)]
  const cc = cget(C, ld, c, c), ac = cget(C, ld, a, c), bc = cget(C, ld, b, c);
  if (!(cc > 0.0)) return 0.0;
  const v = conditionalCovariance(cc, ac, ac, aa);
  return (ba * Math.sqrt(v > 0 ? v : 0)) / (TWO_PI * Math.sqrt(aa)) + bc * (0.25 + asinOfCovariance(aa, ac, cc) / TWO_PI);
}

/** E[theta(z_a) theta(z_b) relu(z_c) relu(z_e)], exact. */
export function reluI4(C: Float64Array, ld: number, a: number, b: number, c: number, e: number): number {
  nvars = 0;
  powers = 0;
  addFactor(a, 0);
  addFactor(b, 0);
  addFactor(c, 1);
  addFactor(e, 1);
  return evalProduct(C, ld);
}
