// integrate(): the typical learning curve of online SGD from the order-parameter ODE
// (THEORY section 1), one WebAssembly call per trajectory.
import { getEngine, type Engine } from "../core/engine";
import { ACTIVATION_CODE, INTEGRATOR_CODE, METHOD_CODE, STATUSES, teacherCode, type OdeStatus } from "../core/exports";
import { applyActivationParameters } from "../core/activationParameters";
import { resolveAverageTolerance } from "../averages/index";
import { resolveOdeOptions, resolveSetting, type IntegrateOptions, type ResolvedOdeOptions, type TeacherStudentSetting } from "./options";

export interface OdeStats {
  /** Accepted plus rejected steps. */
  steps: number;
  rhsEvaluations: number;
  rejectedSteps: number;
  wallTimeMs: number;
  /** Where integration stopped (the last requested alpha when completed). */
  alphaReached: number;
}

export interface HermiteDiagnostics {
  order: number;
  evaluations: number;
  /** Evaluations whose |rho| matrix had spectral radius >= 1 (series not convergent, THEORY 2.3). */
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

export interface OdeResult {
  alpha: Float64Array;
  eg: Float64Array;
  /** Q per sample (K x K). */
  Q: number[][][];
  /** R per sample (K x M). */
  R: number[][][];
  status: OdeStatus;
  message: string;
  stats: OdeStats;
  options: ResolvedOdeOptions;
  hermite: HermiteDiagnostics | null;
  averages: AverageDiagnostics;
  warnings: string[];
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Writes the model (T, v, v*, u0) into the workspace laid out for K, M, nSamples. */
function loadModel(e: Engine, o: Pick<ResolvedOdeOptions, "K" | "M" | "T" | "v" | "vStar">, nSamples: number): void {
  if (e.exports.layout(o.K, o.M, nSamples) === 0) {
    throw new RangeError(`K = ${o.K}, M = ${o.M} with ${nSamples} samples do not fit in WebAssembly memory; use fewer samples or units`);
  }
  const v = e.f64;
  const t = e.exports.ptrT() >> 3;
  for (let n = 0; n < o.M; n++) for (let m = 0; m < o.M; m++) v[t + n * o.M + m] = o.T[n][m];
  v.set(o.v, e.exports.ptrV() >> 3);
  v.set(o.vStar, e.exports.ptrVs() >> 3);
}

/** State vector u = (Q_ik for i <= k, R_in) of THEORY section 4. */
export function packState(Q: number[][], R: number[][]): number[] {
  const u: number[] = [];
  for (let i = 0; i < Q.length; i++) for (let k = i; k < Q.length; k++) u.push(Q[i][k]);
  for (const row of R) u.push(...row);
  return u;
}

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

export function integrate(options: IntegrateOptions = {}): OdeResult {
  const e = getEngine();
  const o = resolveOdeOptions(options, e.exports.maxHermiteOrder());
  const t0 = now();
  const nS = o.alphas.length;
  loadModel(e, o, nS);
  const x = e.exports;
  let v = e.f64;
  v.set(packState(o.Q0, o.R0), x.ptrU() >> 3);
  v.set(o.alphas, x.ptrAlphas() >> 3);
  applyActivationParameters(e, o, o.averageTolerance);
  x.configureModel(ACTIVATION_CODE[o.activation], METHOD_CODE[o.method], o.hermiteOrder, o.learningRate, teacherCode(o));
  const code = x.run(INTEGRATOR_CODE[o.integrator], o.step, o.rtol, o.atol, o.maxSteps, nS, o.convergenceTolerance, o.divergenceBound);
  const status = STATUSES[code];
  const recorded = x.statRecorded();
  const D = x.stateDimension();
  v = e.f64;
  const outBase = x.ptrOut() >> 3;
  const out = v.slice(outBase, outBase + recorded * (D + 1)); // a copy: the next call reuses the buffer
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
      warnings.push(`Hermite series evaluated ${hermite.outsideConvergenceRegion} of ${hermite.evaluations} times outside its convergence region (spectral radius of |rho| up to ${hermite.maxSpectralRadius.toPrecision(4)} >= 1): truncation at N = ${o.hermiteOrder} is not a convergent approximation there (THEORY 2.3)`);
    }
    if (hermite.maxOrderDifference !== null && hermite.maxOrderDifference > o.hermiteTolerance) {
      warnings.push(`Hermite orders N = ${o.hermiteOrder} and N + 2 disagree by up to ${hermite.maxOrderDifference.toPrecision(3)} in du/dalpha (tolerance ${o.hermiteTolerance})`);
    }
  }
  const alpha = new Float64Array(recorded);
  const eg = new Float64Array(recorded);
  const Q: number[][][] = [];
  const R: number[][][] = [];
  for (let s = 0; s < recorded; s++) {
    alpha[s] = o.alphas[s];
    eg[s] = out[s * (D + 1) + D];
    const st = unpackState(out, o.K, o.M, s * (D + 1));
    Q.push(st.Q);
    R.push(st.R);
  }
  stats.wallTimeMs = now() - t0;
  return { alpha, eg, Q, R, status, message: describe(status, o, stats, recorded), stats, options: o, hermite, averages, warnings };
}

