// compare(): the ODE and the finite-d simulation on one alpha grid (THEORY 3), with the
// deviation of the simulation mean from the ODE in units of its standard error.
import { integrate, type OdeResult } from "../online/integrate";
import type { IntegrateOptions } from "../online/options";
import * as check from "../core/validate";
import { simulate, type SimulateOptions, type SimulationResult } from "./simulate";
import { resolveSimulation } from "./plan";

/** Simulation options plus the ODE numerics of integrate() (defaults: exact averages, RK4, step 0.01). */
export interface CompareOptions extends SimulateOptions, Pick<IntegrateOptions, "method" | "hermiteOrder" | "integrator" | "step" | "rtol" | "atol"> {
  /**
   * Also start the ODE from the simulation's mean order parameters at this alpha (the nearest
   * sample at or after it), to compare like with like after the finite-d transient.
   */
  restartAlpha?: number;
}

export interface Deviation {
  /** (simulation mean - ODE) / standard error of the mean, per sample. */
  eg: Float64Array;
  Q: number[][][];
  R: number[][][];
  /** Largest |deviation| over samples and entries. */
  maxAbs: { eg: number; Q: number; R: number };
}

export interface Comparison {
  alpha: Float64Array;
  simulation: SimulationResult;
  /** The ODE from the same initial condition, sampled at the simulation's alphas. */
  ode: OdeResult;
  deviation: Deviation;
  /** With restartAlpha: the ODE from the measured mean state, on the samples from there on. */
  restart: { alpha: number; sample: number; ode: OdeResult; deviation: Deviation } | null;
  /** Completed runs behind each standard error. */
  runsAveraged: number;
}

/**
 * Standard errors below SE_FLOOR (1 + |value|) count as that: at alpha = 0 every run reproduces
 * Q0, R0 to rounding, and their spread is rounding noise, not a statistical error.
 */
const SE_FLOOR = 1e-12;

function deviation(sim: SimulationResult, ode: OdeResult, n: number, first: number): Deviation {
  const S = ode.alpha.length;
  const z = (mean: number, std: number, x: number) => (mean - x) / Math.max(std / Math.sqrt(n), SE_FLOOR * (1 + Math.abs(x)));
  const eg = new Float64Array(S);
  const Q: number[][][] = [], R: number[][][] = [];
  const maxAbs = { eg: 0, Q: 0, R: 0 };
  for (let s = 0; s < S; s++) {
    const t = first + s;
    eg[s] = z(sim.eg.mean[t], sim.eg.std[t], ode.eg[s]);
    Q.push(ode.Q[s].map((row, i) => row.map((x, k) => z(sim.Q.mean[t][i][k], sim.Q.std[t][i][k], x))));
    R.push(ode.R[s].map((row, i) => row.map((x, m) => z(sim.R.mean[t][i][m], sim.R.std[t][i][m], x))));
    maxAbs.eg = Math.max(maxAbs.eg, Math.abs(eg[s]));
    for (const row of Q[s]) for (const v of row) maxAbs.Q = Math.max(maxAbs.Q, Math.abs(v));
    for (const row of R[s]) for (const v of row) maxAbs.R = Math.max(maxAbs.R, Math.abs(v));
  }
  return { eg, Q, R, maxAbs };
}

export async function compare(options: CompareOptions = {}): Promise<Comparison> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const { method, hermiteOrder, integrator, step, rtol, atol } = options;
  const odeNumerics = { method, hermiteOrder, integrator, step, rtol, atol };
  const plan = resolveSimulation(options);
  if (plan.runs < 2) throw new RangeError(`runs must be >= 2 for a standard error; got ${plan.runs}`);
  const base = { activation: plan.activation, teacherActivation: plan.teacherActivation, slope: plan.slope, hermiteCoefficients: plan.hermiteCoefficients ?? undefined, K: plan.K, M: plan.M, T: plan.T, v: plan.v, vStar: plan.vStar, learningRate: plan.learningRate, divergenceBound: plan.divergenceBound, ...odeNumerics };
  const alphas = plan.steps.map((s) => (s * plan.batch) / plan.d);
  // the ODE first: runs are matched to its student units at the last sample, so unit i of the
  // simulation mean is the unit that the ODE calls i (runs may end in another permutation)
  const ode = integrate({ ...base, Q0: plan.Q0, R0: plan.R0, alphas });
  const last = ode.R.length - 1;
  const matchTo = options.matchTo ?? (last >= 0 && ode.status !== "invalid-state" && ode.status !== "diverged" ? ode.R[last] : undefined);
  const sim = await simulate({ ...options, matchTo });
  const n = sim.stats.runs - sim.stats.divergedRuns;
  if (n < 2) throw new RangeError(`compare needs at least 2 completed runs for a standard error; ${n} of ${sim.stats.runs} completed`);
  const result: Comparison = { alpha: sim.alpha, simulation: sim, ode, deviation: deviation(sim, ode, n, 0), restart: null, runsAveraged: n };
  if (options.restartAlpha !== undefined) {
    const a0 = check.number("restartAlpha", options.restartAlpha, { min: 0, max: sim.alpha[sim.alpha.length - 1] });
    let s0 = sim.alpha.findIndex((a) => a >= a0 - 1e-12);
    if (s0 === sim.alpha.length - 1) s0 = Math.max(0, s0 - 1);
    const alphas = Array.from(sim.alpha.subarray(s0), (a) => a - sim.alpha[s0]);
    const restarted = integrate({ ...base, Q0: sim.Q.mean[s0], R0: sim.R.mean[s0], alphas });
    restarted.alpha.forEach((a, i) => (restarted.alpha[i] = a + sim.alpha[s0]));
    result.restart = { alpha: sim.alpha[s0], sample: s0, ode: restarted, deviation: deviation(sim, restarted, n, s0) };
  }
  return result;
}
