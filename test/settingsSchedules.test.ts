// Learning-rate schedules (docs/theory.md section 12) together with label noise, weight decay and
// a trained second layer (section 9) and the other activations (section 10): a scheduled
// trajectory against constant-rate runs chained at the breakpoint, the greedy rate with noise
// and decay against a brute-force minimisation of the finite-difference slope of eps_g, and the
// combinations that are refused (greedy or the optimal schedule with a trained second layer).
import { describe, expect, it } from "vitest";
import { makeNormal } from "./reference/gaussian";
import { generalizationError, integrate, optimalLocalLearningRate, optimalSchedule, orderParameterDerivatives, simulateSync } from "./helpers";
import { OptionError } from "../src/core/errors";

const SETTING = {
  activation: "erf" as const,
  K: 2, M: 2,
  T: [[1, 0.1], [0.1, 0.9]],
  Q0: [[0.5, 0.05], [0.05, 0.4]],
  R0: [[0.1, 0.02], [0.03, 0.15]],
  v: [0.8, 1.1],
};
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe("a piecewise schedule with noise, weight decay and a trained second layer is two constant-rate runs chained", () => {
  // The independent route: integrate() at the constant rate 0.8 to the breakpoint alpha = 2, then
  // at 0.3 from the state reached there (Q, R and v). RK4 steps land on the breakpoint, so the two
  // routes take the same steps and differ by rounding only (measured 7e-15 relative). Weight
  // decay multiplied by the rate (kappa eta instead of kappa, F1 instead of F0) moves eps_g(4) by
  // 1e-1 relative, noise scaled by eta instead of eta^2 by 2e-2 (measured): far outside 1e-12.
  const common = { ...SETTING, noise: 0.3, weightDecay: 0.05, trainSecondLayer: true, learningRate2: 0.4, integrator: "rk4" as const, step: 0.01 };
  const scheduled = integrate({ ...common, learningRateSchedule: "piecewise:0:0.8,2:0.3", alphas: [0, 1, 2, 3, 4] });
  const first = integrate({ ...common, learningRate: 0.8, alphas: [0, 1, 2] });
  const second = integrate({ ...common, learningRate: 0.3, Q0: first.Q[2], R0: first.R[2], v: first.v[2], alphas: [0, 1, 2] });
  it("eps_g, Q, R and v at every sample agree to 1e-12 relative", () => {
    expect([scheduled.status, first.status, second.status]).toEqual(["completed", "completed", "completed"]);
    expect(Array.from(scheduled.eta)).toEqual([0.8, 0.8, 0.3, 0.3, 0.3]);
    const chained = [first, first, first, second, second].map((r, s) => ({ r, i: s < 3 ? s : s - 2 }));
    chained.forEach(({ r, i }, s) => {
      expect(rel(scheduled.eg[s], r.eg[i]), `eg at alpha ${scheduled.alpha[s]}`).toBeLessThan(1e-12);
      for (let a = 0; a < 2; a++) {
        expect(rel(scheduled.v[s][a], r.v[i][a])).toBeLessThan(1e-12);
        for (let b = 0; b < 2; b++) {
          expect(rel(scheduled.Q[s][a][b], r.Q[i][a][b])).toBeLessThan(1e-12);
          expect(rel(scheduled.R[s][a][b], r.R[i][a][b])).toBeLessThan(1e-12);
        }
      }
    });
    // the noise and the decay matter here: without them the curve is another one
    const plain = integrate({ ...common, noise: 0, weightDecay: 0, learningRateSchedule: "piecewise:0:0.8,2:0.3", alphas: [0, 1, 2, 3, 4] });
    expect(rel(plain.eg[4], scheduled.eg[4])).toBeGreaterThan(1e-3);
  });
});

