// The plateau, its escape and the learning-rate limits (docs/theory.md section 11) against
// independent methods: the growth of R - S along a trajectory of the site-symmetric ODE, the
// full ODE from asymmetric starts, the dense Jacobian of the full ODE at the plateau, and the
// full ODE's own perfect-learning stability limit (src/fixedpoints).
import { describe, expect, it } from "vitest";
import { centralJacobian, etaLimits, integrate, integrateSymmetric, OrderParameterSystem, plateau, type Activation, matrix, spectrumDistance } from "./helpers";
import { eigenvaluesOf } from "../src/symmetric/blocks";
import { perfectStabilityLimit as fullPerfectStabilityLimit } from "../src/fixedpoints/regimes";
import { OptionError, OptionTypeError } from "../src/core/errors";
import type { Eigenvalue } from "../src/fixedpoints/stability";


describe("plateau: fixed point, blocks and escape rate", () => {
  it("is a fixed point of the site-symmetric ODE with R = S, and the escape is specialisation (dR : dS = 1 : -1/(K-1), dQ = dC = 0)", () => {
    for (const [act, K, eta] of [["erf", 3, 0.2], ["relu", 10, 0.01], ["erf", 1000, 5e-4]] as const) {
      const p = plateau({ activation: act, K, learningRate: eta });
      expect(p.status).toBe("found");
      const f = p.fixedPoint!;
      expect(f.R).toBe(f.S);
      // the rates there, through the integrator's own right-hand side (one RK4 step of 1e-3 from the point)
      const r = integrateSymmetric({ activation: act, K, learningRate: eta, Q0: f.Q, C0: f.C, R0: f.R, S0: f.S, alphas: [0, 1e-3], step: 1e-3 });
      const scale = Math.max(f.Q, Math.abs(f.C), Math.abs(f.R));
      for (const [a, b] of [[r.Q[1], f.Q], [r.C[1], f.C], [r.R[1], f.R], [r.S[1], f.S]]) expect(Math.abs(a - b)).toBeLessThan(1e-14 * scale + 1e-3 * p.residual!);
      expect(p.residual!).toBeLessThan(1e-13 * scale * eta * K);
      const v = p.escapeDirection!.trivialEigenvector!;
      expect(Math.abs(v[0])).toBeLessThan(1e-6);
      expect(Math.abs(v[1])).toBeLessThan(1e-6);
      expect(v[3] / v[2]).toBeCloseTo(-1 / (K - 1), 6);
      expect(p.escapeDirection!.description).toMatch(/specialisation/);
    }
  });

  it("the escape rate is the growth rate of R - S along the site-symmetric ODE (independent: time integration)", () => {
    // Start on the plateau with R - S = 1e-10 R (along the escape direction) and integrate
    // (Dormand-Prince, rtol 1e-12) until R - S has grown 1e3-fold; the growth rate between the
    // half-way point and the end is lambda up to the nonlinear correction (~(R - S)/R ~ 1e-7) and
    // the integration error of R and S, which R - S inherits: observed <= 2e-6 relative, except
    // 1.2e-5 for erf at K = 100 (lambda ~ 7e-6: 1.6e5 steps). Tolerance 4e-5; a 1e-3 relative
    // error in one entry of the trivial block moves lambda by far more.
    for (const [act, K, eta] of [["erf", 2, 0.5], ["erf", 3, 0.2], ["relu", 3, 0.2], ["erf", 100, 0.005], ["relu", 100, 0.005]] as const) {
      const p = plateau({ activation: act, K, learningRate: eta });
      const lambda = p.escapeRate!;
      expect(lambda).toBeGreaterThan(0);
      const f = p.fixedPoint!;
      const d0 = 1e-10 * f.R;
      const alphaEnd = Math.log(1e3) / lambda;
      const r = integrateSymmetric({ activation: act, K, learningRate: eta, Q0: f.Q, C0: f.C, R0: f.R + d0 * (K - 1) / K, S0: f.S - d0 / K, alphas: [0, alphaEnd / 2, alphaEnd], integrator: "adaptive", rtol: 1e-12, atol: 1e-15 * f.R });
      expect(r.status).toBe("completed");
      const D = (s: number) => r.R[s] - r.S[s];
      const measured = Math.log(D(2) / D(1)) / (alphaEnd / 2);
      expect(Math.abs(measured / lambda - 1), `${act} K=${K}`).toBeLessThan(4e-5);
    }
  });

  const plateauStates: { act: Activation; K: number; eta: number }[] = [
    ...[2, 3, 4, 5, 6].map((K) => ({ act: "erf" as Activation, K, eta: 0.3 })),
    ...[2, 3, 4, 5].map((K) => ({ act: "relu" as Activation, K, eta: 0.2 })),
  ];
  for (const s of plateauStates) {
    it(`block eigenvalues at the plateau equal the dense Jacobian's, ${s.act}, K = ${s.K}, eta = ${s.eta}`, () => {
      // dense: central differences (Richardson) on the full ODE, all K(K+1)/2 + K^2 coordinates; agreement
      // observed ~1e-12 (each escape eigenvalue appears (K-1)^2 times: a wrong multiplicity fails the count)
      const p = plateau({ activation: s.act, K: s.K, learningRate: s.eta });
      const f = p.fixedPoint!;
      const sys = new OrderParameterSystem({ activation: s.act, T: matrix(s.K, 1, 0), Q0: matrix(s.K, f.Q, f.C), R0: matrix(s.K, f.R, f.S) });
      const u = sys.pack(matrix(s.K, f.Q, f.C), matrix(s.K, f.R, f.S));
      const dense = centralJacobian((x) => sys.rhs(x, s.eta), u, 1e-3);
      const fromBlocks = p.eigenvalues.flatMap((b) => b.values.flatMap((e) => new Array<Eigenvalue>(b.multiplicity).fill(e)));
      expect(spectrumDistance(fromBlocks, eigenvaluesOf(dense.J))).toBeLessThan(1e-9);
      const positive = eigenvaluesOf(dense.J).filter((e) => e.re > 1e-9);
      expect(positive.length).toBe((s.K - 1) ** 2);
      for (const e of positive) expect(Math.abs(e.re - p.escapeRate!)).toBeLessThan(1e-9);
    });
  }
});

