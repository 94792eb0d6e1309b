// src/numerics against closed forms: each method on problems whose answer is known exactly
// (polynomial roots, integrals, spectra), its convergence order where it has one, and its
// failure reports (invalid bracket, iterations run out, singular Jacobian, domain left).
import { describe, expect, it } from "vitest";
import { bisect, brent, brentMinimize, centralDifference, centralDifferenceJacobian, dormandPrince, eigenvalues, eigenvectorFor, findThreshold, gaussLegendre, gaussLegendreIntegral, integrate, jacobiEigen, newton, regulaFalsi, richardson, richardsonJacobian, solveSmall, symmetricEigenvalues } from "../src/numerics";

/** Row-major n x n product A B. */
function mul(A: number[][], B: number[][]): number[][] {
  return A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
}

/** Householder reflection I - 2 v v^T / |v|^2: orthogonal and symmetric, so Q diag(l) Q has the spectrum l exactly. */
function householder(v: number[]): number[][] {
  const vv = v.reduce((s, x) => s + x * x, 0);
  return v.map((a, i) => v.map((b, j) => (i === j ? 1 : 0) - (2 * a * b) / vv));
}

/** The n x n second-difference matrix tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n. */
function laplacian(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
}
const laplacianSpectrum = (n: number) => Array.from({ length: n }, (_, k) => 4 * Math.sin(((k + 1) * Math.PI) / (2 * (n + 1))) ** 2);

describe("dense linear algebra", () => {
  it("solveSmall: exact solutions of integer systems, pivoting past a zero pivot, singular matrices refused", () => {
    const A = [[2, 1, 1], [1, 3, 2], [1, 0, 0]];
    const x = [1, -2, 3];
    const b = A.map((row) => row.reduce((s, a, k) => s + a * x[k], 0));
    const got = solveSmall(A.flat(), b, 3)!;
    // integers: elimination is exact up to a few roundings of O(1) numbers
    got.forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThan(4e-16 * 3));
    // a zero in the first pivot position needs the row exchange
    expect(Array.from(solveSmall([0, 1, 1, 0], [2, 5], 2)!)).toEqual([5, 2]);
    expect(solveSmall([1, 2, 2, 4], [1, 1], 2)).toBeNull();
    // the Hilbert matrix of order 5 (condition ~5e5): x = 1 recovered to ~cond * eps
    const H = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => 1 / (i + j + 1)));
    const ones = solveSmall(H.flat(), H.map((r) => r.reduce((s, a) => s + a, 0)), 5)!;
    ones.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-10));
  });

  it("jacobiEigen: eigenvalues of Q diag(l) Q to rounding, eigenvectors A v = l v, repeated eigenvalues, convergence reported", () => {
    const l = [-3, 0.5, 2, 7];
    const Q = householder([1, -2, 3, 1]);
    const A = mul(mul(Q, l.map((x, i) => l.map((_, j) => (i === j ? x : 0)))), Q);
    const r = jacobiEigen(A.flat(), 4);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(10);
    // |A| = 7; rounding of the construction and the rotations ~ 10 ulps of it
    r.values.forEach((v, i) => expect(Math.abs(v - l[i])).toBeLessThan(1e-14 * 7));
    for (let c = 0; c < 4; c++) {
      const v = Array.from({ length: 4 }, (_, k) => r.vectors[k * 4 + c]);
      expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-15 * 4);
      const Av = A.map((row) => row.reduce((s, a, k) => s + a * v[k], 0));
      Av.forEach((x, k) => expect(Math.abs(x - r.values[c] * v[k])).toBeLessThan(1e-14 * 7));
    }
    // 2 I + e e^T (n = 3): eigenvalues 2, 2, 5
    const B = [[3, 1, 1], [1, 3, 1], [1, 1, 3]];
    const rb = jacobiEigen(B.flat(), 3);
    rb.values.forEach((v, i) => expect(Math.abs(v - [2, 2, 5][i])).toBeLessThan(4e-15));
    // the second-difference matrix: 2 - 2 cos(k pi / (n + 1)) to rounding
    const n = 12;
    const rl = jacobiEigen(laplacian(n).flat(), n);
    rl.values.forEach((v, k) => expect(Math.abs(v - laplacianSpectrum(n)[k])).toBeLessThan(2e-15 * 4));
    // already diagonal: nothing to rotate, one sweep
    const d = jacobiEigen([2, 0, 0, -1], 2);
    expect(Array.from(d.values)).toEqual([-1, 2]);
    expect(d.iterations).toBe(1);
  });

  it("symmetricEigenvalues (ml-matrix): the second-difference matrix at n = 40 to rounding, ascending", () => {
    const n = 40;
    const got = symmetricEigenvalues(laplacian(n));
    const want = laplacianSpectrum(n);
    got.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(1e-14 * 4));
  });

  it("eigenvalues (general): the companion matrix of (x - 1)(x - 2)(x^2 + 1) and a rotation-scaling block, by decreasing real part", () => {
    // x^4 - 3x^3 + 3x^2 - 3x + 2: companion matrix with last column -(2, -3, 3, -3)
    const C = [[0, 0, 0, -2], [1, 0, 0, 3], [0, 1, 0, -3], [0, 0, 1, 3]];
    const ev = eigenvalues(C);
    const want = [{ re: 2, im: 0 }, { re: 1, im: 0 }, { re: 0, im: 1 }, { re: 0, im: -1 }];
    ev.forEach((e, i) => {
      expect(Math.abs(e.re - want[i].re)).toBeLessThan(1e-13);
      expect(Math.abs(e.im - want[i].im)).toBeLessThan(1e-13);
    });
    const R = eigenvalues([[0.5, -2], [2, 0.5]]);
    expect(R.map((e) => [e.re, e.im])).toEqual([[0.5, 2], [0.5, -2]]);
  });

  it("eigenvectorFor: inverse iteration gives A v = l v for a real eigenvalue of a non-symmetric matrix", () => {
    const A = [[4, 1, 0], [2, 3, 0], [1, 1, 1]]; // eigenvalues 5, 2, 1
    for (const l of [5, 2, 1]) {
      const v = eigenvectorFor(A, l);
      const Av = A.map((row) => row.reduce((s, a, k) => s + a * v[k], 0));
      Av.forEach((x, k) => expect(Math.abs(x - l * v[k])).toBeLessThan(1e-9));
      expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-15 * 3);
    }
  });
});

