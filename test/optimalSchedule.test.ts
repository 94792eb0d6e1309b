// Optimal learning-rate schedules (docs/theory.md section 12): the discrete adjoint's gradient
// against central differences of the objective, the optimum against greedy and the best constant
// rate, and the linear network, whose optimum is known in closed form.
import { describe, expect, it } from "vitest";
import { integrate, optimalSchedule, scheduleObjective } from "./helpers";

describe("adjoint gradients equal central finite differences of the objective in each interval's eta", () => {
  // Phi of the discretised problem (RK4, steps landing on the bounds) at rates away from the
  // optimum (every component of the gradient of the order of Phi's scale), against Richardson-
  // extrapolated central differences of Phi in each eta_j (steps 1e-3 and 5e-4: error ~1e-11
  // relative). The adjoint's own error is that of the central-difference Jacobians of the stages:
  // measured 1e-11 .. 2e-8 relative per component, so 1e-6 leaves a margin of 50; a wrong
  // stage weight or a missing eta^2 term errs by O(1).
  const cases = [
    { name: "reference setting, eps_g(alpha_end)", o: { alphaMax: 30, step: 0.05, objective: "final" as const }, eta: [0.9, 0.5, 1.1, 0.7, 1.2, 0.6] },
    { name: "reference setting, integral of eps_g", o: { alphaMax: 30, step: 0.05, objective: "integral" as const }, eta: [0.9, 0.5, 1.1, 0.7, 1.2, 0.6] },
    {
      name: "erf, K = 2, M = 3, correlated teachers",
      o: { activation: "erf" as const, K: 2, M: 3, T: [[1, 0.2, 0], [0.2, 1, 0], [0, 0, 0.5]], Q0: [[0.3, 0.05], [0.05, 0.2]], R0: [[0.1, 0.02, 0.01], [0.05, 0.01, 0.08]], alphaMax: 20, step: 0.05 },
      eta: [1.5, 0.8, 2.2, 1.1],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = scheduleObjective({ ...c.o, eta: c.eta });
      expect(r.status).toBe("completed");
      const phi = (eta: number[]) => scheduleObjective({ ...c.o, eta, gradient: false }).value;
      const scale = Math.max(...r.gradient!.map(Math.abs));
      c.eta.forEach((v, j) => {
        const at = (d: number) => phi(c.eta.map((w, k) => (k === j ? w + d : w)));
        const d = 1e-3;
        const coarse = (at(d) - at(-d)) / (2 * d), fine = (at(d / 2) - at(-d / 2)) / d;
        const fd = (4 * fine - coarse) / 3;
        // relative to the component itself; components far below the gradient's scale (< 1 %) relative to that scale
        expect(Math.abs(r.gradient![j] - fd) / Math.max(Math.abs(fd), 1e-2 * scale)).toBeLessThan(1e-6);
      });
      // the objective is that of integrate() with the piecewise schedule and the same step
      if (c.o.objective !== "integral") {
        const bounds = c.eta.map((_, j) => (c.o.alphaMax * j) / c.eta.length);
        const { alphaMax: _a, objective: _o, ...setting } = c.o as typeof c.o & { objective?: string };
        const ode = integrate({ ...setting, learningRateSchedule: `piecewise:${bounds.map((b, j) => `${b}:${c.eta[j]}`).join(",")}`, alphas: [...bounds, c.o.alphaMax] });
        expect(ode.eg[ode.eg.length - 1]).toBe(r.value);
      }
    });
  }
});