describe("plateau length", () => {
  it("the full ODE from slightly asymmetric starts leaves the plateau after ln(1/delta)/lambda + O(1): relative error shrinking as delta -> 0", () => {
    // K = 3, erf, eta = 2/3: start at the plateau plus delta times a fixed random perturbation of
    // every Q_ik and R_in (seeded), integrate the FULL ODE, and take alpha_half where eps_g has
    // fallen half-way from its plateau value. Prediction: alpha_half = ln(1/delta)/lambda + c.
    const K = 3, eta = 2 / 3;
    const p = plateau({ activation: "erf", K, learningRate: eta });
    const lambda = p.escapeRate!, f = p.fixedPoint!;
    const sys = new OrderParameterSystem({ activation: "erf", T: matrix(K, 1, 0), Q0: matrix(K, f.Q, f.C), R0: matrix(K, f.R, f.S) });
    const u0 = sys.pack(matrix(K, f.Q, f.C), matrix(K, f.R, f.S));
    let seed = 12345;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const n = Array.from(u0, () => rand());
    const deltas = [1e-3, 1e-5, 1e-7, 1e-9];
    const half = deltas.map((delta) => {
      const u = u0.map((x, i) => x + delta * n[i]);
      const { Q, R } = sys.unpack(u);
      const alphaMax = Math.log(1 / delta) / lambda + 200;
      const r = integrate({ activation: "erf", T: matrix(K, 1, 0), Q0: Q, R0: R, learningRate: eta, alphaMax, samples: Math.ceil(alphaMax * 4) + 1, integrator: "adaptive", rtol: 1e-11, atol: 1e-14 });
      const target = f.eg / 2;
      const s = r.eg.findIndex((e, i) => i > 0 && e <= target && r.eg[i - 1] > target);
      expect(s).toBeGreaterThan(0);
      return r.alpha[s - 1] + ((r.eg[s - 1] - target) / (r.eg[s - 1] - r.eg[s])) * (r.alpha[s] - r.alpha[s - 1]);
    });
    const predicted = deltas.map((d) => Math.log(1 / d) / lambda);
    const rel = half.map((a, i) => Math.abs(a - predicted[i]) / a);
    for (let i = 1; i < rel.length; i++) expect(rel[i]).toBeLessThan(rel[i - 1]);
    // the slope d alpha_half / d ln(1/delta) is 1/lambda: between the two smallest deltas to 1e-3
    // (the linear-interpolation error of alpha_half on a 0.25 grid is ~1e-3 alpha units; 1/lambda ~ 40)
    const slope = (half[3] - half[2]) / Math.log(deltas[2] / deltas[3]);
    expect(Math.abs(slope * lambda - 1)).toBeLessThan(1e-3);
  });

  it("plateauLength = ln(D/delta)/lambda predicts the site-symmetric escape from the plateau at other deltas", () => {
    // D is determined from escapes started at delta = 1e-7 and 1e-9; checked here at 1e-4 and 1e-5,
    // where the O(delta) remainder is ~1e-4 of the escape time (observed 2e-6 .. 3e-5 relative)
    const K = 5, eta = 0.1;
    for (const delta of [1e-4, 1e-5]) {
      const p = plateau({ activation: "erf", K, learningRate: eta, delta });
      const f = p.fixedPoint!;
      const r = integrateSymmetric({ activation: "erf", K, learningRate: eta, Q0: f.Q, C0: f.C, R0: f.R + (delta * (K - 1)) / K, S0: f.S - delta / K, alphaMax: p.plateauLength! * 1.5, samples: 20001, integrator: "adaptive", rtol: 1e-11, atol: 1e-15 });
      const s = r.eg.findIndex((e, i) => i > 0 && e <= f.eg / 2 && r.eg[i - 1] > f.eg / 2);
      const measured = r.alpha[s - 1] + ((r.eg[s - 1] - f.eg / 2) / (r.eg[s - 1] - r.eg[s])) * (r.alpha[s] - r.alpha[s - 1]);
      expect(Math.abs(measured / p.plateauLength! - 1)).toBeLessThan(2e-4);
      expect(p.plateauLengthLeading).toBeCloseTo(Math.log(1 / delta) / p.escapeRate!, 10);
    }
  });
});

