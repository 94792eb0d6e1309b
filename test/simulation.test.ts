// Finite-d online SGD (THEORY 3): the Gaussian generator, initial conditions, determinism,
// and agreement with the ODE before the plateau escape.
import { describe, expect, it } from "vitest";
import { integrate, simulate } from "./helpers";
import { getEngine } from "../src/core/engine";

describe("Gaussian generator (xoshiro256** + ziggurat)", () => {
  it("moments and tail probabilities of 1e6 draws agree with N(0, 1) within 5 standard errors", () => {
    const x = getEngine().exports;
    const n = 1_000_000;
    x.layout(1, 1, 1);
    x.simLayout(n, 1);
    x.normals(0, 42, n);
    const z = getEngine().f64.subarray(x.ptrSimInput() >> 3, (x.ptrSimInput() >> 3) + n);
    let m1 = 0, m2 = 0, m4 = 0, tail = 0, above1 = 0;
    for (const v of z) { m1 += v; m2 += v * v; m4 += v ** 4; if (Math.abs(v) > 3) tail++; if (v > 1) above1++; }
    m1 /= n; m2 /= n; m4 /= n;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n)); // sd of the mean: 1/sqrt(n)
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // var(z^2) = 2
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n)); // var(z^4) = 105 - 9
    const p3 = 0.0026997960632601866, p1 = 0.15865525393145707;
    expect(Math.abs(tail / n - p3)).toBeLessThan(5 * Math.sqrt(p3 * (1 - p3) / n));
    expect(Math.abs(above1 / n - p1)).toBeLessThan(5 * Math.sqrt(p1 * (1 - p1) / n));
  });
});

describe("simulate()", () => {
  const setting = { T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };
  it("order parameters at alpha = 0 reproduce Q0, R0 to rounding error", () => {
    const r = simulate({ ...setting, d: 500, runs: 3, alphas: [0, 0.01], perRun: true });
    for (const run of r.runs!) {
      const m = run.matched; // runs are reported with students matched to teachers
      run.Q[0].forEach((row, i) => row.forEach((q, k) => expect(Math.abs(q - setting.Q0[m[i]][m[k]])).toBeLessThan(1e-14)));
      run.R[0].forEach((row, i) => row.forEach((v, n) => expect(Math.abs(v - setting.R0[m[i]][n])).toBeLessThan(1e-14)));
    }
  });
  it("the same seed gives the same numbers; another seed does not", () => {
    const a = simulate({ ...setting, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 7 });
    const b = simulate({ ...setting, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 7 });
    const c = simulate({ ...setting, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 8 });
    expect(Array.from(a.eg.mean)).toEqual(Array.from(b.eg.mean));
    expect(a.eg.mean[2]).not.toBe(c.eg.mean[2]);
  });
  it("before the plateau escape the mean of 10 runs at d = 1000 agrees with the ODE within 4 standard errors", () => {
    const alphas = [0, 2, 5, 10, 20];
    const sim = simulate({ ...setting, d: 1000, runs: 10, alphas, seed: 3 });
    const ode = integrate({ ...setting, alphas });
    for (let s = 1; s < alphas.length; s++) {
      const se = sim.eg.std[s] / Math.sqrt(10);
      // finite-d bias is O(1/d); add 2e-3 for it
      expect(Math.abs(sim.eg.mean[s] - ode.eg[s]), `alpha ${alphas[s]}: sim ${sim.eg.mean[s]} +- ${se}, ode ${ode.eg[s]}`).toBeLessThan(4 * se + 2e-3);
    }
  });
  it("divergence at a too large learning rate is a reported status, with no NaN", () => {
    const r = simulate({ activation: "linear", T: [[1]], Q0: [[0.5]], R0: [[0.1]], learningRate: 4, d: 100, runs: 2, alphaMax: 50, samples: 6, perRun: true });
    expect(r.status).toBe("diverged");
    expect(r.stats.divergedRuns).toBe(2);
    for (const run of r.runs!) for (const v of run.eg) expect(Number.isFinite(v)).toBe(true);
  });
  it("rejects d < K + M and non-positive-definite C0", () => {
    expect(() => simulate({ ...setting, d: 3 })).toThrow(/d must be an integer >= 4/);
    expect(() => simulate({ ...setting, R0: [[0.5, 0], [0, 1e-3]] })).toThrow(/positive definite/);
  });
});
