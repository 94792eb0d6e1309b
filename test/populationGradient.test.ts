// Population gradient of two-layer ReLU networks (docs/theory.md section 7, [T]) against Monte Carlo, finite
// differences of docs/theory.md section 1's eps_g, the one-unit formula, the O(eta) part of the online ODE; the
// descent and the symmetric reduction against the full K-unit system and degree theory.
import { describe, expect, it } from "vitest";
import { makeNormal } from "./reference/gaussian";
import {
  criticalRadius, generalizationError, orderParameterDerivatives, populationDescent, populationGradient, sampledGradientCheck,
  symmetricCriticalPoints, symmetricDynamics, symmetricLoss, symmetricRhs, symmetricWeights,
} from "./helpers";

const randn = (seed: number, rows: number, cols: number, scale = 1) => {
  const r = makeNormal(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * r()));
};
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const gramOf = (A: number[][], B: number[][]) => A.map((a) => B.map((b) => dot(a, b)));
const eye = (m: number, d: number) => Array.from({ length: m }, (_, i) => Array.from({ length: d }, (_, k) => (i === k ? 1 : 0)));

describe("populationGradient", () => {
  it("agrees with Monte Carlo of E[(g - g*) theta(w_j.x) x] and of J within 4.5 standard errors", () => {
    const K = 3, M = 2, d = 5, N = 200_000;
    const W = randn(1, K, d, 0.7), Ws = randn(2, M, d);
    const r = populationGradient({ W, Wstar: Ws });
    const normal = makeNormal(3);
    const sum = W.map(() => new Array(d).fill(0)), sq = W.map(() => new Array(d).fill(0));
    let ls = 0, lsq = 0;
    const x = new Array(d).fill(0);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < d; i++) x[i] = normal();
      const h = W.map((w) => dot(w, x));
      const diff = h.reduce((s, v) => s + Math.max(v, 0), 0) - Ws.reduce((s, w) => s + Math.max(dot(w, x), 0), 0);
      const l = 0.5 * diff * diff;
      ls += l;
      lsq += l * l;
      for (let j = 0; j < K; j++)
        if (h[j] > 0)
          for (let i = 0; i < d; i++) {
            sum[j][i] += diff * x[i];
            sq[j][i] += (diff * x[i]) ** 2;
          }
    }
    // 15 gradient components + 1 loss: 4.5 SE keeps the family-wise false-alarm rate ~1e-4 (the seed is fixed anyway)
    for (let j = 0; j < K; j++)
      for (let i = 0; i < d; i++) {
        const m = sum[j][i] / N, se = Math.sqrt((sq[j][i] / N - m * m) / N);
        expect(Math.abs(m - r.gradient[j][i])).toBeLessThan(4.5 * se);
      }
    const lm = ls / N, lse = Math.sqrt((lsq / N - lm * lm) / N);
    expect(Math.abs(lm - r.populationLoss)).toBeLessThan(4.5 * lse);
  });

  it("is the gradient of docs/theory.md section 1's closed-form eps_g (relu, generalizationError of Q = WW^T, R = WW*^T, T = W*W*^T)", () => {
    const K = 3, M = 2, d = 6;
    const W = randn(4, K, d, 0.6), Ws = randn(5, M, d, 0.8);
    const eg = (V: number[][]) => generalizationError({ activation: "relu", T: gramOf(Ws, Ws), Q: gramOf(V, V), R: gramOf(V, Ws) });
    const r = populationGradient({ W, Wstar: Ws });
    // the same function from two codes (pairwise kernel here, the WASM I2 there): rounding only
    expect(Math.abs(r.populationLoss - eg(W))).toBeLessThan(1e-13);
    const h = 1e-5;
    for (let j = 0; j < K; j++)
      for (let i = 0; i < d; i++) {
        const Wp = W.map((row) => row.slice()), Wm = W.map((row) => row.slice());
        Wp[j][i] += h;
        Wm[j][i] -= h;
        // central differences: truncation h^2 |J'''| ~ 1e-10, rounding 1e-16 / h ~ 1e-11
        expect(Math.abs((eg(Wp) - eg(Wm)) / (2 * h) - r.gradient[j][i])).toBeLessThan(1e-8);
      }
  });

  it("one unit: (w - w*)/2 + (theta w* - |w*| sin(theta) w/|w|)/(2 pi)", () => {
    for (let seed = 10; seed < 20; seed++) {
      const [w, ws] = randn(seed, 2, 4);
      const nw = Math.hypot(...w), nws = Math.hypot(...ws);
      const th = Math.acos(dot(w, ws) / (nw * nws));
      const expected = w.map((v, i) => (v - ws[i]) / 2 + (th * ws[i] - (nws * Math.sin(th) * v) / nw) / (2 * Math.PI));
      const g = populationGradient({ W: [w], Wstar: [ws] }).gradient[0];
      g.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-14));
    }
  });

  it("docs/theory.md section 7's connection: the O(eta) part of the online ODE is -grad J projected on Q and R (T = I and general T)", () => {
    for (const [K, M, d, general] of [[2, 2, 5, false], [3, 2, 6, false], [2, 3, 6, true]] as const) {
      const W = randn(30 + K, K, d, 0.5);
      const Ws = general ? randn(40, M, d, 0.7) : eye(M, d);
      const setting = { activation: "relu" as const, K, M, T: gramOf(Ws, Ws), Q: gramOf(W, W), R: gramOf(W, Ws) };
      // dQ(eta) = eta A + eta^2 B exactly, so A = 2 dQ(1) - dQ(2)/2
      const d1 = orderParameterDerivatives({ ...setting, learningRate: 1 }), d2 = orderParameterDerivatives({ ...setting, learningRate: 2 });
      const G = populationGradient({ W, Wstar: Ws }).gradient;
      for (let i = 0; i < K; i++) {
        for (let k = 0; k < K; k++) {
          const A = 2 * d1.dQ[i][k] - d2.dQ[i][k] / 2;
          // the ODE's exact Gaussian averages and the Fbar closed form: rounding only
          expect(Math.abs(A + dot(G[i], W[k]) + dot(G[k], W[i]))).toBeLessThan(1e-12);
        }
        for (let n = 0; n < M; n++) expect(Math.abs(d1.dR[i][n] + dot(G[i], Ws[n]))).toBeLessThan(1e-12);
      }
    }
  });

  it("the origin: a zero unit gets a zero row and is listed; the other rows are continuous there", () => {
    const W = randn(50, 3, 4), Ws = randn(51, 2, 4);
    W[1] = [0, 0, 0, 0];
    const r = populationGradient({ W, Wstar: Ws });
    expect(r.singularUnits).toEqual([1]);
    expect(r.gradient[1]).toEqual([0, 0, 0, 0]);
    const near = W.map((row) => row.slice());
    near[1] = [1e-9, -2e-9, 0, 1e-9];
    const rn = populationGradient({ W: near, Wstar: Ws });
    // other units see w_1 through Fbar(e_j, w_1) = O(|w_1|) = 1e-9
    for (const j of [0, 2]) r.gradient[j].forEach((v, i) => expect(Math.abs(v - rn.gradient[j][i])).toBeLessThan(1e-8));
    expect(Math.abs(r.populationLoss - rn.populationLoss)).toBeLessThan(1e-8);
    expect(rn.singularUnits).toEqual([]);
  });

  it("validates W and Wstar", () => {
    expect(() => populationGradient({ W: [[1, 2]], Wstar: [[1, 2, 3]] })).toThrow(/Wstar must be 1 x 2; row 0 has 3 entries/);
    expect(() => populationGradient({ W: [[1, NaN]], Wstar: [[1, 2]] })).toThrow(/W\[0\]\[1\] must be finite; got NaN/);
    expect(() => populationGradient({ W: [], Wstar: [[1]] })).toThrow(/W must have at least one row/);
    expect(() => populationGradient({ W: [[1]] } as never)).toThrow(/Wstar must be an array of rows/);
  });
});

