// Work estimates, limits, progress and abort (src/work, RunControl). No wall-clock assertions:
// the estimates are checked against the kernels' own work counters, refusals by their type and
// by the absence of any result, truncated results against the whole computation's bits.
import { describe, expect, it } from "vitest";
import {
  AbortError, WorkLimitError, compare, equilibrium, estimateWork, fixedPoints, integrate, populationDescent, REFERENCE_SETTING,
  simulateSync, symmetricCriticalPoints, transitions, WORK_KINDS,
} from "./helpers";
import * as nodeEntry from "../dist/index.node.js";
import { rhsCost, trajectoryRhs, trajectorySteps } from "../src/work/estimates";
import { CHUNK_SECONDS } from "../src/work/budget";
import { COST_MODEL } from "../src/work/costModel";

const eye = (n: number, s = 1) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? s : 0)));
const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const ref = { ...REFERENCE_SETTING, learningRate: 1 };

/** Runs f expecting a WorkLimitError; returns it. */
function refused(f: () => unknown): WorkLimitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkLimitError);
    return e as WorkLimitError;
  }
  throw new Error("not refused");
}

describe("refused before any work (the issue's examples)", () => {
  it("ode with K = M = 100: time, naming K and M", () => {
    const e = refused(() => integrate({ activation: "relu", K: 100, M: 100, T: eye(100), Q0: eye(100, 0.1), R0: zeros(100, 100), alphaMax: 1 }));
    expect(e.kind).toBe("time");
    expect(e.estimate.drivers).toContain("K");
    expect(e.message).toMatch(/integrate: estimated .* exceeds maxWork = 600 s.*reduce .*K/);
  });
  it("ode to alpha = 1e12 (the run's maxSteps = 1e7 steps, over a minute) and ode with 1e7 samples", () => {
    const e1 = refused(() => integrate({ ...ref, alphaMax: 1e12, maxWork: 60 }));
    expect(e1.estimate.drivers[0]).toBe("alphaMax");
    expect(e1.estimate.breakdown).toMatch(/^1\.00e\+7 rk4 steps/);
    const e = refused(() => integrate({ ...ref, samples: 1e7 }));
    expect(e.estimate.seconds > e.limit || e.estimate.memoryBytes > 3 * 2 ** 30).toBe(true);
  });
  it("sgd at d = 1e7", () => {
    expect(refused(() => simulateSync({ ...ref, d: 1e7, runs: 10 })).estimate.drivers).toContain("d");
  });
  it("popgrad at K = 10000: memory of the full-space Hessians", () => {
    const e = refused(() => symmetricCriticalPoints({ K: 10000 }));
    expect(e.kind).toBe("memory");
  });
  it("maxWork lifts the limit; a refusal names the estimate's breakdown", () => {
    const est = estimateWork("integrate", { ...ref, alphaMax: 1e12 });
    expect(est.breakdown).toMatch(/rk4 steps x 4 right-hand sides/);
    const e = refused(() => integrate({ ...ref, alphaMax: 30, maxWork: 1e-6 }));
    expect(e.limit).toBe(1e-6);
  });
  it("bad control fields are option errors", () => {
    expect(() => integrate({ ...ref, maxWork: 0 })).toThrow(/maxWork must be/);
    expect(() => integrate({ ...ref, workLimitAction: "stop" as never })).toThrow(/workLimitAction must be one of "refuse", "truncate"/);
  });
});

