// The bound-constrained quasi-Newton method of src/numerics/projectedBfgs.ts against solutions
// known independently: a box-constrained convex quadratic solved by enumerating every pattern of
// active bounds (the unique point satisfying the KKT conditions), and Rosenbrock's function with
// and without a bound that cuts off its minimum.
import { describe, expect, it } from "vitest";
import { projectedBfgs } from "../src/numerics/projectedBfgs";
import { solveSmall } from "../src/numerics/linearSolve";
import { makeNormal } from "./reference/gaussian";

/** The KKT point of min 1/2 x^T A x - b^T x on [lo, hi], by enumerating 3^n bound patterns (A positive definite). */
function enumeratedQuadraticMinimum(A: number[][], b: number[], lo: number[], hi: number[]): number[] {
  const n = b.length;
  for (let code = 0; code < 3 ** n; code++) {
    const pattern = Array.from({ length: n }, (_, i) => Math.floor(code / 3 ** i) % 3); // 0 free, 1 at lo, 2 at hi
    const x = pattern.map((p, i) => (p === 1 ? lo[i] : p === 2 ? hi[i] : 0));
    const free = pattern.map((p, i) => (p === 0 ? i : -1)).filter((i) => i >= 0);
    if (free.length) {
      const M = free.flatMap((i) => free.map((k) => A[i][k]));
      const rhs = free.map((i) => b[i] - pattern.reduce((acc, p, k) => acc + (p === 0 ? 0 : A[i][k] * x[k]), 0));
      const sol = solveSmall(M, rhs, free.length);
      if (!sol) continue;
      free.forEach((i, j) => (x[i] = sol[j]));
    }
    const g = A.map((row, i) => row.reduce((acc, v, k) => acc + v * x[k], 0) - b[i]);
    const ok = x.every((v, i) => v >= lo[i] - 1e-12 && v <= hi[i] + 1e-12) &&
      pattern.every((p, i) => (p === 0 ? true : p === 1 ? g[i] >= -1e-12 : g[i] <= 1e-12));
    if (ok) return x;
  }
  throw new Error("no KKT point");
}

describe("projectedBfgs: minimisation on a box", () => {
  it("convex quadratics with active bounds: the enumerated KKT point to 1e-7", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const normal = makeNormal(seed);
      const n = 6;
      const B = Array.from({ length: n }, () => Array.from({ length: n }, () => normal()));
      const A = B.map((r, i) => B.map((q, k) => r.reduce((acc, v, j) => acc + v * q[j], 0) + (i === k ? 0.3 : 0)));
      const b = Array.from({ length: n }, () => 2 * normal());
      const lo = Array.from({ length: n }, () => -0.5), hi = Array.from({ length: n }, () => 0.7);
      const exact = enumeratedQuadraticMinimum(A, b, lo, hi);
      const fg = (x: number[]) => {
        const Ax = A.map((row) => row.reduce((acc, v, k) => acc + v * x[k], 0));
        return { f: 0.5 * x.reduce((acc, v, i) => acc + v * Ax[i], 0) - b.reduce((acc, v, i) => acc + v * x[i], 0), g: Ax.map((v, i) => v - b[i]) };
      };
      const r = projectedBfgs((x) => fg(x), new Array(n).fill(0.1), { lower: lo, upper: hi, gradientTolerance: 1e-10 });
      expect(r.converged).toBe(true);
      const err = Math.max(...r.value.map((v, i) => Math.abs(v - exact[i])));
      expect(err).toBeLessThan(1e-7);
      // some bound is active in most of these problems: the method must handle both kinds
      expect(exact.some((v, i) => v === lo[i] || v === hi[i])).toBe(true);
    }
  });
  const rosenbrock = (x: number[]) => ({
    f: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    g: [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)],
  });
  it("Rosenbrock inside a box: the minimum (1, 1)", () => {
    const r = projectedBfgs((x) => rosenbrock(x), [-1.2, 1], { lower: [-2, -2], upper: [2, 2], gradientTolerance: 1e-10 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value[0] - 1) + Math.abs(r.value[1] - 1)).toBeLessThan(1e-7);
  });
  it("Rosenbrock with x <= 0.5: the constrained minimum (0.5, 0.25) on the bound", () => {
    // on x = 0.5 the best y is x^2; along y = x^2, f = (1 - x)^2 decreases up to the bound
    const r = projectedBfgs((x) => rosenbrock(x), [-1.2, 1], { lower: [-2, -2], upper: [0.5, 2], gradientTolerance: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.value[0]).toBe(0.5);
    expect(Math.abs(r.value[1] - 0.25)).toBeLessThan(1e-7);
    expect(r.atBound).toBe(1);
  });
  it("points outside f's domain (f = Infinity) are rejected by the line search", () => {
    // f = (x - 3)^2 but undefined beyond x = 2: the minimum on [0, 5] within the domain is at 2 - 0
    const fg = (x: number[]) => (x[0] > 2 ? { f: Infinity, g: [NaN] } : { f: (x[0] - 3) ** 2, g: [2 * (x[0] - 3)] });
    const r = projectedBfgs((x) => fg(x), [0], { lower: [0], upper: [2], gradientTolerance: 1e-12 });
    expect(r.value[0]).toBe(2);
    const s = projectedBfgs((x) => fg(x), [0], { lower: [0], upper: [5], maxIterations: 50 });
    expect(s.value[0]).toBeLessThanOrEqual(2);
    expect(s.value[0]).toBeGreaterThan(1.9);
  });
});
