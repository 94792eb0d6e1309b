// Learning-rate schedules (docs/theory.md section 12): constant schedules keep the bits of the
// constant-rate code, the greedy rate against a brute-force minimisation of finite-difference
// slopes, schedules in SGD against the ODE with the same schedule, and bad input.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { makeNormal } from "./reference/gaussian";
import { compare, generalizationError, integrate, optimalLocalLearningRate, orderParameterDerivatives, simulateSync, parseSchedule } from "./helpers";
import { OptionError, OptionTypeError } from "../src/core/errors";
// @ts-expect-error plain ES module shared with the fixture's generator
import { CASES, digest } from "./fixtures/constantSchedule/cases.mjs";

type Case = { name: string; kind: "integrate" | "simulateSync" | "rhs"; options: Record<string, unknown> };
const bits = JSON.parse(readFileSync(new URL("./fixtures/constantSchedule/bits.json", import.meta.url), "utf8")) as { cases: Record<string, { sha256: string; count: number }> };

function run(c: Case, extra: Record<string, unknown>) {
  const o = { ...c.options, ...extra };
  const r = c.kind === "integrate" ? integrate(o) : c.kind === "simulateSync" ? simulateSync(o) : orderParameterDerivatives(o as never);
  return digest(c.kind, r, createHash) as { sha256: string; count: number };
}

describe("with a constant schedule every result is bit-for-bit today's", () => {
  // bits.json holds the SHA-256 of every number of these results as computed before schedules
  // existed (test/fixtures/constantSchedule/generate.mjs at the commit before them). One changed
  // operation anywhere on the constant-rate path changes a hash.
  for (const c of CASES as Case[]) {
    it(`${c.name}: default and learningRateSchedule "constant"`, () => {
      expect(run(c, {})).toEqual(expect.objectContaining(bits.cases[c.name]));
      if (c.kind !== "rhs") expect(run(c, { learningRateSchedule: "constant" }).sha256).toBe(bits.cases[c.name].sha256);
    });
  }
  // the same rate written as schedules that the kernels evaluate at every stage and step: eta
  // itself, eta min(1, x^0) and eta / (1 + alpha / 1e300) are eta exactly, so the schedule's path
  // (rate set per stage, steps landing on breakpoints) must reproduce the bits as well
  for (const c of (CASES as Case[]).filter((c) => c.kind !== "rhs" && c.name !== "reference adaptive")) {
    it(`${c.name}: the rate as piecewise, power and inverse schedules`, () => {
      const eta = c.options.learningRate as number;
      const { learningRate: _omit, ...rest } = c.options;
      for (const s of [`piecewise:0:${eta}`, `power:${eta},1,0`, `inverse:${eta},1e300`]) {
        const r = run({ ...c, options: rest }, { learningRateSchedule: s });
        expect(r.sha256, s).toBe(bits.cases[c.name].sha256);
      }
    });
  }
});

/** Overlaps of random weight vectors: Q = W W^T, R = W W*^T, T = W* W*^T (d = K + M + 3: C well inside the positive definite cone). */
function randomState(K: number, M: number, seed: number) {
  const normal = makeNormal(seed);
  const d = K + M + 3;
  const W = Array.from({ length: K }, () => Array.from({ length: d }, () => 0.6 * normal()));
  const Ws = Array.from({ length: M }, () => Array.from({ length: d }, () => 0.8 * normal()));
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  return { K, M, Q: W.map((a) => W.map((b) => dot(a, b))), R: W.map((a) => Ws.map((b) => dot(a, b))), T: Ws.map((a) => Ws.map((b) => dot(a, b))) };
}

