// The ODE, the simulation, fixed points and the options with the activations of docs/theory.md
// section 10: the ODE against finite-d SGD, the O(eta) part of the right-hand side against
// gradient flow on eps_g, one SGD step against the right-hand side, the perfect-learning fixed
// point, and the resolved options.
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type Activation } from "../src/core/exports";
import { fixedPoints, generalizationError, integrate, integrateSymmetric, learningRateRegimes, orderParameterDerivatives, simulateSync, stepDrift, matrix } from "./helpers";

const params = { slope: 0.2, hermiteCoefficients: [0.2, 0.8, 0.3, -0.15] };
// an asymmetric start far from any plateau, K = M = 2, T = I
const SETTING = { T: [[1, 0], [0, 1]], Q0: [[0.5, 0.05], [0.05, 0.4]], R0: [[0.3, 0.05], [0.02, 0.35]] };
// K = 2 students, M = 1 teacher: I4 over at most three distinct variables (fast quadrature)
const SMALL = { T: [[1]], Q0: [[0.5, 0.1], [0.1, 0.4]], R0: [[0.3], [0.2]] };
// hermite2 (g' = 2 x) diverges at eta = 0.5 from SETTING: smaller weights and v = v* = 1/2
const H2 = { T: [[0.2, 0], [0, 0.2]], Q0: [[0.1, 0.01], [0.01, 0.08]], R0: [[0.06, 0.01], [0, 0.07]], v: [0.5, 0.5], vStar: [0.5, 0.5] };

describe("ODE against finite-d SGD (simulateSync, d = 1000, 16 runs)", () => {
  // From an asymmetric start up to alpha = 1.5 (3 for hermite2; no plateau, no relabelling:
  // matchTo "none"); the simulation's mean of every Q, R and eps_g within 4.5 standard errors of
  // the ODE (O(1/d) finite-size bias ~1e-3 against standard errors ~5e-3). RK4 with step 0.05
  // (its error ~1e-7).
  type Setting = { T: number[][]; Q0: number[][]; R0: number[][]; v?: number[]; vStar?: number[] };
  const cases: [Activation, Activation, number, Setting][] = [
    ["tanh", "tanh", 0.5, SMALL], ["tanh", "tanh", 1, SMALL],
    ["gelu", "gelu", 0.5, SETTING], ["gelu", "gelu", 1, SETTING],
    ["hermite2", "hermite2", 0.5, H2], ["hermite2", "hermite2", 1, H2],
    ["gelu", "tanh", 0.7, SMALL],
  ];
  for (const [student, teacher, eta, s] of cases) {
    it(`student ${student}, teacher ${teacher}, eta = ${eta}`, () => {
      const alphas = s === H2 ? [0, 1, 2, 3] : [0, 0.5, 1, 1.5];
      const o = { ...s, activation: student, teacherActivation: teacher, learningRate: eta };
      const sim = simulateSync({ ...o, d: 1000, runs: 16, seed: 17, alphas, matchTo: "none" });
      const ode = integrate({ ...o, alphas: Array.from(sim.alpha), step: 0.05 });
      expect(ode.status).toBe("completed");
      const K = s.Q0.length, M = s.T.length;
      const n = sim.stats.runs;
      const z = (mean: number, std: number, x: number) => Math.abs(mean - x) / (std / Math.sqrt(n));
      let worst = 0;
      for (let t = 1; t < alphas.length; t++) {
        worst = Math.max(worst, z(sim.eg.mean[t], sim.eg.std[t], ode.eg[t]));
        for (let i = 0; i < K; i++) {
          for (let j = 0; j < K; j++) worst = Math.max(worst, z(sim.Q.mean[t][i][j], sim.Q.std[t][i][j], ode.Q[t][i][j]));
          for (let m = 0; m < M; m++) worst = Math.max(worst, z(sim.R.mean[t][i][m], sim.R.std[t][i][m], ode.R[t][i][m]));
        }
      }
      expect(worst).toBeLessThan(4.5);
      // the ODE moved by more than 5 standard errors of the simulation (not a comparison of constants)
      const last = alphas.length - 1;
      expect(Math.abs(ode.R[last][0][0] - s.R0[0][0])).toBeGreaterThan(5 * sim.R.std[last][0][0] / Math.sqrt(n));
    });
  }
});

