// integrateSymmetric(): the site-symmetric order-parameter ODE (docs/theory.md section 11) for
// K = M units, T = t I, equal output weights: four order parameters (Q, C, R, S) whose right-hand
// side costs the same for every K (assembly/ode/symmetric.ts), integrated by the integrators of
// the full ODE inside one WebAssembly call.
import { acquireInstance, releaseInstance, type CoreInstance } from "../core/engine";
import { ACTIVATION_CODE, INTEGRATOR_CODE, STATUSES, STATUS_PAUSED, teacherCode } from "../core/exports";
import type { RunControl } from "../core/control";
import { runTrajectory, type OdeStats, type TrajectoryStatus } from "../online/integrate";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, fmtCount, HOST_BYTES_PER_NUMBER, RHS_PER_STEP, symmetricRhsCost, trajectorySteps, type Estimate } from "../work/estimates";
import { fmtSeconds } from "../work/budget";
import { resolveIntegrateSymmetricOptions, type IntegrateSymmetricOptions, type ResolvedIntegrateSymmetricOptions, type ResolvedSymmetricSetting } from "./options";

/** A trajectory of the site-symmetric ODE (integrateSymmetric). */
export interface SymmetricOdeResult {
  alpha: Float64Array;
  eg: Float64Array;
  /** Q_ii per sample. */
  Q: Float64Array;
  /** Q_ik (i != k) per sample. */
  C: Float64Array;
  /** R_ii per sample. */
  R: Float64Array;
  /** R_in (i != n) per sample. */
  S: Float64Array;
  /** The kernel's status, or "max-work" when stopped at RunControl.maxWork ("truncate"). */
  status: TrajectoryStatus;
  message: string;
  stats: OdeStats;
  options: ResolvedIntegrateSymmetricOptions;
}

/**
 * The work estimate of integrateSymmetric() for resolved options: steps x right-hand sides per
 * step x one site-symmetric right-hand side (independent of K; a ReLU student's includes its
 * orthant panels, typical count), and the memory of the samples.
 */
