// The Gaussian averages of docs/theory.md section 2 against independent references:
// adaptive quadrature (test/reference/gaussian.ts: Genz BVN, Gauss-Legendre in polar
// coordinates, tensor Gauss-Hermite) and seeded Monte Carlo with a stated standard error.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { erfAverage, gaussHermiteExpectation, gErf, gErfPrime, integrateAdaptive, monteCarlo, normPdf, reluAverage, truncatedMoment, orthant } from "./reference/gaussian";
import { testCore } from "./core";
import { i2, i3, i4, orthantProbability, pick, randomCovariance, relu, step } from "./helpers";
import { generalizationError } from "../src/index";

// Quadrature references are accurate to ~1e-12 (relu, tol 1e-12) and ~1e-10 (erf, 28-64
// Gauss-Hermite nodes on smooth integrands with variances <= ~3); tolerances leave 10x room.
const RELU_TOL = 1e-10;
const ERF_TOL = 1e-9;
// Monte Carlo: 2e5 samples, accept |difference| < 5 standard errors (two-sided p ~ 6e-7).
const MC_SAMPLES = 200_000;
const MC_SIGMAS = 5;

const covs = (n: number) => [1, 2, 3, 4, 5].map((seed) => randomCovariance(n, 1000 * n + seed));

describe("ReLU averages vs adaptive quadrature", () => {
  it.each(covs(2).map((A, k) => [k, A] as [number, number[][]]))("I2 #%i", (_k, A) => {
    expect(Math.abs(i2(A) - reluAverage(A, "I2"))).toBeLessThan(RELU_TOL);
  });
  it.each(covs(3).map((A, k) => [k, A] as [number, number[][]]))("I3 #%i", (_k, A) => {
    expect(Math.abs(i3(A) - reluAverage(A, "I3"))).toBeLessThan(RELU_TOL);
  });
  it.each(covs(4).map((A, k) => [k, A] as [number, number[][]]))("I4 exact #%i", (_k, A) => {
    expect(Math.abs(i4(A) - reluAverage(A, "I4"))).toBeLessThan(RELU_TOL);
    expect(Math.abs(i4(A) - i4(A, { method: "exact" }))).toBe(0);
  });
  it("orthant probabilities n = 1..4", () => {
    for (const n of [1, 2, 3, 4]) for (const A of covs(n)) expect(Math.abs(orthantProbability(A) - orthant(A))).toBeLessThan(RELU_TOL);
  });
  // z = L u with z2 close to +-z1 and z4 close to z3: nearly singular covariances, where the
  // orthant integrand has a (nearly) square-root singularity at the end of Plackett's path.
  const nearSingular = (r: number, r34 = 0.999) => {
    const L = [[1, 0, 0, 0], [r, Math.sqrt(1 - r * r), 0, 0], [0.3, 0.1, 0.9, 0], [0.35, 0.1, 0.9 * r34, 0.9 * Math.sqrt(1 - r34 * r34)]];
    return L.map((a) => L.map((b) => a.reduce((s, x, k) => s + x * b[k], 0)));
  };
  it.each([0.9, 0.99, -0.9, -0.99])("I4 on nearly singular covariances, corr(z1, z2) = %f, corr(z3, z4) ~ 0.999", (r) => {
    const A = nearSingular(r);
    expect(Math.abs(i4(A) - reluAverage(A, "I4"))).toBeLessThan(RELU_TOL);
  });
  it("I4 tends continuously to the merged (perfectly correlated) case", () => {
    // |I4(r) - I4(1)| = O(sqrt(1 - r)): at 1 - r = 1e-12 the difference must be below ~1e-5.
    for (const sign of [1, -1]) {
      const A = nearSingular(sign * (1 - 1e-12), 0.5);
      const merged = sign > 0 ? truncatedMoment(pick(A, [0, 2, 3]), [0, 1, 1]) : 0;
      expect(Math.abs(i4(A) - merged), `sign ${sign}`).toBeLessThan(1e-5);
      const exactlyMerged = pick(A, [0, 0, 2, 3]).map((row, i) => row.map((x, j) => (i === 1 || j === 1 ? sign * x : x) * (i === 1 && j === 1 ? sign : 1)));
      expect(Math.abs(i4(exactlyMerged) - merged)).toBeLessThan(RELU_TOL);
    }
  });
});

