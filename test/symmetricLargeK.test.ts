// The site-symmetric ODE at large K: rounding against 40-digit arithmetic up to K = 1e6, the
// convergence of the order parameters as K -> infinity, the Jacobian's trivial block at perfect
// learning against the site-symmetric right-hand side itself, and online SGD at K = M = 20.
import { describe, expect, it } from "vitest";
import { centralJacobian, integrateSymmetric, simulateSync, matrix } from "./helpers";
import fixture from "./fixtures/mpmath/symmetricLargeK.json";
import { SymmetricField } from "../src/symmetric/field";
import { resolveSymmetricSetting } from "../src/symmetric/options";
import { eigenvaluesOf, perfectPointBlocks } from "../src/symmetric/blocks";


describe("rounding at large K", () => {
  it("right-hand side and eps_g equal a 40-digit evaluation (generic enumeration, mpmath) for K = 10, 1e3, 1e6", () => {
    // test/fixtures/mpmath/symmetricLargeK.py: erf, v = v* = 1, eta = 0.5/K, C, R, S of order 1/K.
    // Observed <= 4.3e-14 relative (K = 10, the plateau-like state (0.2, 0.43/K, 0.74/K, 0.74/K),
    // whose rates cancel most), <= 1.7e-15 at K = 1e6; tolerance 1e-12. A class with a wrong count
    // is off by >= 1/K^2 relative: 1e-12 at K = 1e6.
    for (const c of fixture.cases) {
      const f = new SymmetricField(resolveSymmetricSetting({ activation: "erf", K: c.K }));
      const d = f.rhs(c.state, c.eta);
      c.rates.forEach((x, i) => expect(Math.abs(d[i] - Number(x)), `K = ${c.K}, state ${c.state}, rate ${i}`).toBeLessThanOrEqual(1e-12 * Math.abs(Number(x))));
      expect(Math.abs(f.eg(c.state) - Number(c.eg))).toBeLessThanOrEqual(1e-12 * Number(c.eg));
    }
  });
});

describe("K -> infinity", () => {
  // eta = 0.5/K, start (Q, C, R, S) = (0.3, 0.2/K, 0.4/K, 0.1/K), RK4 step 0.01 to alpha = 30:
  // the largest difference over the trajectory between K and 10 K of the scaled order parameters.
  const Ks = [10, 100, 1000, 10000];
  const scaled = (act: "erf" | "relu", K: number) => {
    const r = integrateSymmetric({ activation: act, K, learningRate: 0.5 / K, Q0: 0.3, C0: 0.2 / K, R0: 0.4 / K, S0: 0.1 / K, alphaMax: 30, samples: 31 });
    expect(r.status).toBe("completed");
    return Array.from(r.alpha, (_, s) => ({ Q: r.Q[s], KC: K * r.C[s], KR: K * r.R[s], KS: K * r.S[s], egOverK: r.eg[s] / K }));
  };
  const cache = new Map<string, ReturnType<typeof scaled>[]>();
  const differences = (act: "erf" | "relu", keys: string[]) => {
    if (!cache.has(act)) cache.set(act, Ks.map((K) => scaled(act, K)));
    const runs = cache.get(act)!;
    return runs.slice(1).map((run, i) => Math.max(...run.flatMap((row, s) => keys.map((k) => Math.abs((row as Record<string, number>)[k] - (runs[i][s] as Record<string, number>)[k])))));
  };
  it("erf: Q, K C, K R, K S and eps_g / K converge like 1/K (differences shrink 10-fold per decade of K)", () => {
    // observed differences (to alpha = 50, K up to 1e5) 3.2e-2, 3.2e-3, 3.3e-4, 3.3e-5: ratios 9.6 .. 10.0
    const d = differences("erf", ["Q", "KC", "KR", "KS", "egOverK"]);
    for (let i = 1; i < d.length; i++) {
      expect(d[i - 1] / d[i]).toBeGreaterThan(8);
      expect(d[i - 1] / d[i]).toBeLessThan(12);
    }
    expect(d[d.length - 1]).toBeLessThan(1e-3);
  });
  it("relu: Q, K R and K S converge like 1/K; K C and eps_g / K do not (relu's mean output makes eps_g grow like K^2)", () => {
    const d = differences("relu", ["Q", "KR", "KS"]);
    for (let i = 1; i < d.length; i++) {
      expect(d[i - 1] / d[i]).toBeGreaterThan(8);
      expect(d[i - 1] / d[i]).toBeLessThan(12);
    }
    const e = differences("relu", ["KC", "egOverK"]);
    expect(e[e.length - 1]).toBeGreaterThan(e[0]);
  });
});

