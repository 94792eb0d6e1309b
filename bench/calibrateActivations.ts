// The cost of the other activations' right-hand sides and SGD steps (docs/theory.md section 10),
// for the work estimates (src/work/estimates.ts): each activation's right-hand side (student and
// teacher alike) relative to relu's, both measured in the same run on the same states, and the
// SGD step's constants per student activation. bench/calibrate.ts calls activationCosts() and
// writes them with the rest; `npm run bench:calibrate-activations` (bench/calibrateActivationsOnly.ts)
// measures only these and replaces their entries in src/work/costModel.ts, leaving the others.
import type { CoreInstance } from "../src/core/engine";
import { ACTIVATIONS, ACTIVATION_CODE, STATUS_PAUSED } from "../src/core/exports";
import { applyActivationParameters } from "../src/core/activationParameters";
import { packState } from "../src/online/integrate";
import { prepareEngine } from "../src/simulation/run";
import { resolveSimulation, runSeed } from "../src/simulation/plan";

/** The activations measured here: every one without the closed forms of docs/theory.md section 2. */
export const OTHER_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== "relu" && a !== "erf" && a !== "linear");
/** The coefficients of "hermiteCoefficients" in the calibration: degree 4 with every term (the dearest polynomial the defaults allow is degree 8). */
const COEFFICIENTS = [0.1, 1, 0.5, 0.25, 0.125];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU seconds per call of f, repeated for at least minMs (median of 3). */
function time(f: () => void, minMs: number): number {
  f();
  const per: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = cpu();
    do {
      f();
      n++;
    } while (cpu() - t0 < minMs / 3000);
    per.push((cpu() - t0) / n);
  }
  return per.sort((a, b) => a - b)[1];
}

const STATES: [number, number][][][] = [
  // spread (unequal norms, small overlaps) and plateau (students alike, R = S), as bench/calibrate.ts
  [[[0.45, 0.04], [0.04, 0.48]], [[0.08, 0.12], [0.12, 0.08]]],
  [[[0.5, 0.3], [0.3, 0.5]], [[0.3, 0.3], [0.3, 0.3]]],
];

export interface ActivationCosts {
  /** Right-hand side of the activation (both sides) / relu's, median over two states at K = M = 2 and 3. */
  activationFactor: Record<string, number>;
  /** SGD per input [s0, s1] (seconds = s0 + s1 d (K + M)), per student activation. */
  sgd: Record<string, [number, number]>;
  lines: string[];
}

const g = (v: number) => Number(v.toPrecision(4));

/** Measures the other activations on `core` (a release instance). */
export function activationCosts(core: CoreInstance): ActivationCosts {
  const x = core.exports;
  const activationFactor: Record<string, number> = {};
  const sgd: Record<string, [number, number]> = {};
  const lines = ["| activation | right-hand side / relu's (median of K = M = 2, 3 x two states) | SGD s0 | SGD s1 |", "|---|---|---|---|"];
  const rhsTime = (act: string, K: number, s: number) => {
    const [Q2, R2] = STATES[s];
    const Q = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? Q2[Math.min(i, 1)][Math.min(i, 1)] : Q2[0][1])));
    const R = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, n) => R2[Math.min(i, 1)][Math.min(n, 1)]));
    const T = Array.from({ length: K }, (_, n) => Array.from({ length: K }, (_, m) => (n === m ? 1 : 0)));
    core.loadModel({ K, M: K, T, v: new Array(K).fill(1), vStar: new Array(K).fill(1) }, 2);
    core.f64.set(packState(Q, R), x.ptrU() >> 3);
    applyActivationParameters(core, { slope: 0.01, hermiteCoefficients: act === "hermiteCoefficients" ? COEFFICIENTS : null });
    x.configureModel(ACTIVATION_CODE[act as keyof typeof ACTIVATION_CODE], 0, 10, 0.5, 0);
    return time(() => x.evaluateRhs(), 30);
  };
  for (const act of OTHER_ACTIVATIONS) {
    // the median of the four ratios (K = M = 2, 3 x two states): the machine is shared, a single ratio can be off by 2x
    const ratios: number[] = [];
    for (const K of [2, 3])
      for (let s = 0; s < STATES.length; s++) ratios.push(rhsTime(act, K, s) / rhsTime("relu", K, s));
    ratios.sort((a, b) => a - b);
    activationFactor[act] = g(0.5 * (ratios[1] + ratios[2]));
    // SGD: as bench/calibrate.ts, fewer shapes (the step's cost is the activation's evaluations plus d (K + M) work)
    const A: number[][] = [], t: number[] = [];
    for (const d of [100, 1000, 10000])
      for (const K of [1, 4]) {
        const I = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 1 : 0)));
        const plan = resolveSimulation({ activation: act, K, M: K, T: I, Q0: I.map((r) => r.map((v) => 0.05 * v)), R0: I.map((r) => r.map(() => 0.01)), learningRate: 0.001, d, runs: 1, alphas: [0, 1e8 / d], ...(act === "hermiteCoefficients" ? { hermiteCoefficients: COEFFICIENTS } : {}) });
        prepareEngine(core, plan);
        const [hi, lo] = runSeed(1, 0);
        // a small learning rate (the step's cost does not depend on it); a polynomial student's run
        // may still diverge while timed: it starts afresh then (its setup is ~3 steps' work)
        const begin = () => x.sgdBegin(hi, lo, 0, 0, ACTIVATION_CODE[act], 0.001, 0, 1e9, 0);
        begin();
        const steps = Math.max(20, Math.round(1e6 / (d * 2 * K)));
        t.push(time(() => {
          if (x.sgdContinue(steps) !== STATUS_PAUSED) begin();
        }, 60) / steps);
        A.push([1, d * 2 * K]);
      }
    // least squares in relative errors for [s0, s1]
    let a00 = 0, a01 = 0, a11 = 0, b0 = 0, b1 = 0;
    A.forEach((r, i) => {
      const w = 1 / (t[i] * t[i]);
      a00 += w; a01 += w * r[1]; a11 += w * r[1] * r[1]; b0 += w * t[i]; b1 += w * r[1] * t[i];
    });
    const det = a00 * a11 - a01 * a01;
    let s0 = (b0 * a11 - b1 * a01) / det, s1 = (a00 * b1 - a01 * b0) / det;
    if (s0 < 0) { s0 = 0; s1 = b1 / a11; }
    sgd[act] = [g(s0), g(s1)];
    lines.push(`| ${act} | ${activationFactor[act]} | ${sgd[act][0]} | ${sgd[act][1]} |`);
  }
  return { activationFactor, sgd, lines };
}
