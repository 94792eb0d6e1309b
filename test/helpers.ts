// Shared helpers of the vitest suites (loads the core the way the default entry does).
import { makeNormal, type Matrix } from "./reference/gaussian";

export * from "../src/index";

/** Seeded random covariance B B^T / n + shift I (positive definite for shift > 0). */
export function randomCovariance(n: number, seed: number, shift = 0.1, scale = 1): Matrix {
  const normal = makeNormal(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => normal()));
  return B.map((bi, i) => B.map((bj, j) => (scale * bi.reduce((s, x, k) => s + x * bj[k], 0)) / n + (i === j ? shift : 0)));
}

/** Covariance of the variables picked by idx (repeats allowed: a singular matrix). */
export function pick(A: Matrix, idx: number[]): Matrix {
  return idx.map((i) => idx.map((j) => A[i][j]));
}

export const relu = (x: number) => (x > 0 ? x : 0);
export const step = (x: number) => (x > 0 ? 1 : 0);
