// The order-parameter ODE du/dalpha = F(u; eta) as a resident evaluator for Newton,
// continuation and bisection: options are resolved once, the model is loaded once into an
// instance of the core that belongs to this system alone, and each evaluation is one
// WebAssembly call on a state written in place (docs/theory.md sections 1 and 4).
import { resolveOption } from "../options/check";
import { method as methodSpec } from "../options/catalog/numerics";
import { acquireInstance, type CoreInstance } from "../core/engine";
import { ACTIVATION_CODE, INTEGRATOR_CODE, METHOD_CODE, STATUSES, STATUS_EG_RISE, STATUS_PAUSED, teacherCode, type Activation, type AverageMethod, type Integrator, type OdeStatus } from "../core/exports";
import { checkHermiteOrder } from "../averages/index";
import * as check from "../core/validate";
import { checkHermiteMatched, resolveSetting, type ResolvedOdeOptions, type TeacherStudentSetting } from "../online/options";
import { packState, runTrajectory, unpackTrained } from "../online/integrate";
import { configureCore, type ResolvedTraining } from "../online/training";
import { EvaluationMeter, WorkExhausted, type WorkBudget } from "../work/budget";
import { rhsCost, rhsSeconds, type RhsCost } from "../work/estimates";
import { applyActivationParameters } from "../core/activationParameters";

export interface SystemOptions extends TeacherStudentSetting {
  method?: AverageMethod;
  hermiteOrder?: number;
}

/**
 * The setting and the averages' numerics, as integrate() resolves them, with the training options
 * of docs/theory.md section 9 (learningRate2 null: the second layer learns at the F's eta).
 */
export type ResolvedSetting = Pick<ResolvedOdeOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0" | "v" | "vStar" | "outputScaling" | "method" | "hermiteOrder"> & ResolvedTraining;

/** Settings of one monitored trajectory (see OrderParameterSystem.trajectory). */
export interface TrajectorySettings {
  integrator: Integrator;
  step: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  alphaMax: number;
  convergenceTolerance: number;
  divergenceBound: number;
}

export interface TrajectoryOutcome {
  status: OdeStatus | "eg-rise";
  alphaReached: number;
  steps: number;
  /** Largest d eps_g / d alpha / |du/dalpha|_inf seen (only when monitored). */
  maxEgSlope: number;
  maxEgSlopeAlpha: number;
  /** State where the run stopped. */
  u: Float64Array;
}

/** The ODE du/dalpha = F(u; eta) of one setting as a resident evaluator for Newton, continuation and bisection. */
export class OrderParameterSystem {
  /** The resolved setting and the averages' numerics. */
  readonly setting: ResolvedSetting;
  /** Number of student units. */
  readonly K: number;
  /** Number of teacher units. */
  readonly M: number;
  /** State dimension K (K + 1) / 2 + K M (+ K with a trained second layer: v follows Q, R). */
  readonly D: number;
  /** Dimension of the (Q, R) part of the state. */
  readonly DQR: number;
  /** Whether the state holds the output weights v (trainSecondLayer). */
  readonly trainedV: boolean;
  private readonly engine: CoreInstance;
  /** Samples the instance's workspace holds (0: model not loaded yet or T changed). */
  private capacity = 0;
  /** Evaluations of F since construction (for the reported statistics). */
  evaluations = 0;
  /** Counts evaluations against a work budget (progress, abort, maxWork) when set. */
  meter: EvaluationMeter | undefined;

  constructor(options: SystemOptions, definite = false) {
    if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
    const s = resolveSetting(options, definite);
    const method = resolveOption<"exact" | "hermite">(methodSpec, options.method);
    checkHermiteMatched(method, s);
    if (method === "hermite" && s.activation !== "relu") throw check.rangeError("method", method, "exact (hermite is implemented for relu only)", { related: ["activation"], reason: `must be "exact" for activation ${JSON.stringify(s.activation)}: the Hermite series is implemented for activation "relu" only; got "hermite"` });
    const hermiteOrder = options.hermiteOrder === undefined ? 10 : checkHermiteOrder(options.hermiteOrder);
    this.setting = { ...s, method, hermiteOrder };
    this.K = s.K;
    this.M = s.M;
    this.DQR = (s.K * (s.K + 1)) / 2 + s.K * s.M;
    this.trainedV = s.trainSecondLayer;
    this.D = this.DQR + (s.trainSecondLayer ? s.K : 0);
    this.engine = acquireInstance();
  }

  /** Loads the model into this system's instance (first use, more samples, or a changed T). */
  private claim(samples = 1): void {
    if (samples <= this.capacity) return;
    const n = Math.max(samples, 2);
    this.engine.loadModel(this.setting, n);
    this.capacity = n;
  }

  /** Sets T_nm = T_mn = value (continuation in a teacher overlap); the model is reloaded on next use. */
  setTeacherEntry(n: number, m: number, value: number): void {
    if (this.setting.T[n][m] === value && this.setting.T[m][n] === value) return;
    this.setting.T[n][m] = value;
    this.setting.T[m][n] = value;
    this.capacity = 0;
  }

  /** F(u; eta) into out (length D). */
  rhs(u: ArrayLike<number>, eta: number, out: Float64Array = new Float64Array(this.D)): Float64Array {
    this.claim();
    const x = this.engine.exports;
    this.configure(eta, this.setting.hermiteOrder);
    const v = this.engine.f64;
    const p = x.ptrU() >> 3;
    for (let i = 0; i < this.D; i++) v[p + i] = u[i];
    x.evaluateRhs();
    const q = x.ptrDu() >> 3;
    for (let i = 0; i < this.D; i++) out[i] = v[q + i];
    this.evaluations++;
    this.meter?.tick();
    return out;
  }

