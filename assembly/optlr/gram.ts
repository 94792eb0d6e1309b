// Optimal learning rate of a single-layer network y = s(W x + b) (docs/theory.md section 6, [L]).
// With v_i = D_i e_i (D_i = diag s'(z_i)), G_ij = 1 + x_i . x_j and u_i = (1/M) sum_j G_ij v_j
// (the change of z_i per unit step along -grad L):
//   num = (1/M^2) sum_ij G_ij v_i . v_j  (= |grad L|^2)
//   den = (1/M) sum_i |D_i u_i|^2
// Two routes to the same numbers: "gram" forms G row by row (M^2 (n0 + n1) work, never stored),
// "gradient" forms grad L first (M n0 n1 work); the host picks the cheaper one.
// Buffers live in a region of their own above the other workspaces (placed at the end of memory
// on first use), written and read by the host within one call.

import { ACT_RELU, ACT_LEAKY_RELU as ACT_LEAKY } from "../activations";
// any other code: the identity (ACT_LINEAR)

let base: usize = 0, capacity: usize = 0;
let M: i32 = 0, n0: i32 = 0, n1: i32 = 0;
let pW: usize = 0, pB: usize = 0, pX: usize = 0, pY: usize = 0, pZ: usize = 0, pD: usize = 0;
let pV: usize = 0, pU: usize = 0, pGW: usize = 0, pGB: usize = 0, pOut: usize = 0;

