// The truncated Hermite series of docs/theory.md section 2.3 against the exact I4 of 2.2 (itself checked
// against quadrature in averages.test.ts), inside and outside its convergence region.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hermiteI4, i4 } from "./helpers";
import { testCore } from "./core";

const equicorrelated = (rho: number, d = [1, 1, 1, 1]) =>
  d.map((a, i) => d.map((b, j) => (i === j ? a : rho * Math.sqrt(a * b))));

describe("Hermite series vs exact I4", () => {
  it("inside the convergence region (spectral radius 0.6) the error falls geometrically with N", () => {
    const A = equicorrelated(0.2, [1, 2, 0.5, 1.5]);
    const exact = i4(A);
    const errs = [2, 4, 6, 8, 10, 14].map((N) => Math.abs(hermiteI4(A, { hermiteOrder: N }).value - exact));
    for (let k = 1; k < errs.length; k++) expect(errs[k]).toBeLessThan(errs[k - 1]);
    expect(errs[errs.length - 1]).toBeLessThan(1e-7);
    const h = hermiteI4(A);
    expect(h.inConvergenceRegion).toBe(true);
    expect(h.spectralRadius).toBeCloseTo(0.6, 12);
  });
  it("outside (equicorrelated 0.5, radius 1.5) it approaches, then diverges (docs/theory.md section 2.3: ~4e-5 at N=10, ~2e-3 at N=20)", () => {
    const A = equicorrelated(0.5);
    const exact = i4(A);
    const e10 = Math.abs(hermiteI4(A, { hermiteOrder: 10 }).value - exact);
    const e20 = Math.abs(hermiteI4(A, { hermiteOrder: 20 }).value - exact);
    const e30 = Math.abs(hermiteI4(A, { hermiteOrder: 30 }).value - exact);
    expect(e10).toBeGreaterThan(1e-5);
    expect(e10).toBeLessThan(1e-4);
    expect(e20).toBeGreaterThan(1e-3);
    expect(e20).toBeLessThan(4e-3);
    expect(e30).toBeGreaterThan(0.3);
    expect(hermiteI4(A).inConvergenceRegion).toBe(false);
    expect(hermiteI4(A).spectralRadius).toBeCloseTo(1.5, 10);
  });
  it("one pair near 1, the rest small: slow (algebraic) convergence", () => {
    const A = [[1, 0.95, 0.1, 0.05], [0.95, 1, 0.1, 0.05], [0.1, 0.1, 1, 0.1], [0.05, 0.05, 0.1, 1]];
    const exact = i4(A);
    const e10 = Math.abs(hermiteI4(A, { hermiteOrder: 10 }).value - exact);
    const e40 = Math.abs(hermiteI4(A, { hermiteOrder: 40 }).value - exact);
    expect(e40).toBeLessThan(e10);
    expect(e40).toBeGreaterThan(1e-8); // not geometric: still far from machine precision at N = 40
  });
});

describe("truncated series at N = 9 and 10 against an independent enumeration (test/fixtures/mpmath/hermiteSeries.py)", () => {
  // Every index set of the truncation rule summed term by term, in exact rational arithmetic
  // (dyadic correlations) or mpmath at 40 digits (covariances with unequal variances, among them
  // states of [E]'s reference trajectory). Measured agreement <= 1.5e-15 relative; tolerance
  // 5e-15 relative. Orders 9 and 10 differ by 6e-8 .. 1.4e-3 relative on these cases, so a sum
  // truncated one order off (or a wrong coefficient, or a dropped index set) fails by >= 1e7
  // tolerances.
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/mpmath/hermiteSeries.json", import.meta.url), "utf8")) as {
    indexSets: Record<string, number>;
    cases: { name: string; cov: number[][]; values: Record<string, string> }[];
  };
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    for (const N of [9, 10]) {
      const want = Number(c.values[N]);
      const got = hermiteI4(c.cov, { hermiteOrder: N }).value;
      expect(Math.abs(got - want) / Math.abs(want), `N = ${N}: ${got} vs ${want}`).toBeLessThan(5e-15);
    }
    const step = Math.abs(Number(c.values[9]) - Number(c.values[10])) / Math.abs(Number(c.values[10]));
    expect(step).toBeGreaterThan(5e-8);
  });
  it("the enumeration kept docs/theory.md section 2.3's index sets (31,460 at N = 10)", () => {
    expect(fixture.indexSets["10"]).toBe(31460);
  });
});

describe("factorised evaluation equals term-by-term enumeration", () => {
  it("random correlation matrices, N = 4..14", () => {
    const x = testCore().exports;
    let seed = 12345;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.8 - 0.4;
    for (let t = 0; t < 10; t++) {
      const r = Array.from({ length: 6 }, rnd) as [number, number, number, number, number, number];
      for (const N of [4, 9, 14]) {
        const f = x.hermiteI4Correlation(...r, N);
        const g = x.hermiteI4Naive(...r, N);
        // same terms, different summation order: a few ulp of the largest partial sums
        expect(Math.abs(f - g)).toBeLessThan(1e-14 * Math.max(1, Math.abs(g)));
      }
    }
  });
  it("index sets of the truncation rule: 31,460 at N = 10, 5,180 with non-zero ReLU coefficients", () => {
    const x = testCore().exports;
    expect(x.hermiteIndexSets(10, false)).toBe(31460);
    expect(x.hermiteIndexSets(10, true)).toBe(5180);
  });
});