describe("truncate: the part that fits, bit for bit", () => {
  it("integrate stops at maxWork with status max-work and a prefix of the whole trajectory", () => {
    const whole = integrate({ ...ref, alphaMax: 100, samples: 101 });
    // work is charged per right-hand side at its panel-free cost plus the orthant panels the kernel
    // counts; the reference setting (K = M = 2, diagonal T) needs no four-variable orthant (A_23 = 0)
    const perRhs = rhsCost({ ...ref, teacherActivation: "relu" }).perRhs;
    const allowed = Math.round(0.3 * whole.stats.rhsEvaluations);
    const part = integrate({ ...ref, alphaMax: 100, samples: 101, maxWork: allowed * perRhs, workLimitAction: "truncate" });
    expect(part.status).toBe("max-work");
    expect(part.message).toMatch(/stopped at maxWork/);
    expect(part.alpha.length).toBeGreaterThan(5);
    expect(part.alpha.length).toBeLessThan(60);
    expect(Array.from(part.eg)).toEqual(Array.from(whole.eg.subarray(0, part.eg.length)));
    // the right-hand sides counted by the kernel stay within the allowance (no clock involved)
    // (a chunk ends after the step under way: at most one RK4 step, 4 right-hand sides, beyond)
    expect(part.stats.rhsEvaluations).toBeGreaterThanOrEqual(allowed);
    expect(part.stats.rhsEvaluations).toBeLessThanOrEqual(allowed + 4);
  });
  it("refused even in truncate mode when the first chunk cannot fit", () => {
    const e = refused(() => integrate({ ...ref, alphaMax: 1e12, maxWork: 1e-12, workLimitAction: "truncate" }));
    expect(e.message).toMatch(/even its first part/);
  });
  it("simulateSync keeps the samples that fit, equal to the whole run's", () => {
    const o = { ...ref, d: 200, runs: 2, alphaMax: 20, samples: 21, seed: 3 };
    const whole = simulateSync(o);
    const est = estimateWork("simulateSync", o);
    const part = simulateSync({ ...o, maxWork: est.seconds * 0.5, workLimitAction: "truncate" });
    expect(part.status).toBe("max-work");
    expect(part.alpha.length).toBeGreaterThan(2);
    expect(part.alpha.length).toBeLessThan(21);
    expect(Array.from(part.eg.mean)).toEqual(Array.from(whole.eg.mean.subarray(0, part.alpha.length)));
  });
  it("compare: the ODE in full, the runs cut to what remains, on the same samples", async () => {
    // the runs dominate the estimate (d = 2000): the ODE's share fits, half of the runs' does
    const o = { ...ref, d: 2000, runs: 2, alphaMax: 20, samples: 21, seed: 3, threads: 1 };
    const est = estimateWork("compare", o), ode = estimateWork("integrate", { ...ref, alphaMax: 20, samples: 21 });
    const c = await compare({ ...o, maxWork: ode.seconds + 0.5 * (est.seconds - ode.seconds), workLimitAction: "truncate" });
    expect(c.simulation.status).toBe("max-work");
    expect(c.ode.status).toBe("completed");
    expect(c.ode.alpha.length).toBe(c.simulation.alpha.length);
    expect(c.simulation.alpha.length).toBeLessThan(21);
    // refused before any run, naming the option and the one it is checked against
    await expect(compare({ ...o, restartAlpha: 1e9 })).rejects.toMatchObject({ name: "OptionError", option: "restartAlpha", value: 1e9, related: ["alphaMax"] });
  });
  it("fixedPoints stops after the starts that fit", () => {
    const o = { activation: "erf" as const, K: 2, M: 2, T: eye(2), Q0: eye(2, 0.5), R0: zeros(2, 2), learningRate: 0.5, multiStart: 8 };
    const est = estimateWork("fixedPoints", o);
    const part = fixedPoints({ ...o, maxWork: est.seconds / 10, workLimitAction: "truncate" });
    expect(part.status).toBe("max-work");
    const whole = fixedPoints(o);
    expect(whole.status).toBe("completed");
    expect(part.stats.rhsEvaluations).toBeLessThan(whole.stats.rhsEvaluations);
  });
});

