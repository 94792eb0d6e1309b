// The right-hand side of the exact activations (docs/theory.md section 10.1) computed by rows
// (assembly/ode/polynomialRows.ts, assembly/ode/piecewiseLinearRows.ts: tables per covariance, the
// sums over (c, e) taken inside the averages) against
//  - the right-hand side assembled term by term (test/reference/assembledRhs.ts) from averages of
//    routes the rows do not take: Gaussian moments of monomials by the Isserlis recursion for
//    polynomials, and the ReLU closed forms on sign-flipped covariances for piecewise-linear units
//    (g = relu(x) - a relu(-x), g' = theta(x) + a theta(-x));
//  - the per-average loops of model.ts (the test build's exactRowsOn(0)), on random states with
//    perfectly correlated pairs (a student equal to a teacher, two equal students: the
//    piecewise-linear rows hand such a pair back to the loops).
import { describe, expect, it } from "vitest";
import { uniform } from "./reference/gaussian";
import { assembledRhs, STATE22, STATE32, type AssembledSetting } from "./reference/assembledRhs";
import { monomials, type Name } from "./reference/activations";
import { i3, i4, orderParameterDerivatives, type Activation } from "./helpers";
import { testCore } from "./core";
import { packState } from "../src/online/integrate";
import { ACTIVATION_CODE } from "../src/core/exports";

type Matrix = number[][];
const params = { slope: 0.3, hermiteCoefficients: [0.2, -0.7, 0.4, 0.25] };
// the largest degree a "hermiteCoefficients" unit may have (8), every coefficient non-zero
const DEGREE8 = { slope: 0.3, hermiteCoefficients: [0.3, -0.5, 0.4, 0.25, -0.2, 0.15, 0.1, -0.06, 0.04] };
type Params = typeof params;

/** E[prod_v z_v^{n_v}] by Isserlis' recursion E[z_a m] = sum_j C_aj E[d m / d z_j], memoised per exponent tuple. */
function momentOf(A: Matrix): (n: number[]) => number {
  const memo = new Map<string, number>();
  const rec = (n: number[]): number => {
    const a = n.findIndex((x) => x > 0);
    if (a < 0) return 1;
    const key = n.join(",");
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const rest = n.slice();
    rest[a]--;
    let s = 0;
    rest.forEach((nj, j) => {
      if (nj === 0 || A[a][j] === 0) return;
      const next = rest.slice();
      next[j]--;
      s += A[a][j] * nj * rec(next);
    });
    memo.set(key, s);
    return s;
  };
  return rec;
}

/** E[prod_f P_f(z_f)] over N(0, A), factor f on variable f, P_f by monomial coefficients. */
function polynomialReference(A: Matrix, factors: number[][]): number {
  const moment = momentOf(A);
  let total = 0;
  const expand = (f: number, coeff: number, n: number[]) => {
    if (f === factors.length) { total += coeff * moment(n); return; }
    factors[f].forEach((c, k) => {
      if (c === 0) return;
      const next = n.slice();
      next[f] += k;
      expand(f + 1, coeff * c, next);
    });
  };
  expand(0, 1, new Array(factors.length).fill(0));
  return total;
}

/** a of g = relu(x) - a relu(-x). */
const slopeOf = (act: Activation) => (act === "relu" ? 0 : act === "abs" ? -1 : act === "linear" ? 1 : params.slope); // DEGREE8 has the same slope

/** Sum over sign flips D_s of the ReLU average on D_s A D_s, weight prod_v w_v(s_v); flips only where `flip`. */
function flipped(A: Matrix, weights: [number, number][], average: (B: Matrix) => number): number {
  const n = A.length;
  let total = 0;
  for (let m = 0; m < 1 << n; m++) {
    let w = 1;
    const s = A.map((_, v) => ((m >> v) & 1 ? -1 : 1));
    for (let v = 0; v < n; v++) w *= s[v] > 0 ? weights[v][0] : weights[v][1];
    if (w === 0) continue;
    total += w * average(A.map((r, i) => r.map((x, j) => s[i] * s[j] * x)));
  }
  return total;
}

function referenceAverages(student: Activation, teacher: Activation, p: Params): AssembledSetting["averages"] {
  const side = (t: boolean) => (t ? teacher : student);
  const polynomial = !["relu", "leakyRelu", "abs"].includes(student) && !["relu", "leakyRelu", "abs"].includes(teacher);
  if (polynomial) {
    const mono = (act: Activation, d: 0 | 1) => monomials(act as Name, d, p);
    return {
      i3: (A, tc) => polynomialReference(A, [mono(student, 1), [0, 1], mono(side(tc), 0)]),
      i4: (A, tc, te) => polynomialReference(A, [mono(student, 1), mono(student, 1), mono(side(tc), 0), mono(side(te), 0)]),
    };
  }
  // g' = theta(x) + a theta(-x): weights (1, a); g = relu(x) - a relu(-x): (1, -a); z_b is not flipped
  const a = slopeOf(student);
  const relu = { activation: "relu" as const };
  return {
    i3: (A, tc) => flipped(A, [[1, a], [1, 0], [1, -slopeOf(side(tc))]], (B) => i3(B, relu)),
    i4: (A, tc, te) => flipped(A, [[1, a], [1, a], [1, -slopeOf(side(tc))], [1, -slopeOf(side(te))]], (B) => i4(B, relu)),
  };
}

const maxAbsDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((r, i) => r.map((x, j) => Math.abs(x - b[i][j]))));
const maxAbs = (a: number[][]) => Math.max(...a.flat().map(Math.abs));

