// Options of integrate(): defaults, validation and the resolved (fully explicit) form.
import type { Activation, AverageMethod, Integrator } from "../core/exports";
import * as check from "../core/validate";
import { OptionError, OptionTypeError } from "../core/errors";
import { checkHermiteOrder } from "../averages/index";
import { resolveActivationParameters, type ActivationParameterOptions } from "../core/activationParameters";
import { checkOption, resolveOption } from "../options/check";
import * as S from "../options/catalog/setting";
import { alphaMax as alphaMaxSpec, learningRate as learningRateSpec, samples as samplesSpec, learningRateSchedule as scheduleSpec, etaMax as etaMaxSpec } from "../options/catalog/learning";
import { parseSchedule, rateAt, type LearningRateSchedule } from "../options/schedule";
import { resolveAlphas } from "../options/rules";
import { outputScale, resolveTraining, type OutputScaling, type ResolvedTraining, type TrainingOptions } from "./training";
import { checkMemory } from "../work/budget";
import { estimateOde } from "../work/estimates";

export { resolveAlphas };
import * as N from "../options/catalog/numerics";
import * as TR from "../options/catalog/training";

/**
 * The teacher-student setting shared by the ODE, the simulation and the fixed points, with the
 * label noise, weight decay and second-layer training of docs/theory.md section 9.
 */
export interface TeacherStudentSetting extends TrainingOptions, ActivationParameterOptions {
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
  /**
   * Output scaling (default "none"): "1/K" divides v by K and vStar by M, "1/sqrtK" by sqrt K and
   * sqrt M (the peer's normalise and mean-field presets; docs/theory.md section 9). The resolved
   * v and vStar are the scaled ones.
   */
  outputScaling?: OutputScaling;
}

