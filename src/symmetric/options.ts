// Options of the site-symmetric functions (integrateSymmetric, plateau, etaLimits): K = M
// students and teachers, teacher overlaps T = t I, equal output weights v_i = v, v*_n = v*.
// Every check runs before any work and throws OptionError / OptionTypeError naming the option.
import { ACTIVATIONS, INTEGRATORS, type Activation, type Integrator } from "../core/exports";
import { OptionError, OptionTypeError } from "../core/errors";
import { resolveAlphas as resolveSharedAlphas } from "../options/rules";

/** Largest K accepted: counts up to K^2 are exact and the rounding of a right-hand side (about K^2 ulp of its largest average) stays far below its size. */
export const MAX_SYMMETRIC_UNITS = 1e6;

/** The site-symmetric setting: K = M units, T = t I, equal output weights v and v*. */
export interface SymmetricSetting {
  /** Activation g of the student units (and of the teacher units unless teacherActivation is given). Default "erf". */
  activation?: Activation;
  /** Activation of the teacher units (default: activation). */
  teacherActivation?: Activation;
  /** Number of student units K = number of teacher units M (default 2). */
  K?: number;
  /** Teacher overlaps T = t I: the number t > 0 (default 1). */
  T?: number;
  /** Output weight v of every student unit (default 1). */
  v?: number;
  /** Output weight v* of every teacher unit (default 1). */
  vStar?: number;
}

/** SymmetricSetting with every default filled in. */
export interface ResolvedSymmetricSetting {
  activation: Activation;
  teacherActivation: Activation;
  K: number;
  T: number;
  v: number;
  vStar: number;
}

/** Options of integrateSymmetric(). */
export interface IntegrateSymmetricOptions extends SymmetricSetting {
  /** Learning rate eta > 0 (alias: eta; default 1). With unit output weights eps_g grows like K: eta of order 1/K is the natural scale. */
  learningRate?: number;
  eta?: number;
  /** Initial Q_ii (default 0.2). */
  Q0?: number;
  /** Initial Q_ik, i != k (default 0; for K = 1 there is none: C stays at C0). */
  C0?: number;
  /** Initial R_ii (default 1e-3). */
  R0?: number;
  /** Initial R_in, i != n (default 0; for K = 1 there is none: S stays at S0). */
  S0?: number;
  alphas?: ArrayLike<number>;
  /** Last sample (default 300) when alphas is not given. */
  alphaMax?: number;
  /** Evenly spaced samples including 0 and alphaMax (default 301). */
  samples?: number;
  integrator?: Integrator;
  /** Fixed step (euler, rk4) or initial step (adaptive); default 0.01. */
  step?: number;
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  /** Status "converged" once max |du/dalpha| < this (default 0: never). */
  convergenceTolerance?: number;
  /** Status "diverged" once Q exceeds this (default 1e6). */
  divergenceBound?: number;
}

/** IntegrateSymmetricOptions resolved (the result's `options`). */
export interface ResolvedIntegrateSymmetricOptions extends ResolvedSymmetricSetting {
  learningRate: number;
  Q0: number;
  C0: number;
  R0: number;
  S0: number;
  alphas: number[];
  integrator: Integrator;
  step: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  convergenceTolerance: number;
  divergenceBound: number;
}

type Range = { min?: number; max?: number; minExclusive?: boolean; integer?: boolean };

function accepted(r: Range): string {
  return [
    r.integer ? "an integer" : "a finite number",
    r.min !== undefined ? `${r.minExclusive ? ">" : ">="} ${r.min}` : "",
    r.max !== undefined ? `<= ${r.max}` : "",
  ].filter(Boolean).join(" ");
}

/** A number in range, or the default when undefined. */
export function numberOption(option: string, value: unknown, fallback: number, r: Range = {}): number {
  if (value === undefined) return fallback;
  const acc = accepted(r);
  if (typeof value !== "number") throw new OptionTypeError({ option, value, accepted: acc });
  const bad = !Number.isFinite(value) || (r.integer && !Number.isInteger(value)) ||
    (r.min !== undefined && (r.minExclusive ? value <= r.min : value < r.min)) || (r.max !== undefined && value > r.max);
  if (bad) throw new OptionError({ option, value, accepted: acc });
  return value;
}

export function choiceOption<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const acc = `one of ${allowed.join(", ")}`;
  if (typeof value !== "string") throw new OptionTypeError({ option, value, accepted: acc });
  if (!(allowed as readonly string[]).includes(value)) throw new OptionError({ option, value, accepted: acc });
  return value as T;
}

export function checkObject(options: unknown): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new OptionTypeError({ option: "options", value: options, accepted: "an object", reason: `must be an object; got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}` });
  }
}

/** The learning rate (alias eta), > 0. */
export function learningRateOption(o: { learningRate?: unknown; eta?: unknown }, fallback: number | undefined): number | undefined {
  if (o.learningRate !== undefined && o.eta !== undefined && o.learningRate !== o.eta) {
    throw new OptionError({ option: "learningRate", value: o.learningRate, accepted: "the same value as eta (they are one option)", reason: `and eta are the same option; got learningRate = ${String(o.learningRate)} and eta = ${String(o.eta)}`, related: ["eta"] });
  }
  const name = o.learningRate !== undefined ? "learningRate" : "eta";
  const value = o.learningRate ?? o.eta;
  if (value === undefined) return fallback;
  return numberOption(name, value, 0, { min: 0, minExclusive: true });
}

