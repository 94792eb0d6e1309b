// optimalLearningRate (docs/theory.md section 6) against an exact line search of L(theta - a grad L) and the
// naive triple sum; trainSingleLayer against plain gradient descent written out here.
import { describe, expect, it } from "vitest";
import { makeNormal } from "./reference/gaussian";
import { optimalLearningRate, trainSingleLayer } from "./helpers";

type Act = "relu" | "leakyRelu" | "identity";
interface Batch { W: number[][]; b: number[]; X: number[][]; Y: number[][]; activation: Act; slope?: number }

const s = (act: Act, slope: number) => (z: number) => (act === "identity" ? z : z > 0 ? z : act === "relu" ? 0 : slope * z);
const ds = (act: Act, slope: number) => (z: number) => (act === "identity" ? 1 : z > 0 ? 1 : act === "relu" ? 0 : slope);

function preact(W: number[][], b: number[], x: number[]): number[] {
  return W.map((w, k) => b[k] + w.reduce((t, v, l) => t + v * x[l], 0));
}
function loss(p: Batch, W: number[][], b: number[]): number {
  const f = s(p.activation, p.slope ?? 0.01);
  let L = 0;
  p.X.forEach((x, i) => preact(W, b, x).forEach((z, k) => (L += (f(z) - p.Y[i][k]) ** 2)));
  return L / (2 * p.X.length);
}
/** Backpropagation written out: grad W = (1/M) sum_i (s'(z_i) * e_i) x_i^T, grad b likewise. */
function grad(p: Batch): { gW: number[][]; gb: number[] } {
  const f = s(p.activation, p.slope ?? 0.01), d = ds(p.activation, p.slope ?? 0.01), M = p.X.length;
  const gW = p.W.map((r) => r.map(() => 0)), gb = p.b.map(() => 0);
  p.X.forEach((x, i) =>
    preact(p.W, p.b, x).forEach((z, k) => {
      const v = (d(z) * (f(z) - p.Y[i][k])) / M;
      gb[k] += v;
      x.forEach((xl, l) => (gW[k][l] += v * xl));
    }),
  );
  return { gW, gb };
}
const along = (p: Batch, g: ReturnType<typeof grad>, a: number) => loss(p, p.W.map((r, k) => r.map((w, l) => w - a * g.gW[k][l])), p.b.map((v, k) => v - a * g.gb[k]));

/**
 * Exact line search on [lo, hi] of the piecewise-quadratic L(a): the kinks are where a
 * pre-activation z_ik(a) (linear in a, read off two forward passes) crosses 0; between kinks L is
 * a quadratic, fitted through three interior points and minimised in closed form.
 */
function lineSearch(p: Batch, lo: number, hi: number): { a: number; L: number; kinks: number[] } {
  const g = grad(p);
  const W1 = p.W.map((r, k) => r.map((w, l) => w - g.gW[k][l])), b1 = p.b.map((v, k) => v - g.gb[k]);
  const kinks: number[] = [];
  if (p.activation !== "identity")
    p.X.forEach((x) => {
      const z0 = preact(p.W, p.b, x), z1 = preact(W1, b1, x);
      z0.forEach((z, k) => {
        const u = z - z1[k];
        if (u !== 0 && z / u > 0) kinks.push(z / u);
      });
    });
  kinks.sort((a, b) => a - b);
  const edges = [lo, ...kinks.filter((a) => a > lo && a < hi), hi];
  let best = { a: lo, L: along(p, g, lo) };
  for (let s = 0; s + 1 < edges.length; s++) {
    const [l, r] = [edges[s], edges[s + 1]];
    const [t0, t1, t2] = [l + 0.25 * (r - l), l + 0.5 * (r - l), l + 0.75 * (r - l)];
    const [f0, f1, f2] = [along(p, g, t0), along(p, g, t1), along(p, g, t2)];
    const h = 0.25 * (r - l);
    const c2 = (f0 - 2 * f1 + f2) / (h * h), c1 = (f2 - f0) / (2 * h);
    const cand = [l, r];
    if (c2 > 0) cand.push(Math.min(r, Math.max(l, t1 - c1 / c2)));
    for (const a of cand) {
      const L = along(p, g, a);
      if (L < best.L) best = { a, L };
    }
  }
  return { ...best, kinks };
}