describe("populationDescent", () => {
  it("flow on w = -c w* (theta = pi): w(t) = w0 exp(-t/2) exactly, stopping at the origin at t = 2 ln(c / tol)", () => {
    const ws = [0.6, 0.8, 0]; // |w*| = 1
    const r = populationDescent({ W0: [ws.map((v) => -2 * v)], Wstar: [ws], tMax: 10, samples: 11 });
    expect(r.status).toBe("completed");
    r.t.forEach((t, s) => r.W[s][0].forEach((v, i) => expect(Math.abs(v + 2 * ws[i] * Math.exp(-t / 2))).toBeLessThan(1e-9)));
    const o = populationDescent({ W0: [ws.map((v) => -2 * v)], Wstar: [ws], tMax: 100, samples: 3, originTolerance: 1e-6 });
    expect(o.status).toBe("origin");
    expect(o.message).toMatch(/unit 0 reached the origin/);
    // the stop is checked after each accepted step, so it lands within one step past the crossing
    expect(o.stats.tReached).toBeGreaterThanOrEqual(2 * Math.log(2 / 1e-6) - 1e-9);
    expect(o.stats.tReached).toBeLessThan(2 * Math.log(2 / 1e-6) + 3);
    // discrete steps with eta = 2 land exactly on the origin in one step
    const dsc = populationDescent({ W0: [ws.map((v) => -v)], Wstar: [ws], mode: "discrete", learningRate: 2, steps: 10 });
    expect(dsc.status).toBe("origin");
    expect(dsc.stats.steps).toBe(1);
  });

  it("discrete steps converge to the flow at first order in eta; J never increases along the flow", () => {
    const W0 = randn(60, 2, 4, 0.5), Ws = randn(61, 2, 4);
    const flow = populationDescent({ W0, Wstar: Ws, tMax: 2, samples: 2 });
    const err = (eta: number) => {
      const r = populationDescent({ W0, Wstar: Ws, mode: "discrete", learningRate: eta, steps: Math.round(2 / eta), every: 1e9 });
      const last = r.W[r.W.length - 1];
      return Math.hypot(...last.flat().map((v, i) => v - flow.W[1].flat()[i]));
    };
    const e1 = err(0.02), e2 = err(0.01);
    // Euler's global error ~ C eta: halving eta halves it (ratio 2 within 10%)
    expect(e1 / e2).toBeGreaterThan(1.8);
    expect(e1 / e2).toBeLessThan(2.2);
    const long = populationDescent({ W0, Wstar: Ws, tMax: 40, samples: 81 });
    for (let s = 1; s < long.loss.length; s++) expect(long.loss[s]).toBeLessThanOrEqual(long.loss[s - 1] + 1e-14);
  });
});

