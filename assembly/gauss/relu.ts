// ReLU averages in closed form (THEORY 2.1, 2.2, 2.5).
//
// Every ReLU average of the ODE is a truncated moment E[prod_v z_v^{p_v} theta(z_v)]
// over at most four distinct variables with sum p_v <= 2: theta^2 = theta,
// theta relu = relu and relu^2 = z^2 theta combine factors of a repeated index.
// truncatedMoment() reduces it by Stein's lemma,
//   E[z_a h(z)] = sum_j A_aj E[d h / d z_j],  d theta(z_j) = delta(z_j),
//   E[delta(z_j) h] = (2 pi A_jj)^(-1/2) E[h | z_j = 0],
// to orthant probabilities of at most four variables (orthant.ts).
import { INV_SQRT_2PI, MERGE_TOL, TWO_PI } from "./constants";
import { orthant2, orthant3, orthant4 } from "./orthant";

const MERGE_R2: f64 = (1.0 - MERGE_TOL) * (1.0 - MERGE_TOL);

// One 4x4 scratch matrix (leading dimension 4) per recursion depth.
const DEPTH_MAX: i32 = 24;
const SCRATCH: usize = memory.data(DEPTH_MAX * 16 * 8, 8);

@inline export function scratchMatrix(depth: i32): usize {
  return SCRATCH + (<usize>depth << 7);
}
@inline function at(A: usize, i: i32, j: i32): f64 {
  return load<f64>(A + (<usize>((i << 2) + j) << 3));
}
@inline function put(A: usize, i: i32, j: i32, v: f64): void {
  store<f64>(A + (<usize>((i << 2) + j) << 3), v);
}
// powers packed 4 bits per variable
@inline function pget(p: i32, v: i32): i32 {
  return (p >> (v << 2)) & 15;
}
@inline function premove(p: i32, v: i32): i32 {
  const low = p & ((1 << (v << 2)) - 1);
  const high = p >> ((v + 1) << 2);
  return low | (high << (v << 2));
}
@inline function pstep(v: i32): i32 {
  return 1 << (v << 2);
}

/** Copies A without row and column `skip` into B (both leading dimension 4). */
function dropVariable(A: usize, n: i32, skip: i32, B: usize): void {
  let bi = 0;
  for (let i = 0; i < n; i++) {
    if (i == skip) continue;
    let bj = 0;
    for (let j = 0; j < n; j++) {
      if (j == skip) continue;
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
export function truncatedMoment(A: usize, n: i32, p: i32, depth: i32): f64 {
  if (n == 0) return 1.0;
  for (let v = 0; v < n; v++) {
    if (!(at(A, v, v) > 0.0)) return 0.0; // z_v = 0 a.s.: theta(0) = relu(0) = 0
  }
  // merge perfectly correlated pairs (THEORY 2.5)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const aii = at(A, i, i), ajj = at(A, j, j), aij = at(A, i, j);
      // |r| >= 1 - MERGE_TOL, tested without a square root (this runs at every node)
      if (aij * aij < MERGE_R2 * aii * ajj) continue;
      if (aij < 0.0) return 0.0; // theta(z) theta(-c z) = 0
      {
        // z_j = s z_i: theta(z_j) = theta(z_i), z_j^q = s^q z_i^q
        const s = Math.sqrt(ajj / aii);
        const pj = pget(p, j);
        let factor: f64 = 1.0;
        for (let q = 0; q < pj; q++) factor *= s;
        const merged = premove(p + pj * pstep(i), j);
        const B = scratchMatrix(depth + 1);
        dropVariable(A, n, j, B);
        return factor * truncatedMoment(B, n - 1, merged, depth + 1);
      }
    }
  }
  if (p == 0) return orthant(A, n);
  let a = 0;
  while (pget(p, a) == 0) a++;
  const q = p - pstep(a);
  let result: f64 = 0;
  for (let j = 0; j < n; j++) {
    const aaj = at(A, a, j);
    if (aaj == 0.0) continue;
    const qj = pget(q, j);
    if (qj > 0) {
      // derivative of the polynomial part
      result += aaj * <f64>qj * truncatedMoment(A, n, q - pstep(j), depth + 1);
    } else {
      // derivative of theta(z_j): condition on z_j = 0
      const ajj = at(A, j, j);
      const B = scratchMatrix(depth + 1);
      let bi = 0;
      for (let k = 0; k < n; k++) {
        if (k == j) continue;
        let bj = 0;
        const akj = at(A, k, j) / ajj;
        for (let l = 0; l < n; l++) {
          if (l == j) continue;
          put(B, bi, bj, at(A, k, l) - akj * at(A, j, l));
          bj++;
        }
        bi++;
      }
      result += aaj * INV_SQRT_2PI / Math.sqrt(ajj) * truncatedMoment(B, n - 1, premove(q, j), depth + 1);
    }
  }
  return result;
}

function orthant(A: usize, n: i32): f64 {
  if (n == 1) return 0.5;
  if (n == 2) return orthant2(at(A, 0, 1) / Math.sqrt(at(A, 0, 0) * at(A, 1, 1)));
  if (n == 3) {
    const s0 = Math.sqrt(at(A, 0, 0)), s1 = Math.sqrt(at(A, 1, 1)), s2 = Math.sqrt(at(A, 2, 2));
    return orthant3(at(A, 0, 1) / (s0 * s1), at(A, 0, 2) / (s0 * s2), at(A, 1, 2) / (s1 * s2));
  }
  return orthant4(A, 4);
}

// ------------------------------------------------------------------------------------
// Averages over variables of a global covariance C (leading dimension ld).

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}