function randomBatch(seed: number, activation: Act, M: number, n0: number, n1: number, slope?: number): Batch {
  const r = makeNormal(seed);
  const W = Array.from({ length: n1 }, () => Array.from({ length: n0 }, () => r()));
  const Ws = Array.from({ length: n1 }, () => Array.from({ length: n0 }, () => r()));
  const b = Array.from({ length: n1 }, () => 0.3 * r());
  const X = Array.from({ length: M }, () => Array.from({ length: n0 }, () => r()));
  const f = s(activation, slope ?? 0.01);
  const Y = X.map((x) => preact(Ws, b, x).map((z) => f(z) + 0.1 * r()));
  return { W, b, X, Y, activation, ...(slope !== undefined ? { slope } : {}) };
}

describe("optimalLearningRate", () => {
  it("Gram and gradient routes equal the naive triple sum of docs/theory.md section 6 (small M)", () => {
    for (const [act, slope] of [["relu", undefined], ["leakyRelu", 0.2], ["leakyRelu", -0.5], ["identity", undefined]] as [Act, number | undefined][]) {
      for (let seed = 1; seed <= 6; seed++) {
        const p = randomBatch(seed, act, 2 + seed, 3, 2, slope);
        const f = s(act, slope ?? 0.01), d = ds(act, slope ?? 0.01), M = p.X.length;
        const zs = p.X.map((x) => preact(p.W, p.b, x));
        const e = zs.map((z, i) => z.map((zk, k) => f(zk) - p.Y[i][k]));
        const D = zs.map((z) => z.map(d));
        const G = p.X.map((xi) => p.X.map((xj) => 1 + xi.reduce((t, v, l) => t + v * xj[l], 0)));
        let num = 0, den = 0;
        for (let i = 0; i < M; i++)
          for (let j = 0; j < M; j++) {
            for (let k = 0; k < 2; k++) num += G[i][j] * D[i][k] * D[j][k] * e[j][k] * e[i][k];
            for (let l = 0; l < M; l++) for (let k = 0; k < 2; k++) den += G[i][j] * G[i][l] * D[i][k] * D[j][k] * e[j][k] * D[i][k] * D[l][k] * e[l][k];
          }
        num /= M * M;
        den /= M * M * M;
        for (const method of ["gram", "gradient"] as const) {
          const r = optimalLearningRate({ ...p, method });
          expect(r.method).toBe(method);
          // same sums in another order: rounding only, ~1e-15 relative per term
          expect(Math.abs(r.numerator - num)).toBeLessThan(1e-12 * Math.abs(num));
          expect(Math.abs(r.denominator - den)).toBeLessThan(1e-12 * Math.abs(den));
          expect(Math.abs(r.loss - loss(p, p.W, p.b))).toBeLessThan(1e-14 * loss(p, p.W, p.b));
        }
      }
    }
  });

  it("the numerator is |grad L|^2 of backpropagation, itself checked by finite differences", () => {
    const p = randomBatch(11, "leakyRelu", 7, 4, 3, 0.1);
    const g = grad(p);
    // central differences of the piecewise quadratic L: exact up to rounding unless a kink lies within h
    const h = 1e-6;
    const fd = p.W.map((r, k) => r.map((_, l) => {
      const Wp = p.W.map((row) => row.slice()), Wm = p.W.map((row) => row.slice());
      Wp[k][l] += h;
      Wm[k][l] -= h;
      return (loss(p, Wp, p.b) - loss(p, Wm, p.b)) / (2 * h);
    }));
    fd.forEach((r, k) => r.forEach((v, l) => expect(Math.abs(v - g.gW[k][l])).toBeLessThan(1e-8)));
    const norm2 = g.gW.flat().reduce((t, v) => t + v * v, 0) + g.gb.reduce((t, v) => t + v * v, 0);
    expect(Math.abs(optimalLearningRate(p).numerator - norm2)).toBeLessThan(1e-13 * norm2);
  });

  it("equals the exact line search when no kink is crossed ([L]'s claim); reports when one is", () => {
    let exactCases = 0, crossedCases = 0, modelWrong = 0;
    for (const [act, slope] of [["relu", undefined], ["leakyRelu", 0.1], ["identity", undefined]] as [Act, number | undefined][]) {
      for (let seed = 100; seed < 140; seed++) {
        const M = 1 + (seed % 6), n0 = 1 + (seed % 4), n1 = 1 + (seed % 3);
        const p = randomBatch(seed, act, M, n0, n1, slope);
        const r = optimalLearningRate(p);
        if (!r.defined) {
          // only possible when every D_i u_i vanishes: then the loss is flat along -grad L
          const g = grad(p);
          expect(Math.abs(along(p, g, 1) - loss(p, p.W, p.b))).toBeLessThan(1e-12);
          continue;
        }
        const a = r.learningRate!;
        const ls = lineSearch(p, 0, Math.max(4 * a, 1));
        // the kernel's first kink is the line search's own first kink (same ratio z/u, computed apart)
        const first = ls.kinks.length ? ls.kinks[0] : Infinity;
        if (first === Infinity) expect(r.firstKink).toBe(Infinity);
        else expect(Math.abs(r.firstKink - first)).toBeLessThan(1e-9 * first);
        if (r.exact) {
          exactCases++;
          // on [0, first kink] L is the quadratic model: its exact minimiser and minimum are a*, predictedLoss
          const seg = lineSearch(p, 0, Math.min(first, 4 * a + 1));
          expect(Math.abs(seg.a - a)).toBeLessThan(1e-7 * a); // three-point fit in double: ~1e-8 relative
          expect(Math.abs(along(p, grad(p), a) - r.predictedLoss!)).toBeLessThan(1e-12 * Math.max(1, r.loss));
          if (act === "identity") {
            // no kinks at all: a* is the global minimiser along the ray
            expect(Math.abs(ls.a - a)).toBeLessThan(1e-7 * a);
          }
        } else {
          crossedCases++;
          // a kink lies in (0, a*): the quadratic model is no longer L, so L(a*) differs from the prediction
          expect(r.firstKink).toBeLessThan(a);
          expect(ls.L).toBeLessThanOrEqual(along(p, grad(p), a) + 1e-15);
          if (Math.abs(along(p, grad(p), a) - r.predictedLoss!) > 1e-6 * r.loss) modelWrong++;
        }
      }
    }
    expect(exactCases).toBeGreaterThan(20);
    expect(crossedCases).toBeGreaterThan(5);
    // past a kink the prediction fails (61 exact, 54 crossed, 54 of them mispredicted in this sample)
    expect(modelWrong).toBeGreaterThan(crossedCases / 2);
  });

  it("defined: false when every unit is inactive (relu, all pre-activations negative)", () => {
    const r = optimalLearningRate({ W: [[-1, -1]], b: [-5], X: [[0.1, 0.2], [0.3, -0.1]], Y: [[1], [2]], activation: "relu" });
    expect(r.defined).toBe(false);
    expect(r.learningRate).toBeNull();
    expect(r.denominator).toBe(0);
    expect(r.predictedLoss).toBeNull();
  });

  it("auto picks the cheaper route; Float64Array rows accepted", () => {
    expect(optimalLearningRate({ ...randomBatch(3, "relu", 4, 50, 10) }).method).toBe("gram");
    expect(optimalLearningRate({ ...randomBatch(3, "relu", 400, 5, 2) }).method).toBe("gradient");
    const p = randomBatch(5, "identity", 5, 3, 2);
    const typed = optimalLearningRate({ W: p.W.map((r) => Float64Array.from(r)), b: Float64Array.from(p.b), X: p.X.map((r) => Float64Array.from(r)), Y: p.Y.map((r) => Float64Array.from(r)), activation: "identity" });
    expect(typed.learningRate).toBe(optimalLearningRate(p).learningRate);
  });

  it("validates its inputs (shapes, NaN, slope, activation)", () => {
    const ok = { W: [[1, 0]], b: [0], X: [[1, 2]], Y: [[1]] };
    const cases: [unknown, RegExp][] = [
      [{ ...ok, W: undefined }, /W must be an array of rows/],
      [{ ...ok, X: [[1, 2, 3]] }, /X must be 1 x 2; row 0 has 3 entries/],
      [{ ...ok, Y: [[1, 2]] }, /Y must be 1 x 1; row 0 has 2 entries/],
      [{ ...ok, Y: [[1], [2]] }, /Y must have 1 rows/],
      [{ ...ok, b: [0, 1] }, /b must have 1 entries; got 2/],
      [{ ...ok, X: [[1, NaN]] }, /X\[0\]\[1\] must be finite; got NaN/],
      [{ ...ok, activation: "tanh" }, /activation must be one of relu, leakyRelu, identity; got "tanh"/],
      [{ ...ok, activation: "relu", slope: 0.1 }, /slope applies only to activation "leakyRelu"/],
      [{ ...ok, activation: "leakyRelu", slope: Infinity }, /slope must be a finite number; got Infinity/],
      [{ ...ok, method: "fast" }, /method must be one of auto, gram, gradient/],
      [{ ...ok, X: [] }, /X must have at least one row/],
    ];
    for (const [o, msg] of cases) expect(() => optimalLearningRate(o as never)).toThrow(msg);
  });
});

