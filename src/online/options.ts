// Options of integrate(): defaults, validation and the resolved (fully explicit) form.
import { ACTIVATIONS, INTEGRATORS, METHODS, type Activation, type AverageMethod, type Integrator } from "../core/exports";
import * as check from "../core/validate";
import { checkHermiteOrder, resolveAverageTolerance } from "../averages/index";
import { resolveActivationParameters, type ActivationParameterOptions } from "../core/activationParameters";

export interface TeacherStudentSetting extends ActivationParameterOptions {
  /** Activation g of the student units, and of the teacher units unless teacherActivation is given (default "relu"). */
  activation?: Activation;
  /** Activation gt of the teacher units (default: activation). A different one is a student/teacher mismatch. */
  teacherActivation?: Activation;
  /** Number of student hidden units (default: from Q0, or 2). */
  K?: number;
  /** Number of teacher hidden units (default: from T, or 2). */
  M?: number;
  /** Teacher overlaps T_nm = w*_n . w*_m, M x M. */
  T?: ArrayLike<ArrayLike<number>>;
  /** Initial student overlaps Q_ik, K x K. */
  Q0?: ArrayLike<ArrayLike<number>>;
  /** Initial student-teacher overlaps R_in, K x M. */
  R0?: ArrayLike<ArrayLike<number>>;
  /** Hidden-to-output weights of the student (default all 1). */
  v?: ArrayLike<number>;
  /** Hidden-to-output weights of the teacher (default all 1). */
  vStar?: ArrayLike<number>;
}

export interface IntegrateOptions extends TeacherStudentSetting {
  /** Learning rate eta > 0 (alias: eta). Default 1. */
  learningRate?: number;
  eta?: number;
  /** Explicit sample points alpha (ascending, >= 0). */
  alphas?: ArrayLike<number>;
  /** Last sample point when alphas is not given (default 300). */
  alphaMax?: number;
  /** Number of evenly spaced samples, 0 and alphaMax included (default 301). */
  samples?: number;
  method?: AverageMethod;
  hermiteOrder?: number;
  integrator?: Integrator;
  /** Fixed step (euler, rk4) or initial step (adaptive); default 0.01. */
  step?: number;
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  /** Stop with status "converged" once max |du/dalpha| falls below this (default 0: never). */
  convergenceTolerance?: number;
  /** Status "diverged" once some Q_ii exceeds this (default 1e6). */
  divergenceBound?: number;
  /** With method "hermite": compare orders N and N+2 at every sample (default true). */
  hermiteCheck?: boolean;
  /** Tolerance of that comparison on du/dalpha (default 1e-6). */
  hermiteTolerance?: number;
  /**
   * Tolerance of the Gaussian averages computed by quadrature (tanh, sigmoid, silu, softplus;
   * default 5e-10, tested to give averages within 1e-9); the other activations' are exact.
   */
  averageTolerance?: number;
}

export interface ResolvedOdeOptions {
  activation: Activation;
  teacherActivation: Activation;
  /** leakyRelu slope (used by any leakyRelu side; default 0.01). */
  slope: number;
  /** Hermite coefficients of a "hermiteCoefficients" side, or null. */
  hermiteCoefficients: number[] | null;
  K: number;
  M: number;
  T: number[][];
  Q0: number[][];
  R0: number[][];
  v: number[];
  vStar: number[];
  learningRate: number;
  alphas: number[];
  method: AverageMethod;
  hermiteOrder: number;
  integrator: Integrator;
  step: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  convergenceTolerance: number;
  divergenceBound: number;
  hermiteCheck: boolean;
  hermiteTolerance: number;
  averageTolerance: number;
}

/** The reference setting of [E] Figure 1 (THEORY section 1). */
export const REFERENCE_SETTING = Object.freeze({
  activation: "relu" as Activation,
  K: 2,
  M: 2,
  T: [[1, 0], [0, 2]],
  Q0: [[0.1, 0], [0, 0.2]],
  R0: [[1e-3, 0], [0, 1e-3]],
  learningRate: 1,
  alphaMax: 300,
  hermiteOrder: 10,
  step: 0.01,
});

export const MAX_UNITS = 100;

const identity = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const rowsOf = (x: unknown) => (Array.isArray(x) ? x.length : undefined);

export type ResolvedTeacherStudentSetting = Pick<ResolvedOdeOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0" | "v" | "vStar">;

