// integrate(): the typical learning curve of online SGD from the order-parameter ODE
// (docs/theory.md section 1), one WebAssembly call per trajectory.
import { acquireInstance, releaseInstance, withInstance, type CoreInstance } from "../core/engine";
import { maxHermiteOrder } from "../averages/index";
import { ACTIVATION_CODE, INTEGRATOR_CODE, METHOD_CODE, STATUSES, STATUS_PAUSED, teacherCode, type OdeStatus } from "../core/exports";
import { applyActivationParameters } from "../core/activationParameters";
import { resolveOption } from "../options/check";
import { averageTolerance as averageToleranceSpec } from "../options/catalog/numerics";
import { resolveOdeOptions, resolveSetting, type IntegrateOptions, type ResolvedOdeOptions, type TeacherStudentSetting } from "./options";
import { configureCore } from "./training";
import type { RunControl } from "../core/control";
import { CHUNK_SECONDS, WorkBudget, resolveControl } from "../work/budget";
import { estimateOde, rhsCost, rhsWork, type Estimate, type RhsCost } from "../work/estimates";
import { configureSchedule, layoutSchedule, scheduleOf } from "../schedules/kernel";
import { greedyReport, type GreedyReport } from "../schedules/greedyReport";

/** Work done by one integration. */
export interface OdeStats {
  /** Accepted plus rejected steps. */
  steps: number;
  rhsEvaluations: number;
  rejectedSteps: number;
  wallTimeMs: number;
  /** Where integration stopped (the last requested alpha when completed). */
  alphaReached: number;
}

/** Convergence diagnostics of the Hermite series along a trajectory (method "hermite" only). */
export interface HermiteDiagnostics {
  order: number;
  evaluations: number;
  /** Evaluations whose |rho| matrix had spectral radius >= 1 (series not convergent, docs/theory.md section 2.3). */
  outsideConvergenceRegion: number;
  maxSpectralRadius: number;
  /** max over samples of max |F_N(u) - F_{N+2}(u)| (null when not checked). */
  maxOrderDifference: number | null;
}

/** How the Gaussian averages of the run were computed (docs/theory.md sections 2, 10). */
export interface AverageDiagnostics {
  /** The least exact route any average took: "closed form" (relu, erf, linear), "exact" (Wick or term expansion), "quadrature". */
  method: "closed form" | "exact" | "quadrature";
  /** The quadrature tolerance when any average was integrated numerically, else null (exact to rounding). */
  tolerance: number | null;
  /** Averages by each route of the other activations (0 for relu, erf, linear runs). */
  exactAverages: number;
  quadratureAverages: number;
  /** Integrand evaluations of all quadratures, and of the largest single one. */
  evaluations: number;
  maxEvaluations: number;
}

/** The estimate of integrate() for resolved options (src/work). */
export function odeEstimate(o: ResolvedOdeOptions): Estimate {
  return estimateOde({ ...o, alphaMax: o.alphas[o.alphas.length - 1], samples: o.alphas.length });
}

/** Status of a trajectory: the kernel's, or "max-work" when stopped at RunControl.maxWork. */
export type TrajectoryStatus = OdeStatus | "max-work";