describe("trainSingleLayer", () => {
  it("fixed rate on user data, full batch: the same iterates as gradient descent written out here", () => {
    const p = randomBatch(21, "leakyRelu", 12, 3, 2, 0.1);
    const r = trainSingleLayer({ data: { X: p.X, Y: p.Y }, activation: "leakyRelu", slope: 0.1, learningRate: 0.2, batchSize: 12, steps: 30, W0: p.W, b0: p.b, seed: 3 });
    let q: Batch = { ...p };
    for (let t = 0; t < 30; t++) {
      // batch loss before the step: the same sum (in another order): rounding only
      expect(Math.abs(r.loss[t] - loss(q, q.W, q.b))).toBeLessThan(1e-13 * loss(q, q.W, q.b));
      const g = grad(q);
      q = { ...q, W: q.W.map((row, k) => row.map((w, l) => w - 0.2 * g.gW[k][l])), b: q.b.map((v, k) => v - 0.2 * g.gb[k]) };
    }
    // 30 steps of accumulated rounding from summation order: 1e-12 absolute on O(1) weights
    r.W.flat().forEach((w, i) => expect(Math.abs(w - q.W.flat()[i])).toBeLessThan(1e-12));
    expect(Math.abs(r.testLoss[30] - loss(q, q.W, q.b))).toBeLessThan(1e-12);
    expect(r.status).toBe("completed");
  });

  it("optimal rate, identity activation, full batch: every step is the exact line-search minimiser", () => {
    const p = randomBatch(22, "identity", 10, 4, 2);
    const r = trainSingleLayer({ data: { X: p.X, Y: p.Y }, activation: "identity", batchSize: 10, steps: 8, W0: p.W, b0: p.b });
    let q: Batch = { ...p };
    for (let t = 0; t < 8; t++) {
      const ls = lineSearch(q, 0, 10 * r.learningRates[t] + 1);
      expect(Math.abs(ls.a - r.learningRates[t])).toBeLessThan(1e-6 * ls.a); // quadratic fit of a shrinking loss: 1e-6 relative
      const g = grad(q);
      const a = r.learningRates[t];
      q = { ...q, W: q.W.map((row, k) => row.map((w, l) => w - a * g.gW[k][l])), b: q.b.map((v, k) => v - a * g.gb[k]) };
      expect(r.testLoss[t + 1]).toBeLessThan(r.testLoss[t]);
    }
    expect(r.stats.exactSteps).toBe(8);
  });

  it("teacher mode is seeded; a fixed rate far too large is reported as diverged", () => {
    const a = trainSingleLayer({ seed: 7, steps: 20, n0: 10, n1: 3 });
    const b = trainSingleLayer({ seed: 7, steps: 20, n0: 10, n1: 3 });
    expect(Array.from(a.testLoss)).toEqual(Array.from(b.testLoss));
    expect(a.testLoss[20]).toBeLessThan(a.testLoss[0]);
    const d = trainSingleLayer({ seed: 7, steps: 500, n0: 10, n1: 3, learningRate: 50, activation: "identity" });
    expect(d.status).toBe("diverged");
    expect(d.message).toMatch(/exceeds divergenceBound/);
    expect(Array.from(d.loss).every(Number.isFinite)).toBe(true);
    expect(() => trainSingleLayer({ learningRate: -1 })).toThrow(/learningRate must be a finite number > 0; got -1/);
    expect(() => trainSingleLayer({ data: { X: [[1]], Y: [[1]] }, n0: 3 })).toThrow(/apply only to teacher mode/);
  });
});