describe("the O(eta) part of the right-hand side is gradient flow on eps_g, for every activation", () => {
  // dR_in/dalpha = -eta grad_{w_i} E . w*_n + O(eta^2), dQ_ik/dalpha = -eta (grad_i E . w_k +
  // grad_k E . w_i) + O(eta^2) (docs/theory.md sections 7, 12), grad_{w_i} E = sum_k G_ik w_k +
  // sum_n dE/dR_in w*_n with G_ik = dE/dQ_ik + dE/dQ_ki by central differences of
  // generalizationError (h = 1e-4: truncation ~h^2 E''' ~ 1e-8; the averages' rounding / h ~ 1e-11;
  // quadrature activations at averageTolerance 1e-13 so that eps_g is smooth to ~1e-13 / h).
  // F(eta) = eta A + eta^2 B, so A = 2 F(1) - F(2) / 2. Tolerance 2e-6 against entries ~0.1:
  // dropping or halving any term of the right-hand side changes them by far more.
  const Q = [[0.6, 0.1], [0.1, 0.5]], R = [[0.35], [0.25]], T = [[1.2]];
  for (const act of ACTIVATIONS) {
    const teacher: Activation = act === "tanh" ? "relu" : act;
    it(`${act}${teacher !== act ? ` (teacher ${teacher})` : ""}`, () => {
      const base = { activation: act, teacherActivation: teacher, T, ...params, averageTolerance: 1e-13 };
      const E = (q: number[][], r: number[][]) => generalizationError({ ...base, Q: q, R: r });
      const h = 1e-4;
      const G = [[0, 0], [0, 0]], dR = [[0], [0]];
      for (let i = 0; i < 2; i++) {
        for (let k = 0; k < 2; k++) {
          const qs = (d: number) => Q.map((row, a) => row.map((x, b) => x + ((a === i && b === k) || (a === k && b === i) ? d : 0)));
          G[i][k] = ((E(qs(h), R) - E(qs(-h), R)) / (2 * h)) * (i === k ? 2 : 1);
        }
        const rs = (d: number) => R.map((row, a) => row.map((x) => x + (a === i ? d : 0)));
        dR[i][0] = (E(Q, rs(h)) - E(Q, rs(-h))) / (2 * h);
      }
      const gw = (i: number, k: number) => G[i][0] * Q[0][k] + G[i][1] * Q[1][k] + dR[i][0] * R[k][0];
      const gws = (i: number) => G[i][0] * R[0][0] + G[i][1] * R[1][0] + dR[i][0] * T[0][0];
      const f1 = orderParameterDerivatives({ ...base, Q, R, learningRate: 1 });
      const f2 = orderParameterDerivatives({ ...base, Q, R, learningRate: 2 });
      let scale = 0;
      for (let i = 0; i < 2; i++) {
        for (let k = 0; k < 2; k++) {
          const linQ = 2 * f1.dQ[i][k] - f2.dQ[i][k] / 2;
          expect(Math.abs(linQ + gw(i, k) + gw(k, i)), `dQ ${i}${k}: ${linQ} vs ${-(gw(i, k) + gw(k, i))}`).toBeLessThan(2e-6 * Math.max(1, Math.abs(linQ)));
          scale = Math.max(scale, Math.abs(linQ));
        }
        const linR = 2 * f1.dR[i][0] - f2.dR[i][0] / 2;
        expect(Math.abs(linR + gws(i)), `dR ${i}: ${linR} vs ${-gws(i)}`).toBeLessThan(2e-6 * Math.max(1, Math.abs(linR)));
      }
      expect(scale).toBeGreaterThan(1e-3); // not a trivial zero
    });
  }
});

