// Finite-d online SGD (docs/theory.md section 3): the Gaussian generator, initial conditions, determinism
// (sequential = parallel), the one-step drift against the ODE's right-hand side, and the
// agreement of simulation and ODE where theory says they agree.
import { describe, expect, it } from "vitest";
import { compare, generalizationError, integrate, orderParameterDerivatives, simulateSync, stepDrift } from "./helpers";
import { factorCovariance, gErf, gErfPrime, makeNormal, makeRng } from "./reference/gaussian";
import * as nodeEntry from "../dist/index.node.js";
import { testCore } from "./core";

describe("Gaussian generator (xoshiro256** + ziggurat)", () => {
  it("moments and tail probabilities of 1e6 draws agree with N(0, 1) within 5 standard errors", () => {
    const core = testCore();
    const x = core.exports;
    const n = 1_000_000;
    expect(x.normals(0, 42, n)).toBe(1);
    const z = core.f64.subarray(x.ptrNormals() >> 3, (x.ptrNormals() >> 3) + n);
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


describe("Gaussian generator: distribution", () => {
  it("1e6 draws in 100 equiprobable bins: chi-square below mean + 5 sd (99 + 5 * 14)", () => {
    const core = testCore();
    const x = core.exports;
    const n = 1_000_000, bins = 100;
    expect(x.normals(0, 7, n)).toBe(1);
    const z = core.f64.subarray(x.ptrNormals() >> 3, (x.ptrNormals() >> 3) + n);
    // bin edges: normal quantiles by bisection on Phi(x) = erfc(-x / sqrt 2) / 2 (series-free:
    // Phi is evaluated by Simpson's rule on [0, x], accurate to 1e-12 for |x| < 6)
    const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    const Phi = (t: number) => {
      const m = 2000, h = t / m;
      let s = phi(0) + phi(t);
      for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * phi(i * h);
      return 0.5 + (s * h) / 3;
    };
    const edges = Array.from({ length: bins - 1 }, (_, k) => {
      let lo = -6, hi = 6;
      for (let it = 0; it < 60; it++) { const mid = (lo + hi) / 2; if (Phi(mid) < (k + 1) / bins) lo = mid; else hi = mid; }
      return (lo + hi) / 2;
    });
    const counts = new Array(bins).fill(0);
    for (const v of z) {
      let lo = 0, hi = bins - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (v < edges[mid]) hi = mid; else lo = mid + 1; }
      counts[lo]++;
    }
    const e = n / bins;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(99 + 5 * Math.sqrt(2 * 99));
  });
});

const reference = { T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };
const asymmetric = { T: [[1, 0], [0, 2]], Q0: [[0.5, 0], [0, 0.5]], R0: [[0.3, 0], [0, 0.4]] };

describe("simulate(): initial conditions, determinism, options", () => {
  it("the constructed initial weights have the overlaps Q0, R0 to rounding error", () => {
    // step 0 records the prescribed C0 (test/matching.test.ts), so the construction is checked
    // one step later with eta = 1e-13: that step moves the overlaps by ~1e-16
    for (const setting of [reference, asymmetric]) {
      const r = simulateSync({ ...setting, d: 500, runs: 3, alphas: [0, 1 / 500], learningRate: 1e-13, matching: "none", perRun: true });
      let rounded = 0; // measured values, not the recorded prescription: some differ in the last bits
      for (const run of r.runs!) {
        run.Q[1].forEach((row, i) => row.forEach((q, k) => { expect(Math.abs(q - setting.Q0[i][k])).toBeLessThan(1e-14); if (q !== setting.Q0[i][k]) rounded++; }));
        run.R[1].forEach((row, i) => row.forEach((v, n) => { expect(Math.abs(v - setting.R0[i][n])).toBeLessThan(1e-14); if (v !== setting.R0[i][n]) rounded++; }));
      }
      expect(rounded).toBeGreaterThan(0);
    }
  });
  it("the same seed gives the same numbers; another seed does not", () => {
    const a = simulateSync({ ...reference, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 7 });
    const b = simulateSync({ ...reference, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 7 });
    const c = simulateSync({ ...reference, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 8 });
    expect(Array.from(a.eg.mean)).toEqual(Array.from(b.eg.mean));
    expect(a.eg.mean[2]).not.toBe(c.eg.mean[2]);
  });
  it("worker threads give bit-for-bit the sequential result, and report progress in SGD steps for every run", async () => {
    const o = { ...reference, d: 300, runs: 5, alphaMax: 3, samples: 4, seed: 21, testInputs: 20, perRun: true };
    const seq = nodeEntry.simulateSync(o);
    const progress: number[] = [];
    const par = await nodeEntry.simulate({ ...o, threads: 2, onProgress: (p) => { expect([p.total, p.unit]).toEqual([4500, "SGD steps"]); progress.push(p.done); } });
    expect(par.stats.threads).toBe(2);
    expect(progress).toEqual([900, 1800, 2700, 3600, 4500]); // 900 steps per run (alpha 3 at d = 300), each run in one chunk
    expect(Array.from(par.eg.mean)).toEqual(Array.from(seq.eg.mean));
    expect(par.Q.std).toEqual(seq.Q.std);
    expect(Array.from(par.egTest!.mean)).toEqual(Array.from(seq.egTest!.mean));
    par.runs!.forEach((run, r) => expect(Array.from(run.eg)).toEqual(Array.from(seq.runs![r].eg)));
  });
  it("an AbortSignal stops the workers with its reason", async () => {
    const ctrl = new AbortController();
    const p = nodeEntry.simulate({ ...reference, d: 2000, runs: 6, alphaMax: 50, samples: 3, threads: 2, signal: ctrl.signal, onProgress: () => ctrl.abort(new Error("stop here")) });
    await expect(p).rejects.toThrow("stop here");
  });
  it("the Monte-Carlo test error agrees with eps_g of the order parameters (measured standard error, v != 1)", () => {
    // At finite d the fields x_i = w_i . xi, y_n are exactly N(0, C) for fresh inputs, so each run's
    // test error (2e4 inputs from its own stream) estimates eps_g(C) of that run's weights, with
    // output weights v, v* of both signs. The 16 runs give 16 independent differences
    // (egTest - eg) per sample: their mean lies within 5 standard errors (the spread of the 16 /
    // 4, t with 15 dof: p ~ 2e-4) of 0, and that standard error is measured to be <= 0.5 % of
    // eps_g, so a test error off by the factor 1/2 or with v, v* or both ignored (>= 20 % of eps_g
    // here, checked) fails by >= 8 tolerances (2.5 % of eps_g).
    const setting = { ...asymmetric, T: [[1, 0.2], [0.2, 1.5]], v: [1.4, -0.6], vStar: [0.8, -1.3], learningRate: 0.5 };
    const P = 20000, runs = 16;
    const r = simulateSync({ ...setting, d: 100, runs, alphas: [0, 2], testInputs: P, perRun: true, matchTo: "none", seed: 4 });
    for (let s = 0; s < 2; s++) {
      const diff = r.runs!.map((run) => run.egTest![s] - run.eg[s]);
      const mean = diff.reduce((a, b) => a + b, 0) / runs;
      const se = Math.sqrt(diff.reduce((a, x) => a + (x - mean) ** 2, 0) / (runs - 1) / runs);
      const eg = r.eg.mean[s];
      expect(se, `sample ${s}: standard error ${se} vs eps_g ${eg}`).toBeLessThan(0.005 * eg);
      expect(Math.abs(mean), `sample ${s}: mean difference ${mean} +- ${se}`).toBeLessThan(5 * se);
    }
    // the v's matter here: eps_g without v, without v* or without both differs by >= 20 %
    const eg0 = r.eg.mean[0], st = { T: setting.T, Q: setting.Q0, R: setting.R0 };
    for (const w of [{ vStar: setting.vStar }, { v: setting.v }, {}]) expect(Math.abs(eg0 - generalizationError({ ...st, ...w }))).toBeGreaterThan(0.2 * eg0);
  });
  it("mini-batches: alpha counts examples, and at d = 2000, b = 4 follows the same ODE", () => {
    const r = simulateSync({ ...asymmetric, d: 2000, runs: 8, alphas: [0, 2, 4], batch: 4, seed: 2 });
    expect(r.stats.stepsPerRun).toBe(2000); // alpha 4 = 8000 examples = 2000 steps of 4
    const ode = integrate({ ...asymmetric, alphas: [0, 2, 4] });
    for (let s = 1; s < 3; s++) {
      const se = r.eg.std[s] / Math.sqrt(8);
      // O(b/d) = 2e-3 relative bias of the batch allowed on top of 5 standard errors
      expect(Math.abs(r.eg.mean[s] - ode.eg[s])).toBeLessThan(5 * se + 2e-3 * ode.eg[s]);
    }
    expect(() => simulateSync({ ...asymmetric, d: 100, alphas: [0, 0.01], batch: 4 })).toThrow(/at least one step/);
  });
  it("divergence at a too large learning rate is a reported status, with no NaN", () => {
    const r = simulateSync({ activation: "linear", T: [[1]], Q0: [[0.5]], R0: [[0.1]], learningRate: 4, d: 100, runs: 2, alphaMax: 50, samples: 6, perRun: true });
    expect(r.status).toBe("diverged");
    expect(r.stats.divergedRuns).toBe(2);
    for (const run of r.runs!) for (const v of run.eg) expect(Number.isFinite(v)).toBe(true);
  });
  it("rejects d < K + M, non-positive-definite C0, bad batch, threads and matchTo", async () => {
    expect(() => simulateSync({ ...reference, d: 3 })).toThrow(/d must be an integer >= 4/);
    expect(() => simulateSync({ ...reference, R0: [[0.5, 0], [0, 1e-3]] })).toThrow(/positive definite/);
    expect(() => simulateSync({ ...reference, batch: 0 })).toThrow(/batch/);
    expect(() => simulateSync({ ...reference, matchTo: [[1, 0]] })).toThrow(/matchTo/);
    await expect(nodeEntry.simulate({ ...reference, threads: 0 })).rejects.toThrow(/threads must be in \[1, 256\]/);
  });
});

describe("one SGD step at finite d: the drift of Q and R vs the ODE's right-hand side (v != 1, mixed signs)", () => {
  // Per draw (weights fixed, fresh input xi), with delta_i = v_i g'(h_i)(tau - sigma) and h the
  // fields, exactly N(0, C) at any d:
  //   d Delta R_in = eta delta_i y_n,   d Delta Q_ik = eta (delta_i h_k + delta_k h_i) + eta^2 delta_i delta_k |xi|^2 / d.
  // So E[d Delta R] and the O(eta) part of E[d Delta Q] are the ODE's, exactly; the eta^2 part is
  //   eta^2 [<delta_i delta_k> + E[delta_i delta_k (|u|^2 - (K + M))] / d]
  // (|xi|^2 = |P xi|^2 + chi^2 with d - K - M degrees of freedom independent of h, and
  // |P xi|^2 = h^T C^-1 h = |u|^2 for h = L u), the correction computed here by Monte Carlo.
  // Common random numbers separate the parts draw by draw: the same seed at eta and 2 eta uses
  // the same inputs, so (D(2 eta) - 2 D(eta)) / 2 is the eta^2 part and 2 D(eta) - D(2 eta) / 2 the
  // O(eta) part. 20 seeds x 1e4 draws at d = 200; standard errors from the spread of the 20 batch
  // means (t with 19 dof: 5 SE has p ~ 1e-4). Resolution, checked: 5 SE <= 5 % of the eta^2 part
  // (an earlier version of this check resolved it to ~10 %), so halving or dropping it fails by >= 10 tolerances, and
  // likewise a v_i ignored in the SGD step (checked on dR below); the finite-d correction (1 % for
  // linear units at d = 200) is resolved too.
  const state = { T: [[1, 0.2], [0.2, 1.5]], Q: [[1, 0.3], [0.3, 0.8]], R: [[0.5, 0.1], [0.05, 0.6]], v: [0.5, -0.8], vStar: [0.9, -1.2] };
  const C = [...state.Q.map((q, i) => [...q, ...state.R[i]]), ...state.T.map((t, n) => [...state.R.map((r) => r[n]), ...t])];
  const eta = 0.5, d = 200, batches = 20, draws = 10_000;
  const stats = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { mean: m, se: Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length) };
  };
  /** E[delta_i delta_k (|u|^2 - 4)] by Monte Carlo (2e5 draws of u), with its standard error. */
  function correction(act: "relu" | "erf" | "linear", i: number, k: number) {
    const g = act === "relu" ? (x: number) => Math.max(x, 0) : act === "erf" ? gErf : (x: number) => x;
    const gp = act === "relu" ? (x: number) => (x > 0 ? 1 : 0) : act === "erf" ? gErfPrime : () => 1;
    const L = factorCovariance(C), normal = makeNormal(17), n = 200_000, vals: number[] = [];
    for (let t = 0; t < n; t++) {
      const u = [normal(), normal(), normal(), normal()];
      const h = L.map((row) => row.reduce((a, x, j) => a + x * u[j], 0));
      const err = state.vStar[0] * g(h[2]) + state.vStar[1] * g(h[3]) - state.v[0] * g(h[0]) - state.v[1] * g(h[1]);
      vals.push(state.v[i] * gp(h[i]) * err * state.v[k] * gp(h[k]) * err * (u.reduce((a, x) => a + x * x, 0) - 4));
    }
    const m = vals.reduce((a, b) => a + b, 0) / n;
    return { mean: m, se: Math.sqrt(vals.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1) / n) };
  }
  for (const activation of ["relu", "erf", "linear"] as const) {
    it(`${activation}: 2e5 draws at d = 200, eta = 0.5 and 1 on common inputs`, () => {
      const quad: number[][][] = [], lin: number[][][] = [], dR: number[][][] = [];
      for (let b = 0; b < batches; b++) {
        const a = stepDrift({ ...state, activation, learningRate: eta, d, draws, seed: 100 + b });
        const c = stepDrift({ ...state, activation, learningRate: 2 * eta, d, draws, seed: 100 + b });
        quad.push(a.dQ.map((r, i) => r.map((x, k) => (c.dQ[i][k] - 2 * x) / 2)));
        lin.push(a.dQ.map((r, i) => r.map((x, k) => 2 * x - c.dQ[i][k] / 2)));
        dR.push(a.dR);
      }
      const f1 = orderParameterDerivatives({ ...state, activation, learningRate: eta });
      const f2 = orderParameterDerivatives({ ...state, activation, learningRate: 2 * eta });
      for (let i = 0; i < 2; i++)
        for (let k = 0; k < 2; k++) {
          const q = stats(quad.map((m) => m[i][k])), l = stats(lin.map((m) => m[i][k])), r = stats(dR.map((m) => m[i][k]));
          const odeQuad = (f2.dQ[i][k] - 2 * f1.dQ[i][k]) / 2, odeLin = 2 * f1.dQ[i][k] - f2.dQ[i][k] / 2;
          const corr = correction(activation, i, k);
          const want = odeQuad + (eta * eta * corr.mean) / d;
          const se = Math.hypot(q.se, (eta * eta * corr.se) / d);
          expect(5 * se, `eta^2 part ${i}${k}: resolution`).toBeLessThan(0.05 * Math.abs(odeQuad));
          expect(Math.abs(q.mean - want), `eta^2 part ${i}${k}: ${q.mean} +- ${se} vs ${want}`).toBeLessThan(5 * se);
          expect(Math.abs(l.mean - odeLin), `O(eta) part ${i}${k}: ${l.mean} +- ${l.se} vs ${odeLin}`).toBeLessThan(5 * l.se);
          expect(Math.abs(r.mean - f1.dR[i][k]), `dR ${i}${k}: ${r.mean} +- ${r.se} vs ${f1.dR[i][k]}`).toBeLessThan(5 * r.se);
        }
      // a v_i ignored in the step scales row i of dR by 1 / v_i: on the row's largest entry that
      // is >= 10 tolerances (|1 - 1/v_i| = 1 and 2.25 here)
      for (let i = 0; i < 2; i++) {
        const n = Math.abs(f1.dR[i][0]) > Math.abs(f1.dR[i][1]) ? 0 : 1;
        const r = stats(dR.map((m) => m[i][n]));
        expect(10 * 5 * r.se, `dR row ${i}: resolution`).toBeLessThan(Math.abs(1 - 1 / state.v[i]) * Math.abs(f1.dR[i][n]));
      }
    });
  }
});

