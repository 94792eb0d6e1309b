// Host-side seeded normals (data sets of trainSingleLayer, sampledGradientCheck): engine-independent
// arithmetic (fdlibm's log, Marsaglia's polar method) with the right distribution.
import { describe, expect, it } from "vitest";
import { fdlibmLog } from "../src/core/fdlibmLog";
import { seededNormal } from "../src/core/seededNormal";

const ulpOf = (x: number) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, Math.abs(x));
  b.setBigUint64(0, b.getBigUint64(0) + 1n);
  return b.getFloat64(0) - Math.abs(x);
};

describe("fdlibmLog", () => {
  it("is within 1 ulp of the engine's Math.log on (0, 1), over the whole range and on subnormals", () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
    const xs: number[] = [1, 2, 0.5, Math.E, 1 + 2 ** -30, 1 - 2 ** -30, 5e-324, 2.2e-308, Number.MAX_VALUE];
    for (let i = 0; i < 20000; i++) xs.push(rand(), Math.exp((rand() - 0.5) * 1400), 1 + (rand() - 0.5) * 1e-5);
    for (const x of xs) expect(Math.abs(fdlibmLog(x) - Math.log(x))).toBeLessThanOrEqual(ulpOf(Math.log(x)) * 1.0000001);
    expect(fdlibmLog(0)).toBe(-Infinity);
    expect(fdlibmLog(-1)).toBeNaN();
  });
});

describe("seededNormal", () => {
  it("mean, variance, third and fourth moments of 2e5 draws within 5 standard errors; seeds reproduce", () => {
    const n = 200_000, g = seededNormal(7);
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = g();
      m1 += z; m2 += z * z; m3 += z ** 3; m4 += z ** 4;
    }
    // SEs of the sample moments of N(0,1): sqrt(Var z^k / n) with Var z = 1, Var z^2 = 2, Var z^3 = 15, Var z^4 = 96
    expect(Math.abs(m1 / n)).toBeLessThan(5 * Math.sqrt(1 / n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / n)).toBeLessThan(5 * Math.sqrt(15 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    const a = seededNormal(3), b = seededNormal(3);
    for (let i = 0; i < 100; i++) expect(a()).toBe(b());
  });
});