const PAIRS: [Activation, Activation][] = [
  ["leakyRelu", "leakyRelu"], ["abs", "abs"], ["leakyRelu", "relu"], ["relu", "abs"], ["abs", "linear"], ["linear", "leakyRelu"],
  ["square", "square"], ["hermite2", "hermite2"], ["hermite3", "hermite3"], ["hermite4", "hermite4"], ["hermiteCoefficients", "hermiteCoefficients"],
  ["hermite2", "hermite3"], ["square", "linear"], ["linear", "hermiteCoefficients"], ["hermiteCoefficients", "hermite4"],
];

describe("right-hand side of the exact activations against the one assembled from reference averages", () => {
  // Both sides exact: measured <= 2.3e-15 relative to the largest entry (largest entries 0.4..1.6e5),
  // 1.1e-14 for the degree-8 polynomial (largest entry 2e6, alternating coefficients); tolerance
  // 1e-12 relative. Leaving out the Gaussian part L of the piecewise-linear error signal, a square
  // node's cross terms or one Stein term of I3 moves entries by 1e-3 and more.
  const cases = [
    ...PAIRS.flatMap(([a, t]) => [[`${a}/${t}, K = M = 2`, a, t, STATE22, params], [`${a}/${t}, K = 3, M = 2`, a, t, STATE32, params]]),
    ["hermiteCoefficients of degree 8, K = M = 2", "hermiteCoefficients", "hermiteCoefficients", STATE22, DEGREE8],
    ["hermiteCoefficients of degree 8 / hermite3, K = 3, M = 2", "hermiteCoefficients", "hermite3", STATE32, DEGREE8],
  ] as [string, Activation, Activation, typeof STATE22, Params][];
  it.each(cases)("%s", (_name, activation, teacherActivation, s, p) => {
    const o = { ...s, ...p, activation, teacherActivation, learningRate: 0.7 };
    const got = orderParameterDerivatives(o);
    const want = assembledRhs({ ...o, averages: referenceAverages(activation, teacherActivation, p) } as AssembledSetting);
    const scale = Math.max(maxAbs(want.dQ), maxAbs(want.dR));
    expect(maxAbsDiff(got.dR, want.dR) / scale, "dR").toBeLessThan(1e-12);
    expect(maxAbsDiff(got.dQ, want.dQ) / scale, "dQ").toBeLessThan(1e-12);
    expect(maxAbs(want.dQ)).toBeGreaterThan(1e-2);
  });
});

/** Overlaps of random weight vectors; student 0 equal to teacher 0 and (K > 2) student 2 equal to student 1 when `copies`. */
function randomSetting(seed: number, K: number, M: number, copies: boolean) {
  const u = uniform(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const d = 3 * (K + M);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0) / d;
  const B = Array.from({ length: M }, () => Array.from({ length: d }, () => g()));
  const W = Array.from({ length: K }, () => Array.from({ length: d }, () => 0.8 * g()));
  if (copies) {
    W[0] = B[0].slice();
    if (K > 2) W[2] = W[1].slice();
  }
  return {
    K, M, T: B.map((a) => B.map((b) => dot(a, b))), Q: W.map((a) => W.map((b) => dot(a, b))), R: W.map((a) => B.map((b) => dot(a, b))),
    v: Array.from({ length: K }, () => 0.5 + 0.4 * g()), vStar: Array.from({ length: M }, () => 1 + 0.3 * g()),
  };
}

function rhsOf(s: ReturnType<typeof randomSetting>, student: Activation, teacher: Activation, rows: boolean, p: Params): number[] {
  const e = testCore(), x = e.exports;
  e.loadModel(s, 2);
  e.f64.set(p.hermiteCoefficients, x.activationCoefficientsPtr() >> 3);
  for (const side of [0, 1]) x.setActivationParameters(side, p.slope, p.hermiteCoefficients.length);
  e.f64.set(packState(s.Q, s.R), x.ptrU() >> 3);
  x.configureModel(ACTIVATION_CODE[student], 0, 10, 0.9, teacher === student ? 0 : ACTIVATION_CODE[teacher] + 1);
  x.exactRowsOn(rows ? 1 : 0);
  x.evaluateRhs();
  return Array.from(e.f64.slice(x.ptrDu() >> 3, (x.ptrDu() >> 3) + x.stateDimension()));
}

describe("rows against the per-average loops of model.ts (random states, perfectly correlated pairs)", () => {
  // The same sums grouped otherwise: measured <= 2.4e-15 (degree 8: 8.1e-15) relative to the largest entry; tolerance 1e-13.
  const shapes: [number, number, boolean][] = [[2, 2, false], [3, 2, true], [4, 3, false], [4, 3, true], [5, 5, false]];
  const cases = [...PAIRS.map(([a, t]) => [`${a}/${t}`, a, t, params]), ["hermiteCoefficients of degree 8", "hermiteCoefficients", "hermiteCoefficients", DEGREE8]] as [string, Activation, Activation, Params][];
  for (const [name, student, teacher, p] of cases) {
    it(name, () => {
      shapes.forEach(([K, M, copies], n) => {
        const s = randomSetting(17 + n, K, M, copies);
        const rows = rhsOf(s, student, teacher, true, p), loops = rhsOf(s, student, teacher, false, p);
        const scale = Math.max(...loops.map(Math.abs));
        const worst = Math.max(...rows.map((r, j) => Math.abs(r - loops[j])));
        expect(worst / scale, `K = ${K}, M = ${M}${copies ? ", copies" : ""}`).toBeLessThan(1e-13);
        expect(rows.every(Number.isFinite)).toBe(true);
      });
    });
  }
});