describe("the optimal schedule is never worse than the greedy one nor than the best constant rate", () => {
  // eps_g at the horizon, the same discretisation (RK4 with the optimisation's step) for all three.
  // Short horizons and few intervals keep the test lean; each setting has a plateau where the
  // greedy rate stalls (measured margins: greedy 13x, 57x and 1.008x the optimum; the best
  // constant rate 6x, 1.26x and 1.04x).
  const settings = [
    { name: "reference setting, alpha_end = 60", o: { alphaMax: 60, intervals: 12, step: 0.1 } },
    { name: "relu, T = I, alpha_end = 50", o: { T: [[1, 0], [0, 1]], Q0: [[0.3, 0], [0, 0.2]], R0: [[1e-2, 0], [0, 1e-2]], alphaMax: 50, intervals: 10, step: 0.1 } },
    { name: "erf, K = 2, M = 1, alpha_end = 30", o: { activation: "erf" as const, K: 2, M: 1, T: [[1]], Q0: [[0.2, 0.05], [0.05, 0.15]], R0: [[0.1], [0.05]], alphaMax: 30, intervals: 10, step: 0.1 } },
  ];
  for (const s of settings) {
    it(s.name, () => {
      const r = optimalSchedule({ ...s.o, maxIterations: 12 });
      expect(r.status).toBe("completed");
      expect(r.optimal.value).toBeLessThan(r.startValue); // the optimiser moved
      expect(r.optimal.value).toBeLessThanOrEqual(r.greedy.value);
      expect(r.optimal.value).toBeLessThanOrEqual(r.constant.value);
      expect(r.optimal.value).toBeLessThanOrEqual(r.startValue);
      // the reported value is that of the reported rates
      expect(scheduleObjective({ ...s.o, eta: r.eta, gradient: false }).value).toBe(r.optimal.value);
      // and the best constant rate is a minimum of the rate scan's neighbourhood
      for (const f of [0.98, 1.02]) expect(scheduleObjective({ ...s.o, eta: new Array(r.eta.length).fill(f * r.constant.learningRate!), gradient: false }).value).toBeGreaterThanOrEqual(r.constant.value);
    });
  }
});

describe("for the linear network the optimal schedule matches the closed form", () => {
  // Linear student and teacher, K = M = 1: d eps_g / d alpha = eps_g (eta^2 - 2 eta) exactly, a
  // closed linear subsystem, so RK4 multiplies eps_g per step by P(h (eta^2 - 2 eta)) with P the
  // RK4 polynomial, increasing on the range met here: the optimum of the discretised problem is
  // eta = 1 on every interval (eta = etaMax when etaMax < 1), for eps_g(alpha_end) and for its
  // integral, and the minimum is eps_g(0) P(-h)^(alpha_end / h). Started away from it (random
  // rates in [0.2, 1.8]), the optimiser must find it.
  const o = { activation: "linear" as const, T: [[1]], Q0: [[0.6]], R0: [[0.1]], alphaMax: 6, intervals: 6, step: 0.05 };
  const initial = [0.3, 1.7, 0.5, 1.4, 0.2, 1.8];
  it("eps_g(alpha_end): eta = 1 everywhere, and the closed-form minimum", () => {
    const r = optimalSchedule({ ...o, initial, maxIterations: 60, gradientTolerance: 1e-10 });
    for (const v of r.eta) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
    const h = 0.05, P = 1 - h + h ** 2 / 2 - h ** 3 / 6 + h ** 4 / 24;
    const eg0 = 0.5 * (0.6 - 2 * 0.1 + 1);
    expect(Math.abs(r.optimal.value / (eg0 * P ** (6 / h)) - 1)).toBeLessThan(1e-9);
    expect(r.start).toBe("initial");
  });
  it("the integral of eps_g, and etaMax below 1: every rate at etaMax", () => {
    const integral = optimalSchedule({ ...o, objective: "integral", initial, maxIterations: 60, gradientTolerance: 1e-10 });
    for (const v of integral.eta) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
    const capped = optimalSchedule({ ...o, etaMax: 0.7, initial: initial.map((v) => Math.min(v, 0.7)), maxIterations: 60 });
    expect(capped.eta).toEqual(new Array(6).fill(0.7));
    expect(capped.atUpperBound).toBe(6);
  });
});