describe("orthant probabilities of four nearly collinear fields", () => {
  // References: Plackett's identity in the path parameter t at 60 digits, every conditional
  // covariance formed in that precision (test/fixtures/mpmath/collinearOrthant.py, committed
  // with its output; the double covariance taken as exact). Cases: four fields within
  // 1 - r = 1e-3 .. 1e-12 of each other (also with one field's sign flipped, so that half of
  // the correlations are near -1, and with variances 0.5 .. 3), and two students each close to
  // its own teacher (also a state of the ODE near perfect learning). Measured: <= 6e-17;
  // tolerance 1e-15. With the conditional covariances formed from the correlations (O(gap) or
  // O(gap^2) differences of O(1) numbers) the adaptive rule hit its panel budget at gaps
  // <= 1e-4 and P4 was off by 2e-13 at 1e-4, 4e-9 at 1e-6, 4e-7 at 1e-8; a construction mixing
  // exact gaps with the vectors was off by 4e-13 on the ODE state.
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/mpmath/collinearOrthant.json", import.meta.url), "utf8")) as {
    cases: { name: string; gap: number; cov: number[][]; value: string }[];
  };
  it.each(fixture.cases.map((c) => [c.name, c.gap, c] as const))("%s, 1 - r ~ %s", (_n, _g, c) => {
    expect(Math.abs(orthantProbability(c.cov) - Number(c.value))).toBeLessThan(1e-15);
  });
  it("the adaptive rule converges there with few panels (no panel budget reached)", () => {
    const e = testCore(), x = e.exports;
    for (const c of fixture.cases) {
      c.cov.flat().forEach((v, i) => { e.f64[(x.argPtr() >> 3) + i] = v; });
      x.orthantProbability4();
      // six pair integrals; the budget is 300 panels per pair
      expect(x.orthantPanels(), `${c.name}, gap ${c.gap}`).toBeLessThan(6 * 100);
    }
  });
});

describe("erf and linear averages vs Gauss-Hermite quadrature", () => {
  // Gauss-Hermite in 4-d loses accuracy on large variances: use variances ~<= 1.5 and 48 nodes
  // (checked: 48 and 60 nodes agree to ~1e-12 on these).
  const erfCovs = (n: number) => [1, 2, 3].map((seed) => randomCovariance(n, 2000 * n + seed, 0.1, 0.5));
  it.each([2, 3, 4].flatMap((n) => erfCovs(n).map((A, k) => [n, k, A] as [number, number, number[][]])))("erf I%i #%i", (n, _k, A) => {
    const ours = n === 2 ? i2(A, { activation: "erf" }) : n === 3 ? i3(A, { activation: "erf" }) : i4(A, { activation: "erf" });
    expect(Math.abs(ours - erfAverage(A, `I${n}` as "I2" | "I3" | "I4", n === 4 ? 48 : 64))).toBeLessThan(ERF_TOL);
  });
  it("linear: I2 = A12, I3 = A23, I4 = A34", () => {
    for (const A of covs(4)) {
      expect(i2(pick(A, [0, 1]), { activation: "linear" })).toBeCloseTo(A[0][1], 14);
      expect(i3(pick(A, [0, 1, 2]), { activation: "linear" })).toBeCloseTo(A[1][2], 14);
      expect(i4(A, { activation: "linear" })).toBeCloseTo(A[2][3], 14);
    }
  });
});

describe("every average vs Monte Carlo (5 standard errors)", () => {
  const g = { relu, erf: gErf, linear: (x: number) => x };
  const dg = { relu: step, erf: gErfPrime, linear: () => 1 };
  for (const act of ["relu", "erf", "linear"] as const) {
    it(`${act}: I2, I3, I4 on random covariances`, () => {
      const A4 = randomCovariance(4, 77);
      const f = g[act], d = dg[act];
      const cases: [number, (z: Float64Array) => number, number][] = [
        [i2(pick(A4, [0, 1]), { activation: act }), (z) => f(z[0]) * f(z[1]), 2],
        [i3(pick(A4, [0, 1, 2]), { activation: act }), (z) => d(z[0]) * z[1] * f(z[2]), 3],
        [i4(A4, { activation: act }), (z) => d(z[0]) * d(z[1]) * f(z[2]) * f(z[3]), 4],
      ];
      cases.forEach(([ours, fn, n], k) => {
        const mc = monteCarlo(pick(A4, [0, 1, 2, 3].slice(0, n)), fn, MC_SAMPLES, 10 + k);
        expect(Math.abs(ours - mc.mean), `${act} I${n}: ours ${ours}, MC ${mc.mean} +- ${mc.se}`).toBeLessThan(MC_SIGMAS * mc.se);
      });
    });
  }
});