describe("symmetric reduction ([T] Theorem 7)", () => {
  it("equals the full K x d population gradient projected onto (x, y), K = 2..5, random (x, y)", () => {
    const r = makeNormal(70);
    for (let K = 2; K <= 5; K++)
      for (let t = 0; t < 20; t++) {
        const x = r(), y = r();
        const G = populationGradient({ W: symmetricWeights(K, x, y), Wstar: eye(K, K) });
        const [dx, dy] = symmetricRhs(K, x, y);
        for (let j = 0; j < K; j++)
          for (let k = 0; k < K; k++) expect(Math.abs(-G.gradient[j][k] - (j === k ? dx : dy))).toBeLessThan(1e-13); // rounding
        expect(Math.abs(G.populationLoss - symmetricLoss(K, x, y))).toBeLessThan(1e-13);
      }
  });

  it("the reduced trajectory equals the full K-unit flow started on the symmetric subspace", () => {
    for (const K of [3, 4]) {
      const red = symmetricDynamics({ K, x0: 0.4, y0: 0.15, tMax: 10, samples: 6 });
      const full = populationDescent({ W0: symmetricWeights(K, 0.4, 0.15), Wstar: eye(K, K), tMax: 10, samples: 6 });
      expect(full.status).toBe("completed");
      // both integrated to rtol 1e-10: 1e-8 absolute
      red.t.forEach((_, s) => {
        expect(Math.abs(full.W[s][0][0] - red.x[s])).toBeLessThan(1e-8);
        expect(Math.abs(full.W[s][0][1] - red.y[s])).toBeLessThan(1e-8);
        expect(Math.abs(full.W[s][2][1] - red.y[s])).toBeLessThan(1e-8);
      });
    }
  });

  it("[T]'s claims (docs/theory.md section 7.3): x > y >= 0 converges to (1, 0); x = y > 0 converges to the saddle on x = y", () => {
    for (const K of [2, 3, 5, 6]) {
      for (const [x0, y0] of [[0.05, 0], [0.5, 0.2], [1.5, 1.4], [3, 0], [0.2, 0.19]]) {
        const r = symmetricDynamics({ K, x0, y0, tMax: 400, samples: 2 });
        expect(Math.abs(r.x[1] - 1) + Math.abs(r.y[1])).toBeLessThan(1e-6);
      }
      const th = Math.acos(1 / Math.sqrt(K));
      const xs = (Math.PI - th + Math.sqrt(K - 1)) / (Math.PI * K);
      const s = symmetricDynamics({ K, x0: 0.9, y0: 0.9, tMax: 200, samples: 2 });
      expect(s.x[1]).toBe(s.y[1]); // the line x = y is kept exactly
      expect(Math.abs(s.x[1] - xs) + Math.abs(s.y[1] - xs)).toBeLessThan(1e-8);
      const cp = symmetricCriticalPoints({ K }).find((p) => Math.abs(p.x - xs) < 1e-9 && Math.abs(p.y - xs) < 1e-9);
      expect(cp?.type).toBe("saddle");
    }
  });

  it("critical points: zero vector field, and degree theory finds no other (winding numbers on a fine grid)", () => {
    for (const K of [2, 3, 4, 5]) {
      const cps = symmetricCriticalPoints({ K });
      for (const p of cps) {
        const [f, g] = symmetricRhs(K, p.x, p.y);
        expect(Math.hypot(f, g)).toBeLessThan(1e-12);
        // Jacobian by an independent, wider difference: the sign of the determinant gives saddle / not
        const h = 1e-4;
        const [a1, b1] = symmetricRhs(K, p.x + h, p.y), [a0, b0] = symmetricRhs(K, p.x - h, p.y);
        const [c1, d1] = symmetricRhs(K, p.x, p.y + h), [c0, d0] = symmetricRhs(K, p.x, p.y - h);
        const det = ((a1 - a0) * (d1 - d0) - (c1 - c0) * (b1 - b0)) / (4 * h * h);
        expect(p.type === "saddle").toBe(det < 0);
      }
      expect(cps.some((p) => Math.abs(p.x - 1) < 1e-12 && Math.abs(p.y) < 1e-12 && p.type === "stable node")).toBe(true);
      // Winding number of the field around each cell of a 121 x 121 grid (odd: the singular origin is the centre of one cell, skipped) over the box that holds every
      // critical point (criticalRadius): a cell with nonzero winding holds a zero; every such cell must
      // hold (or touch) a reported point, and the windings must sum to the reported indices.
      const R = criticalRadius(K) * 1.01, Ry = R / Math.sqrt(K - 1), n = 121, sub = 8;
      const arg = (x: number, y: number) => {
        const [f, g] = symmetricRhs(K, x, y);
        return Math.atan2(g, f);
      };
      const winding = (x0: number, y0: number, x1: number, y1: number) => {
        const pts: [number, number][] = [];
        for (let s = 0; s < sub; s++) pts.push([x0 + ((x1 - x0) * s) / sub, y0]);
        for (let s = 0; s < sub; s++) pts.push([x1, y0 + ((y1 - y0) * s) / sub]);
        for (let s = 0; s < sub; s++) pts.push([x1 - ((x1 - x0) * s) / sub, y1]);
        for (let s = 0; s < sub; s++) pts.push([x0, y1 - ((y1 - y0) * s) / sub]);
        let total = 0;
        for (let s = 0; s < pts.length; s++) {
          let dphi = arg(...pts[(s + 1) % pts.length]) - arg(...pts[s]);
          if (dphi > Math.PI) dphi -= 2 * Math.PI;
          if (dphi < -Math.PI) dphi += 2 * Math.PI;
          total += dphi;
        }
        return Math.round(total / (2 * Math.PI));
      };
      let sum = 0;
      const hx = (2 * R) / n, hy = (2 * Ry) / n;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const x0 = -R + j * hx, y0 = -Ry + i * hy;
          if (i === (n - 1) / 2 && j === (n - 1) / 2) continue; // the cell around the singular origin
          const w = winding(x0, y0, x0 + hx, y0 + hy);
          if (w === 0) continue;
          sum += w;
          const inside = cps.some((p) => p.x >= x0 - hx && p.x <= x0 + 2 * hx && p.y >= y0 - hy && p.y <= y0 + 2 * hy);
          expect(inside, `K = ${K}: winding ${w} in cell at (${x0}, ${y0}) with no reported critical point`).toBe(true);
        }
      const indexSum = cps.reduce((s, p) => s + (p.type === "saddle" ? -1 : 1), 0);
      expect(sum).toBe(indexSum);
    }
  });
});