describe("progress and abort", () => {
  it("integrate reports at the start (nothing done, the estimate) and then alpha reached, rising, every 0.1 s of work", () => {
    const seen: { done: number; fraction: number; remaining: number }[] = [];
    const r = integrate({ ...ref, onProgress: (p) => { expect(p.unit).toBe("alpha"); expect(p.total).toBe(300); seen.push({ done: p.done, fraction: p.fraction, remaining: p.remainingSeconds! }); } });
    expect(seen[0]).toEqual({ done: 0, fraction: 0, remaining: estimateWork("integrate", ref).seconds });
    const perRhs = rhsCost({ ...ref, teacherActivation: "relu" }).perRhs; // no orthant panels here (see above)
    // the chunks after the first (sized by the typical cost, before any was seen): 0.1 s of work, the last RK4 step (4 right-hand sides) finished
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 2; i < seen.length; i++) {
      const spent = seen[i - 1].remaining - seen[i].remaining;
      expect(spent).toBeGreaterThanOrEqual(CHUNK_SECONDS - perRhs);
      expect(spent).toBeLessThanOrEqual(CHUNK_SECONDS + 4 * perRhs);
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThan(seen[i - 1].done);
    expect(seen.at(-1)!.done).toBeLessThan(300);
    expect(r.status).toBe("completed");
  });
  it("a ReLU run is charged by its orthant panels: from a plateau-like state (many panels per right-hand side) the same maxWork buys fewer right-hand sides", () => {
    // K = M = 3 with T != diagonal-free: the four-variable orthant integrals are needed; their panels depend on the state
    const base = { activation: "relu" as const, K: 3, M: 3, T: eye(3), learningRate: 0.5, alphaMax: 50, samples: 51, workLimitAction: "truncate" as const };
    const plateauLike = { ...base, Q0: [[0.5, 0.3, 0.3], [0.3, 0.5, 0.3], [0.3, 0.3, 0.5]], R0: [[0.3, 0.3, 0.3], [0.3, 0.3, 0.3], [0.3, 0.3, 0.3]] };
    const spread = { ...base, Q0: [[0.5, 0.04, 0.04], [0.04, 0.53, 0.04], [0.04, 0.04, 0.56]], R0: [[0.08, 0.1, 0.12], [0.1, 0.12, 0.08], [0.12, 0.08, 0.1]] };
    const maxWork = 0.05;
    const a = integrate({ ...plateauLike, maxWork }), b = integrate({ ...spread, maxWork });
    expect(a.status).toBe("max-work");
    expect(b.status).toBe("max-work");
    expect(a.stats.rhsEvaluations).toBeLessThan(b.stats.rhsEvaluations);
    // and both stop within one chunk of maxWork in right-hand sides at their panel-free cost (the panels make up the rest)
    const c = rhsCost({ ...base, teacherActivation: "relu" });
    for (const r of [a, b]) expect(r.stats.rhsEvaluations * c.perRhs).toBeLessThan(maxWork);
  });
  it("an aborted signal stops integrate between chunks with an AbortError", () => {
    const ctrl = new AbortController();
    expect(() => integrate({ ...ref, signal: ctrl.signal, onProgress: () => ctrl.abort() })).toThrow(AbortError);
    expect(() => integrate({ ...ref, signal: AbortSignal.abort() })).toThrow(AbortError);
  });
  it("equilibrium reports minimizations and stops on abort", () => {
    const ctrl = new AbortController();
    let calls = 0;
    expect(() => equilibrium({ activation: "relu", K: 2, alphaMax: 10, samples: 21, signal: ctrl.signal, onProgress: () => { if (++calls === 3) ctrl.abort(); } })).toThrow(AbortError);
    expect(calls).toBe(3);
  });
  it("simulate in workers: progress in SGD steps, abort terminates them", async () => {
    const ctrl = new AbortController();
    const p = nodeEntry.simulate({ ...ref, d: 20000, runs: 4, alphaMax: 20, samples: 3, threads: 2, signal: ctrl.signal, onProgress: (q) => { if (q.done > 0) ctrl.abort(new Error("enough")); } });
    await expect(p).rejects.toThrow("enough");
  });
});