describe("the greedy rate equals a brute-force minimisation of the finite-difference d eps_g/d alpha over eta", () => {
  // Independent of the kernel's split F = F0 + eta F1 + eta^2 F2: for each eta the full
  // right-hand side F(u; eta) (orderParameterDerivatives), then d eps_g / d alpha = d/ds eps_g(u + s F)
  // by a fourth-order central difference of the public generalizationError (s |F|_inf = 1e-3:
  // truncation ~1e-12, rounding ~1e-13). The slope is a quadratic in eta, so its minimiser is the
  // vertex of the least-squares parabola through five etas (exact up to the differences' noise:
  // measured 7e-14 .. 3e-11 relative over these eight states); golden-section search on the same slopes confirms it is a minimum (to
  // its own resolution, sqrt(noise / a2) ~ 1e-5). Dropping or halving the eta^2 part moves the
  // greedy rate by a factor ~2: far outside 1e-8.
  const settings = [
    { activation: "relu", K: 2, M: 2 },
    { activation: "erf", K: 2, M: 3 },
    { activation: "relu", teacherActivation: "erf", K: 2, M: 2 },
    { activation: "linear", teacherActivation: "relu", K: 3, M: 2 },
  ] as const;
  const slopeAt = (base: Record<string, unknown>, Q: number[][], R: number[][], eta: number) => {
    const F = orderParameterDerivatives({ ...base, Q, R, learningRate: eta } as never);
    let n = 0;
    for (const row of [...F.dQ, ...F.dR]) for (const x of row) n = Math.max(n, Math.abs(x));
    const t = 1e-3 / n;
    const E = (s: number) => generalizationError({ ...base, Q: Q.map((r, i) => r.map((q, k) => q + s * t * F.dQ[i][k])), R: R.map((r, i) => r.map((x, m) => x + s * t * F.dR[i][m])) } as never);
    return (8 * (E(1) - E(-1)) - (E(2) - E(-2))) / (12 * t);
  };
  for (const s of settings) {
    for (const seed of [1, 2]) {
      it(`${s.activation}/${"teacherActivation" in s ? s.teacherActivation : s.activation}, K = ${s.K}, M = ${s.M}, random state ${seed}`, () => {
        const { Q, R, T } = randomState(s.K, s.M, 100 * seed + s.K + 10 * s.M);
        const base = { ...s, T };
        const g = optimalLocalLearningRate({ ...base, Q, R, etaMax: Infinity });
        expect(g.status).toBe("optimal");
        const etas = [0.25, 0.5, 0.75, 1, 1.25].map((f) => f * g.learningRate);
        const ys = etas.map((eta) => slopeAt(base, Q, R, eta));
        // least-squares parabola y = c0 + c1 eta + c2 eta^2 (normal equations, 3 x 3)
        const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => etas.reduce((acc, e) => acc + e ** (i + j), 0)));
        const b = [0, 1, 2].map((i) => etas.reduce((acc, e, k) => acc + e ** i * ys[k], 0));
        const det3 = (M: number[][]) => M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
        const col = (j: number) => A.map((row, i) => row.map((x, k) => (k === j ? b[i] : x)));
        const c1 = det3(col(1)) / det3(A), c2 = det3(col(2)) / det3(A);
        const vertex = -c1 / (2 * c2);
        expect(Math.abs(vertex / g.learningRate - 1)).toBeLessThan(1e-8);
        // the kernel's coefficients are those of the slope itself
        expect(Math.abs(g.coefficients.a2 / c2 - 1)).toBeLessThan(1e-8);
        // golden section on [0, 3 eta*]: a minimum, where the greedy rate says
        let lo = 0, hi = 3 * g.learningRate;
        const phi = (Math.sqrt(5) - 1) / 2;
        let x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = slopeAt(base, Q, R, x1), f2 = slopeAt(base, Q, R, x2);
        for (let it = 0; it < 40; it++) {
          if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = slopeAt(base, Q, R, x1); }
          else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = slopeAt(base, Q, R, x2); }
        }
        expect(Math.abs((lo + hi) / 2 / g.learningRate - 1)).toBeLessThan(1e-4);
      });
    }
  }
  it("statuses: capped at etaMax, and the linear network's rate 1", () => {
    const { Q, R, T } = randomState(2, 2, 7);
    const free = optimalLocalLearningRate({ T, Q, R, etaMax: Infinity });
    const capped = optimalLocalLearningRate({ T, Q, R, etaMax: free.learningRate / 2 });
    expect(capped.status).toBe("capped");
    expect(capped.learningRate).toBe(free.learningRate / 2);
    // linear student and teacher: d eps_g / d alpha = eps_g (eta^2 - 2 eta) (docs/theory.md section 12), so eta* = 1
    const lin = optimalLocalLearningRate({ activation: "linear", T: [[1]], Q: [[0.7]], R: [[0.2]] });
    expect(Math.abs(lin.learningRate - 1)).toBeLessThan(1e-9);
    const eg = 0.5 * (0.7 - 2 * 0.2 + 1);
    expect(Math.abs(lin.coefficients.a1 / (-2 * eg) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(lin.coefficients.a2 / eg - 1)).toBeLessThan(1e-9);
  });
});