describe("finite differences", () => {
  it("central differences of a cubic are off by exactly h^2 (the f''' h^2 / 6 term), per coordinate step", () => {
    // f = (x0^3, x0 x1, x1^3 / 3): (f(x + h) - f(x - h)) / 2h = f' + f''' h^2 / 6 with no higher terms
    const f = (x: Float64Array) => [x[0] ** 3, x[0] * x[1], x[1] ** 3 / 3];
    const h = [1e-3, 2e-3];
    const J = centralDifferenceJacobian(f, [2, 3], h);
    const want = [[12 + h[0] ** 2, 0], [3, 2], [0, 9 + h[1] ** 2 / 3]];
    // rounding: ~1e-16 * |f| / h ~ 1e-12; the h^2 terms are 1e-6 and 1.3e-6
    J.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThan(2e-11)));
    const d = centralDifference((t) => [t ** 3, Math.exp(t)], 1, 1e-2)!;
    expect(Math.abs(d[0] - (3 + 1e-4))).toBeLessThan(1e-12);
    // exp: e (1 + h^2/6 + h^4/120 + ...): the h^2 term is 4.5e-5, the h^4 term 2.3e-10
    expect(Math.abs(d[1] - Math.E * (1 + 1e-4 / 6))).toBeLessThan(1e-9);
    expect(centralDifference((t) => (t > 1 ? null : [t]), 1, 1e-3)).toBeNull();
  });

  it("richardson removes the listed powers exactly: D(t) = 2 + 3 t^1/2 + 5 t + 7 t^3/2 gives 2 to rounding", () => {
    const D = (t: number) => [2 + 3 * Math.sqrt(t) + 5 * t + 7 * t ** 1.5];
    const levels = [0, 1, 2, 3, 4].map((k) => D(1e-2 / 4 ** k));
    const r = richardson(levels, 4, [0.5, 1, 1.5]);
    expect(Math.abs(r.value[0] - 2)).toBeLessThan(1e-13);
    expect(r.error).toBeLessThan(1e-13);
    // one exponent short, the t^3/2 term survives: 1.4e-5 off
    const short = richardson(levels, 4, [0.5, 1]);
    expect(Math.abs(short.value[0] - 2)).toBeGreaterThan(1e-8);
    expect(() => richardson(levels.slice(0, 2), 4, [0.5, 1])).toThrow(RangeError);
  });

  it("richardsonJacobian: fourth-order convergence and an error estimate that bounds the error", () => {
    const f = (x: Float64Array) => [Math.exp(x[0]) * Math.sin(x[1]), x[0] * Math.cos(x[1])];
    const x = [0.3, 0.7];
    const exact = [[Math.exp(0.3) * Math.sin(0.7), Math.exp(0.3) * Math.cos(0.7)], [Math.cos(0.7), -0.3 * Math.sin(0.7)]];
    const err = (step: number) => {
      const r = richardsonJacobian(f, x, step);
      expect(r.evaluations).toBe(12);
      const e = Math.max(...r.J.flatMap((row, i) => row.map((v, j) => Math.abs(v - exact[i][j]))));
      expect(e).toBeLessThanOrEqual(r.errorEstimate);
      return e;
    };
    const e1 = err(0.08), e2 = err(0.04);
    // O(h^4): halving the step divides the error by ~16 (a second-order formula would give 4)
    expect(e1 / e2).toBeGreaterThan(12);
    expect(e1 / e2).toBeLessThan(20);
  });
});