describe("cost models against the kernels' work counters (within 3x)", () => {
  const within = (predicted: number, actual: number, factor = 3) => {
    expect(predicted / actual).toBeLessThan(factor);
    expect(actual / predicted).toBeLessThan(factor);
  };
  it("ODE steps and right-hand sides: exact for euler and rk4, within 3x for adaptive", () => {
    const erf3 = { activation: "erf" as const, K: 3, M: 3, T: eye(3), Q0: eye(3, 0.2), R0: eye(3, 1e-3), learningRate: 0.5 };
    for (const s of [ref, erf3])
      for (const [integrator, alphaMax, samples] of [["euler", 20, 21], ["rk4", 50, 11], ["adaptive", 10, 2], ["adaptive", 300, 101], ["adaptive", 3000, 2], ["adaptive", 1e4, 11]] as const) {
        const r = integrate({ ...s, integrator, alphaMax, samples, step: 0.05 });
        const shape = { integrator, step: 0.05, alphaMax, samples, learningRate: s.learningRate };
        if (integrator === "adaptive") within(trajectoryRhs(shape), r.stats.rhsEvaluations);
        else {
          // steps: alphaMax / step, plus at most one shortened step per sample
          expect(r.stats.steps).toBeGreaterThanOrEqual(Math.round(alphaMax / 0.05));
          expect(r.stats.steps).toBeLessThanOrEqual(trajectorySteps(shape));
          expect(r.stats.rhsEvaluations).toBe(r.stats.steps * (integrator === "rk4" ? 4 : 1) + (integrator === "euler" ? 0 : 0));
        }
      }
  });
  it("SGD steps per run: exactly the plan's", () => {
    const r = simulateSync({ ...ref, d: 300, runs: 2, alphaMax: 5, samples: 6, batch: 3 });
    expect(r.stats.stepsPerRun).toBe(500); // alpha 5 x d 300 / batch 3
  });
  it("Newton right-hand sides of fixedPoints", () => {
    for (const s of [
      { activation: "relu" as const, K: 2, M: 2, T: eye(2), learningRate: 0.7, multiStart: 6 },
      { activation: "erf" as const, K: 3, M: 2, T: eye(2), learningRate: 0.4, multiStart: 6, seed: 4 },
    ]) {
      const o = { ...s, Q0: eye(s.K, 0.5), R0: zeros(s.K, s.M) };
      const r = fixedPoints(o);
      const D = (s.K * (s.K + 1)) / 2 + s.K * s.M;
      // the estimate's count: starts x newtonJacobiansPerStart x (2D + 2) (+ analysis), by construction of fixedPointsEstimate
      const predicted = r.starts * COST_MODEL.newtonJacobiansPerStart * (2 * D + 2);
      within(predicted, r.stats.rhsEvaluations);
    }
  });
  it("equilibrium and transitions minimizations", () => {
    const e = equilibrium({ activation: "sigmoid", K: 3, alphaMax: 20, samples: 31 });
    within(1.1 * 31 * 27, e.stats.minimizations);
    const t = transitions({ activation: "relu", K: 3 });
    within(2600, t.stats.minimizations);
  });
  it("population descent gradients", () => {
    const W0 = [[0.6, 0.1, 0], [0.1, 0.5, 0.2]], Wstar = [[1, 0, 0], [0, 1, 0]];
    const d = populationDescent({ W0, Wstar, mode: "discrete", learningRate: 0.1, steps: 300 });
    expect(d.stats.rhsEvaluations).toBe(301);
    const f = populationDescent({ W0, Wstar, tMax: 50 });
    within(6 * (101 + 60 + 7 * Math.sqrt(50) + 0.35 * 50) + 101, f.stats.rhsEvaluations);
  });
  it("estimateWork knows every kind, and nothing else", () => {
    const W = [[0.6, 0.1], [0.1, 0.5]], Wstar = [[1, 0], [0, 1]];
    const options: Record<string, object> = {
      integrate: ref, simulate: ref, simulateSync: ref, compare: ref, stepDrift: { ...ref, Q: ref.Q0, R: ref.R0 },
      fixedPoints: ref, continueFixedPoint: ref, learningRateRegimes: ref, etaSweep: { ...ref, learningRate: undefined, learningRates: [0.5, 1] },
      equilibrium: { activation: "relu", K: 2 }, transitions: { activation: "relu", K: 2 }, populationDescent: { W0: W, Wstar },
      symmetricDynamics: { K: 4, x0: 0.5, y0: 0.1 }, symmetricVectorField: { K: 4 }, symmetricCriticalPoints: { K: 4 },
      sampledGradientCheck: {}, populationHessian: { W, Wstar }, trainSingleLayer: {}, optimalLearningRate: { W: [[1, 0]], X: [[1, 2]], Y: [[0.5]] },
      i4: { method: "hermite", hermiteOrder: 20 },
    };
    for (const kind of WORK_KINDS) {
      const e = estimateWork(kind, options[kind]);
      expect(e.seconds, kind).toBeGreaterThan(0);
      expect(e.seconds, kind).toBeLessThan(600);
      expect(e.memoryBytes, kind).toBeGreaterThan(0);
      expect(e.drivers.length + (kind === "i4" ? 1 : 0), kind).toBeGreaterThan(0);
    }
    expect(() => estimateWork("nonsense" as never, {})).toThrow(/kind must be one of integrate/);
  });
});