export function resolveSetting(o: TeacherStudentSetting, definite = true): ResolvedTeacherStudentSetting {
  const activation = o.activation === undefined ? "relu" : check.oneOf("activation", o.activation, ACTIVATIONS);
  const teacherActivation = o.teacherActivation === undefined ? activation : check.oneOf("teacherActivation", o.teacherActivation, ACTIVATIONS);
  const { slope, hermiteCoefficients } = resolveActivationParameters(o, { activation, teacherActivation });
  const reference = o.K === undefined && o.M === undefined && o.T === undefined && o.Q0 === undefined && o.R0 === undefined;
  if (reference) {
    const K = 2, M = 2;
    return {
      activation, teacherActivation, slope, hermiteCoefficients, K, M,
      T: REFERENCE_SETTING.T.map((r) => [...r]),
      Q0: REFERENCE_SETTING.Q0.map((r) => [...r]),
      R0: REFERENCE_SETTING.R0.map((r) => [...r]),
      v: o.v === undefined ? [1, 1] : check.vector("v", o.v, K),
      vStar: o.vStar === undefined ? [1, 1] : check.vector("vStar", o.vStar, M),
    };
  }
  const K = check.number("K", o.K ?? rowsOf(o.Q0) ?? rowsOf(o.R0) ?? 2, { min: 1, max: MAX_UNITS, integer: true });
  const firstRow = Array.isArray(o.R0) && o.R0.length > 0 ? o.R0[0] : undefined;
  const M = check.number("M", o.M ?? rowsOf(o.T) ?? (firstRow ? (firstRow as ArrayLike<number>).length : undefined) ?? 2, { min: 1, max: MAX_UNITS, integer: true });
  if (o.Q0 === undefined) throw new TypeError(`Q0 is required (a ${K} x ${K} matrix) unless the whole reference setting is used`);
  if (o.R0 === undefined) throw new TypeError(`R0 is required (a ${K} x ${M} matrix) unless the whole reference setting is used`);
  const T = o.T === undefined ? identity(M) : check.matrix("T", o.T, M, M);
  const Q0 = check.matrix("Q0", o.Q0, K, K);
  const R0 = check.matrix("R0", o.R0, K, M);
  check.symmetric("T", T);
  check.symmetric("Q0", Q0);
  check.positiveDefinite("T", T, "teacher vectors linearly independent");
  const C0 = [...Q0.map((q, i) => [...q, ...R0[i]]), ...T.map((t, n) => [...R0.map((r) => r[n]), ...t])];
  if (definite) check.positiveDefinite("C0 = [[Q0, R0], [R0^T, T]]", C0, "the initial student and teacher vectors must be linearly independent");
  else check.positiveSemidefinite("C = [[Q, R], [R^T, T]]", C0);
  return {
    activation, teacherActivation, slope, hermiteCoefficients, K, M, T, Q0, R0,
    v: o.v === undefined ? new Array(K).fill(1) : check.vector("v", o.v, K),
    vStar: o.vStar === undefined ? new Array(M).fill(1) : check.vector("vStar", o.vStar, M),
  };
}

/** The Hermite series of [E] is a ReLU-ReLU expansion: no student/teacher mismatch. */
export function checkHermiteMatched(method: string, s: { activation: Activation; teacherActivation: Activation }): void {
  if (method === "hermite" && s.teacherActivation !== s.activation) {
    throw new RangeError(`method "hermite" needs teacherActivation equal to activation (relu); got teacherActivation ${JSON.stringify(s.teacherActivation)} with activation ${JSON.stringify(s.activation)}: use method "exact" for a student/teacher mismatch`);
  }
}

/** learningRate (alias eta) > 0, default 1. */
export function resolveLearningRate(o: { learningRate?: number; eta?: number }): number {
  if (o.learningRate !== undefined && o.eta !== undefined && o.learningRate !== o.eta) {
    throw new RangeError(`learningRate and eta are the same option; got learningRate = ${o.learningRate} and eta = ${o.eta}`);
  }
  const lr = o.learningRate ?? o.eta;
  return lr === undefined ? 1 : check.number(o.learningRate !== undefined ? "learningRate" : "eta", lr, { min: 0, minExclusive: true });
}