  /** The activations' parameters, configureModel and section 9's settings at learning rate eta (eta2: the given one, else eta). */
  private configure(eta: number, order: number): void {
    const s = this.setting;
    applyActivationParameters(this.engine, s);
    configureCore(this.engine.exports, { activation: ACTIVATION_CODE[s.activation], teacher: teacherCode(s), method: METHOD_CODE[s.method], hermiteOrder: order }, eta, s);
  }

  /** eps_g at u. */
  eg(u: ArrayLike<number>): number {
    this.claim();
    const x = this.engine.exports;
    applyActivationParameters(this.engine, this.setting);
    x.configureModel(ACTIVATION_CODE[this.setting.activation], METHOD_CODE[this.setting.method], this.setting.hermiteOrder, 1, teacherCode(this.setting));
    const v = this.engine.f64;
    const p = x.ptrU() >> 3;
    for (let i = 0; i < this.D; i++) v[p + i] = u[i];
    return x.evaluateGeneralizationError();
  }

  /** Estimated seconds of one evaluation of F (src/work/costModel.ts). */
  get rhsSeconds(): number {
    return rhsSeconds(this.setting);
  }

  /** What an evaluation of F costs (panel-free part, orthant panels), to charge work budgets. */
  get cost(): RhsCost {
    return rhsCost(this.setting);
  }

  /** A meter charging this system's evaluations (and its instance's orthant panels) to `budget`. */
  meterFor(budget: WorkBudget, report: () => void): EvaluationMeter {
    const x = this.engine.exports;
    return new EvaluationMeter(budget, this.cost, report, () => x.statOrthantPanels());
  }

  /** State vector u of the overlaps Q, R (and the output weights v when trained: default the setting's). */
  pack(Q: number[][], R: number[][], v: ArrayLike<number> = this.setting.v): Float64Array {
    return Float64Array.from(packState(Q, R, this.trainedV ? v : undefined));
  }

  /** Overlaps Q, R of a state vector u, and its v (the setting's when not trained). */
  unpack(u: ArrayLike<number>): { Q: number[][]; R: number[][]; v: number[] } {
    const r = unpackTrained(u, this.K, this.M, 0, this.trainedV);
    return { Q: r.Q, R: r.R, v: r.v ?? [...this.setting.v] };
  }

  /** C = [[Q, R], [R^T, T]] at u. */
  covariance(u: ArrayLike<number>): number[][] {
    const { Q, R } = this.unpack(u);
    const T = this.setting.T;
    return [...Q.map((q, i) => [...q, ...R[i]]), ...T.map((t, n) => [...R.map((r) => r[n]), ...t])];
  }

  /**
   * Smallest pivot of C's Cholesky factorisation relative to its largest variance (>= 0 on
   * valid states; -1 when some Q_ii <= 0 or C is indefinite beyond rounding).
   */
  definiteness(u: ArrayLike<number>): number {
    const C = this.covariance(u);
    const n = C.length;
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, C[i][i]);
    for (let i = 0; i < this.K; i++) if (!(C[i][i] > 0)) return -1;
    const L = C.map(() => new Array<number>(n).fill(0));
    let least = Infinity;
    for (let j = 0; j < n; j++) {
      let d = C[j][j];
      for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
      least = Math.min(least, d / scale);
      if (d < -1e-12 * scale) return -1;
      const l = d > 1e-14 * scale ? Math.sqrt(d) : 0;
      L[j][j] = l;
      for (let i = j + 1; i < n; i++) {
        let s = C[i][j];
        for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
        L[i][j] = l > 0 ? s / l : 0;
      }
    }
    return Math.max(0, least);
  }

  /**
   * One trajectory from u0 at learning rate eta, stopped as soon as it is decided: converged,
   * diverged, or (with monitorEgRise) the first rise of eps_g while eps_g > egFloor.
   */
  trajectory(u0: ArrayLike<number>, eta: number, t: TrajectorySettings, monitor?: { egFloor: number; slopeTolerance: number; maxStep: number }): TrajectoryOutcome {
    this.claim(2);
    const e = this.engine, x = e.exports;
    this.configure(eta, this.setting.hermiteOrder);
    let v = e.f64;
    v.set(u0, x.ptrU() >> 3);
    const a = x.ptrAlphas() >> 3;
    v[a] = 0;
    v[a + 1] = t.alphaMax;
    x.resetHermiteDiagnostics();
    x.configureMonitor(monitor ? 1 : 0, monitor?.egFloor ?? 0, monitor?.slopeTolerance ?? 0, monitor?.maxStep ?? 0);
    const begin = () => x.runBegin(INTEGRATOR_CODE[t.integrator], t.step, t.rtol, t.atol, t.maxSteps, 2, t.convergenceTolerance, t.divergenceBound);
    let code: number;
    if (this.meter) {
      const m = this.meter;
      m.flush(); // the evaluations before it, with their panels
      code = runTrajectory(e, m.budget, m.cost, begin, () => m.report());
      this.evaluations += x.statRhsEvaluations();
      m.skipPanels(); // charged by the trajectory
      m.flush();
      if (code === STATUS_PAUSED) throw new WorkExhausted();
    } else {
      code = begin();
      if (code === STATUS_PAUSED) code = x.runContinue(0);
    }
    v = e.f64;
    const p = x.ptrU() >> 3;
    return {
      status: code === STATUS_EG_RISE ? "eg-rise" : STATUSES[code],
      alphaReached: x.statAlphaReached(),
      steps: x.statSteps(),
      maxEgSlope: x.statMaxEgSlope(),
      maxEgSlopeAlpha: x.statMaxEgSlopeAlpha(),
      u: v.slice(p, p + this.D),
    };
  }
}