// The distinct variables of a product and their powers.
const IDX: usize = memory.data(4 * 4, 4);
let nvars: i32 = 0;
let powers: i32 = 0;

@inline function addFactor(v: i32, power: i32): void {
  for (let k = 0; k < nvars; k++) {
    if (load<i32>(IDX + (<usize>k << 2)) == v) {
      powers += power * pstep(k);
      return;
    }
  }
  store<i32>(IDX + (<usize>nvars << 2), v);
  powers += power * pstep(nvars);
  nvars++;
}

function evalProduct(C: usize, ld: i32): f64 {
  const A = scratchMatrix(0);
  for (let i = 0; i < nvars; i++) {
    const gi = load<i32>(IDX + (<usize>i << 2));
    for (let j = 0; j < nvars; j++) {
      put(A, i, j, cget(C, ld, gi, load<i32>(IDX + (<usize>j << 2))));
    }
  }
  return truncatedMoment(A, nvars, powers, 0);
}

/**
 * E[relu(z_a) relu(z_b)] = A_ab / 2 + (sqrt(det) - A_ab theta) / (2 pi), theta = acos(r)
 * (THEORY 2.1 with asin r = pi/2 - theta). One theta for both terms: with separate sqrt(det)
 * and asin(r), as r -> 1 their rounding errors no longer cancel and eps_g, a sum of I2 that
 * cancels to ~0 near a perfect student, got absolute errors ~1e-9 (seen as eps_g < 0).
 */
export function reluI2(C: usize, ld: i32, a: i32, b: i32): f64 {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), ab = cget(C, ld, a, b);
  if (a == b) return 0.5 * aa;
  if (!(aa > 0.0) || !(bb > 0.0)) return 0.0;
  const det = aa * bb - ab * ab;
  const root = Math.sqrt(det > 0 ? det : 0);
  return 0.5 * ab + (root - ab * Math.atan2(root, ab)) / TWO_PI;
}

/** E[theta(z_a) z_b relu(z_c)]. */
export function reluI3(C: usize, ld: i32, a: i32, b: i32, c: i32): f64 {
  const aa = cget(C, ld, a, a);
  if (!(aa > 0.0)) return 0.0;
  if (b == a || b == c) {
    nvars = 0;
    powers = 0;
    addFactor(a, 0);
    addFactor(c, 1);
    addFactor(b, 1);
    return evalProduct(C, ld);
  }
  const ba = cget(C, ld, b, a);
  if (a == c) return 0.5 * ba; // E[z_b relu(z_a)] = A_ba E[theta(z_a)]
  // Stein on z_b: A_ba E[delta(z_a) relu(z_c)] + A_bc E[theta(z_a) theta(z_c)]
  const cc = cget(C, ld, c, c), ac = cget(C, ld, a, c), bc = cget(C, ld, b, c);
  if (!(cc > 0.0)) return 0.0;
  const v = cc - (ac * ac) / aa;
  return (ba * Math.sqrt(v > 0 ? v : 0)) / (TWO_PI * Math.sqrt(aa)) + bc * orthant2(ac / Math.sqrt(aa * cc));
}

/** E[theta(z_a) theta(z_b) relu(z_c) relu(z_e)], exact. */
export function reluI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  nvars = 0;
  powers = 0;
  addFactor(a, 0);
  addFactor(b, 0);
  addFactor(c, 1);
  addFactor(e, 1);
  return evalProduct(C, ld);
}