describe("SGD with a schedule agrees with the ODE with the same schedule within standard errors", () => {
  // As test/mismatch.test.ts: alpha <= 3 from an asymmetric start (no plateau, no relabelling),
  // d = 1000, 16 runs; every Q, R and eps_g of the simulation mean within 4.5 standard errors of
  // the ODE (the O(1/d) bias ~1e-3 against standard errors ~5e-3). Each schedule changes the
  // trajectory by many standard errors against its constant rate at alpha = 0, so a kernel that
  // ignored the schedule (or read it at the wrong alpha) fails.
  const SETTING = { T: [[1, 0], [0, 1]], Q0: [[0.5, 0.05], [0.05, 0.4]], R0: [[0.3, 0.05], [0.02, 0.35]] };
  const alphas = [0, 0.5, 1, 1.5, 2, 2.5, 3];
  const worst = (sim: ReturnType<typeof simulateSync>, ode: ReturnType<typeof integrate>) => {
    const n = sim.stats.runs;
    const z = (mean: number, std: number, x: number) => Math.abs(mean - x) / (std / Math.sqrt(n));
    let w = 0;
    for (let s = 1; s < alphas.length; s++) {
      w = Math.max(w, z(sim.eg.mean[s], sim.eg.std[s], ode.eg[s]));
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) w = Math.max(w, z(sim.Q.mean[s][i][j], sim.Q.std[s][i][j], ode.Q[s][i][j]), z(sim.R.mean[s][i][j], sim.R.std[s][i][j], ode.R[s][i][j]));
    }
    return w;
  };
  for (const [activation, schedule] of [["relu", "piecewise:0:1.2,1:0.3,2.2:0.9"], ["erf", "inverse:2,0.5"], ["relu", "greedy"]] as const) {
    it(`${activation}, ${schedule}`, () => {
      const o = { ...SETTING, activation, learningRateSchedule: schedule };
      const sim = simulateSync({ ...o, d: 1000, runs: 16, seed: 21, alphas, matchTo: "none" });
      const ode = integrate({ ...o, alphas: Array.from(sim.alpha) });
      expect(ode.status).toBe("completed");
      expect(worst(sim, ode)).toBeLessThan(4.5);
      // the runs' rates are the schedule's (greedy: each run's own, near the ODE's)
      for (let s = 0; s < alphas.length; s++) expect(Math.abs(sim.eta.mean[s] - ode.eta[s])).toBeLessThan(schedule === "greedy" ? 0.05 * ode.eta[s] : 1e-15);
      // the schedule matters: the constant rate eta(0) is far away
      const flat = integrate({ ...SETTING, activation, learningRate: ode.eta[0], alphas: Array.from(sim.alpha) });
      expect(worst(sim, flat)).toBeGreaterThan(10);
    });
  }
  it("compare() restarted at alpha = 1.5 keeps the schedule's clock: its ODE is integrate() from the measured state with the schedule shifted by 1.5", async () => {
    // an independent route: the shifted schedule written out (breaks 1, 2.2 -> 0, 0.7); the two
    // differ only in the rounding of the breakpoint (2.2 - 1.5), so 1e-12 relative. A restart that
    // read the schedule from its own alpha = 0 would run at 1.2 instead of 0.3 (differences ~1e-2).
    const c = await compare({ ...SETTING, learningRateSchedule: "piecewise:0:1.2,1:0.3,2.2:0.9", d: 200, runs: 2, seed: 3, alphas, restartAlpha: 1.5, threads: 1 });
    const r = c.restart!;
    expect(r.alpha).toBe(1.5);
    const shifted = integrate({ ...SETTING, learningRateSchedule: "piecewise:0:0.3,0.7:0.9", Q0: c.simulation.Q.mean[r.sample], R0: c.simulation.R.mean[r.sample], alphas: [0, 0.5, 1, 1.5] });
    expect(Array.from(r.ode.alpha)).toEqual([1.5, 2, 2.5, 3]);
    expect(Array.from(r.ode.eta)).toEqual([0.3, 0.3, 0.9, 0.9]);
    r.ode.eg.forEach((x, i) => expect(Math.abs(x / shifted.eg[i] - 1)).toBeLessThan(1e-12));
  });
});