/** Options of integrate(): the setting, the learning rate, the sample points and the numerics. */
export interface IntegrateOptions extends TeacherStudentSetting {
  /** Learning rate eta > 0 (alias: eta). Default 1. */
  learningRate?: number;
  eta?: number;
  /**
   * A learning-rate schedule eta(alpha) instead of the constant learningRate (docs/theory.md
   * section 12): text ("inverse:1,10", "power:1,10,0.5", "piecewise:0:1,50:0.5", "greedy") or
   * object form; default "constant" (learningRate). Every integrator stage uses the rate at its own
   * alpha; steps land on the schedule's breakpoints. "greedy" is the locally optimal rate of the
   * state, capped at etaMax: myopic, it can stall on a plateau (result.greedy.stall).
   */
  learningRateSchedule?: string | LearningRateSchedule;
  /** Cap of the greedy rate (default 2). */
  etaMax?: number;
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

/** Every option of integrate() made explicit (defaults filled in), as returned in results. */
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
  /** The student's output weights (the initial ones when trainSecondLayer), after outputScaling. */
  v: number[];
  /** The teacher's output weights, after outputScaling. */
  vStar: number[];
  /** The constant rate; with a schedule, its rate at alpha = 0 (greedy: the cap etaMax). */
  learningRate: number;
  /** The schedule's canonical text ("constant" for learningRate). */
  learningRateSchedule: string;
  /** Cap of the greedy rate. */
  etaMax: number;
  outputScaling: OutputScaling;
  /** Standard deviation sigma of the label noise. */
  noise: number;
  /** Weight decay kappa. */
  weightDecay: number;
  /** Whether v is trained (part of the state). */
  trainSecondLayer: boolean;
  /** Learning rate eta2 of the second layer (the first layer's unless given); null when the second layer is not trained. */
  learningRate2: number | null;
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

/** The reference setting of [E] Figure 1 (docs/theory.md section 1). */
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

/** Largest K and M accepted (the range of the schema's K and M). */
export const MAX_UNITS = S.K.range!.max!;

const identity = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const rowsOf = (x: unknown) => (Array.isArray(x) ? x.length : undefined);

export type ResolvedTeacherStudentSetting = Pick<ResolvedOdeOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0" | "v" | "vStar">;

/**
 * The setting checked and completed. `names` are the API names of the initial overlaps (Q and R
 * when the caller gives a state rather than an initial condition), so errors name what was given.
 */
/** The resolved setting: the teacher-student setting and section 9's training options (learningRate2 null: the first layer's). */
export type ResolvedTeacherStudent = Pick<ResolvedOdeOptions, "activation" | "teacherActivation" | "slope" | "hermiteCoefficients" | "K" | "M" | "T" | "Q0" | "R0" | "v" | "vStar" | "outputScaling"> & ResolvedTraining;

export function resolveSetting(o: TeacherStudentSetting, definite = true, names: { Q0: string; R0: string } = { Q0: "Q0", R0: "R0" }): ResolvedTeacherStudent {
  const base = resolveShape(o, definite, names);
  const outputScaling = resolveOption<OutputScaling>(TR.outputScaling, o.outputScaling);
  const training = resolveTraining(o);
  const sv = outputScale(outputScaling, base.K), sw = outputScale(outputScaling, base.M);
  return { ...base, v: base.v.map((x) => x * sv), vStar: base.vStar.map((x) => x * sw), outputScaling, ...training };
}

function resolveShape(o: TeacherStudentSetting, definite: boolean, names: { Q0: string; R0: string }): ResolvedTeacherStudentSetting {
  const activation = resolveOption<Activation>(S.activation, o.activation);
  const teacherActivation = o.teacherActivation === undefined ? activation : checkOption<Activation>(S.teacherActivation, o.teacherActivation);
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
  const K = checkOption<number>(S.K, o.K ?? rowsOf(o.Q0) ?? rowsOf(o.R0) ?? 2);
  const firstRow = Array.isArray(o.R0) && o.R0.length > 0 ? o.R0[0] : undefined;
  const M = checkOption<number>(S.M, o.M ?? rowsOf(o.T) ?? (firstRow ? (firstRow as ArrayLike<number>).length : undefined) ?? 2);
  const given = (["K", "M", "T", "Q0", "R0"] as const).filter((k) => o[k] !== undefined).map((k) => (k === "Q0" ? names.Q0 : k === "R0" ? names.R0 : k));
  const required = (name: string, rows: number, cols: number) =>
    new OptionTypeError({ option: name, value: undefined, accepted: `a ${rows} x ${cols} matrix`, reason: `is required (a ${rows} x ${cols} matrix) unless the whole reference setting is used (here ${given.join(", ")} ${given.length === 1 ? "is" : "are"} given)`, related: given.filter((g) => g !== name) });
  if (o.Q0 === undefined) throw required(names.Q0, K, K);
  if (o.R0 === undefined) throw required(names.R0, K, M);
  const T = o.T === undefined ? identity(M) : check.matrix("T", o.T, M, M);
  const Q0 = check.matrix(names.Q0, o.Q0, K, K);
  const R0 = check.matrix(names.R0, o.R0, K, M);
  check.symmetric("T", T);
  check.symmetric(names.Q0, Q0);
  check.positiveDefinite("T", T, "teacher vectors linearly independent");
  const C0 = [...Q0.map((q, i) => [...q, ...R0[i]]), ...T.map((t, n) => [...R0.map((r) => r[n]), ...t])];
  // C0 fails through the overlaps of students with students or teachers: blamed on R0 (with Q0 and T related)
  const subject = names.R0 === "R0" ? "C0 = [[Q0, R0], [R0^T, T]]" : `C = [[${names.Q0}, ${names.R0}], [${names.R0}^T, T]]`;
  if (definite) check.positiveDefinite(names.R0, C0, "the initial student and teacher vectors must be linearly independent", { subject, value: o.R0, related: [names.Q0, "T"] });
  else check.positiveSemidefinite(names.R0, C0, { subject, value: o.R0, related: [names.Q0, "T"] });
  return {
    activation, teacherActivation, slope, hermiteCoefficients, K, M, T, Q0, R0,
    v: o.v === undefined ? new Array(K).fill(1) : check.vector("v", o.v, K),
    vStar: o.vStar === undefined ? new Array(M).fill(1) : check.vector("vStar", o.vStar, M),
  };
}

/** The Hermite series of [E] is a ReLU-ReLU expansion: no student/teacher mismatch. */
export function checkHermiteMatched(method: string, s: { activation: Activation; teacherActivation: Activation }): void {
  if (method === "hermite" && s.teacherActivation !== s.activation) {
    throw new OptionError({
      option: "method", value: method, accepted: "exact for a student/teacher mismatch", related: ["teacherActivation", "activation"],
      reason: `"hermite" needs teacherActivation equal to activation (relu); got teacherActivation ${JSON.stringify(s.teacherActivation)} with activation ${JSON.stringify(s.activation)}: use "exact" for a student/teacher mismatch`,
    });
  }
}

/** learningRate (alias eta) > 0, default 1. */
export function resolveLearningRate(o: { learningRate?: number; eta?: number }, spec = learningRateSpec): number {
  if (o.learningRate !== undefined && o.eta !== undefined && o.learningRate !== o.eta) {
    throw new OptionError({ option: "eta", value: o.eta, accepted: "the same value as learningRate (they are one option)", related: ["learningRate"], reason: `and learningRate are the same option; got learningRate = ${o.learningRate} and eta = ${o.eta}` });
  }
  const lr = o.learningRate ?? o.eta;
  return resolveOption<number>(spec, lr, o.learningRate !== undefined ? "learningRate" : "eta");
}

/**
 * learningRateSchedule, etaMax and learningRate together. A schedule other than "constant" sets
 * the rate itself; learningRate is then derived (the schedule's rate at alpha = 0, the cap etaMax
 * for greedy), as the resolved options report it, and if given must be that value (so resolved
 * options can be passed again).
 */
export function resolveSchedule(o: { learningRate?: number; eta?: number; learningRateSchedule?: unknown; etaMax?: number }): { learningRate: number; learningRateSchedule: string; etaMax: number } {
  const learningRateSchedule = resolveOption<string>(scheduleSpec, o.learningRateSchedule);
  const etaMax = resolveOption<number>(etaMaxSpec, o.etaMax);
  if (learningRateSchedule === "constant") return { learningRate: resolveLearningRate(o), learningRateSchedule, etaMax };
  const s = parseSchedule("learningRateSchedule", learningRateSchedule);
  const derived = s.kind === "greedy" ? etaMax : rateAt(s, 0);
  const given = o.learningRate !== undefined ? "learningRate" : o.eta !== undefined ? "eta" : undefined;
  if (given !== undefined && o[given] !== derived) {
    throw new OptionError({
      option: given, value: o[given], accepted: `no value, or ${derived} (${s.kind === "greedy" ? "the cap etaMax" : "the schedule's rate at alpha = 0"})`, related: ["learningRateSchedule"],
      reason: `is set by the schedule ${JSON.stringify(learningRateSchedule)}; give either a constant rate or a schedule (got the rate ${o[given]} too)`,
    });
  }
  return { learningRate: derived, learningRateSchedule, etaMax };
}

/**
 * The greedy rate minimises the slope of eps_g over the first layer's rate alone (docs/theory.md
 * section 12): with v trained at its own rate learningRate2 it is not the greedy step of the run,
 * so "greedy" and trainSecondLayer are refused together (ODE and SGD alike).
 */
export function checkGreedyTraining(learningRateSchedule: string, trainSecondLayer: boolean): void {
  if (learningRateSchedule === "greedy" && trainSecondLayer) {
    throw new OptionError({
      option: "learningRateSchedule", value: learningRateSchedule, accepted: "a schedule other than \"greedy\" when trainSecondLayer is true", related: ["trainSecondLayer"],
      reason: `cannot be "greedy" with trainSecondLayer true: the greedy rate is chosen for the first layer only and does not cover the second layer's own rate learningRate2; use a constant rate or an explicit schedule`,
    });
  }
}

export function resolveOdeOptions(o: IntegrateOptions, maxOrder: number, definite = true): ResolvedOdeOptions {
  if (o === null || typeof o !== "object") throw new TypeError(`options must be an object; got ${o === null ? "null" : typeof o}`);
  const setting = resolveSetting(o, definite);
  const { learningRate, learningRateSchedule, etaMax } = resolveSchedule(o);
  checkGreedyTraining(learningRateSchedule, setting.trainSecondLayer);
  // the sample grid is built last, after its memory is known to fit (1e7 samples of a large state would not)
  let alphas: number[] | undefined;
  let alphaMax: number | undefined, samples: number | undefined;
  if (o.alphas !== undefined) alphas = resolveAlphas(o);
  else {
    alphaMax = resolveOption<number>(alphaMaxSpec, o.alphaMax);
    samples = resolveOption<number>(samplesSpec, o.samples);
  }
  const method = resolveOption<AverageMethod>(N.method, o.method);
  checkHermiteMatched(method, setting);
  if (method === "hermite" && setting.activation !== "relu") {
    throw new OptionError({ option: "method", value: method, accepted: "exact (hermite is implemented for relu only)", related: ["activation"], reason: `must be "exact" for activation ${JSON.stringify(setting.activation)}: the Hermite series is implemented for activation "relu" only; got "hermite"` });
  }
  const hermiteOrder = o.hermiteOrder === undefined ? N.hermiteOrder.default! : checkHermiteOrder(o.hermiteOrder);
  const integrator = resolveOption<Integrator>(N.integrator, o.integrator);
  const step = resolveOption<number>(N.step, o.step);
  const rtol = resolveOption<number>(N.rtol, o.rtol);
  const atol = resolveOption<number>(N.atol, o.atol);
  const maxSteps = resolveOption<number>(N.maxSteps, o.maxSteps);
  const convergenceTolerance = resolveOption<number>(N.convergenceTolerance, o.convergenceTolerance);
  const divergenceBound = resolveDivergenceBound(o.divergenceBound, setting.Q0, N.divergenceBound, setting.trainSecondLayer ? setting.v : []);
  const hermiteCheck = o.hermiteCheck === undefined ? method === "hermite" && hermiteOrder + 2 <= maxOrder : check.bool("hermiteCheck", o.hermiteCheck);
  if (hermiteCheck && hermiteOrder + 2 > maxOrder) throw check.rangeError("hermiteOrder", hermiteOrder, `an integer <= ${maxOrder - 2} when hermiteCheck compares orders N and N + 2`, { related: ["hermiteCheck"] });
  const hermiteTolerance = o.hermiteTolerance === undefined ? 1e-6 : check.number("hermiteTolerance", o.hermiteTolerance, { min: 0 });
  const averageTolerance = resolveOption<number>(N.averageTolerance, o.averageTolerance);
  const D = (setting.K * (setting.K + 1)) / 2 + setting.K * setting.M + (setting.trainSecondLayer ? setting.K : 0);
  const nSamples = alphas ? alphas.length : samples!;
  const which = o.alphas !== undefined ? "alphas" : "samples";
  if (nSamples * (D + 1) * 8 > 2 ** 30) {
    throw new OptionError({ option: which, value: nSamples, accepted: `at most ${Math.floor(2 ** 30 / 8 / (D + 1))} sample points at K = ${setting.K}, M = ${setting.M}`, related: ["K", "M"], reason: `x state size too large for memory: ${nSamples} samples of ${D + 1} numbers exceed 1 GiB; use fewer samples` });
  }
  const last = alphas ? alphas[alphas.length - 1] : alphaMax!;
  checkMemory("integrate", estimateOde({ ...setting, learningRate, method, hermiteOrder, integrator, step, maxSteps, convergenceTolerance, hermiteCheck, alphaMax: last, samples: nSamples }, which));
  if (!alphas) alphas = Array.from({ length: samples! }, (_, i) => (i === samples! - 1 ? alphaMax! : (alphaMax! * i) / (samples! - 1)));
  return { ...setting, learningRate, learningRateSchedule, etaMax, learningRate2: setting.trainSecondLayer ? (setting.learningRate2 ?? learningRate) : null, alphas, method, hermiteOrder, integrator, step, rtol, atol, maxSteps, convergenceTolerance, divergenceBound, hermiteCheck, hermiteTolerance, averageTolerance };
}

/**
 * divergenceBound > 0 and above every initial Q_ii (else the run would be diverged at alpha = 0),
 * and above every initial v_i^2 of a trained second layer (`v`, the same bound applies to it).
 */
export function resolveDivergenceBound(value: number | undefined, Q0: number[][], spec = N.divergenceBound, v: number[] = []): number {
  const bound = resolveOption<number>(spec, value);
  const maxQ = Math.max(...Q0.map((r, i) => r[i]));
  if (bound <= maxQ) throw new OptionError({ option: "divergenceBound", value: bound, accepted: `a number > the largest initial Q_ii (${maxQ})`, related: ["Q0"], reason: `must exceed the largest initial Q_ii of Q0 (${maxQ}); got ${bound}` });
  const maxV = Math.max(0, ...v.map((x) => x * x));
  if (bound <= maxV) throw new OptionError({ option: "divergenceBound", value: bound, accepted: `a number > the largest initial v_i^2 (${maxV})`, related: ["v", "trainSecondLayer"], reason: `must exceed the largest initial v_i^2 of a trained second layer (${maxV}); got ${bound}` });
  return bound;
}