describe("sampledGradientCheck ([T] Fig. 7)", () => {
  it("relative RMS error decays as 1/sqrt(N) and matches its exact expectation", () => {
    const r = sampledGradientCheck({ d: 5, angles: [0, 1, 2, 2.8], N: [100, 1000, 10000], trials: 60, seed: 3 });
    r.angles.forEach((_, a) => {
      const ys = r.N.map((_, n) => Math.log(r.relativeRmsError[n][a])), xs = r.N.map(Math.log);
      const mx = xs.reduce((s, v) => s + v, 0) / xs.length, my = ys.reduce((s, v) => s + v, 0) / ys.length;
      const slope = xs.reduce((s, v, i) => s + (v - mx) * (ys[i] - my), 0) / xs.reduce((s, v) => s + (v - mx) ** 2, 0);
      // each RMS over 60 trials has ~7% relative standard error, so the slope over two decades is -0.5 +- ~0.03
      expect(Math.abs(slope + 0.5)).toBeLessThan(0.1);
      // and each RMS within 25% (> 3 standard errors) of the exact expectation
      r.N.forEach((_, n) => expect(Math.abs(r.relativeRmsError[n][a] / r.predictedRelativeRmsError[n][a] - 1)).toBeLessThan(0.25));
    });
    // the error grows with the angle ([T] Fig. 7)
    expect(r.predictedRelativeRmsError[0][3]).toBeGreaterThan(r.predictedRelativeRmsError[0][0]);
    expect(() => sampledGradientCheck({ angles: [Math.PI] })).toThrow(/angles\[0\] must be in \[0, pi\)/);
  });
});

