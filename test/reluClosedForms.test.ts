// The closed-form ReLU averages (assembly/gauss/relu.ts: the Stein reduction written out,
// with an asin table per covariance) against the generic recursion they replace and against
// the independent quadrature reference, for every index pattern of I3 and I4 (repeats
// included, docs/theory.md section 2.5), on random, nearly degenerate and degenerate covariances.
import { describe, expect, it } from "vitest";
import { testCore } from "./core";
import { reluAverage, truncatedMoment, type Matrix } from "./reference/gaussian";
import { pick, randomCovariance } from "./helpers";

const engine = testCore();
const x = engine.exports;

/** z = L u: covariance L L^T. */
const gram = (L: number[][]): Matrix => L.map((a) => L.map((b) => a.reduce((s, v, k) => s + v * b[k], 0)));
/** z2 = r z1 + sqrt(1 - r^2) u2 with 1 - |r| = gap (a pair the recursion merges below 1e-12). */
const nearPair = (gap: number, sign = 1): Matrix => {
  const r = sign * (1 - gap);
  return gram([[1, 0, 0, 0], [r, Math.sqrt((1 - Math.abs(r)) * (1 + Math.abs(r))), 0, 0], [0.3, -0.2, 0.9, 0], [0.4, 0.1, 0.3, 0.8]]);
};
/** z4 = 0.6 z1 - 0.3 z2 + 0.5 z3 + eps u4: nearly singular, pairs merge only after conditioning. */
const nearRank3 = (eps: number): Matrix => {
  const L = [[1.1, 0, 0, 0], [0.3, 0.9, 0, 0], [-0.2, 0.4, 0.8, 0]];
  return gram([...L, [0, 1, 2, 3].map((k) => 0.6 * (L[0][k] ?? 0) - 0.3 * (L[1][k] ?? 0) + 0.5 * (L[2][k] ?? 0) + (k === 3 ? eps : 0))]);
};
const withZeroVariance = (A: Matrix, v: number): Matrix => A.map((row, i) => row.map((a, j) => (i === v || j === v ? 0 : a)));
/** Teacher-like block: exact zero covariances, as for distinct teachers of a diagonal T. */
const zeros = (): Matrix => {
  const A = randomCovariance(4, 31);
  A[2][3] = A[3][2] = 0;
  A[0][1] = A[1][0] = 0;
  return A;
};

const families: [string, Matrix][] = [
  ...[1, 2, 3, 4, 5, 6].map((s) => [`random #${s}`, randomCovariance(4, 4000 + s)] as [string, Matrix]),
  ["zero covariances", zeros()],
  ...[1e-2, 1e-5, 1e-8, 1e-11].flatMap((g) => [[`corr 1 - ${g}`, nearPair(g)], [`corr -(1 - ${g})`, nearPair(g, -1)]] as [string, Matrix][]),
  ["corr 1 - 1e-13 (merged)", nearPair(1e-13)],
  ["corr exactly 1", nearPair(0)],
  ["corr exactly -1", nearPair(0, -1)],
  ...[1e-3, 1e-6, 1e-7].map((e) => [`rank 3 + ${e}`, nearRank3(e)] as [string, Matrix]),
  ["rank 3", nearRank3(0)],
  ["zero variance", withZeroVariance(randomCovariance(4, 4100), 2)],
];

const idx4: number[][] = [];
for (let i = 0; i < 256; i++) idx4.push([i & 3, (i >> 2) & 3, (i >> 4) & 3, (i >> 6) & 3]);
const idx3 = idx4.filter((t) => t[3] === 0).map((t) => t.slice(0, 3));

function evaluate(A: Matrix, closed: boolean, table: number): number[] {
  engine.setArgument(A);
  x.reluClosedForms(closed ? 1 : 0);
  const v = [...idx4.map(([a, b, c, e]) => x.reluI4At(a, b, c, e, table)), ...idx3.map(([a, b, c]) => x.reluI3At(a, b, c, table))];
  x.reluClosedForms(1);
  return v;
}

describe("ReLU closed forms vs the generic Stein recursion", () => {
  it.each(families)("%s: all 256 I4 and 64 I3 index patterns", (name, A) => {
    const generic = evaluate(A, false, 0);
    for (const table of [0, 1]) {
      x.reluRecursions();
      const closed = evaluate(A, true, table);
      // the closed forms themselves ran (not only the recursion they defer to on degenerate nodes)
      if (/random|zero cov/.test(name)) expect(x.reluRecursions()).toBe(0);
      if (/exactly/.test(name)) expect(x.reluRecursions()).toBeGreaterThan(0);
      closed.forEach((v, k) => {
        const what = k < 256 ? `I4(${idx4[k]})` : `I3(${idx3[k - 256]})`;
        expect(Number.isFinite(v), what).toBe(true);
        // the same operations in the same order: bit-identical, also where cancellation
        // near degenerate covariances would amplify any reordering
        expect(v, `${what} table ${table}`).toBe(generic[k]);
      });
    }
  });
});