export function resolveOdeOptions(o: IntegrateOptions, maxOrder: number, definite = true): ResolvedOdeOptions {
  if (o === null || typeof o !== "object") throw new TypeError(`options must be an object; got ${o === null ? "null" : typeof o}`);
  const setting = resolveSetting(o, definite);
  const learningRate = resolveLearningRate(o);
  let alphas: number[];
  if (o.alphas !== undefined) {
    if (o.alphaMax !== undefined || o.samples !== undefined) throw new RangeError("give either alphas or alphaMax/samples, not both");
    if (!Array.isArray(o.alphas) && !ArrayBuffer.isView(o.alphas)) throw new TypeError(`alphas must be an array of numbers; got ${typeof o.alphas}`);
    alphas = check.vector("alphas", o.alphas, (o.alphas as ArrayLike<number>).length);
    if (alphas.length === 0) throw new RangeError("alphas must contain at least one sample point");
    alphas.forEach((a, i) => {
      if (a < 0) throw new RangeError(`alphas[${i}] must be >= 0; got ${a}`);
      if (i > 0 && a <= alphas[i - 1]) throw new RangeError(`alphas must be strictly increasing; alphas[${i}] = ${a} follows ${alphas[i - 1]}`);
    });
  } else {
    const alphaMax = o.alphaMax === undefined ? REFERENCE_SETTING.alphaMax : check.number("alphaMax", o.alphaMax, { min: 0, minExclusive: true });
    const samples = o.samples === undefined ? 301 : check.number("samples", o.samples, { min: 2, max: 1e7, integer: true });
    alphas = Array.from({ length: samples }, (_, i) => (i === samples - 1 ? alphaMax : (alphaMax * i) / (samples - 1)));
  }
  const method = o.method === undefined ? "exact" : check.oneOf("method", o.method, METHODS);
  checkHermiteMatched(method, setting);
  if (method === "hermite" && setting.activation !== "relu") {
    throw new RangeError(`method "hermite" is implemented for activation "relu" only; got activation ${JSON.stringify(setting.activation)} (its averages are exact in closed form)`);
  }
  const hermiteOrder = o.hermiteOrder === undefined ? REFERENCE_SETTING.hermiteOrder : checkHermiteOrder(o.hermiteOrder);
  const integrator = o.integrator === undefined ? "rk4" : check.oneOf("integrator", o.integrator, INTEGRATORS);
  const step = o.step === undefined ? REFERENCE_SETTING.step : check.number("step", o.step, { min: 0, minExclusive: true });
  const rtol = o.rtol === undefined ? 1e-9 : check.number("rtol", o.rtol, { min: 1e-15, max: 1 });
  const atol = o.atol === undefined ? 1e-12 : check.number("atol", o.atol, { min: 0 });
  const maxSteps = o.maxSteps === undefined ? 1e7 : check.number("maxSteps", o.maxSteps, { min: 1, max: 2 ** 31 - 1, integer: true });
  const convergenceTolerance = o.convergenceTolerance === undefined ? 0 : check.number("convergenceTolerance", o.convergenceTolerance, { min: 0 });
  const divergenceBound = o.divergenceBound === undefined ? 1e6 : check.number("divergenceBound", o.divergenceBound, { min: 0, minExclusive: true });
  const maxQ = Math.max(...setting.Q0.map((r, i) => r[i]));
  if (divergenceBound <= maxQ) throw new RangeError(`divergenceBound must exceed the largest initial Q_ii (${maxQ}); got ${divergenceBound}`);
  const hermiteCheck = o.hermiteCheck === undefined ? method === "hermite" && hermiteOrder + 2 <= maxOrder : check.bool("hermiteCheck", o.hermiteCheck);
  if (hermiteCheck && hermiteOrder + 2 > maxOrder) throw new RangeError(`hermiteOrder must be <= ${maxOrder - 2} when hermiteCheck compares orders N and N + 2; got ${hermiteOrder}`);
  const hermiteTolerance = o.hermiteTolerance === undefined ? 1e-6 : check.number("hermiteTolerance", o.hermiteTolerance, { min: 0 });
  const averageTolerance = resolveAverageTolerance(o.averageTolerance);
  const D = (setting.K * (setting.K + 1)) / 2 + setting.K * setting.M;
  if (alphas.length * (D + 1) * 8 > 2 ** 30) throw new RangeError(`samples x state size too large for memory: ${alphas.length} samples of ${D + 1} numbers exceed 1 GiB; use fewer samples`);
  return { ...setting, learningRate, alphas, method, hermiteOrder, integrator, step, rtol, atol, maxSteps, convergenceTolerance, divergenceBound, hermiteCheck, hermiteTolerance, averageTolerance };
}