describe("etaLimits", () => {
  for (const act of ["erf", "relu"] as const) {
    it(`etaPerfectStable equals the full ODE's perfect-learning stability limit (dense boundary Jacobian, bisection), ${act}, K = 2, 3`, () => {
      // Both use weight-space differences on the boundary, but different code: the full ODE's dense
      // Jacobian in all coordinates and its own bisection, against the S_K blocks of the reduced ODEs.
      // Their entries carry errors ~1e-6 (one-sided sqrt extrapolation): agreement observed ~1e-6.
      const r = etaLimits({ activation: act, K: [2, 3], escape: false });
      for (const row of r.rows) {
        const sys = new OrderParameterSystem({ activation: act, T: matrix(row.K, 1, 0), Q0: matrix(row.K, 0.5, 0), R0: matrix(row.K, 0.1, 0) });
        const full = fullPerfectStabilityLimit(sys, 0.1, 1e-9);
        expect(full.value).not.toBeNull();
        expect(Math.abs(row.etaPerfectStable! / full.value! - 1), `K = ${row.K}`).toBeLessThan(2e-5);
      }
    });
  }

  it("perfect learning is recovered just below etaPerfectStable and lost just above (site-symmetric ODE, K = 100, erf)", () => {
    // independent of the Jacobian: a small site-symmetric displacement from Q = R = 1 (students
    // rescaled by 1 + 1e-4: a valid state) decays at 0.97 eta_c and grows at 1.03 eta_c (the
    // instability is in the trivial block for erf)
    const K = 100;
    const r = etaLimits({ activation: "erf", K: [K], escape: false });
    const etaC = r.rows[0].etaPerfectStable!;
    expect(r.rows[0].perfectLostIn!.representation).toBe("trivial");
    const dist = (eta: number) => {
      const e = 1e-4;
      const o = integrateSymmetric({ activation: "erf", K, learningRate: eta, Q0: (1 + e) ** 2, C0: 0, R0: 1 + e, S0: 0, alphas: [0, 2e4], integrator: "adaptive", rtol: 1e-10, atol: 1e-14 });
      const last = o.alpha.length - 1;
      return Math.hypot(o.Q[last] - 1, o.C[last] * K, o.R[last] - 1, o.S[last] * K);
    };
    expect(dist(0.97 * etaC)).toBeLessThan(1e-5);
    expect(dist(1.03 * etaC)).toBeGreaterThan(1e-3);
  });

  it("the escape rate at etaOptimalEscape exceeds the rate 1% away on either side (and matches plateau())", () => {
    for (const act of ["erf", "relu"] as const) {
      const r = etaLimits({ activation: act, K: [10] });
      const row = r.rows[0];
      expect(row.etaOptimalEscape).not.toBeNull();
      const rate = (eta: number) => plateau({ activation: act, K: 10, learningRate: eta }).escapeRate!;
      const at = rate(row.etaOptimalEscape!);
      expect(Math.abs(at / row.maxEscapeRate! - 1)).toBeLessThan(1e-7);
      expect(rate(row.etaOptimalEscape! * 0.99)).toBeLessThan(at);
      expect(rate(row.etaOptimalEscape! * 1.01)).toBeLessThan(at);
    }
  });
});