/** The core's counters of the averages since applyActivationParameters. */
export function averageDiagnostics(e: Engine, o: Pick<ResolvedOdeOptions, "activation" | "teacherActivation">): AverageDiagnostics {
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

function orderDifference(e: Engine, o: ResolvedOdeOptions, out: Float64Array, recorded: number, D: number): number {
  const x = e.exports;
  let worst = 0;
  for (let s = 0; s < recorded; s++) {
    const rhsAt = (order: number) => {
      x.configureModel(ACTIVATION_CODE[o.activation], METHOD_CODE[o.method], order, o.learningRate, teacherCode(o));
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

function describe(status: OdeStatus, o: ResolvedOdeOptions, s: OdeStats, recorded: number): string {
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
        (o.method === "hermite" ? "; the truncated Hermite series is known to do this (THEORY 2.3): use method \"exact\" or a higher hermiteOrder" : "; reduce step or tolerances") +
        `; ${recorded} samples before that are returned`;
    case "max-steps":
      return `reached maxSteps = ${o.maxSteps} at ${at} before alpha = ${last}; increase maxSteps or loosen rtol/atol; ${recorded} samples before that are returned`;
  }
}

export interface GeneralizationErrorOptions extends TeacherStudentSetting {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  /** Tolerance of averages computed by quadrature (default 5e-10). */
  averageTolerance?: number;
}

/** eps_g = E[(sigma - tau)^2] / 2 for the given overlaps (THEORY section 1). */
export function generalizationError(options: GeneralizationErrorOptions): number {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with Q and R");
  const s = resolveSetting({ ...options, Q0: options.Q, R0: options.R }, false);
  const e = getEngine();
  loadModel(e, s, 1);
  e.f64.set(packState(s.Q0, s.R0), e.exports.ptrU() >> 3);
  applyActivationParameters(e, s, resolveAverageTolerance(options.averageTolerance));
  e.exports.configureModel(ACTIVATION_CODE[s.activation], 0, 10, 1, teacherCode(s));
  return e.exports.evaluateGeneralizationError();
}

export interface RhsOptions extends TeacherStudentSetting {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  averageTolerance?: number;
  learningRate?: number;
  method?: "exact" | "hermite";
  hermiteOrder?: number;
}

/** The right-hand side dQ/dalpha, dR/dalpha at one state (for analysis and tests). */
export function orderParameterDerivatives(options: RhsOptions): { dQ: number[][]; dR: number[][] } {
  const e = getEngine();
  const o = resolveOdeOptions({ ...options, Q0: options.Q, R0: options.R, samples: 2, alphaMax: 1, hermiteCheck: false, divergenceBound: Number.MAX_VALUE }, e.exports.maxHermiteOrder(), false);
  loadModel(e, o, 1);
  e.f64.set(packState(o.Q0, o.R0), e.exports.ptrU() >> 3);
  applyActivationParameters(e, o, o.averageTolerance);
  e.exports.configureModel(ACTIVATION_CODE[o.activation], METHOD_CODE[o.method], o.hermiteOrder, o.learningRate, teacherCode(o));
  e.exports.evaluateRhs();
  const D = e.exports.stateDimension();
  const du = e.f64.slice(e.exports.ptrDu() >> 3, (e.exports.ptrDu() >> 3) + D);
  const { Q, R } = unpackState(du, o.K, o.M);
  return { dQ: Q, dR: R };
}