/** A learning curve from the order-parameter ODE, with its status and the resolved options. */
export interface OdeResult {
  alpha: Float64Array;
  eg: Float64Array;
  /** The learning rate at each sample: the constant one, the schedule's at alpha, or the greedy rate of the state. */
  eta: Float64Array;
  /** Q per sample (K x K). */
  Q: number[][][];
  /** R per sample (K x M). */
  R: number[][][];
  /** The student's output weights v per sample (K values; constant unless trainSecondLayer). */
  v: number[][];
  /** Test error on noisy labels per sample, eps_g + sigma^2 / 2 (docs/theory.md section 9; eg when noise is 0). */
  egNoisy: Float64Array;
  status: TrajectoryStatus;
  message: string;
  stats: OdeStats;
  options: ResolvedOdeOptions;
  hermite: HermiteDiagnostics | null;
  /** With learningRateSchedule "greedy": how often the rate hit the cap or did not exist, and whether the trajectory stalled. */
  greedy: GreedyReport | null;
  /** The integral of eps_g over the trajectory by the integrator's own quadrature (only when asked for internally: optimal schedules). */
  egIntegral?: number;
  averages: AverageDiagnostics;
  warnings: string[];
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * State vector u = (Q_ik for i <= k, R_in) of docs/theory.md section 4, followed by the output
 * weights v when they are trained (section 9).
 */
export function packState(Q: number[][], R: number[][], v?: ArrayLike<number>): number[] {
  const u: number[] = [];
  for (let i = 0; i < Q.length; i++) for (let k = i; k < Q.length; k++) u.push(Q[i][k]);
  for (const row of R) u.push(...row);
  if (v) for (let i = 0; i < v.length; i++) u.push(v[i]);
  return u;
}

/** Q, R and the trained v (with trainedV) of a state vector u laid out as packState() does. */
export function unpackTrained(u: ArrayLike<number>, K: number, M: number, offset: number, trainedV: boolean): { Q: number[][]; R: number[][]; v: number[] | null } {
  const { Q, R } = unpackState(u, K, M, offset);
  if (!trainedV) return { Q, R, v: null };
  const p = offset + (K * (K + 1)) / 2 + K * M;
  return { Q, R, v: Array.from({ length: K }, (_, i) => u[p + i]) };
}

/** Q (K x K, symmetric) and R (K x M) from a state vector u laid out as packState() does. */
export function unpackState(u: ArrayLike<number>, K: number, M: number, offset = 0): { Q: number[][]; R: number[][] } {
  const Q = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let p = offset;
  for (let i = 0; i < K; i++)
    for (let k = i; k < K; k++) {
      Q[i][k] = u[p];
      Q[k][i] = u[p];
      p++;
    }
  const R = Array.from({ length: K }, () => {
    const row = new Array<number>(M);
    for (let n = 0; n < M; n++) row[n] = u[p++];
    return row;
  });
  return { Q, R };
}

/**
 * The ODE from Q0, R0 over the requested alphas. With RunControl fields: the estimate is checked
 * against maxWork before anything runs, progress is reported in alpha, and the signal is checked
 * about every 0.1 s of work (the trajectory runs in chunks of right-hand sides, bit-for-bit equal
 * to one uninterrupted call).
 */
export function integrate(options: IntegrateOptions & RunControl = {}): OdeResult {
  return integrateFrom(options, 0);
}

/**
 * integrate() for a trajectory that starts at alpha = alphaOffset of its learning-rate schedule
 * (compare()'s restart from a measured state): the result's alphas still count from 0.
 */
export function integrateFrom(options: IntegrateOptions & RunControl, alphaOffset: number, internal: { egIntegral?: boolean } = {}): OdeResult {
  const o = resolveOdeOptions(options, maxHermiteOrder());
  const est = odeEstimate(o);
  const budget = new WorkBudget("integrate", est, resolveControl(options), est.firstChunkSeconds);
  budget.begin("ODE", o.alphas[o.alphas.length - 1], "alpha");
  const e = acquireInstance();
  const t0 = now();
  const nS = o.alphas.length;
  e.loadModel(o, nS);
  const x = e.exports;
  const schedule = scheduleOf(o.learningRateSchedule);
  layoutSchedule(e, schedule);
  let v = e.f64;
  v.set(packState(o.Q0, o.R0, o.trainSecondLayer ? o.v : undefined), x.ptrU() >> 3);
  v.set(o.alphas, x.ptrAlphas() >> 3);
  configureOde(e, o, o.hermiteOrder);
  configureSchedule(e, schedule, o.etaMax, alphaOffset);
  if (internal.egIntegral) x.configureQuadrature(1);
  const alphaEnd = o.alphas[nS - 1];
  const code = runTrajectory(e, budget, rhsCost(o), () => x.runBegin(INTEGRATOR_CODE[o.integrator], o.step, o.rtol, o.atol, o.maxSteps, nS, o.convergenceTolerance, o.divergenceBound), () => budget.step("ODE", x.statAlphaReached(), alphaEnd, "alpha"));
  const status: TrajectoryStatus = code === STATUS_PAUSED ? "max-work" : STATUSES[code];
  const recorded = x.statRecorded();
  const D = x.stateDimension();
  v = e.f64;
  const outBase = x.ptrOut() >> 3;
  const out = v.slice(outBase, outBase + recorded * (D + 1)); // a copy: the next call reuses the buffer
  const eta = v.slice(x.ptrRates() >> 3, (x.ptrRates() >> 3) + recorded);
  const egIntegral = internal.egIntegral ? x.statEgIntegral() : undefined;
  const greedyCounts = schedule.kind === "greedy" ? { evaluations: x.statGreedyEvaluations(), capped: x.statGreedyCapped(), noDecrease: x.statGreedyNoDecrease() } : null;
  const stats: OdeStats = {
    steps: x.statSteps(),
    rhsEvaluations: x.statRhsEvaluations(),
    rejectedSteps: x.statRejected(),
    wallTimeMs: 0,
    alphaReached: x.statAlphaReached(),
  };
  const averages = averageDiagnostics(e, o);
  let hermite: HermiteDiagnostics | null = null;
  const warnings: string[] = [];
  if (o.method === "hermite") {
    hermite = {
      order: o.hermiteOrder,
      evaluations: x.statHermiteCalls(),
      outsideConvergenceRegion: x.statHermiteOutside(),
      maxSpectralRadius: x.statHermiteMaxRadius(),
      maxOrderDifference: null,
    };
    if (o.hermiteCheck) hermite.maxOrderDifference = orderDifference(e, o, out, recorded, D);
    if (hermite.outsideConvergenceRegion > 0) {
      warnings.push(`Hermite series evaluated ${hermite.outsideConvergenceRegion} of ${hermite.evaluations} times outside its convergence region (spectral radius of |rho| up to ${hermite.maxSpectralRadius.toPrecision(4)} >= 1): truncation at N = ${o.hermiteOrder} is not a convergent approximation there (docs/theory.md section 2.3)`);
    }
    if (hermite.maxOrderDifference !== null && hermite.maxOrderDifference > o.hermiteTolerance) {
      warnings.push(`Hermite orders N = ${o.hermiteOrder} and N + 2 disagree by up to ${hermite.maxOrderDifference.toPrecision(3)} in du/dalpha (tolerance ${o.hermiteTolerance})`);
    }
  }
  const alpha = new Float64Array(recorded);
  const eg = new Float64Array(recorded);
  const egNoisy = new Float64Array(recorded);
  const Q: number[][][] = [];
  const R: number[][][] = [];
  const vs: number[][] = [];
  const noiseTerm = (o.noise * o.noise) / 2;
  for (let s = 0; s < recorded; s++) {
    alpha[s] = o.alphas[s];
    eg[s] = out[s * (D + 1) + D];
    egNoisy[s] = eg[s] + noiseTerm;
    const st = unpackTrained(out, o.K, o.M, s * (D + 1), o.trainSecondLayer);
    Q.push(st.Q);
    R.push(st.R);
    vs.push(st.v ?? [...o.v]);
  }
  const greedy = greedyCounts ? greedyReport(e, greedyCounts, alpha, eg, eta, recorded && status !== "diverged" && status !== "invalid-state" ? out.subarray((recorded - 1) * (D + 1), (recorded - 1) * (D + 1) + D) : null) : null;
  releaseInstance(e);
  stats.wallTimeMs = now() - t0;
  if (greedy?.stall.detected) warnings.push(greedy.stall.message);
  const result: OdeResult = { alpha, eg, eta, Q, R, v: vs, egNoisy, status, message: describe(status, o, stats, recorded, budget), stats, options: o, hermite, averages, greedy, warnings };
  if (egIntegral !== undefined) result.egIntegral = egIntegral;
  return result;
}

/** The core's counters of the averages since applyActivationParameters. */
export function averageDiagnostics(e: CoreInstance, o: Pick<ResolvedOdeOptions, "activation" | "teacherActivation">): AverageDiagnostics {
  const x = e.exports;
  const quadratureAverages = x.statQuadratureCalls();
  const exactAverages = x.statPolynomialCalls() + x.statProductCalls() - x.statProductFallbacks();
  const closed = ACTIVATION_CODE[o.activation] <= 2 && ACTIVATION_CODE[o.teacherActivation] <= 2;
  return {
    method: quadratureAverages > 0 ? "quadrature" : closed ? "closed form" : "exact",
    tolerance: quadratureAverages > 0 ? x.quadratureTolerance() : null,
    exactAverages, quadratureAverages,
    evaluations: x.statQuadratureNodes(),
    maxEvaluations: x.statQuadratureMaxNodes(),
  };
}

/**
 * Runs a trajectory begun by `begin` in chunks of about CHUNK_SECONDS of work, charging the budget
 * from the kernel's counters (right-hand sides and orthant panels, rhsWork()); returns the
 * kernel's final status, or STATUS_PAUSED when the budget's allowance ran out first. A chunk is
 * sized in right-hand sides by the cost per right-hand side seen so far (a ReLU one costs up to
 * ~5x more in some states than in others), the first by the typical cost. `count` reads the
 * right-hand sides evaluated since `begin` (the site-symmetric model counts its own).
 */
export function runTrajectory(e: CoreInstance, budget: WorkBudget, cost: RhsCost, begin: () => number, report: () => void, count = () => e.exports.statRhsEvaluations()): number {
  const x = e.exports;
  let perRhs = cost.perRhs + cost.perPanel * cost.panelsPerRhs;
  let panels = x.statOrthantPanels();
  let code = begin();
  let counted = count();
  const charge = () => {
    const n = count(), p = x.statOrthantPanels();
    const work = rhsWork(cost, n - counted, p - panels);
    budget.charge(work);
    if (n > counted) perRhs = Math.max(cost.perRhs, work / (n - counted));
    counted = n;
    panels = p;
  };
  charge();
  while (code === STATUS_PAUSED) {
    let b = Math.max(1, Math.floor(CHUNK_SECONDS / perRhs));
    if (budget.truncating) {
      b = Math.min(b, Math.floor(budget.remaining / perRhs));
      if (b < 1) break;
    }
    code = x.runContinue(b);
    charge();
    if (code === STATUS_PAUSED) report();
  }
  return code;
}

function orderDifference(e: CoreInstance, o: ResolvedOdeOptions, out: Float64Array, recorded: number, D: number): number {
  const x = e.exports;
  let worst = 0;
  for (let s = 0; s < recorded; s++) {
    const rhsAt = (order: number) => {
      configureOde(e, o, order);
      const v = e.f64;
      v.set(out.subarray(s * (D + 1), s * (D + 1) + D), x.ptrU() >> 3);
      x.evaluateRhs();
      return e.f64.slice(x.ptrDu() >> 3, (x.ptrDu() >> 3) + D);
    };
    const a = rhsAt(o.hermiteOrder);
    const b = rhsAt(o.hermiteOrder + 2);
    for (let i = 0; i < D; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst;
}

/**
 * The activations' parameters, configureModel and configureTraining for resolved options (Hermite
 * order `order`); the learning-rate schedule is configured after it (configureModel resets it).
 */
function configureOde(e: CoreInstance, o: ResolvedOdeOptions, order: number): void {
  applyActivationParameters(e, o, o.averageTolerance);
  configureCore(e.exports, { activation: ACTIVATION_CODE[o.activation], teacher: teacherCode(o), method: METHOD_CODE[o.method], hermiteOrder: order }, o.learningRate, o);
}

function describe(status: TrajectoryStatus, o: ResolvedOdeOptions, s: OdeStats, recorded: number, budget?: WorkBudget): string {
  const last = o.alphas[o.alphas.length - 1];
  const at = `alpha = ${+s.alphaReached.toPrecision(6)}`;
  switch (status) {
    case "completed":
      return `integrated to alpha = ${last} (${recorded} samples)`;
    case "converged":
      return `max |du/dalpha| fell below convergenceTolerance = ${o.convergenceTolerance} at ${at}; the remaining samples repeat that (fixed-point) state`;
    case "diverged":
      return `diverged at ${at}: a student norm Q_ii exceeded divergenceBound = ${o.divergenceBound}; the order parameters grow without bound at learning rate ${o.learningRate}; ${recorded} samples before that are returned`;
    case "invalid-state":
      return `stopped at ${at}: the order parameters left the set of valid overlaps (C = [[Q, R], [R^T, T]] not positive semi-definite)` +
        (o.method === "hermite" ? "; the truncated Hermite series is known to do this (docs/theory.md section 2.3): use method \"exact\" or a higher hermiteOrder" : "; reduce step or tolerances") +
        `; ${recorded} samples before that are returned`;
    case "max-work":
      return budget!.truncationMessage(`${recorded} samples up to alpha = ${+s.alphaReached.toPrecision(6)} are returned`);
    case "max-steps":
      return `reached maxSteps = ${o.maxSteps} at ${at} before alpha = ${last}; increase maxSteps or loosen rtol/atol; ${recorded} samples before that are returned`;
  }
}

/** The setting and the overlaps Q, R at which eps_g is evaluated. */
export interface GeneralizationErrorOptions extends TeacherStudentSetting {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  /** Tolerance of averages computed by quadrature (default 5e-10). */
  averageTolerance?: number;
}

/** eps_g = E[(sigma - tau)^2] / 2 for the given overlaps and output weights, noise-free (docs/theory.md sections 1, 9). */
export function generalizationError(options: GeneralizationErrorOptions): number {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with Q and R");
  const s = resolveSetting({ ...options, Q0: options.Q, R0: options.R }, false, { Q0: "Q", R0: "R" });
  const tolerance = resolveOption<number>(averageToleranceSpec, options.averageTolerance);
  return withInstance((e) => {
    e.loadModel(s, 1);
    e.f64.set(packState(s.Q0, s.R0, s.trainSecondLayer ? s.v : undefined), e.exports.ptrU() >> 3);
    applyActivationParameters(e, s, tolerance);
    e.exports.configureModel(ACTIVATION_CODE[s.activation], 0, 10, 1, teacherCode(s));
    return e.exports.evaluateGeneralizationError();
  });
}

/** The setting, the overlaps Q, R (and v through the setting) and the numerics of the right-hand side. */
export interface RhsOptions extends TeacherStudentSetting {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  averageTolerance?: number;
  learningRate?: number;
  method?: "exact" | "hermite";
  hermiteOrder?: number;
}

/**
 * The right-hand side dQ/dalpha, dR/dalpha at one state (for analysis and tests); with
 * trainSecondLayer the state's output weights are `v` and dv/dalpha is returned too (else null).
 */
export function orderParameterDerivatives(options: RhsOptions): { dQ: number[][]; dR: number[][]; dv: number[] | null } {
  const o = resolveOdeOptions({ ...options, Q0: options.Q, R0: options.R, samples: 2, alphaMax: 1, hermiteCheck: false, divergenceBound: Number.MAX_VALUE }, maxHermiteOrder(), false);
  const du = withInstance((e) => {
    e.loadModel(o, 1);
    e.f64.set(packState(o.Q0, o.R0, o.trainSecondLayer ? o.v : undefined), e.exports.ptrU() >> 3);
    configureOde(e, o, o.hermiteOrder);
    e.exports.evaluateRhs();
    const D = e.exports.stateDimension();
    return e.f64.slice(e.exports.ptrDu() >> 3, (e.exports.ptrDu() >> 3) + D);
  });
  const { Q, R, v } = unpackTrained(du, o.K, o.M, 0, o.trainSecondLayer);
  return { dQ: Q, dR: R, dv: v };
}
