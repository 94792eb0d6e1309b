// The ODE integrator and the SGD run in chunks (runBegin/runContinue, sgdBegin/sgdContinue):
// any split of the work gives the bits of one uninterrupted call. Each case compares every
// recorded number and every statistic with Object.is, so a single changed operation fails.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import wasm from "../build/release.wasm";
import { createEngine, type CoreInstance } from "../src/core/engine";
import { STATUS_PAUSED } from "../src/core/exports";
import { prepareEngine } from "../src/simulation/run";
import { resolveSimulation } from "../src/simulation/plan";
import { runSeed } from "../src/simulation/plan";
import { packState } from "../src/online/integrate";

const core = (): CoreInstance => createEngine(wasm as Uint8Array<ArrayBuffer>);

type Setting = { K: number; M: number; T: number[][]; Q0: number[][]; R0: number[][]; act: number; teacher1: number; eta: number };
const reference: Setting = { K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], act: 0, teacher1: 0, eta: 1 };
const erfMismatch: Setting = { K: 2, M: 2, T: [[1, 0], [0, 1]], Q0: [[0.5, 0.05], [0.05, 0.4]], R0: [[0.3, 0.05], [0.02, 0.35]], act: 1, teacher1: 1, eta: 0.8 };

interface OdeCase { method: number; step: number; alphaMax: number; samples: number; monitor?: [number, number, number] }

/** Runs the trajectory; chunks: budgets (right-hand sides) used in turn, null: one call. */
function ode(s: Setting, c: OdeCase, chunks: number[] | null) {
  const e = core(), x = e.exports;
  e.loadModel({ K: s.K, M: s.M, T: s.T, v: new Array(s.K).fill(1), vStar: new Array(s.M).fill(1) }, c.samples);
  e.f64.set(packState(s.Q0, s.R0), x.ptrU() >> 3);
  e.f64.set(Array.from({ length: c.samples }, (_, i) => (c.alphaMax * i) / (c.samples - 1)), x.ptrAlphas() >> 3);
  x.configureModel(s.act, 0, 10, s.eta, s.teacher1);
  if (c.monitor) x.configureMonitor(1, c.monitor[0], c.monitor[1], c.monitor[2]);
  let code = x.runBegin(c.method, c.step, 1e-9, 1e-12, 1e7, c.samples, 0, 1e6);
  let k = 0, pauses = 0;
  while (code === STATUS_PAUSED) {
    code = x.runContinue(chunks === null ? 0 : chunks[k++ % chunks.length]);
    if (code === STATUS_PAUSED) pauses++;
  }
  const D = x.stateDimension(), n = x.statRecorded();
  return {
    code, pauses,
    out: Array.from(e.f64.slice(x.ptrOut() >> 3, (x.ptrOut() >> 3) + n * (D + 1))),
    stats: [x.statSteps(), x.statRejected(), x.statRecorded(), x.statRhsEvaluations(), x.statAlphaReached(), x.statMaxEgSlope(), x.statMaxEgSlopeAlpha()],
  };
}

function sameBits(a: ReturnType<typeof ode>, b: ReturnType<typeof ode>) {
  expect(a.code).toBe(b.code);
  expect(a.out.length).toBe(b.out.length);
  expect(a.out.every((v, i) => Object.is(v, b.out[i]))).toBe(true);
  expect(a.stats.every((v, i) => Object.is(v, b.stats[i]))).toBe(true);
}

describe("ODE in chunks equals one call, bit for bit", () => {
  const cases: [string, Setting, OdeCase][] = [
    ["euler", reference, { method: 0, step: 0.05, alphaMax: 20, samples: 21 }],
    ["rk4", reference, { method: 1, step: 0.1, alphaMax: 40, samples: 9 }],
    ["adaptive", reference, { method: 2, step: 0.01, alphaMax: 60, samples: 13 }],
    ["adaptive, erf student / relu teacher", erfMismatch, { method: 2, step: 0.01, alphaMax: 10, samples: 5 }],
    // the eps_g-rise monitor, capped steps: stops with status 5 at the first rise
    ["adaptive with the eps_g-rise monitor", { ...reference, eta: 4 }, { method: 2, step: 0.01, alphaMax: 30, samples: 2, monitor: [1e-10, 1e-6, 0.5] }],
    ["rk4 with the monitor, no rise", reference, { method: 1, step: 0.1, alphaMax: 30, samples: 2, monitor: [1e-10, 1e3, 0] }],
  ];
  for (const [name, s, c] of cases) {
    it(`${name}: random chunk budgets (fast-check)`, () => {
      const whole = ode(s, c, null);
      expect(whole.pauses).toBe(0);
      if (c.monitor?.[1] === 1e-6) expect(whole.code).toBe(5); // the rise is found
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }), (chunks) => {
          const parts = ode(s, c, chunks);
          sameBits(parts, whole);
          expect(parts.pauses).toBeGreaterThan(0);
        }),
        { numRuns: 12, seed: 20261206 },
      );
    });
  }
});

describe("SGD run in chunks equals one call, bit for bit", () => {
  const plans = [
    ["online, b = 1", { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], learningRate: 1, d: 200, alphaMax: 3, samples: 4, runs: 1 }],
    ["mini-batch b = 3 with test inputs, erf/linear", { activation: "erf" as const, teacherActivation: "linear" as const, K: 2, M: 1, T: [[1]], Q0: [[0.5, 0.1], [0.1, 0.4]], R0: [[0.2], [0.1]], learningRate: 0.5, d: 150, batch: 3, testInputs: 20, alphaMax: 2, samples: 5, runs: 1 }],
  ] as const;
  for (const [name, options] of plans) {
    const plan = resolveSimulation(options);
    const run = (chunks: number[] | null) => {
      const e = core(), x = e.exports;
      prepareEngine(e, plan);
      const [hi, lo] = runSeed(plan.seed, 0), [thi, tlo] = runSeed(plan.seed, 0, "test");
      let code = x.sgdBegin(hi, lo, thi, tlo, plan.activation === "relu" ? 0 : 1, plan.learningRate, plan.testInputs, plan.divergenceBound, plan.teacherActivation === "linear" ? 3 : 0);
      let k = 0, pauses = 0;
      while (code === STATUS_PAUSED) {
        code = x.sgdContinue(chunks === null ? 0 : chunks[k++ % chunks.length]);
        if (code === STATUS_PAUSED) pauses++;
      }
      const D = x.stateDimension(), n = x.sgdSamplesRecorded();
      const out = Array.from(e.f64.slice(x.ptrOut() >> 3, (x.ptrOut() >> 3) + n * (D + 1)));
      const test = Array.from(e.f64.slice(x.ptrSimTestError() >> 3, (x.ptrSimTestError() >> 3) + n));
      return { code, pauses, out, test, steps: x.sgdStepsDone() };
    };
    it(`${name}: random chunk budgets (fast-check)`, () => {
      const whole = run(null);
      expect(whole.code).toBe(0);
      expect(whole.steps).toBe(plan.steps[plan.steps.length - 1]);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: Math.floor(whole.steps / 2) }), { minLength: 1, maxLength: 6 }), (chunks) => {
          const parts = run(chunks);
          expect(parts.code).toBe(whole.code);
          expect(parts.pauses).toBeGreaterThan(0);
          expect(parts.out.every((v, i) => Object.is(v, whole.out[i]))).toBe(true);
          expect(parts.test.every((v, i) => Object.is(v, whole.test[i]))).toBe(true);
          expect(parts.steps).toBe(whole.steps);
        }),
        { numRuns: 10, seed: 7 },
      );
    });
  }
});