describe("repeated indices and perfectly correlated variables (docs/theory.md section 2.5)", () => {
  const A = randomCovariance(4, 4242);
  // relu reductions: theta^2 = theta, theta relu = relu, relu^2 = z^2 theta.
  const reluCases: [string, number[], () => number][] = [
    ["I4(i,i,n,m)", [0, 0, 2, 3], () => truncatedMoment(pick(A, [0, 2, 3]), [0, 1, 1])],
    ["I4(i,k,i,l)", [0, 1, 0, 3], () => truncatedMoment(pick(A, [0, 1, 3]), [1, 0, 1])],
    ["I4(i,k,l,l)", [0, 1, 2, 2], () => truncatedMoment(pick(A, [0, 1, 2]), [0, 0, 2])],
    ["I4(i,i,i,l)", [0, 0, 0, 3], () => truncatedMoment(pick(A, [0, 3]), [1, 1])],
    ["I4(i,i,i,i)", [0, 0, 0, 0], () => truncatedMoment(pick(A, [0]), [2])],
    ["I4(i,k,i,k)", [0, 1, 0, 1], () => truncatedMoment(pick(A, [0, 1]), [1, 1])],
  ];
  it.each(reluCases)("relu %s", (_name, idx, ref) => {
    expect(Math.abs(i4(pick(A, idx)) - ref())).toBeLessThan(RELU_TOL);
  });
  it("relu I3 and I2 with repeated indices", () => {
    // I3(i,k,i) = E[theta(z_i) z_k relu(z_i)] = E[z_k z_i theta(z_i)] = A_ik / 2
    expect(Math.abs(i3(pick(A, [0, 1, 0])) - A[0][1] / 2)).toBeLessThan(1e-15);
    // I3(i,i,k) = E[theta(z_i) z_i relu(z_k)]
    expect(Math.abs(i3(pick(A, [0, 0, 1])) - truncatedMoment(pick(A, [0, 1]), [1, 1]))).toBeLessThan(RELU_TOL);
    expect(Math.abs(i2(pick(A, [1, 1])) - truncatedMoment(pick(A, [1]), [2]))).toBeLessThan(RELU_TOL);
  });
  it("distinct variables with correlation exactly +1 or -1 (scaled copies)", () => {
    // z = (x, 2x, y, -0.5 y) with (x, y) ~ N(0, B)
    const B = [[1.3, 0.4], [0.4, 0.8]];
    const L = [[1, 0], [2, 0], [0, 1], [0, -0.5]];
    const C = L.map((li) => L.map((lj) => li[0] * (B[0][0] * lj[0] + B[0][1] * lj[1]) + li[1] * (B[1][0] * lj[0] + B[1][1] * lj[1])));
    // theta(x) theta(2x) relu(y) relu(-y/2) = 0
    expect(Math.abs(i4(C))).toBeLessThan(1e-15);
    // theta(x) theta(2x) relu(x) relu(y) with z = (x, 2x, x, y)
    const L2 = [[1, 0], [2, 0], [1, 0], [0, 1]];
    const C2 = L2.map((li) => L2.map((lj) => li[0] * (B[0][0] * lj[0] + B[0][1] * lj[1]) + li[1] * (B[1][0] * lj[0] + B[1][1] * lj[1])));
    expect(Math.abs(i4(C2) - truncatedMoment(B, [1, 1]))).toBeLessThan(RELU_TOL);
    // erf: E[g'(x) g'(2x) g(x) g(y)] and, for z = (x, 2x, y, -y/2), E[g'(x) g'(2x) g(y) g(-y/2)]:
    // smooth two-dimensional integrals over (x, y) ~ N(0, B), by nested adaptive Gauss-Legendre
    // (tolerance 1e-15 each level, +-12 standard deviations). The factors are O(0.1..1), so a
    // factor dropped or halved is a >= 1e-3 change against the tolerance 1e-13.
    const quadB = (h: (x: number, y: number) => number) => {
      const sx = Math.sqrt(B[0][0]), beta = B[0][1] / B[0][0], sv = Math.sqrt(B[1][1] - beta * B[0][1]);
      const inner = (x: number) => integrateAdaptive((y) => (normPdf((y - beta * x) / sv) / sv) * h(x, y), [beta * x - 12 * sv, beta * x + 12 * sv], 1e-15);
      return integrateAdaptive((x) => (normPdf(x / sx) / sx) * inner(x), [-12 * sx, 12 * sx], 1e-15);
    };
    const erfAligned = quadB((x, y) => gErfPrime(x) * gErfPrime(2 * x) * gErf(x) * gErf(y));
    expect(Math.abs(erfAligned)).toBeGreaterThan(1e-3);
    expect(Math.abs(i4(C2, { activation: "erf" }) - erfAligned)).toBeLessThan(1e-13);
    const erfAnti = quadB((x, y) => gErfPrime(x) * gErfPrime(2 * x) * gErf(y) * gErf(-y / 2));
    expect(erfAnti).toBeLessThan(-1e-2); // g(y) g(-y/2) <= 0: erf is odd
    expect(Math.abs(i4(C, { activation: "erf" }) - erfAnti)).toBeLessThan(1e-13);
  });
  it("erf and linear with singular covariances match Monte Carlo", () => {
    for (const act of ["erf", "linear"] as const) {
      for (const idx of [[0, 0, 2, 3], [0, 1, 0, 1], [0, 0, 0, 0]]) {
        const S = pick(A, idx);
        const fn = act === "erf" ? (z: Float64Array) => gErfPrime(z[0]) * gErfPrime(z[1]) * gErf(z[2]) * gErf(z[3]) : (z: Float64Array) => z[2] * z[3];
        const mc = monteCarlo(S, fn, MC_SAMPLES, 99);
        expect(Math.abs(i4(S, { activation: act }) - mc.mean), `${act} ${idx}`).toBeLessThan(MC_SIGMAS * mc.se + 1e-15);
      }
    }
  });
  it("zero-variance variables (a student of norm 0) give their exact values", () => {
    // z0 = 0 identically: relu: theta(0) = 0 (the convention of the SGD kernel and of autodiff)
    // gives 0; erf: g'(0) = sqrt(2/pi), so I4 = sqrt(2/pi) E[g'(z1) g(z2) g(z3)] (Gauss-Hermite on
    // the rank-3 covariance, 40 and 48 nodes agree to 1e-16); linear: I4 = A_23 = 0.1 exactly.
    // With the zero-variance variable in a g position, g(0) = 0 for all three: I4 = 0.
    const Z = [[0, 0, 0, 0], [0, 1, 0.3, 0.2], [0, 0.3, 1, 0.1], [0, 0.2, 0.1, 1]];
    expect(i4(Z, { activation: "relu" })).toBe(0);
    const erfRef = gaussHermiteExpectation(Z, (z) => gErfPrime(z[0]) * gErfPrime(z[1]) * gErf(z[2]) * gErf(z[3]), 48);
    expect(erfRef).toBeGreaterThan(1e-2);
    expect(Math.abs(i4(Z, { activation: "erf" }) - erfRef)).toBeLessThan(1e-13);
    expect(Math.abs(i4(Z, { activation: "linear" }) - 0.1)).toBeLessThan(1e-16);
    const Z2 = pick(Z, [1, 2, 0, 3]); // z_c = 0: g(0) = 0
    for (const act of ["relu", "erf", "linear"] as const) expect(i4(Z2, { activation: act }), act).toBe(0);
    // I3 = E[g'(z_a) z_b g(z_c)] with z_b = 0: exactly 0; with z_a = 0 (erf): sqrt(2/pi) E[z_b g(z_c)] (Gauss-Hermite)
    expect(i3(pick(Z, [1, 0, 2]), { activation: "erf" })).toBe(0);
    const want = Math.sqrt(2 / Math.PI) * gaussHermiteExpectation(pick(Z, [1, 2]), (z) => z[0] * gErf(z[1]), 48);
    expect(Math.abs(i3(pick(Z, [0, 1, 2]), { activation: "erf" }) - want)).toBeLessThan(1e-14);
  });
});