describe("Hessian and the reduced system as a gradient flow", () => {
  it("symmetric eigenvalues (ml-matrix): trace, Frobenius norm and det(A - lambda I) = 0 of random symmetric matrices", async () => {
    const { symmetricEigenvalues } = await import("../src/populationGradient/hessian");
    for (const n of [3, 7, 12]) {
      const B = randn(80 + n, n, n);
      const A = B.map((r, i) => r.map((v, j) => (v + B[j][i]) / 2));
      const ev = symmetricEigenvalues(A);
      const tr = A.reduce((s, r, i) => s + r[i], 0), fro = A.flat().reduce((s, v) => s + v * v, 0);
      expect(Math.abs(ev.reduce((s, v) => s + v, 0) - tr)).toBeLessThan(1e-12 * n);
      expect(Math.abs(ev.reduce((s, v) => s + v * v, 0) - fro)).toBeLessThan(1e-11 * fro);
      // smallest singular value of A - lambda I by inverse iteration-free check: Gaussian elimination pivots
      for (const lam of ev) {
        const M = A.map((r, i) => r.map((v, j) => v - (i === j ? lam : 0)));
        let minPivot = Infinity;
        for (let k = 0; k < n; k++) {
          let p = k;
          for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
          [M[k], M[p]] = [M[p], M[k]];
          minPivot = Math.min(minPivot, Math.abs(M[k][k]));
          for (let i = k + 1; i < n; i++) {
            const f = M[i][k] / M[k][k];
            for (let j = k; j < n; j++) M[i][j] -= f * M[k][j];
          }
        }
        expect(minPivot).toBeLessThan(1e-10 * Math.sqrt(fro));
      }
    }
  });

  it("populationHessian equals second differences of the closed-form loss", async () => {
    const { populationHessian } = await import("./helpers");
    const W = randn(90, 2, 3, 0.8), Ws = randn(91, 2, 3);
    const H = populationHessian({ W, Wstar: Ws });
    const J = (V: number[][]) => populationGradient({ W: V, Wstar: Ws }).populationLoss;
    const h = 1e-3;
    // full matrix from second differences of J (error ~h^2 |J''''| ~1e-6); compare the spectra
    const n = 6;
    const Hd = Array.from({ length: n }, () => new Array(n).fill(0));
    const at = (a: number, da: number, b: number, db: number) => {
      const V = W.map((r) => r.slice());
      V[Math.floor(a / 3)][a % 3] += da;
      V[Math.floor(b / 3)][b % 3] += db;
      return J(V);
    };
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) Hd[a][b] = (at(a, h, b, h) - at(a, h, b, -h) - at(a, -h, b, h) + at(a, -h, b, -h)) / (4 * h * h);
    const { symmetricEigenvalues } = await import("../src/populationGradient/hessian");
    const ev = symmetricEigenvalues(Hd);
    ev.forEach((v, i) => expect(Math.abs(v - H.eigenvalues[i])).toBeLessThan(1e-5));
  });

  it("the reduced field is the gradient flow of J(x, y) with metric diag(K, K(K-1)): finite differences of symmetricLoss", () => {
    const r = makeNormal(95);
    for (let K = 2; K <= 6; K++)
      for (let t = 0; t < 10; t++) {
        const x = r(), y = r(), h = 1e-6;
        const Jx = (symmetricLoss(K, x + h, y) - symmetricLoss(K, x - h, y)) / (2 * h);
        const Jy = (symmetricLoss(K, x, y + h) - symmetricLoss(K, x, y - h)) / (2 * h);
        const [dx, dy] = symmetricRhs(K, x, y);
        // central differences: truncation ~h^2, rounding ~1e-16 K^2 / h ~ 1e-9
        expect(Math.abs(dx + Jx / K)).toBeLessThan(1e-8);
        expect(Math.abs(dy + Jy / (K * (K - 1)))).toBeLessThan(1e-8);
      }
  });

  it("full-space types: (1, 0) is a minimum; the x = y points are saddles; the other 2-D attractor is a saddle for K = 3..5 and a spurious minimum for K = 6..8", () => {
    for (let K = 2; K <= 8; K++) {
      const cps = symmetricCriticalPoints({ K });
      for (const p of cps) {
        if (Math.abs(p.x - 1) < 1e-9 && Math.abs(p.y) < 1e-9) expect(p.fullSpace.type).toBe("minimum");
        else if (Math.abs(p.x - p.y) < 1e-9) expect(p.fullSpace.type).toBe("saddle");
        else if (K >= 3) {
          // consistent with Safran & Shamir (ICML 2018, arXiv:1712.08968): with orthonormal teacher and Gaussian
          // inputs this loss has spurious local minima for 6 <= k <= 20 (our point: d = K, Hessian min eigenvalue 1.5e-3 at K = 6)
          expect(p.fullSpace.type).toBe(K <= 5 ? "saddle" : "minimum");
          expect(p.loss).toBeGreaterThan(0.02);
        }
      }
    }
  });
});
