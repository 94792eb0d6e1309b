// Shared helpers of the vitest suites (loads the core the way the default entry does).
import { expect } from "vitest";
import { makeNormal, type Matrix } from "./reference/gaussian";
import type { Eigenvalue } from "../src/fixedpoints/stability";

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

/** K x K matrix with diag on the diagonal and off elsewhere (site-symmetric order parameters). */
export const matrix = (K: number, diag: number, off: number): Matrix => Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? diag : off)));

/** Largest distance between two multisets of eigenvalues (greedy nearest matching). */
export function spectrumDistance(a: Eigenvalue[], b: Eigenvalue[]): number {
  expect(a.length).toBe(b.length);
  const used = new Set<number>();
  let worst = 0;
  for (const e of a) {
    let best = -1, bd = Infinity;
    b.forEach((f, j) => {
      if (used.has(j)) return;
      const d = Math.hypot(f.re - e.re, f.im - e.im);
      if (d < bd) { bd = d; best = j; }
    });
    used.add(best);
    worst = Math.max(worst, bd);
  }
  return worst;
}