describe("Jacobian blocks at large K", () => {
  it("trivial block at perfect learning (weight-space moves, reduced ODE) = central differences of the site-symmetric right-hand side (erf, K = 10, 1e3, 1e4)", () => {
    // erf averages are analytic across the boundary of valid overlaps, so plain central differences
    // in (Q, C, R, S) of the hand-written site-symmetric right-hand side are a second route. The
    // trivial block is J_A + eta J_B at eta = 0.3 / K. Observed agreement ~1e-9 of the largest eigenvalue.
    for (const K of [10, 1000, 10000]) {
      const s = resolveSymmetricSetting({ activation: "erf", K });
      const pp = perfectPointBlocks(s);
      const eta = 0.3 / K;
      const blockA = pp.A[0], blockB = pp.B[0];
      expect(blockA.representation).toBe("trivial");
      const viaBlocks = eigenvaluesOf(blockA.matrix.map((r, i) => r.map((a, j) => eta * (a + eta * blockB.matrix[i][j]))));
      const f = new SymmetricField(s);
      const direct = eigenvaluesOf(centralJacobian((y) => f.rhs(y, eta), Float64Array.of(1, 0, 1, 0), 1e-4).J);
      const scale = Math.max(...direct.map((e) => Math.abs(e.re)));
      viaBlocks.forEach((e, i) => expect(Math.abs(e.re - direct[i].re), `K = ${K}`).toBeLessThan(1e-7 * scale));
    }
  });
});

describe("online SGD at K = M = 20 against the site-symmetric ODE", () => {
  it("before the escape: the mean over runs of the site-averaged overlaps, extrapolated in 1/d from d = 2000 and 4000, agrees within 4 standard errors", () => {
    // erf, eta = 0.5/K, start (Q, C, R, S) = (0.3, 0.02, 0.04, 0.01) (site-symmetric: the runs start
    // exactly there), alpha <= 1.5 (the plateau is left only at alpha ~ 1e3). Each run's Q_ii, Q_ik,
    // R_ii, R_in are averaged over units; 4 runs per d give the standard errors. At d = 2000 alone
    // Q is biased by O(1/d) (~3e-4, up to ~15 standard errors: measured, it shrinks ~1/d); the
    // bias is removed by m = 2 m(4000) - m(2000), whose standard error is sqrt(4 se4000^2 + se2000^2).
    const K = 20, eta = 0.5 / K;
    const [Q0, C0, R0, S0] = [0.3, 0.02, 0.04, 0.01];
    const alphas = [0, 0.75, 1.5];
    const ode = integrateSymmetric({ activation: "erf", K, Q0, C0, R0, S0, learningRate: eta, alphas });
    const site = (d: number) => {
      const sim = simulateSync({ activation: "erf", K, M: K, T: matrix(K, 1, 0), Q0: matrix(K, Q0, C0), R0: matrix(K, R0, S0), d, runs: 4, seed: 11, learningRate: eta, alphas, perRun: true, matchTo: "none" });
      return alphas.map((_, s) => {
        const per = sim.runs!.map((run) => {
          let q = 0, c = 0, r = 0, o = 0;
          for (let i = 0; i < K; i++) for (let k = 0; k < K; k++) {
            if (i === k) { q += run.Q[s][i][k]; r += run.R[s][i][k]; } else { c += run.Q[s][i][k]; o += run.R[s][i][k]; }
          }
          return [q / K, c / (K * (K - 1)), r / K, o / (K * (K - 1))];
        });
        const mean = [0, 1, 2, 3].map((j) => per.reduce((a, p) => a + p[j], 0) / per.length);
        const se = [0, 1, 2, 3].map((j) => Math.sqrt(per.reduce((a, p) => a + (p[j] - mean[j]) ** 2, 0) / (per.length - 1) / per.length));
        return { mean, se };
      });
    };
    const a = site(2000), b = site(4000);
    for (let s = 1; s < alphas.length; s++) {
      const o = [ode.Q[s], ode.C[s], ode.R[s], ode.S[s]];
      for (let j = 0; j < 4; j++) {
        const m = 2 * b[s].mean[j] - a[s].mean[j];
        const se = Math.sqrt(4 * b[s].se[j] ** 2 + a[s].se[j] ** 2);
        expect(Math.abs(m - o[j]), `alpha = ${alphas[s]}, ${"QCRS"[j]}: ${m} vs ${o[j]} (se ${se})`).toBeLessThan(4 * se);
        // and the ODE moved: the comparison is not of two constants
        expect(Math.abs(o[j] - [Q0, C0, R0, S0][j])).toBeGreaterThan(10 * se);
      }
    }
  });
});