describe("the greedy rate with label noise and weight decay equals a brute-force minimisation of the finite-difference slope of eps_g", () => {
  // As test/schedules.test.ts does without noise: for each eta the full right-hand side F(u; eta)
  // (orderParameterDerivatives, with noise and decay), the slope d eps_g/d alpha by a fourth-order
  // central difference of generalizationError along F (s |F|_inf = 1e-3: truncation ~1e-12), and
  // the vertex of the least-squares parabola through five etas (the slope is quadratic in eta).
  // The noise adds eta^2 sigma^2 J2 to dQ, which raises a2 (the test checks that the noise-free
  // rate differs by more than 1e-3 relative); decay adds to a0 only.
  const settings = [
    { activation: "erf", K: 2, M: 2, noise: 0.5, weightDecay: 0.1 },
    { activation: "relu", K: 2, M: 3, noise: 0.3, weightDecay: 0.02 },
    { activation: "tanh", teacherActivation: "erf", K: 2, M: 2, noise: 0.4, weightDecay: 0.05 },
  ] as const;
  const slopeAt = (base: Record<string, unknown>, Q: number[][], R: number[][], eta: number) => {
    const F = orderParameterDerivatives({ ...base, Q, R, learningRate: eta } as never);
    let n = 0;
    for (const row of [...F.dQ, ...F.dR]) for (const x of row) n = Math.max(n, Math.abs(x));
    const t = 1e-3 / n;
    const E = (s: number) => generalizationError({ ...base, Q: Q.map((r, i) => r.map((q, k) => q + s * t * F.dQ[i][k])), R: R.map((r, i) => r.map((x, m) => x + s * t * F.dR[i][m])) } as never);
    return (8 * (E(1) - E(-1)) - (E(2) - E(-2))) / (12 * t);
  };
  const randomState = (K: number, M: number, seed: number) => {
    const normal = makeNormal(seed);
    const d = K + M + 3;
    const W = Array.from({ length: K }, () => Array.from({ length: d }, () => 0.6 * normal()));
    const Ws = Array.from({ length: M }, () => Array.from({ length: d }, () => 0.8 * normal()));
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
    return { Q: W.map((a) => W.map((b) => dot(a, b))), R: W.map((a) => Ws.map((b) => dot(a, b))), T: Ws.map((a) => Ws.map((b) => dot(a, b))) };
  };
  for (const s of settings) {
    it(`${s.activation}, K = ${s.K}, M = ${s.M}, sigma = ${s.noise}, kappa = ${s.weightDecay}`, () => {
      const { Q, R, T } = randomState(s.K, s.M, 100 + s.K + 10 * s.M);
      const base = { ...s, T };
      const g = optimalLocalLearningRate({ ...base, Q, R, etaMax: Infinity });
      expect(g.status).toBe("optimal");
      const noiseFree = optimalLocalLearningRate({ ...base, noise: 0, Q, R, etaMax: Infinity });
      expect(rel(noiseFree.learningRate, g.learningRate)).toBeGreaterThan(1e-3);
      const etas = [0.25, 0.5, 0.75, 1, 1.25].map((f) => f * g.learningRate);
      const ys = etas.map((eta) => slopeAt(base, Q, R, eta));
      const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => etas.reduce((acc, e) => acc + e ** (i + j), 0)));
      const b = [0, 1, 2].map((i) => etas.reduce((acc, e, k) => acc + e ** i * ys[k], 0));
      const det3 = (M: number[][]) => M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
      const col = (j: number) => A.map((row, i) => row.map((x, k) => (k === j ? b[i] : x)));
      const c1 = det3(col(1)) / det3(A), c2 = det3(col(2)) / det3(A);
      expect(rel(-c1 / (2 * c2), g.learningRate)).toBeLessThan(1e-7);
      expect(rel(g.coefficients.a2, c2)).toBeLessThan(1e-7);
    });
  }
});

describe("combinations", () => {
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error("expected an OptionError");
  };
  it("greedy with a trained second layer is refused, naming learningRateSchedule (ODE and SGD)", () => {
    for (const f of [
      () => integrate({ ...SETTING, learningRateSchedule: "greedy", trainSecondLayer: true }),
      () => simulateSync({ ...SETTING, learningRateSchedule: "greedy", trainSecondLayer: true, d: 50, runs: 1, alphaMax: 1, samples: 2 }),
    ]) {
      const e = thrown(f) as OptionError;
      expect(e).toBeInstanceOf(OptionError);
      expect(e.option).toBe("learningRateSchedule");
      expect(e.message).toContain("trainSecondLayer");
    }
  });
  it("optimalSchedule and optimalLocalLearningRate with a trained second layer are refused, naming trainSecondLayer", () => {
    for (const f of [
      () => optimalSchedule({ ...SETTING, trainSecondLayer: true, alphaMax: 2, intervals: 2, step: 0.5 }),
      () => optimalLocalLearningRate({ ...SETTING, trainSecondLayer: true, Q: SETTING.Q0, R: SETTING.R0 }),
    ]) {
      const e = thrown(f) as OptionError;
      expect(e).toBeInstanceOf(OptionError);
      expect(e.option).toBe("trainSecondLayer");
    }
  });
  it("every other combination runs: greedy with noise and decay, schedules with a trained second layer, new activations with noise", () => {
    const runs = [
      integrate({ ...SETTING, learningRateSchedule: "greedy", noise: 0.2, weightDecay: 0.01, alphaMax: 2, samples: 3 }),
      integrate({ ...SETTING, learningRateSchedule: "inverse:0.8,5", trainSecondLayer: true, noise: 0.2, alphaMax: 2, samples: 3 }),
      integrate({ ...SETTING, activation: "leakyRelu", slope: 0.2, learningRateSchedule: "power:0.5,1,0.5", noise: 0.2, weightDecay: 0.01, alphaMax: 1, samples: 2 }),
      integrate({ ...SETTING, activation: "square", teacherActivation: "erf", learningRate: 0.1, noise: 0.3, trainSecondLayer: true, alphaMax: 1, samples: 2 }),
    ];
    for (const r of runs) {
      expect(r.status, `${r.options.activation} ${r.options.learningRateSchedule}: ${r.message}`).toBe("completed");
      r.eg.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    }
    const sim = simulateSync({ ...SETTING, learningRateSchedule: "inverse:0.8,5", trainSecondLayer: true, noise: 0.2, weightDecay: 0.01, d: 50, runs: 1, alphaMax: 1, samples: 2 });
    expect(sim.status).toBe("completed");
  });
});