describe("one SGD step at finite d drifts R as the ODE says (stepDrift)", () => {
  // E[d Delta R] equals dR/dalpha exactly at any d: 1e5 draws at d = 500, within 5 standard errors
  for (const [act, teacher] of [["tanh", "tanh"], ["softplus", "hermite3"], ["leakyRelu", "abs"]] as [Activation, Activation][]) {
    it(`student ${act}, teacher ${teacher}`, () => {
      const o = { ...SMALL, activation: act, teacherActivation: teacher, learningRate: 0.5, ...params };
      const drift = stepDrift({ ...o, d: 500, draws: 100_000, seed: 5 });
      const ode = orderParameterDerivatives({ ...o, Q: SMALL.Q0, R: SMALL.R0 });
      for (let i = 0; i < 2; i++) expect(Math.abs(drift.dR[i][0] - ode.dR[i][0]), `R ${i}`).toBeLessThan(5 * drift.dRStandardError[i][0]);
    });
  }
});

describe("fixed points and learning-rate regimes with other activations", () => {
  it("the perfect student (Q = R = T) is a fixed point found by Newton, for tanh and gelu", () => {
    for (const act of ["tanh", "gelu"] as Activation[]) {
      const r = fixedPoints({ activation: act, T: [[1]], Q0: [[0.5]], R0: [[0.3]], learningRate: 0.5, multiStart: 2, seed: 3 });
      const perfect = r.fixedPoints.find((p) => Math.abs(p.R[0][0] - 1) < 1e-8 && Math.abs(p.Q[0][0] - 1) < 1e-8);
      expect(perfect, `${act}: ${JSON.stringify(r.fixedPoints.map((p) => [p.Q, p.R]))}`).toBeDefined();
      expect(r.options.activation).toBe(act);
    }
  });
  it("etaPerfectStable of tanh (K = M = 1) separates converging from departing trajectories", () => {
    const r = learningRateRegimes({ activation: "tanh", K: 1, M: 1, T: [[1]], Q0: [[0.5]], R0: [[0.4]], which: ["etaPerfectStable"], precision: 1e-3 });
    const t = r.etaPerfectStable!;
    expect(t.value).not.toBeNull();
    const [lo, hi] = t.bracket!;
    // start 1e-3 away from perfect learning: below the threshold the distance shrinks, above it grows
    const run = (eta: number) => integrate({ activation: "tanh", T: [[1]], Q0: [[1.001]], R0: [[1]], learningRate: eta, alphaMax: 40, samples: 2, integrator: "adaptive" });
    const dist = (o: ReturnType<typeof run>) => Math.abs(o.Q[o.Q.length - 1][0][0] - 1) + Math.abs(o.R[o.R.length - 1][0][0] - 1);
    expect(dist(run(lo * 0.9))).toBeLessThan(1e-3);
    const above = run(hi * 1.1);
    expect(above.status === "diverged" || dist(above) > 1e-3).toBe(true);
  });
});

describe("options: the resolved activation parameters", () => {
  it("integrate shows slope and hermiteCoefficients, and how its averages were computed", () => {
    const r = integrate({ ...SMALL, activation: "hermiteCoefficients", teacherActivation: "leakyRelu", ...params, alphaMax: 0.2, samples: 2 });
    expect(r.options.slope).toBe(0.2);
    expect(r.options.hermiteCoefficients).toEqual(params.hermiteCoefficients);
    expect(r.averages.method).toBe("exact");
    expect(r.averages.tolerance).toBeNull();
    const t = integrate({ ...SMALL, activation: "silu", alphaMax: 0.1, samples: 2, averageTolerance: 1e-8 });
    expect(t.averages.method).toBe("quadrature");
    expect(t.averages.tolerance).toBe(1e-8);
    expect(t.averages.quadratureAverages).toBeGreaterThan(0);
    expect(integrate({ ...SMALL, alphaMax: 0.1, samples: 2 }).averages.method).toBe("closed form");
    expect(integrate({ ...SMALL, activation: "leakyRelu", alphaMax: 0.1, samples: 2 }).options.slope).toBe(0.01);
  });
  it("the slope changes the model (leakyRelu) and the coefficients are the polynomial (hermite3 = [0, 0, 0, 1])", () => {
    const a = integrate({ ...SMALL, activation: "leakyRelu", slope: 0.3, alphaMax: 0.5, samples: 2 });
    const b = integrate({ ...SMALL, activation: "leakyRelu", slope: 0.1, alphaMax: 0.5, samples: 2 });
    expect(a.eg[1]).not.toBe(b.eg[1]);
    const c = integrate({ ...SMALL, activation: "hermiteCoefficients", hermiteCoefficients: [0, 0, 0, 1], alphaMax: 0.2, samples: 2, learningRate: 0.02 });
    const d = integrate({ ...SMALL, activation: "hermite3", alphaMax: 0.2, samples: 2, learningRate: 0.02 });
    expect(c.status).toBe("completed");
    expect(Math.abs(c.eg[1] - d.eg[1])).toBeLessThan(1e-14);
  });
  it("bad parameters are refused before any work, naming the option", () => {
    expect(() => integrate({ ...SMALL, activation: "hermiteCoefficients" })).toThrow(/hermiteCoefficients is required with activation "hermiteCoefficients"/);
    expect(() => simulateSync({ ...SMALL, teacherActivation: "hermiteCoefficients" })).toThrow(/hermiteCoefficients is required with teacherActivation/);
    expect(() => integrate({ ...SMALL, activation: "leakyRelu", slope: NaN })).toThrow(/slope must be a finite number/);
    expect(() => integrate({ ...SMALL, activation: "tanh", averageTolerance: 2 })).toThrow(/averageTolerance must be a finite number >= 1e-14 and <= 0.001; got 2/);
  });
});

