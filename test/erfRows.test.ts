// The row-wise erf kernels of the full right-hand side (assembly/ode/erfRows.ts: shared square roots
// and determinants hoisted, two I4 per f64x2 instruction, asin in SIMD lanes) must give the bits of
// the generic loops over erfI3 / erfI4 (assembly/gauss/erf.ts, checked against quadrature and
// published values elsewhere). Every comparison is Object.is on every number, so one reassociated
// product or one lane of the SIMD asin off by an ulp fails.
import { describe, expect, it } from "vitest";
import { uniform } from "./reference/gaussian";
import { testCore } from "./core";
import { packState } from "../src/online/integrate";

const ACT_ERF = 1;

function gaussian(u: () => number) {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0) / a.length;

/** Overlaps of random weight vectors (a valid covariance); `copies` students equal to teachers exactly. */
function randomSetting(seed: number, K: number, M: number, copies = 0, spread = 1) {
  const g = gaussian(uniform(seed));
  const d = 3 * (K + M);
  const B = Array.from({ length: M }, () => Array.from({ length: d }, () => g()));
  const W = Array.from({ length: K }, (_, i) => (i < copies ? B[i % M].slice() : Array.from({ length: d }, () => spread * g())));
  const Q = W.map((a) => W.map((b) => dot(a, b)));
  const R = W.map((a) => B.map((b) => dot(a, b)));
  const T = B.map((a) => B.map((b) => dot(a, b)));
  const v = Array.from({ length: K }, () => 0.5 + g() * 0.4);
  const vStar = Array.from({ length: M }, () => 1 + 0.3 * g());
  return { K, M, Q, R, T, v, vStar };
}

type Setting = ReturnType<typeof randomSetting>;

function rhsOf(s: Setting, rows: boolean): number[] {
  const e = testCore(), x = e.exports;
  e.loadModel(s, 2);
  e.f64.set(packState(s.Q, s.R), x.ptrU() >> 3);
  x.configureModel(ACT_ERF, 0, 10, 0.7, 0);
  x.erfRowsOn(rows ? 1 : 0);
  x.evaluateRhs();
  const D = x.stateDimension();
  return Array.from(e.f64.slice(x.ptrDu() >> 3, (x.ptrDu() >> 3) + D));
}

const sameBits = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe("asin2 (two lanes of NativeMath.asin)", () => {
  const e = testCore(), x = e.exports;
  const lanes = (a: number, b: number) => {
    expect(x.asinPairAt(a, b)).toBe(1);
    return [e.f64[x.argPtr() >> 3], e.f64[(x.argPtr() >> 3) + 1]];
  };
  const f = new Float64Array(1), bits = new BigUint64Array(f.buffer);
  const fromBits = (b: bigint) => ((bits[0] = b), f[0]);
  const nextUp = (v: number) => ((f[0] = v), (bits[0] += 1n), f[0]);
  const nextDown = (v: number) => ((f[0] = v), (bits[0] -= 1n), f[0]);

  it("equals the scalar asin bit for bit at every branch boundary and in each branch", () => {
    const special = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, nextDown(2.2250738585072014e-308), 2 ** -26, nextDown(2 ** -26), 1e-9, 0.5, nextDown(0.5), nextUp(0.5),
      fromBits(0x3fef333300000000n), nextDown(fromBits(0x3fef333300000000n)), 0.975, 0.99999, nextDown(1), 0.3, 0.7];
    const values = [...special, ...special.map((v) => -v)];
    const u = uniform(7);
    for (let i = 0; i < 4000; i++) {
      const t = u();
      // uniform, near the branch at 0.5, near 1
      values.push((2 * t - 1) * (i % 3 === 0 ? 1 : i % 3 === 1 ? 0.5 + 1e-3 * u() : 1 - 1e-6 * u()));
    }
    let checked = 0;
    for (let i = 0; i < values.length; i++) {
      const a = values[i], b = values[(i * 7 + 3) % values.length]; // every value in lane 0 and, mixed with other branches, in lane 1
      const [ya, yb] = lanes(a, b);
      expect(Object.is(ya, x.asinAt(a)), `asin2 lane 0 at ${a}`).toBe(true);
      expect(Object.is(yb, x.asinAt(b)), `asin2 lane 1 at ${b}`).toBe(true);
      // four lanes (asin2x2), with all-small and mixed quadruples
      const q = [a, values[(i * 13 + 5) % values.length], values[(i * 17 + 1) % values.length], i % 2 ? b : 0.25 * b];
      expect(x.asinQuadAt(q[0], q[1], q[2], q[3])).toBe(1);
      for (let j = 0; j < 4; j++) expect(Object.is(e.f64[(x.argPtr() >> 3) + j], x.asinAt(q[j])), `asin2x2 lane ${j} at ${q[j]}`).toBe(true);
      checked++;
    }
    // a quadruple of small values only (the early return of asin2x2)
    expect(x.asinQuadAt(0.1, -0.2, 0.3, 1e-300)).toBe(1);
    [0.1, -0.2, 0.3, 1e-300].forEach((v, j) => expect(Object.is(e.f64[(x.argPtr() >> 3) + j], x.asinAt(v))).toBe(true));
    expect(checked).toBe(values.length);
  });

  it("declines |x| >= 1 and NaN in either lane (the caller clamps with the scalar code)", () => {
    expect(x.asinPairAt(1, 0.2)).toBe(0);
    expect(x.asinPairAt(0.2, -1)).toBe(0);
    expect(x.asinPairAt(0.2, NaN)).toBe(0);
    expect(x.asinPairAt(1.0000000000000002, 0)).toBe(0);
    expect(x.asinQuadAt(0.1, 0.2, 0.3, -1)).toBe(0);
  });

  it("the scalar asin it copies is the true asin (independent: V8's Math.asin) within 2 ulp", () => {
    const u = uniform(11);
    for (let i = 0; i < 2000; i++) {
      const t = 2 * u() - 1;
      const y = x.asinAt(t), ref = Math.asin(t);
      expect(Math.abs(y - ref)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(ref) + 5e-324);
    }
  });
});