describe("schedules: syntax and bad input", () => {
  it("parses every form and writes the canonical text", () => {
    expect(parseSchedule("s", " inverse: 1, 10 ")).toEqual({ kind: "inverse", eta0: 1, a0: 10 });
    expect(parseSchedule("s", "power:1,10,0.5")).toEqual({ kind: "power", eta0: 1, a0: 10, beta: 0.5 });
    expect(parseSchedule("s", "piecewise:0:1,5e1:0.5")).toEqual({ kind: "piecewise", breaks: [0, 50], values: [1, 0.5] });
    expect(integrate({ learningRateSchedule: { kind: "piecewise", breaks: [0, 50], values: [1, 0.5] }, alphaMax: 1, samples: 2 }).options.learningRateSchedule).toBe("piecewise:0:1,50:0.5");
  });
  it.each([
    ["inverse:1", /inverse takes 2 numbers/],
    ["inverse:0,10", /ETA0 must be a finite number > 0/],
    ["power:1,10,-1", /BETA must be a finite number >= 0/],
    ["piecewise:1:1,2:0.5", /first break A1 must be 0/],
    ["piecewise:0:1,0:0.5", /breaks must increase strictly/],
    ["piecewise:0:1,5", /piece 2 is "5", not A:E/],
    ["greedy:2", /greedy takes no parameters/],
    ["cosine:1", /unknown kind "cosine"/],
  ])("%s is refused before any work, naming the option", (text, reason) => {
    let err: unknown;
    try {
      integrate({ learningRateSchedule: text, alphaMax: 1e9, samples: 2 });
    } catch (e) {
      err = e;
    }
    expect(err instanceof OptionError || err instanceof OptionTypeError).toBe(true);
    expect((err as OptionError).option).toBe("learningRateSchedule");
    expect((err as Error).message).toMatch(reason);
  });
  it("a constant learning rate that contradicts a schedule is refused", () => {
    expect(() => integrate({ learningRate: 0.5, learningRateSchedule: "inverse:1,10", alphaMax: 1, samples: 2 })).toThrow(/learningRate is set by the schedule "inverse:1,10"; give either a constant rate or a schedule/);
    // the resolved options (learningRate = the schedule's rate at 0) can be passed again
    const r = integrate({ learningRateSchedule: "inverse:1,10", alphaMax: 1, samples: 2 });
    expect(integrate({ ...r.options, alphas: r.options.alphas }).eg).toEqual(r.eg);
  });
});