/** Order of convergence from three successive errors: log(e2/e1) / log(e1/e0). */
const order = (e0: number, e1: number, e2: number) => Math.log(e2 / e1) / Math.log(e1 / e0);

describe("newton", () => {
  it("scalar: Wallis's cubic x^3 - 2x - 5 to its Cardano root, with quadratic convergence", () => {
    const s = Math.sqrt(25 / 4 - 8 / 27);
    const root = Math.cbrt(5 / 2 + s) + Math.cbrt(5 / 2 - s);
    const xs: number[] = [];
    const r = newton((x) => [x[0] ** 3 - 2 * x[0] - 5], [3], {
      jacobian: (x) => [[3 * x[0] ** 2 - 2]],
      // f's rounding near the root: x^3 = 9.19 carries ulps of 1.8e-15
      tolerance: 4e-15,
      stop: (st) => (xs.push(st.x[0]), false),
    });
    expect(r.converged).toBe(true);
    // f'(root) = 11.2: |x - root| <= ulp-level residual / 11
    expect(Math.abs(r.value[0] - root)).toBeLessThan(4.5e-16 * 2);
    const e = xs.map((x) => Math.abs(x - root)).filter((v) => v > 1e-13);
    // the last three errors above the rounding: order 2 (a secant-like order 1.6 or linear 1 fails)
    const p = order(e[e.length - 3], e[e.length - 2], e[e.length - 1]);
    expect(p).toBeGreaterThan(1.85);
    expect(p).toBeLessThan(2.2);
  });

  it("system: circle x^2 + y^2 = 4 meets xy = 1 at ((sqrt 6 + sqrt 2)/2, (sqrt 6 - sqrt 2)/2)", () => {
    const r = newton((u) => [u[0] ** 2 + u[1] ** 2 - 4, u[0] * u[1] - 1], [2, 0.3], { jacobian: (u) => [[2 * u[0], 2 * u[1]], [u[1], u[0]]], tolerance: 1e-15 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(8);
    expect(Math.abs(r.value[0] - (Math.sqrt(6) + Math.sqrt(2)) / 2)).toBeLessThan(1e-15 * 4);
    expect(Math.abs(r.value[1] - (Math.sqrt(6) - Math.sqrt(2)) / 2)).toBeLessThan(1e-15 * 4);
  });

  it("triple root x^3: Newton is linear with x_k = (2/3)^k exactly; looseTolerance accepts a stalled iterate", () => {
    const xs: number[] = [];
    const run = (looseTolerance?: number) => newton((x) => [x[0] ** 3], [1], { jacobian: (x) => [[3 * x[0] ** 2]], tolerance: 1e-60, maxIterations: 10, looseTolerance, stop: (s) => (xs.push(s.x[0]), false) });
    const strict = run();
    expect(strict.converged).toBe(false);
    expect(strict.iterations).toBe(10);
    expect(strict.message).toMatch(/maxIterations = 10/);
    xs.forEach((x, k) => expect(Math.abs(x - (2 / 3) ** (k + 1))).toBeLessThan(1e-15));
    // F = (2/3)^30 = 5.2e-6 after 10 steps
    expect(run(1e-5).converged).toBe(true);
    expect(run(1e-6).converged).toBe(false);
  });

  it("damping: backtracking brings atan(x) = 0 home from x0 = 3, where full steps diverge", () => {
    const f = (x: Float64Array) => [Math.atan(x[0])];
    const jacobian = (x: Float64Array) => [[1 / (1 + x[0] ** 2)]];
    const damped = newton(f, [3], { jacobian, tolerance: 1e-15 });
    expect(damped.converged).toBe(true);
    expect(Math.abs(damped.value[0])).toBeLessThan(1e-15);
    const full = newton(f, [3], { jacobian, tolerance: 1e-15, damping: "none" });
    expect(full.converged).toBe(false);
  });

  it("domain: log x = 1 from x0 = 10 (the full step lands at x < 0) converges to e with either damping", () => {
    const f = (x: Float64Array) => [Math.log(x[0]) - 1];
    const o = { jacobian: (x: Float64Array) => [[1 / x[0]]], valid: (x: Float64Array) => x[0] > 0, tolerance: 1e-16 };
    for (const damping of ["backtracking", "domain"] as const) {
      const r = newton(f, [10], { ...o, damping });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value[0] - Math.E)).toBeLessThan(1e-15 * 3);
    }
    // full steps leave the domain: reported, not converged
    const none = newton(f, [10], { ...o, damping: "none" });
    expect(none.converged).toBe(false);
    expect(none.message).toMatch(/left the domain/);
  });

  it("failures are reported: start outside the domain, singular Jacobian, a rejected correction, no Jacobian", () => {
    const out = newton((x) => [x[0]], [-1], { jacobian: () => [[1]], valid: (x) => x[0] > 0 });
    expect(out).toMatchObject({ converged: false, iterations: 0 });
    expect(out.residual).toBeNaN();
    const singular = newton((x) => [x[0] ** 2 - 1], [0], { jacobian: (x) => [[2 * x[0]]] });
    expect(singular.converged).toBe(false);
    expect(singular.message).toMatch(/singular/);
    const far = newton((x) => [x[0] - 5], [0], { jacobian: () => [[1]], stepLength: (_x, d) => (Math.abs(d[0]) > 1 ? null : 1) });
    expect(far.converged).toBe(false);
    expect(far.message).toMatch(/too long/);
    expect(() => newton((x) => x, [1], {})).toThrow(TypeError);
  });
});