export function resolveSymmetricSetting(o: SymmetricSetting): ResolvedSymmetricSetting {
  checkObject(o);
  const activation = choiceOption("activation", o.activation, ACTIVATIONS, "erf");
  const teacherActivation = choiceOption("teacherActivation", o.teacherActivation, ACTIVATIONS, activation);
  const K = numberOption("K", o.K, 2, { min: 1, max: MAX_SYMMETRIC_UNITS, integer: true });
  if (Array.isArray(o.T)) throw new OptionTypeError({ option: "T", value: o.T, accepted: "a number t > 0 (the teacher overlaps are T = t I)" });
  const T = numberOption("T", o.T, 1, { min: 0, minExclusive: true });
  const v = numberOption("v", o.v, 1);
  const vStar = numberOption("vStar", o.vStar, 1);
  return { activation, teacherActivation, K, T, v, vStar };
}

/**
 * Smallest eigenvalues of the two 2 x 2 blocks of the 2K x 2K overlap matrix of a
 * site-symmetric state (see assembly/ode/symmetric.ts): [all-ones direction, the K - 1 others].
 */
export function symmetricBlocksMinEigenvalue(K: number, t: number, Q: number, C: number, R: number, S: number): [number, number] {
  const least = (a: number, b: number, c: number) => 0.5 * (a + c) - Math.hypot(0.5 * (a - c), b);
  return [least(Q + (K - 1) * C, R + (K - 1) * S, t), K > 1 ? least(Q - C, R - S, t) : Infinity];
}

/** Sample points: alphas, or samples evenly spaced on [0, alphaMax]. */
export function resolveAlphas(o: { alphas?: unknown; alphaMax?: unknown; samples?: unknown }, defaultMax = 300, defaultSamples = 301): number[] {
  if (o.alphas !== undefined) {
    // the rule every API function with sample points shares (src/options/rules.ts)
    const a = resolveSharedAlphas(o as { alphas: ArrayLike<number>; alphaMax?: number; samples?: number });
    if (a.length > 1e7) throw new OptionError({ option: "alphas", value: `${a.length} points`, accepted: "at most 1e7 points" });
    return a;
  }
  const alphaMax = numberOption("alphaMax", o.alphaMax, defaultMax, { min: 0, minExclusive: true });
  const samples = numberOption("samples", o.samples, defaultSamples, { min: 2, max: 1e7, integer: true });
  return Array.from({ length: samples }, (_, i) => (i === samples - 1 ? alphaMax : (alphaMax * i) / (samples - 1)));
}

export function resolveIntegrateSymmetricOptions(o: IntegrateSymmetricOptions): ResolvedIntegrateSymmetricOptions {
  const setting = resolveSymmetricSetting(o);
  const learningRate = learningRateOption(o, 1) as number;
  const Q0 = numberOption("Q0", o.Q0, 0.2, { min: 0, minExclusive: true });
  const C0 = numberOption("C0", o.C0, 0);
  const R0 = numberOption("R0", o.R0, 1e-3);
  const S0 = numberOption("S0", o.S0, 0);
  const [lead, rest] = symmetricBlocksMinEigenvalue(setting.K, setting.T, Q0, C0, R0, S0);
  const scale = Math.max(Q0, setting.T, Math.abs(Q0 + (setting.K - 1) * C0));
  if (lead < -1e-12 * scale || rest < -1e-12 * scale) {
    throw new OptionError({
      option: "C0", value: C0, related: ["Q0", "R0", "S0", "K", "T"],
      accepted: "a value making the overlaps valid: [[Q0 + (K-1) C0, R0 + (K-1) S0], [., T]] and [[Q0 - C0, R0 - S0], [., T]] positive semi-definite",
      reason: `with Q0 = ${Q0}, R0 = ${R0}, S0 = ${S0}, K = ${setting.K}, T = ${setting.T} does not give a valid overlap matrix: the blocks [[Q0 + (K-1) C0, R0 + (K-1) S0], [R0 + (K-1) S0, T]] and [[Q0 - C0, R0 - S0], [R0 - S0, T]] must be positive semi-definite (smallest eigenvalues ${lead.toPrecision(3)}, ${rest === Infinity ? "-" : rest.toPrecision(3)})`,
    });
  }
  const alphas = resolveAlphas(o);
  const integrator = choiceOption("integrator", o.integrator, INTEGRATORS, "rk4");
  const step = numberOption("step", o.step, 0.01, { min: 0, minExclusive: true });
  const rtol = numberOption("rtol", o.rtol, 1e-9, { min: 1e-15, max: 1 });
  const atol = numberOption("atol", o.atol, 1e-12, { min: 0 });
  const maxSteps = numberOption("maxSteps", o.maxSteps, 1e7, { min: 1, max: 2 ** 31 - 1, integer: true });
  const convergenceTolerance = numberOption("convergenceTolerance", o.convergenceTolerance, 0, { min: 0 });
  const divergenceBound = numberOption("divergenceBound", o.divergenceBound, 1e6, { min: Q0, minExclusive: true });
  return { ...setting, learningRate, Q0, C0, R0, S0, alphas, integrator, step, rtol, atol, maxSteps, convergenceTolerance, divergenceBound };
}