describe("options", () => {
  it("bad input: OptionError / OptionTypeError naming the option and the accepted range, before any work", () => {
    const cases: [() => unknown, string, RegExp][] = [
      [() => integrateSymmetric({ K: 0 }), "K", /integer >= 1/],
      [() => integrateSymmetric({ K: 2.5 }), "K", /integer/],
      [() => integrateSymmetric({ K: 2e6 }), "K", /<= 1000000/],
      [() => integrateSymmetric({ T: [[1, 0], [0, 1]] as unknown as number }), "T", /t > 0/],
      [() => integrateSymmetric({ T: -1 }), "T", /> 0/],
      [() => integrateSymmetric({ activation: "tanh2" as Activation }), "activation", /one of/],
      [() => integrateSymmetric({ K: 3, Q0: 0.2, C0: 0.5 }), "C0", /positive semi-definite/],
      [() => integrateSymmetric({ learningRate: 0 }), "learningRate", /> 0/],
      [() => integrateSymmetric({ learningRate: 1, eta: 2 }), "learningRate", /same option/],
      [() => integrateSymmetric({ alphas: [0, 2, 1] }), "alphas", /increasing/],
      [() => integrateSymmetric({ Q0: 1, divergenceBound: 0.5 }), "divergenceBound", /> 1/],
      [() => plateau({ delta: 0.5 }), "delta", /<= 0.1/],
      [() => plateau({ K: 1 }), "K", />= 2/],
      [() => etaLimits({ K: [1, 3] }), "K", /2 \.\. 1000000/],
      [() => etaLimits({ K: 5 as unknown as number[] }), "K", /array/],
    ];
    for (const [f, option, accepted] of cases) {
      let err: unknown;
      try { f(); } catch (e) { err = e; }
      expect(err instanceof OptionError || err instanceof OptionTypeError, `${option}: ${String(err)}`).toBe(true);
      expect((err as OptionError).option).toBe(option);
      expect((err as OptionError).message).toMatch(accepted);
    }
  });
});