describe("ReLU closed forms vs independent quadrature (test/reference)", () => {
  // distinct variables and powers of I4(a,b,c,e) = E[theta_a theta_b relu_c relu_e] and
  // I3(a,b,c) = E[theta_a z_b relu_c]: relu = z theta, theta^2 = theta
  const reduce = (thetas: number[], zs: number[]): [number[], number[]] => {
    const vars = [...new Set([...thetas, ...zs])];
    return [vars, vars.map((v) => zs.filter((z) => z === v).length)];
  };
  const i4Cases = [[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1], [0, 1, 0, 0], [0, 1, 0, 1], [0, 1, 2, 2], [0, 0, 1, 2], [0, 1, 0, 2], [2, 1, 3, 1], [1, 2, 0, 3]];
  const i3Cases = [[0, 0, 1], [0, 1, 1], [0, 0, 0], [2, 1, 1]];
  it.each([1, 2].map((s) => [s, randomCovariance(4, 4200 + s)] as [number, Matrix]))("random covariance #%i", (_s, A) => {
    engine.setArgument(A);
    for (const t of i4Cases) {
      const [vars, p] = reduce([t[0], t[1]], [t[2], t[3]]);
      expect(Math.abs(x.reluI4At(t[0], t[1], t[2], t[3], 1) - truncatedMoment(pick(A, vars), p)), `I4(${t})`).toBeLessThan(1e-10);
    }
    for (const t of i3Cases) {
      const [vars, p] = reduce([t[0]], [t[1], t[2]]);
      expect(Math.abs(x.reluI3At(t[0], t[1], t[2], 1) - truncatedMoment(pick(A, vars), p)), `I3(${t})`).toBeLessThan(1e-10);
    }
    // z_b without theta
    expect(Math.abs(x.reluI3At(0, 1, 2, 1) - reluAverage(pick(A, [0, 1, 2]), "I3"))).toBeLessThan(1e-10);
    expect(Math.abs(x.reluI3At(2, 1, 2, 1) - A[2][1] / 2)).toBeLessThan(1e-15);
  });
});

describe("right-hand side with and without the closed forms", () => {
  // K = M = 3, non-diagonal T, v != 1; Q (upper triangle) and R from z = L g
  const K = 3, M = 3;
  const state = (nearCopy: boolean): { T: number[]; u: number[] } => {
    const L = [[1.2, 0, 0, 0, 0, 0], [0.1, 0.8, 0, 0, 0, 0], [-0.2, 0.3, 0.9, 0, 0, 0], [0.4, 0.2, 0.1, 1.0, 0, 0], [0.3, -0.4, 0.2, 0.2, 1.1, 0], [-0.1, 0.2, 0.5, 0.3, 0.1, 0.7]];
    // student 0 a near copy of teacher 1 (correlation ~ 1 - 1e-10)
    if (nearCopy) L[0] = L[4].map((v, k) => v + (k === 5 ? 1.5e-5 : 0));
    const C = gram(L);
    const u: number[] = [];
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) u.push(C[i][k]);
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) u.push(C[i][K + n]);
    return { T: [0, 1, 2].flatMap((n) => [0, 1, 2].map((m) => C[K + n][K + m])), u };
  };
  it.each([false, true])("relu K = M = 3, near copy %s: identical du", (nearCopy) => {
    const { T, u } = state(nearCopy);
    x.layout(K, M, 2, 0);
    const f = engine.f64;
    f.set(T, x.ptrT() >> 3);
    f.set([1, 0.7, 1.2], x.ptrV() >> 3);
    f.set([1, 1, 0.5], x.ptrVs() >> 3);
    f.set(u, x.ptrU() >> 3);
    x.configureModel(0, 0, 10, 0.8, 0);
    const D = x.stateDimension();
    const run = (on: number) => {
      x.reluClosedForms(on);
      x.evaluateRhs();
      x.reluClosedForms(1);
      return Array.from(engine.f64.subarray(x.ptrDu() >> 3, (x.ptrDu() >> 3) + D));
    };
    const generic = run(0);
    x.reluRecursions();
    expect(run(1)).toEqual(generic);
    const recursions = x.reluRecursions();
    if (!nearCopy) expect(recursions).toBe(0);
    expect(generic.every(Number.isFinite)).toBe(true);
  });
});