export function symmetricOdeEstimate(o: ResolvedIntegrateSymmetricOptions): Estimate {
  const n = o.alphas.length, alphaMax = o.alphas[n - 1];
  const steps = trajectorySteps({ integrator: o.integrator, step: o.step, alphaMax, samples: n, learningRate: o.learningRate, convergenceTolerance: o.convergenceTolerance, maxSteps: o.maxSteps });
  const c = symmetricRhsCost(o);
  const per = c.perRhs + c.perPanel * c.panelsPerRhs;
  const rhs = steps * RHS_PER_STEP[o.integrator];
  // the core's samples (4 order parameters and eps_g) and the six result arrays, alphas included
  const memory = 4 * 65536 + n * (5 * 8 + 8 + 6 * 8 + HOST_BYTES_PER_NUMBER);
  const drivers = o.integrator === "adaptive" ? ["alphaMax", "samples", "activation"] : ["alphaMax", "step", "samples", "activation"];
  const breakdown = `${fmtCount(steps)} ${o.integrator} steps x ${RHS_PER_STEP[o.integrator]} right-hand sides x ${fmtSeconds(per)} (site-symmetric, ${o.activation}${o.teacherActivation !== o.activation ? "/" + o.teacherActivation : ""}, any K), ${fmtCount(n)} samples`;
  return { ...estimate(rhs * per, memory, breakdown, drivers, per, per * RHS_PER_STEP[o.integrator]), memoryDrivers: ["samples"] };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Loads the setting and the learning rate into the core's site-symmetric model. */
export function configureSymmetricCore(e: CoreInstance, s: ResolvedSymmetricSetting, learningRate: number): void {
  e.exports.configureSymmetric(s.K, s.v, s.vStar, s.T, learningRate, ACTIVATION_CODE[s.activation], teacherCode(s));
}

/**
 * The site-symmetric order-parameter ODE (K = M, T = t I, equal output weights): Q, C, R, S and
 * eps_g against alpha, from (Q0, C0, R0, S0), with the integrators of integrate(). The cost per step
 * does not depend on K (1 .. 1e6). Divergence and invalid states are statuses, never NaN. With
 * RunControl fields, as integrate(): the estimate is checked against maxWork before anything runs,
 * progress is reported in alpha and the signal checked between chunks of about 0.1 s of work
 * (bit-for-bit one uninterrupted call); "truncate" returns the samples reached, status "max-work".
 */
export function integrateSymmetric(options: IntegrateSymmetricOptions & RunControl = {}): SymmetricOdeResult {
  const o = resolveIntegrateSymmetricOptions(options);
  const est = symmetricOdeEstimate(o);
  const budget = new WorkBudget("integrateSymmetric", est, resolveControl(options), est.firstChunkSeconds);
  const nS = o.alphas.length;
  const alphaEnd = o.alphas[nS - 1];
  budget.begin("site-symmetric ODE", alphaEnd, "alpha");
  const e = acquireInstance();
  const x = e.exports;
  const t0 = now();
  if (x.symmetricLayout(nS) === 0) throw new RangeError(`${nS} samples do not fit in WebAssembly memory; use fewer samples`);
  configureSymmetricCore(e, o, o.learningRate);
  let v = e.f64;
  v.set([o.Q0, o.C0, o.R0, o.S0], x.symmetricPtrU() >> 3);
  v.set(o.alphas, x.symmetricPtrAlphas() >> 3);
  const code = runTrajectory(e, budget, symmetricRhsCost(o),
    () => x.symmetricBegin(INTEGRATOR_CODE[o.integrator], o.step, o.rtol, o.atol, o.maxSteps, nS, o.convergenceTolerance, o.divergenceBound),
    () => budget.step("site-symmetric ODE", x.statAlphaReached(), alphaEnd, "alpha"),
    () => x.statSymmetricRhsEvaluations());
  const status: TrajectoryStatus = code === STATUS_PAUSED ? "max-work" : STATUSES[code];
  const recorded = x.statRecorded();
  v = e.f64;
  const base = x.symmetricPtrOut() >> 3;
  const alpha = new Float64Array(recorded), eg = new Float64Array(recorded);
  const Q = new Float64Array(recorded), C = new Float64Array(recorded), R = new Float64Array(recorded), S = new Float64Array(recorded);
  for (let s = 0; s < recorded; s++) {
    const p = base + 5 * s;
    alpha[s] = o.alphas[s];
    Q[s] = v[p];
    C[s] = v[p + 1];
    R[s] = v[p + 2];
    S[s] = v[p + 3];
    eg[s] = v[p + 4];
  }
  const stats: OdeStats = {
    steps: x.statSteps(),
    rhsEvaluations: x.statSymmetricRhsEvaluations(),
    rejectedSteps: x.statRejected(),
    wallTimeMs: now() - t0,
    alphaReached: x.statAlphaReached(),
  };
  releaseInstance(e);
  const message = status === "max-work" ? budget.truncationMessage(`${recorded} samples up to alpha = ${+stats.alphaReached.toPrecision(6)} are returned`) : describe(status, o, stats, recorded);
  return { alpha, eg, Q, C, R, S, status, message, stats, options: o };
}

function describe(status: Exclude<TrajectoryStatus, "max-work">, o: ResolvedIntegrateSymmetricOptions, s: OdeStats, recorded: number): string {
  const at = `alpha = ${+s.alphaReached.toPrecision(6)}`;
  switch (status) {
    case "completed":
      return `integrated to alpha = ${o.alphas[o.alphas.length - 1]} (${recorded} samples)`;
    case "converged":
      return `max |du/dalpha| fell below convergenceTolerance = ${o.convergenceTolerance} at ${at}; the remaining samples repeat that (fixed-point) state`;
    case "diverged":
      return `diverged at ${at}: Q exceeded divergenceBound = ${o.divergenceBound}; the order parameters grow without bound at learning rate ${o.learningRate} (with unit output weights eps_g grows like K, so eta of order 1/K is the natural scale; here K = ${o.K}); ${recorded} samples before that are returned`;
    case "invalid-state":
      return `stopped at ${at}: the order parameters left the set of valid overlaps (a 2 x 2 block of the overlap matrix not positive semi-definite); reduce step or tolerances`;
    case "max-steps":
      return `stopped at ${at} after maxSteps = ${o.maxSteps} steps; ${recorded} samples returned; raise maxSteps or the step`;
  }
}

/** Plain-data form of a result (Float64Arrays as arrays), for JSON output. */
export function symmetricResultToJSON(r: SymmetricOdeResult) {
  return {
    alpha: Array.from(r.alpha), eg: Array.from(r.eg), Q: Array.from(r.Q), C: Array.from(r.C), R: Array.from(r.R), S: Array.from(r.S),
    status: r.status, message: r.message, stats: r.stats, options: r.options,
  };
}