describe("simulation against the ODE (compare)", () => {
  it("before the plateau escape (alpha <= 10): 20 runs at d = 1000 within 4.5 standard errors", async () => {
    // matchTo none: before any escape the runs' own labels are the ODE's
    const c = await compare({ ...reference, d: 1000, runs: 20, alphas: [0, 2, 4, 6, 8, 10], seed: 3, matchTo: "none" });
    expect(c.deviation.maxAbs.eg).toBeLessThan(4.5);
    expect(c.deviation.maxAbs.Q).toBeLessThan(4.5);
    expect(c.deviation.maxAbs.R).toBeLessThan(4.5);
  }, 60_000);
  it("the spread of the runs falls like d^(-1/2): fitted exponent with its confidence interval (v != 1, mixed signs)", () => {
    // 40 runs at each of d = 50 .. 800 (alpha = 2, eta = 0.5, output weights of both signs). S_d:
    // the root mean square over the 7 entries of (Q, R) of the standard deviation over runs; its
    // standard error on the log scale is measured by a seeded bootstrap over the runs (400
    // resamples; ~0.06). Weighted least squares of log S_d on log d gives the exponent b and its
    // standard error (~0.03); docs/theory.md section 8 says b = -1/2. Accepted: |b + 1/2| < 4 SE, with 4 SE < 0.2, so
    // that d^-0.25, d^-0.75 or no decay at all are excluded; and the chi-square of the fit stays
    // below its 99.9 % point for 3 dof (16.3): a straight line on the log scale. (An earlier check only
    // asked the deviation to shrink.)
    const setting = { T: [[1, 0.2], [0.2, 1.5]], Q0: [[0.8, 0.25], [0.25, 0.6]], R0: [[0.4, -0.15], [0.1, 0.5]], v: [1.3, -0.7], vStar: [0.9, -1.2], learningRate: 0.5 };
    const runs = 40, ds = [50, 100, 200, 400, 800];
    const ode = integrate({ ...setting, alphas: [0, 2] });
    const rng = makeRng(2024);
    const x: number[] = [], y: number[] = [], w: number[] = [];
    for (const d of ds) {
      const r = simulateSync({ ...setting, d, runs, alphas: [0, 2], seed: 7, matchTo: "none", perRun: true });
      expect(r.status).toBe("completed");
      const vals = r.runs!.map((run) => [...run.Q[1][0], run.Q[1][1][1], ...run.R[1].flat()]);
      const spread = (idx: number[]) => {
        let total = 0;
        for (let q = 0; q < 7; q++) {
          const m = idx.reduce((a, i) => a + vals[i][q], 0) / idx.length;
          total += idx.reduce((a, i) => a + (vals[i][q] - m) ** 2, 0) / (idx.length - 1);
        }
        return Math.sqrt(total / 7);
      };
      const all = [...Array(runs).keys()];
      const boot = Array.from({ length: 400 }, () => Math.log(spread(all.map(() => Math.floor(rng() * runs)))));
      const mb = boot.reduce((a, b) => a + b, 0) / boot.length;
      const se = Math.sqrt(boot.reduce((a, b) => a + (b - mb) ** 2, 0) / (boot.length - 1));
      x.push(Math.log(d));
      y.push(Math.log(spread(all)));
      w.push(1 / (se * se));
      // and the mean of the runs is the ODE's within 4.5 of its standard errors at d >= 200
      // (the O(1/d) finite-size bias is below a third of a standard error there)
      if (d >= 200)
        for (let i = 0; i < 2; i++)
          for (let n = 0; n < 2; n++) {
            const z = (r.R.mean[1][i][n] - ode.R[1][i][n]) / (r.R.std[1][i][n] / Math.sqrt(runs));
            expect(Math.abs(z), `R_${i}${n} at d = ${d}`).toBeLessThan(4.5);
          }
    }
    const W = w.reduce((a, b) => a + b, 0);
    const xb = x.reduce((a, v, i) => a + w[i] * v, 0) / W, yb = y.reduce((a, v, i) => a + w[i] * v, 0) / W;
    const sxx = x.reduce((a, v, i) => a + w[i] * (v - xb) ** 2, 0);
    const b = x.reduce((a, v, i) => a + w[i] * (v - xb) * (y[i] - yb), 0) / sxx;
    const seB = 1 / Math.sqrt(sxx);
    const chi2 = y.reduce((a, v, i) => a + w[i] * (v - yb - b * (x[i] - xb)) ** 2, 0);
    expect(4 * seB).toBeLessThan(0.2);
    expect(Math.abs(b + 0.5), `exponent ${b} +- ${seB}`).toBeLessThan(4 * seB);
    expect(chi2).toBeLessThan(16.3);
  });
  it("from the asymmetric start Q0 = diag(.5,.5), R0 = diag(.3,.4): agreement over the whole curve", async () => {
    const c = await compare({ ...asymmetric, d: 1000, runs: 20, alphaMax: 50, samples: 11, seed: 5 });
    expect(c.ode.eg[10]).toBeLessThan(1e-3 * c.ode.eg[0]); // the curve is learnt to the end
    expect(c.deviation.maxAbs.eg).toBeLessThan(4.5);
    expect(c.deviation.maxAbs.Q).toBeLessThan(4.5);
    expect(c.deviation.maxAbs.R).toBeLessThan(4.5);
  }, 60_000);
  it("restartAlpha: the ODE restarted from the simulation mean starts exactly there", async () => {
    const c = await compare({ ...reference, d: 500, runs: 4, alphas: [0, 5, 10, 15], seed: 2, restartAlpha: 5 });
    expect(c.restart!.alpha).toBe(5);
    expect(c.restart!.ode.alpha[0]).toBe(5);
    expect(c.restart!.ode.Q[0]).toEqual(c.simulation.Q.mean[1]);
    // at the restart sample Q and R deviate by 0 (eps_g does not: eps_g of the mean state is not the mean eps_g)
    expect(Math.max(...c.restart!.deviation.Q[0].flat().map(Math.abs), ...c.restart!.deviation.R[0].flat().map(Math.abs))).toBe(0);
  }, 60_000);
});