describe("erf right-hand side: row-wise kernels = generic loops, bit for bit", () => {
  const shapes: [number, number][] = [[1, 1], [1, 3], [2, 2], [3, 2], [2, 5], [4, 4], [5, 3], [10, 10], [13, 7]];
  it("random states (random T, v, v*; odd and even NV)", () => {
    let n = 0;
    for (const [K, M] of shapes) {
      for (let seed = 1; seed <= 3; seed++) {
        const s = randomSetting(100 * K + 10 * M + seed, K, M);
        const a = rhsOf(s, true), b = rhsOf(s, false);
        expect(a.every(Number.isFinite)).toBe(true);
        expect(sameBits(a, b), `K = ${K}, M = ${M}, seed ${seed}`).toBe(true);
        n++;
      }
    }
    expect(n).toBe(shapes.length * 3);
  });

  it("students equal to teachers (correlations of exactly +-1: the scalar fallback lanes) and zero overlaps", () => {
    for (const [K, M] of [[2, 2], [4, 4], [6, 3], [10, 10]] as [number, number][]) {
      const s = randomSetting(5 + K, K, M, K);
      expect(sameBits(rhsOf(s, true), rhsOf(s, false)), `copies K = ${K}`).toBe(true);
      const z = { ...s, Q: s.Q.map((r, i) => r.map((_, k) => (i === k ? 0.5 : 0))), R: s.R.map((r) => r.map(() => 0)), T: s.T.map((r, i) => r.map((_, k) => (i === k ? 1 : 0))) };
      expect(sameBits(rhsOf(z, true), rhsOf(z, false)), `zero overlaps K = ${K}`).toBe(true);
    }
  });

  it("a whole Euler and RK4 trajectory (K = M = 6) records the same bits", () => {
    const s = randomSetting(99, 6, 6, 0, 0.3);
    for (const method of [0, 1]) {
      const run = (rows: boolean) => {
        const e = testCore(), x = e.exports;
        const samples = 6;
        e.loadModel(s, samples);
        e.f64.set(packState(s.Q, s.R), x.ptrU() >> 3);
        e.f64.set(Array.from({ length: samples }, (_, i) => 4 * i), x.ptrAlphas() >> 3);
        x.configureModel(ACT_ERF, 0, 10, 0.5, 0);
        x.erfRowsOn(rows ? 1 : 0);
        let code = x.runBegin(method, 0.01, 1e-9, 1e-12, 1e7, samples, 0, 1e6);
        while (code === 6) code = x.runContinue(0);
        const D = x.stateDimension();
        return { code, out: Array.from(e.f64.slice(x.ptrOut() >> 3, (x.ptrOut() >> 3) + x.statRecorded() * (D + 1))) };
      };
      const a = run(true), b = run(false);
      expect(a.code).toBe(b.code);
      expect(a.out.length).toBe(6 * (6 * 7 / 2 + 36 + 1));
      expect(sameBits(a.out, b.out), `method ${method}`).toBe(true);
    }
  });
});