/** The real root of Wallis's cubic x^3 - 2x - 5 (Cardano). */
const wallis = (() => {
  const s = Math.sqrt(25 / 4 - 8 / 27);
  return Math.cbrt(5 / 2 + s) + Math.cbrt(5 / 2 - s);
})();
const cubic = (x: number) => x ** 3 - 2 * x - 5;

describe("bracketing root finders", () => {
  it("bisect: sqrt 2 as the threshold of x^2 > 2, one halving per call (40 for 2^-40), relative and absolute widths", () => {
    const r = bisect((x) => x * x > 2, 1, 2, { tolerance: 2 ** -40 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(40);
    expect(r.evaluations).toBe(40);
    expect(r.bracket[0]).toBeLessThan(Math.SQRT2);
    expect(r.bracket[1]).toBeGreaterThanOrEqual(Math.SQRT2);
    expect(r.residual).toBe(2 ** -40);
    expect(Math.abs(r.value - Math.SQRT2)).toBeLessThanOrEqual(2 ** -41);
    // to adjacent doubles: the bracket's ends are the doubles around sqrt 2
    const tight = bisect((x) => x * x > 2, 1, 2);
    expect(tight.converged).toBe(true);
    expect(tight.bracket[1]).toBe(Math.SQRT2);
    expect(tight.bracket[1] - tight.bracket[0]).toBe(2 ** -52);
    const rel = bisect((x) => x > 1e6 * Math.PI, 1e6, 1e7, { relativeTolerance: 1e-10 });
    expect(rel.residual).toBeLessThanOrEqual(1e-10 * rel.bracket[1]);
    expect(Math.abs(rel.value - 1e6 * Math.PI)).toBeLessThanOrEqual(rel.residual);
  });

  it("bisect and findThreshold report what they could not do", () => {
    expect(bisect(() => true, 2, 1).converged).toBe(false);
    const short = bisect((x) => x > 0.3, 0, 1, { maxIterations: 5 });
    expect(short).toMatchObject({ converged: false, iterations: 5 });
    expect(short.message).toMatch(/maxIterations = 5/);
    const never = findThreshold(() => false, 1, { tolerance: 1e-6 });
    expect(never.converged).toBe(false);
    expect(never.message).toMatch(/highest/);
    const always = findThreshold(() => true, 1, { tolerance: 1e-6 });
    expect(always.converged).toBe(false);
    expect(always.message).toMatch(/lowest/);
  });

  it("findThreshold brackets by doubling or halving from the start, then bisects", () => {
    const calls: number[] = [];
    const up = findThreshold((x) => (calls.push(x), x > Math.PI), 1, { tolerance: 1e-9 });
    expect(calls.slice(0, 3)).toEqual([1, 2, 4]);
    expect(up.converged).toBe(true);
    expect(Math.abs(up.value - Math.PI)).toBeLessThanOrEqual(0.5e-9);
    // 3 bracketing calls, then ceil(log2(2 / 1e-9)) = 31 bisections
    expect(up.evaluations).toBe(34);
    const down = findThreshold((x) => x > 0.01, 1, { tolerance: 1e-12 });
    expect(down.bracket[0]).toBeLessThan(0.01);
    expect(down.bracket[1]).toBeGreaterThanOrEqual(0.01);
  });

  it("brent: the Cardano root of x^3 - 2x - 5 in a handful of evaluations, superlinearly", () => {
    const xs: number[] = [];
    const r = brent((x) => (xs.push(x), cubic(x)), 2, 3, { tolerance: 1e-15 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value - wallis)).toBeLessThan(2e-15);
    expect(r.residual).toBe(Math.abs(cubic(r.value)));
    expect(r.bracket[0]).toBeLessThanOrEqual(wallis + 1e-15);
    expect(r.bracket[1]).toBeGreaterThanOrEqual(wallis - 1e-15);
    // bisection needs 50 halvings for 1e-15 on [2, 3]
    expect(xs.length).toBeLessThan(12);
    const e = xs.slice(2).map((x) => Math.abs(x - wallis)).filter((v) => v > 1e-14);
    // interpolation steps: order 1.6-1.8 (secant / inverse quadratic); bisection would be 1
    expect(order(e[e.length - 3], e[e.length - 2], e[e.length - 1])).toBeGreaterThan(1.4);
  });

  it("brent: a jump is located by the bisection safeguard; invalid brackets, exact ends and exhausted iterations reported", () => {
    const jump = brent((x) => (x < 0.3 ? -1 : 1), 0, 1, { tolerance: 1e-12 });
    expect(jump.converged).toBe(true);
    expect(Math.abs(jump.value - 0.3)).toBeLessThan(2e-12);
    const bad = brent(cubic, 3, 4);
    expect(bad.converged).toBe(false);
    expect(bad.value).toBeNaN();
    expect(bad.message).toMatch(/same sign/);
    expect(brent(cubic, 2, 3, { fa: 0 })).toMatchObject({ value: 2, converged: true, iterations: 0 });
    const few = brent(cubic, 2, 3, { maxIterations: 2 });
    expect(few).toMatchObject({ converged: false, iterations: 2 });
  });

  it("regulaFalsi (Illinois): the same root superlinearly, the answer the last point evaluated", () => {
    const xs: number[] = [];
    const r = regulaFalsi((x) => (xs.push(x), cubic(x)), 2, 3, { residualTolerance: 1e-13 });
    expect(r.converged).toBe(true);
    expect(r.value).toBe(xs[xs.length - 1]);
    expect(r.residual).toBeLessThan(1e-13);
    expect(Math.abs(r.value - wallis)).toBeLessThan(1e-14);
    // plain regula falsi keeps the end x = 3 and converges linearly (about 30 steps here); Illinois in ~10
    expect(xs.length).toBeLessThan(13);
    const bad = regulaFalsi(cubic, 3, 4);
    expect(bad.converged).toBe(false);
    expect(bad.message).toMatch(/same sign/);
    expect(regulaFalsi(cubic, 3, 2).message).toMatch(/below/);
    expect(regulaFalsi(cubic, 2, 3, { maxIterations: 3 })).toMatchObject({ converged: false, iterations: 3 });
  });
});

describe("Gauss-Legendre quadrature", () => {
  it("closed-form nodes and weights for n = 2, 3 (on [0, 1]); symmetric nodes and unit weight sum for n = 24", () => {
    const r2 = gaussLegendre(2);
    expect(Math.abs(r2.nodes[0] - (1 - 1 / Math.sqrt(3)) / 2)).toBeLessThan(1e-16);
    expect(Math.abs(r2.nodes[1] - (1 + 1 / Math.sqrt(3)) / 2)).toBeLessThan(2e-16);
    // within 2 ulps of 0.5 (1.1e-16 each)
    r2.weights.forEach((w) => expect(Math.abs(w - 0.5)).toBeLessThan(2.5e-16));
    const r3 = gaussLegendre(3);
    const c = Math.sqrt(3 / 5) / 2;
    [0.5 - c, 0.5, 0.5 + c].forEach((x, i) => expect(Math.abs(r3.nodes[i] - x)).toBeLessThan(2e-16));
    [5 / 18, 8 / 18, 5 / 18].forEach((w, i) => expect(Math.abs(r3.weights[i] - w)).toBeLessThan(2e-16));
    const r = gaussLegendre(24);
    expect(Math.abs(r.weights.reduce((s, w) => s + w, 0) - 1)).toBeLessThan(4e-16);
    for (let i = 0; i < 24; i++) expect(Math.abs(r.nodes[i] + r.nodes[23 - i] - 1)).toBeLessThan(2e-16);
    expect(gaussLegendre(24)).toBe(r); // computed once
    expect(() => gaussLegendre(0)).toThrow(RangeError);
  });

  it("exact for x^k up to k = 2n - 1; at k = 2n the error is the closed form (n!)^4 / ((2n + 1) ((2n)!)^2)", () => {
    const fact = (m: number): number => (m <= 1 ? 1 : m * fact(m - 1));
    for (const n of [3, 8, 16]) {
      const rule = gaussLegendre(n);
      for (let k = 0; k <= 2 * n - 1; k++) expect(Math.abs(integrate((x) => x ** k, 0, 1, rule) - 1 / (k + 1))).toBeLessThan(1e-15);
      const err = 1 / (2 * n + 1) - integrate((x) => x ** (2 * n), 0, 1, rule);
      const want = fact(n) ** 4 / ((2 * n + 1) * fact(2 * n) ** 2);
      // (want: 6.3e-5 at n = 3, 4.8e-11 at n = 8; at n = 16 it is 3.6e-21, below rounding)
      if (n < 16) expect(Math.abs(err / want - 1)).toBeLessThan(1e-4);
    }
  });

  it("analytic integrands to rounding with 24 points: e^x, sin on [0, pi], 1/(1 + x^2), a Gaussian on [-3, 2]", () => {
    const rule = gaussLegendre(24);
    expect(Math.abs(integrate(Math.exp, 0, 1, rule) - (Math.E - 1))).toBeLessThan(1e-15);
    expect(Math.abs(integrate(Math.sin, 0, Math.PI, rule) - 2)).toBeLessThan(1e-15);
    expect(Math.abs(integrate((x) => 1 / (1 + x * x), 0, 1, rule) - Math.PI / 4)).toBeLessThan(1e-15);
    // integral of exp(-x^2/2) / sqrt(2 pi) over [-3, 2] = Phi(2) - Phi(-3) (values from the erf series to 20 digits)
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    expect(Math.abs(integrate(phi, -3, 2, rule) - (0.97724986805182079 - 0.0013498980316300946))).toBeLessThan(1e-15);
    // the 24/16-point pair: value and a difference that is itself at rounding level for e^x
    const pair = gaussLegendreIntegral(Math.exp, 0, 1);
    expect(Math.abs(pair.value - (Math.E - 1))).toBeLessThan(1e-15);
    expect(pair.error).toBeLessThan(1e-15);
    // a kink (|x - 1/3|) converges slowly: the pair's difference exposes it
    const kink = gaussLegendreIntegral((x) => Math.abs(x - 1 / 3), 0, 1);
    expect(kink.error).toBeGreaterThan(1e-5);
    expect(Math.abs(kink.value - 5 / 18)).toBeLessThan(kink.error);
  });
});

describe("Dormand-Prince 5(4)", () => {
  const decay = (_t: number, y: Float64Array, dy: Float64Array) => {
    dy[0] = -y[0];
  };

  it("y' = -y and the harmonic oscillator to their closed forms, landing on every requested time", () => {
    const times = [0, 0.5, 1, 2, 5];
    const r = dormandPrince(decay, Float64Array.of(1), times, { rtol: 1e-10, atol: 1e-14, maxSteps: 1e5 });
    expect(r.status).toBe("completed");
    expect(r.t).toEqual(times);
    // global error ~ a few times rtol
    r.y.forEach((y, i) => expect(Math.abs(y[0] / Math.exp(-times[i]) - 1)).toBeLessThan(2e-9));
    // FSAL: one evaluation to start, then 6 per step (accepted or rejected)
    expect(r.stats.rhsEvaluations).toBe(1 + 6 * r.stats.steps);
    const osc = dormandPrince((_t, y, dy) => {
      dy[0] = y[1];
      dy[1] = -y[0];
    }, Float64Array.of(1, 0), [0, 2 * Math.PI], { rtol: 1e-11, atol: 1e-13, maxSteps: 1e5 });
    expect(Math.abs(osc.y[1][0] - 1)).toBeLessThan(1e-9);
    expect(Math.abs(osc.y[1][1])).toBeLessThan(1e-9);
  });

  it("one step has local error O(h^6): halving h divides it by ~64 (a wrong tableau entry drops the order)", () => {
    // a single accepted step from 0 to h (loose tolerance, h0 = h) of y' = y cos t, y = exp(sin t)
    const f = (t: number, y: Float64Array, dy: Float64Array) => {
      dy[0] = y[0] * Math.cos(t);
    };
    const err = (h: number) => {
      const r = dormandPrince(f, Float64Array.of(1), [0, h], { rtol: 1, atol: 1, maxSteps: 1, h0: h });
      expect(r.stats.steps).toBe(1);
      return Math.abs(r.y[1][0] - Math.exp(Math.sin(h)));
    };
    const ratio = err(0.2) / err(0.1);
    expect(ratio).toBeGreaterThan(45);
    expect(ratio).toBeLessThan(90);
  });

  it("stops: the caller's stop test, max-steps, step-too-small", () => {
    const half = dormandPrince(decay, Float64Array.of(1), [0, 10], { rtol: 1e-8, atol: 1e-12, maxSteps: 1e5 }, (_t, y) => (y[0] < 0.5 ? { status: "half", message: "y below 1/2" } : null));
    expect(half.status).toBe("half");
    // stopped at the first accepted step past ln 2
    expect(half.stats.tReached).toBeGreaterThan(Math.LN2);
    expect(half.stats.tReached).toBeLessThan(Math.LN2 + 1);
    expect(half.y[half.y.length - 1][0]).toBeLessThan(0.5);
    expect(dormandPrince(decay, Float64Array.of(1), [0, 100], { rtol: 1e-12, atol: 1e-14, maxSteps: 3 }).status).toBe("max-steps");
    // y' = 1 / (1 - t) blows up at t = 1
    const blow = dormandPrince((t, _y, dy) => {
      dy[0] = 1 / (1 - t);
    }, Float64Array.of(0), [0, 2], { rtol: 1e-10, atol: 1e-12, maxSteps: 1e6 });
    expect(blow.status).toBe("step-too-small");
    expect(blow.stats.tReached).toBeLessThan(1);
  });
});

describe("brentMinimize", () => {
  it("a parabola's minimum in one interpolation step; cos on [2, 4.5] to pi, faster than golden section", () => {
    // (x - 2)^2 without a constant: f keeps its relative precision near the minimum, so x can be
    // located to the tolerance (with + 1, rounding of f limits x to ~sqrt(eps) = 1.5e-8)
    const par = brentMinimize((x) => (x - 2) ** 2, 0, 5, 1, { tolerance: 1e-10 });
    expect(par.converged).toBe(true);
    expect(Math.abs(par.value - 2)).toBeLessThan(4e-10);
    expect(par.minimum).toBe((par.value - 2) ** 2);
    expect(par.iterations).toBeLessThan(10);
    const xs: number[] = [];
    const r = brentMinimize((x) => (xs.push(x), Math.cos(x)), 2, 4.5, 2.5, { tolerance: 1e-7 });
    expect(r.converged).toBe(true);
    // the bracket is at most 4 tol wide at the end, and it holds the minimiser
    expect(r.bracket[1] - r.bracket[0]).toBeLessThanOrEqual(4e-7 + 1e-15);
    expect(Math.abs(r.value - Math.PI)).toBeLessThan(4e-7);
    expect(r.minimum).toBeLessThan(-1 + 1e-13);
    // golden section alone needs log(2.5 / 4e-7) / log(1.618) = 33 evaluations
    expect(xs.length).toBeLessThan(16);
  });

  it("a minimum at the bracket's end, invalid brackets and exhausted iterations are reported", () => {
    const end = brentMinimize((x) => x, 0, 1, 0.5, { tolerance: 1e-9 });
    expect(end.converged).toBe(true);
    expect(end.value).toBeGreaterThanOrEqual(0);
    expect(end.value).toBeLessThan(4e-9);
    expect(brentMinimize(Math.cos, 3, 2, 2.5).converged).toBe(false);
    expect(brentMinimize(Math.cos, 2, 3, 3.5).value).toBeNaN();
    expect(brentMinimize(Math.cos, 2, 4.5, 2.5, { tolerance: 1e-12, maxIterations: 3 })).toMatchObject({ converged: false, iterations: 3 });
  });
});

describe("newton: the caller's step acceptance and stall rule", () => {
  it("accept() sees each halved trial point; stalled() decides when none is taken", () => {
    const lambdas: number[] = [];
    const opts = { jacobian: () => [[1]], maxTrials: 3, accept: (c: { lambda: number }) => (lambdas.push(c.lambda), false) };
    const r = newton((x) => [x[0] - 1], [0], { ...opts, stalled: (s) => s.lambda === 0.125 });
    expect(lambdas).toEqual([1, 0.5, 0.25]);
    // no step was taken: the start is returned, and the one correction computed is counted
    expect(r).toMatchObject({ converged: true, iterations: 1 });
    expect(r.value[0]).toBe(0);
    expect(newton((x) => [x[0] - 1], [0], { ...opts, stalled: () => false }).converged).toBe(false);
  });
});