describe("eps_g near a perfect student (cancellation in the sum of I2)", () => {
  // Independent reference: relu(x) - relu(y) is homogeneous of degree 1 in (x, z) with
  // y = r x + s z, so E[(relu x - relu y)^2] = E[rho^2] (1 / 2 pi) int h(phi)^2 dphi, rho^2 ~ chi^2_2
  // (mean 2). h^2 is a trigonometric polynomial between its kinks: Gauss-Legendre per piece is
  // exact to rounding, and h is computed pointwise, so there is no cancellation.
  function egReference(r: number): number {
    const s = Math.sqrt((1 - r) * (1 + r));
    const h = (phi: number) => Math.max(Math.cos(phi), 0) - Math.max(r * Math.cos(phi) + s * Math.sin(phi), 0);
    const kinks = [-Math.PI / 2, Math.PI / 2, Math.atan2(r, -s), Math.atan2(-r, s)].map((k) => ((k % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
    const edges = [0, ...kinks, 2 * Math.PI].sort((a, b) => a - b);
    const x = [-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640];
    const w = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
    let total = 0;
    for (let p = 0; p + 1 < edges.length; p++)
      for (let j = 0; j < 40; j++) {
        // 40 sub-panels of 5-point Gauss-Legendre: relative error far below 1e-12 on smooth pieces
        const a = edges[p] + ((edges[p + 1] - edges[p]) * j) / 40, b = edges[p] + ((edges[p + 1] - edges[p]) * (j + 1)) / 40;
        for (let q = 0; q < 5; q++) total += w[q] * ((b - a) / 2) * h((a + b) / 2 + ((b - a) / 2) * x[q]) ** 2;
      }
    return 0.5 * 2 * (total / (2 * Math.PI)); // eps_g = E[(tau - sigma)^2] / 2
  }
  it("K = M = 1, Q = T = 1, R = 1 - e: relative error below 1e-6 down to e = 1e-12", () => {
    for (const e of [1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12]) {
      const got = generalizationError({ K: 1, M: 1, T: [[1]], Q: [[1]], R: [[1 - e]] });
      const want = egReference(1 - e);
      expect(got, `e = ${e}`).toBeGreaterThan(0);
      expect(Math.abs(got - want) / want, `e = ${e}: ${got} vs ${want}`).toBeLessThan(1e-6);
    }
  });
});

describe("ReLU averages of nearly collinear fields (a student close to its teacher)", () => {
  // References: mpmath at 40 digits, sphere integrals split at every kink, from the double
  // covariance taken as exact (test/fixtures/mpmath/nearCollinear.py, committed with its
  // output). Cases: 1 - r = 1e-4 .. 1e-13 between fields 0 and 1, plus a third field.
  // The values are O(1) sums of a few terms computed without cancellation (compensated
  // determinants), so a few ulp: measured <= 1.1e-16; tolerance 1e-15. With plain
  // arithmetic and the old merge at 1 - |r| <= 1e-12, the 1e-13 cases were off by ~1e-7
  // and the 1e-10 ones by ~1e-9 (conditional variances lost 1e-16 / (1 - r^2) relative).
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/mpmath/nearCollinear.json", import.meta.url), "utf8")) as {
    cases: { gap: string; kind: "i3" | "i4"; idx: number[]; cov: number[][]; value: string }[];
  };
  it.each(fixture.cases.map((c) => [c.kind, c.idx.join(""), c.gap, c] as const))("%s(%s), 1 - r = %s", (_k, _i, _g, c) => {
    const sub = c.idx.map((i) => c.idx.map((j) => c.cov[i][j]));
    const value = c.kind === "i3" ? i3(sub) : i4(sub);
    expect(Math.abs(value - Number(c.value))).toBeLessThan(1e-15);
  });
});
