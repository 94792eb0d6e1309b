// The order-parameter ODE du/dalpha = F(u; eta) as a resident evaluator for Newton,
// continuation and bisection: options are resolved once, the model is loaded once, and each
// evaluation is one WebAssembly call on a state written in place (THEORY 1 and 4).
import { getEngine, type Engine } from "../core/engine";
import { ACTIVATION_CODE, INTEGRATOR_CODE, METHOD_CODE, STATUSES, STATUS_EG_RISE, teacherCode, type Activation, type AverageMethod, type Integrator, type OdeStatus } from "../core/exports";
import { checkHermiteOrder } from "../averages/index";
import * as check from "../core/validate";
import { checkHermiteMatched, resolveSetting, type ResolvedOdeOptions, type TeacherStudentSetting } from "../online/options";
import { packState, unpackState } from "../online/integrate";
import { applyActivationParameters } from "../core/activationParameters";

export interface SystemOptions extends TeacherStudentSetting {
  method?: AverageMethod;
  hermiteOrder?: number;
}

/** The setting and the averages' numerics, as integrate() resolves them. */
export type ResolvedSetting = Pick<ResolvedOdeOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0" | "v" | "vStar" | "method" | "hermiteOrder">;

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

let owner: OrderParameterSystem | undefined;

export class OrderParameterSystem {
  readonly setting: ResolvedSetting;
  readonly K: number;
  readonly M: number;
  /** State dimension K (K + 1) / 2 + K M. */
  readonly D: number;
  private readonly engine: Engine;
  private capacity = 0;
  /** Evaluations of F since construction (for the reported statistics). */
  evaluations = 0;

  constructor(options: SystemOptions, definite = false) {
    if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
    const s = resolveSetting(options, definite);
    const method = options.method === undefined ? "exact" : check.oneOf("method", options.method, ["exact", "hermite"] as const);
    checkHermiteMatched(method, s);
    if (method === "hermite" && s.activation !== "relu") throw new RangeError(`method "hermite" is implemented for activation "relu" only; got activation ${JSON.stringify(s.activation)}`);
    const hermiteOrder = options.hermiteOrder === undefined ? 10 : checkHermiteOrder(options.hermiteOrder);
    this.setting = { ...s, method, hermiteOrder };
    this.K = s.K;
    this.M = s.M;
    this.D = (s.K * (s.K + 1)) / 2 + s.K * s.M;
    this.engine = getEngine();
  }

  /** Makes the shared core hold this model (another caller may have laid out its own). */
  private claim(samples = 1): void {
    const e = this.engine, x = e.exports, s = this.setting;
    if (owner === this && samples <= this.capacity && this.intact()) return;
    const n = Math.max(samples, 2);
    if (x.layout(s.K, s.M, n) === 0) throw new RangeError(`K = ${s.K}, M = ${s.M} do not fit in WebAssembly memory`);
    const v = e.f64;
    const t = x.ptrT() >> 3;
    for (let a = 0; a < s.M; a++) for (let b = 0; b < s.M; b++) v[t + a * s.M + b] = s.T[a][b];
    v.set(s.v, x.ptrV() >> 3);
    v.set(s.vStar, x.ptrVs() >> 3);
    this.capacity = n;
    owner = this;
  }

  /** Still our model in the core? (integrate() and friends lay out their own.) */
  private intact(): boolean {
    const e = this.engine, x = e.exports, s = this.setting;
    if (x.stateDimension() !== this.D) return false;
    const v = e.f64;
    const t = x.ptrT() >> 3, pv = x.ptrV() >> 3, ps = x.ptrVs() >> 3;
    for (let a = 0; a < s.M; a++) for (let b = 0; b < s.M; b++) if (v[t + a * s.M + b] !== s.T[a][b]) return false;
    for (let i = 0; i < s.K; i++) if (v[pv + i] !== s.v[i]) return false;
    for (let n = 0; n < s.M; n++) if (v[ps + n] !== s.vStar[n]) return false;
    return true;
  }

  /** Sets T_nm = T_mn = value (continuation in a teacher overlap); the core is reloaded on next use. */
  setTeacherEntry(n: number, m: number, value: number): void {
    if (this.setting.T[n][m] === value && this.setting.T[m][n] === value) return;
    this.setting.T[n][m] = value;
    this.setting.T[m][n] = value;
    if (owner === this) owner = undefined;
  }

  /** Releases the core (integrate() and friends lay it out for themselves). */
  static release(): void {
    owner = undefined;
  }

  /** F(u; eta) into out (length D). */
  rhs(u: ArrayLike<number>, eta: number, out: Float64Array = new Float64Array(this.D)): Float64Array {
    this.claim();
    const x = this.engine.exports;
    applyActivationParameters(this.engine, this.setting);
    x.configureModel(ACTIVATION_CODE[this.setting.activation], METHOD_CODE[this.setting.method], this.setting.hermiteOrder, eta, teacherCode(this.setting));
    const v = this.engine.f64;
    const p = x.ptrU() >> 3;
    for (let i = 0; i < this.D; i++) v[p + i] = u[i];
    x.evaluateRhs();
    const q = x.ptrDu() >> 3;
    for (let i = 0; i < this.D; i++) out[i] = v[q + i];
    this.evaluations++;
    return out;
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

  pack(Q: number[][], R: number[][]): Float64Array {
    return Float64Array.from(packState(Q, R));
  }

  unpack(u: ArrayLike<number>): { Q: number[][]; R: number[][] } {
    return unpackState(u, this.K, this.M);
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
    owner = undefined; // lay out afresh: the sample buffers of another caller may be smaller
    this.claim(2);
    const e = this.engine, x = e.exports;
    applyActivationParameters(this.engine, this.setting);
    x.configureModel(ACTIVATION_CODE[this.setting.activation], METHOD_CODE[this.setting.method], this.setting.hermiteOrder, eta, teacherCode(this.setting));
    let v = e.f64;
    v.set(u0, x.ptrU() >> 3);
    const a = x.ptrAlphas() >> 3;
    v[a] = 0;
    v[a + 1] = t.alphaMax;
    x.resetHermiteDiagnostics();
    x.configureMonitor(monitor ? 1 : 0, monitor?.egFloor ?? 0, monitor?.slopeTolerance ?? 0, monitor?.maxStep ?? 0);
    const code = x.run(INTEGRATOR_CODE[t.integrator], t.step, t.rtol, t.atol, t.maxSteps, 2, t.convergenceTolerance, t.divergenceBound);
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

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