/** Lays out buffers for a batch of m inputs of dimension a and outputs of dimension c; 0 if memory cannot grow. */
export function optlrLayout(m: i32, a: i32, c: i32): usize {
  const need: usize = (<usize>(2 * c * a + 2 * c + m * a + 5 * m * c + 8)) << 3;
  if (base == 0 || need > capacity) {
    const start: usize = (<usize>memory.size()) << 16;
    const pages = <i32>((need + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
    base = start;
    capacity = (<usize>pages) << 16;
  }
  M = m; n0 = a; n1 = c;
  let p = base;
  pW = p; p += (<usize>(c * a)) << 3;
  pB = p; p += (<usize>c) << 3;
  pX = p; p += (<usize>(m * a)) << 3;
  pY = p; p += (<usize>(m * c)) << 3;
  pZ = p; p += (<usize>(m * c)) << 3;
  pD = p; p += (<usize>(m * c)) << 3;
  pV = p; p += (<usize>(m * c)) << 3;
  pU = p; p += (<usize>(m * c)) << 3;
  pGW = p; p += (<usize>(c * a)) << 3;
  pGB = p; p += (<usize>c) << 3;
  pOut = p;
  return base;
}

/** Buffer addresses: 0 W (n1 x n0), 1 b, 2 X (M x n0), 3 Y (M x n1), 4 Z, 5 D, 6 V, 7 U, 8 grad W, 9 grad b, 10 out. */
export function optlrPtr(k: i32): usize {
  switch (k) {
    case 0: return pW;
    case 1: return pB;
    case 2: return pX;
    case 3: return pY;
    case 4: return pZ;
    case 5: return pD;
    case 6: return pV;
    case 7: return pU;
    case 8: return pGW;
    case 9: return pGB;
    default: return pOut;
  }
}

@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
@inline function put(p: usize, i: i32, x: f64): void {
  store<f64>(p + ((<usize>i) << 3), x);
}
@inline function dot(p: usize, q: usize, n: i32): f64 {
  let s = 0.0;
  for (let k = 0; k < n; k++) s += at(p, k) * at(q, k);
  return s;
}

/** Forward pass: Z, D = s'(Z) (s'(0) is the slope left of the kink), V = D e; returns the loss (1/2M) sum |e|^2. */
function forward(act: i32, slope: f64): f64 {
  let loss = 0.0;
  for (let i = 0; i < M; i++) {
    const x = pX + ((<usize>(i * n0)) << 3);
    for (let k = 0; k < n1; k++) {
      const z = at(pB, k) + dot(pW + ((<usize>(k * n0)) << 3), x, n0);
      let d = 1.0;
      if (act == ACT_RELU) d = z > 0 ? 1.0 : 0.0;
      else if (act == ACT_LEAKY) d = z > 0 ? 1.0 : slope;
      const s = act == ACT_RELU || act == ACT_LEAKY ? (z > 0 ? z : d * z) : z;
      const e = s - at(pY, i * n1 + k);
      loss += e * e;
      const ik = i * n1 + k;
      put(pZ, ik, z);
      put(pD, ik, d);
      put(pV, ik, d * e);
    }
  }
  return loss / (2.0 * <f64>M);
}

/** grad W = (1/M) sum_j v_j x_j^T, grad b = (1/M) sum_j v_j. */
function gradient(): void {
  const inv = 1.0 / <f64>M;
  memory.fill(pGW, 0, (<usize>(n1 * n0)) << 3);
  memory.fill(pGB, 0, (<usize>n1) << 3);
  for (let j = 0; j < M; j++) {
    const x = pX + ((<usize>(j * n0)) << 3);
    for (let k = 0; k < n1; k++) {
      const v = at(pV, j * n1 + k);
      if (v == 0) continue;
      put(pGB, k, at(pGB, k) + v);
      const g = pGW + ((<usize>(k * n0)) << 3);
      for (let l = 0; l < n0; l++) put(g, l, at(g, l) + v * at(x, l));
    }
  }
  for (let k = 0; k < n1 * n0; k++) put(pGW, k, at(pGW, k) * inv);
  for (let k = 0; k < n1; k++) put(pGB, k, at(pGB, k) * inv);
}

/**
 * Numerator, denominator, loss and the first kink along -grad L into out[0..3].
 * method 0: Gram route; 1: gradient route. wantGradient != 0 also leaves grad W, grad b in their buffers.
 */
export function optlrCompute(act: i32, slope: f64, method: i32, wantGradient: i32): void {
  const loss = forward(act, slope);
  const inv = 1.0 / <f64>M;
  let num = 0.0;
  if (method == 0) {
    memory.fill(pU, 0, (<usize>(M * n1)) << 3);
    // G is symmetric: each pair i < j once, its contribution added to both u_i and u_j
    for (let i = 0; i < M; i++) {
      const xi = pX + ((<usize>(i * n0)) << 3);
      const vi = pV + ((<usize>(i * n1)) << 3);
      const ui = pU + ((<usize>(i * n1)) << 3);
      const gii = 1.0 + dot(xi, xi, n0);
      num += gii * dot(vi, vi, n1);
      for (let k = 0; k < n1; k++) put(ui, k, at(ui, k) + gii * at(vi, k));
      let rowNum = 0.0;
      for (let j = i + 1; j < M; j++) {
        const vj = pV + ((<usize>(j * n1)) << 3);
        const g = 1.0 + dot(xi, pX + ((<usize>(j * n0)) << 3), n0);
        const uj = pU + ((<usize>(j * n1)) << 3);
        let vv = 0.0;
        for (let k = 0; k < n1; k++) {
          const a = at(vi, k), b = at(vj, k);
          vv += a * b;
          put(ui, k, at(ui, k) + g * b);
          put(uj, k, at(uj, k) + g * a);
        }
        rowNum += g * vv;
      }
      num += 2.0 * rowNum;
    }
    num *= inv * inv;
    for (let k = 0; k < M * n1; k++) put(pU, k, at(pU, k) * inv);
    if (wantGradient != 0) gradient();
  } else {
    gradient();
    num = dot(pGW, pGW, n1 * n0) + dot(pGB, pGB, n1);
    for (let i = 0; i < M; i++) {
      const x = pX + ((<usize>(i * n0)) << 3);
      for (let k = 0; k < n1; k++) put(pU, i * n1 + k, at(pGB, k) + dot(pGW + ((<usize>(k * n0)) << 3), x, n0));
    }
  }
  let den = 0.0;
  let kink = Infinity;
  for (let ik = 0; ik < M * n1; ik++) {
    const u = at(pU, ik);
    const du = at(pD, ik) * u;
    den += du * du;
    if (act == ACT_RELU || act == ACT_LEAKY) {
      // z(a) = z - a u changes side at a = z / u; at z = 0 the slope in use is the left one,
      // so the kink is at a = 0 when z starts to increase
      const z = at(pZ, ik);
      if (u != 0) {
        const a = z / u;
        if (a > 0 && a < kink) kink = a;
        else if (z == 0 && u < 0) kink = 0;
      }
    }
  }
  den *= inv;
  put(pOut, 0, num);
  put(pOut, 1, den);
  put(pOut, 2, loss);
  put(pOut, 3, kink);
}