describe("the site-symmetric ODE with other activations equals the full ODE started in the same site-symmetric state", () => {
  // Same integrator and steps, so the two trajectories differ only by the rounding of the two
  // right-hand sides (exact routes: ~1e-14) or by the quadrature's tolerance (5e-10 per average,
  // the two codes lay out the covariance differently): bound 1e-10 relative for the exact routes
  // and 2e-8 for quadrature. A wrong class count or a side of the wrong activation changes the
  // rates by O(1e-2) relative.
  const cases: { act: Activation; teacher: Activation; K: number; alphaMax: number; step: number; bound: number; eta?: number }[] = [
    { act: "leakyRelu", teacher: "leakyRelu", K: 3, alphaMax: 4, step: 0.1, bound: 1e-10 },
    { act: "hermite2", teacher: "hermite2", K: 2, alphaMax: 2, step: 0.05, bound: 1e-10, eta: 0.1 },
    { act: "abs", teacher: "hermiteCoefficients", K: 2, alphaMax: 2, step: 0.1, bound: 1e-10 },
    { act: "gelu", teacher: "erf", K: 2, alphaMax: 1, step: 0.25, bound: 1e-10 },
    { act: "tanh", teacher: "tanh", K: 2, alphaMax: 1, step: 0.5, bound: 2e-8 },
  ];
  for (const c of cases) {
    it(`${c.act}/${c.teacher}, K = ${c.K}`, () => {
      const [Q0, C0, R0, S0] = [0.3, 0.05, 0.15, 0.03];
      const common = { activation: c.act, teacherActivation: c.teacher, ...params, learningRate: c.eta ?? 0.5, alphaMax: c.alphaMax, samples: 3, step: c.step };
      const full = integrate({ ...common, T: matrix(c.K, 1, 0), Q0: matrix(c.K, Q0, C0), R0: matrix(c.K, R0, S0), v: new Array(c.K).fill(0.8), vStar: new Array(c.K).fill(1) });
      const sym = integrateSymmetric({ ...common, K: c.K, T: 1, v: 0.8, vStar: 1, Q0, C0, R0, S0 });
      expect(full.status).toBe("completed");
      expect(sym.status).toBe(full.status);
      const series = {
        Q: [sym.Q, full.Q.map((q) => q[0][0])], C: [sym.C, full.Q.map((q) => q[0][1])],
        R: [sym.R, full.R.map((r) => r[0][0])], S: [sym.S, full.R.map((r) => r[1][0])], eg: [sym.eg, Array.from(full.eg)],
      } as const;
      for (const [name, [a, b]] of Object.entries(series)) {
        const scale = Math.max(...Array.from(b, Math.abs));
        for (let s = 0; s < a.length; s++) expect(Math.abs(a[s] - b[s]), `${name} at alpha = ${sym.alpha[s]}`).toBeLessThanOrEqual(c.bound * scale);
      }
      // the trajectory moved: the comparison is not of two starting points
      expect(Math.abs(full.R[2][0][0] - R0)).toBeGreaterThan(1e-3);
    });
  }
});
