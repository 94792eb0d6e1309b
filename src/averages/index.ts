// Gaussian averages of docs/theory.md section 2 on a user-supplied covariance:
//   I2 = E[g(z1) g(z2)], I3 = E[g'(z1) z2 g(z3)], I4 = E[g'(z1) g'(z2) g(z3) g(z4)],
//   J2 = E[g'(z1) g'(z2)] (output noise, docs/theory.md section 9), for every activation (docs/theory.md section 10).
// Covariances may be singular (repeated or perfectly correlated variables, docs/theory.md section 2.5).
import { coreModule, withInstance, type Engine } from "../core/engine";
import { ACTIVATIONS, ACTIVATION_CODE, METHODS, METHOD_CODE, type Activation, type AverageMethod } from "../core/exports";
import { DEFAULT_AVERAGE_TOLERANCE, resolveActivationParameters, type ActivationParameterOptions, type ActivationParameters } from "../core/activationParameters";
import * as check from "../core/validate";
import { averageTolerance as averageToleranceSpec, hermiteOrder as hermiteOrderSpec } from "../options/catalog/numerics";
import { resolveOption } from "../options/check";

/** Activations of the averaged units and the tolerance of the numerical ones. */
export interface AverageOptions extends ActivationParameterOptions {
  /** Activation g of every unit (default "relu"). */
  activation?: Activation;
  /**
   * Activation gt of the teacher variables (default: activation): z2 of i2, z3 of i3, and the
   * last teacherVariables of z3, z4 of i4 (docs/theory.md section 1: f_c = gt for a teacher variable).
   */
  teacherActivation?: Activation;
  /**
   * Tolerance of the averages computed by quadrature (any tanh, sigmoid, silu or softplus
   * factor), default 5e-10: the node counts are set for it and the results are tested to
   * lie within 1e-9 of an independent reference at the default. The other averages are exact.
   */
  averageTolerance?: number;
}
/** Options of i4(): activations, how many variables are teachers, and the method. */
export interface I4Options extends AverageOptions {
  /** With teacherActivation: 2 (default) for E[g' g' gt(z3) gt(z4)], 1 for E[g' g' g(z3) gt(z4)]. */
  teacherVariables?: 1 | 2;
  /** "exact" (default; closed form plus orthant quadrature for ReLU) or "hermite" (series of [E], ReLU only). */
  method?: AverageMethod;
  /** Truncation order N of the Hermite series (default 10). */
  hermiteOrder?: number;
}

/** How an average was computed. */
export type AverageRoute = "closed form" | "exact" | "quadrature";

/** A Gaussian average with the route that computed it (i2Average, i3Average, i4Average, j2Average). */
export interface AverageResult {
  value: number;
  /**
   * "closed form": relu, erf, linear (docs/theory.md section 2); "exact": Wick's theorem for polynomials or the
   * term expansion down to the ReLU recursion (leakyRelu, abs, gelu, mixes); "quadrature":
   * nested quadrature (tanh, sigmoid, silu, softplus, or a polynomial of high degree mixed
   * with a piecewise-linear unit).
   */
  method: AverageRoute;
  /** The quadrature tolerance, or null for the exact routes (accurate to rounding). */
  tolerance: number | null;
  /** Integrand evaluations of the quadrature (0 for the exact routes). */
  evaluations: number;
}

export { DEFAULT_AVERAGE_TOLERANCE };

function covariance(name: string, cov: unknown, n: number): number[][] {
  const A = check.matrix(name, cov, n, n);
  check.positiveSemidefinite(name, A);
  return A;
}

function activationOf(options: AverageOptions | undefined): Activation {
  return options?.activation === undefined ? "relu" : check.oneOf("activation", options.activation, ACTIVATIONS);
}

/** The teacher's activation, or null when it is the student's (the matched averages). */
function teacherOf(options: AverageOptions | undefined, act: Activation): Activation | null {
  if (options?.teacherActivation === undefined) return null;
  const t = check.oneOf("teacherActivation", options.teacherActivation, ACTIVATIONS);
  return t === act ? null : t;
}

/** The quadrature tolerance (averageTolerance), checked against its declaration (src/options/catalog/numerics.ts). */
export function resolveAverageTolerance(value: unknown): number {
  return resolveOption<number>(averageToleranceSpec, value);
}

/** Whether both activations have the closed forms of docs/theory.md section 2 (relu, erf, linear). */
const closedForm = (act: Activation, teacher: Activation | null) => ACTIVATION_CODE[act] <= 2 && (teacher === null || ACTIVATION_CODE[teacher] <= 2);

interface Prepared { act: Activation; teacher: Activation | null; generic: boolean; params: ActivationParameters; tolerance: number }

/** Resolves and checks the options (before any work). */
function prepare(options: AverageOptions | undefined): Prepared {
  const act = activationOf(options);
  const teacher = teacherOf(options, act);
  const params: ActivationParameters = resolveActivationParameters(options ?? {}, { activation: act, teacherActivation: teacher ?? act });
  const tolerance = resolveAverageTolerance(options?.averageTolerance);
  return { act, teacher, generic: !closedForm(act, teacher), params, tolerance };
}

/** Loads both sides' activations into an instance (the other activations only) and clears its counters. */
function load(e: Engine, p: Prepared): void {
  if (!p.generic) return;
  const x = e.exports;
  const c = p.params.hermiteCoefficients ?? [];
  e.f64.set(c, x.activationCoefficientsPtr() >> 3);
  x.setActivation(0, ACTIVATION_CODE[p.act], p.params.slope, c.length);
  e.f64.set(c, x.activationCoefficientsPtr() >> 3);
  x.setActivation(1, ACTIVATION_CODE[p.teacher ?? p.act], p.params.slope, c.length);
  x.setQuadratureTolerance(p.tolerance);
  x.resetAverageStats();
}

/** The route the last generic average took, from the instance's counters. */
function finish(e: Engine, p: Prepared, value: number): AverageResult {
  if (!p.generic) return { value, method: "closed form", tolerance: null, evaluations: 0 };
  const x = e.exports;
  const quadrature = x.statQuadratureCalls() > 0;
  return { value, method: quadrature ? "quadrature" : "exact", tolerance: quadrature ? x.quadratureTolerance() : null, evaluations: x.statQuadratureNodes() };
}

/** I2 = E[g(z1) gt(z2)] for z ~ N(0, cov), cov 2 x 2, with its method (docs/theory.md sections 2, 10). */
export function i2Average(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): AverageResult {
  const p = prepare(options);
  const A = covariance("cov", cov, 2);
  const { act, teacher } = p;
  return withInstance((e) => {
    load(e, p);
    e.setArgument(A);
    if (p.generic) return finish(e, p, e.exports.averageI2At(0, 1, 0, teacher === null ? 0 : 1));
    if (teacher !== null) return finish(e, p, e.exports.mixedI2At(0, 1, ACTIVATION_CODE[act], ACTIVATION_CODE[teacher]));
    return finish(e, p, e.exports.i2(ACTIVATION_CODE[act]));
  });
}

/** I3 = E[g'(z1) z2 gt(z3)] for z ~ N(0, cov), cov 3 x 3, with its method. */
export function i3Average(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): AverageResult {
  const p = prepare(options);
  const A = covariance("cov", cov, 3);
  const { act, teacher } = p;
  return withInstance((e) => {
    load(e, p);
    e.setArgument(A);
    if (p.generic) return finish(e, p, e.exports.averageI3At(0, 1, 2, teacher === null ? 0 : 1));
    if (teacher !== null) return finish(e, p, e.exports.mixedI3At(0, 1, 2, ACTIVATION_CODE[act], ACTIVATION_CODE[teacher]));
    return finish(e, p, e.exports.i3(ACTIVATION_CODE[act]));
  });
}

/**
 * J2 = E[g'(z1) g'(z2)] (the student's activation) with its method: the average of the output
 * noise term (docs/theory.md section 9), for every activation (assembly/gauss/genericAverages.ts, genericJ2).
 */
export function j2Average(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): AverageResult {
  const p = prepare({ ...options, teacherActivation: undefined });
  const A = covariance("cov", cov, 2);
  return withInstance((e) => {
    const x = e.exports;
    if (!p.generic) {
      // relu, erf, linear: through the same term expansion, exact
      x.setActivation(0, ACTIVATION_CODE[p.act], p.params.slope, 0);
      x.resetAverageStats();
      e.setArgument(A);
      return { value: x.averageJ2At(0, 1), method: "exact" as const, tolerance: null, evaluations: 0 };
    }
    load(e, p);
    e.setArgument(A);
    return finish(e, p, x.averageJ2At(0, 1));
  });
}

/** I2 = E[g(z1) g(z2)] for z ~ N(0, cov), cov 2 x 2 (docs/theory.md section 2). */
export function i2(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): number {
  return i2Average(cov, options).value;
}

/** I3 = E[g'(z1) z2 g(z3)] for z ~ N(0, cov), cov 3 x 3 (docs/theory.md section 2). */
export function i3(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): number {
  return i3Average(cov, options).value;
}

/** J2 = E[g'(z1) g'(z2)] for z ~ N(0, cov), cov 2 x 2 (docs/theory.md section 9). */
export function j2(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): number {
  return j2Average(cov, options).value;
}

let hermiteLimit: { module: WebAssembly.Module; order: number } | undefined;
/** Largest truncation order N of the Hermite series the core accepts (asked once per compiled module). */
export function maxHermiteOrder(): number {
  const m = coreModule();
  if (hermiteLimit?.module !== m) hermiteLimit = { module: m, order: withInstance((e) => e.exports.maxHermiteOrder()) };
  return hermiteLimit.order;
}

export function checkHermiteOrder(value: unknown): number {
  return check.number("hermiteOrder", value, { ...hermiteOrderSpec.range, max: maxHermiteOrder(), integer: true });
}

/** I4 = E[g'(z1) g'(z2) f3(z3) f4(z4)] for z ~ N(0, cov), cov 4 x 4, with its method (docs/theory.md sections 2.2, 2.3, 10). */
export function i4Average(cov: ArrayLike<ArrayLike<number>>, options?: I4Options): AverageResult {
  const act = activationOf(options);
  const method = options?.method === undefined ? "exact" : check.oneOf("method", options.method, METHODS);
  const order = options?.hermiteOrder === undefined ? 10 : checkHermiteOrder(options.hermiteOrder);
  const teacher = teacherOf(options, act);
  const teachers = options?.teacherVariables === undefined ? 2 : check.number("teacherVariables", options.teacherVariables, { min: 1, max: 2, integer: true });
  if (method === "hermite" && teacher !== null) throw check.rangeError("method", method, "exact for a student/teacher mismatch", { related: ["teacherActivation", "activation"], reason: `"hermite" needs teacherActivation equal to activation (relu); got teacherActivation ${JSON.stringify(teacher)} with activation ${JSON.stringify(act)}: use "exact" for a student/teacher mismatch` });
  if (method === "hermite" && act !== "relu") throw check.rangeError("method", method, "exact (hermite is implemented for relu only)", { related: ["activation"], reason: `must be "exact" for activation ${JSON.stringify(act)}: the Hermite series is implemented for activation "relu" only; got "hermite"` });
  const p = prepare(options);
  const A = covariance("cov", cov, 4);
  return withInstance((e) => {
    load(e, p);
    e.setArgument(A);
    if (p.generic) return finish(e, p, e.exports.averageI4At(0, 1, 2, 3, teacher !== null && teachers === 2 ? 1 : 0, teacher !== null ? 1 : 0));
    if (teacher !== null) {
      const g = ACTIVATION_CODE[act], gt = ACTIVATION_CODE[teacher];
      return finish(e, p, e.exports.mixedI4At(0, 1, 2, 3, g, teachers === 2 ? gt : g, gt));
    }
    return finish(e, p, e.exports.i4(ACTIVATION_CODE[act], METHOD_CODE[method], order));
  });
}

/** I4 = E[g'(z1) g'(z2) g(z3) g(z4)] for z ~ N(0, cov), cov 4 x 4 (docs/theory.md sections 2.2, 2.3). */
export function i4(cov: ArrayLike<ArrayLike<number>>, options?: I4Options): number {
  return i4Average(cov, options).value;
}

/** Value of the truncated Hermite series with its order and convergence diagnostic. */
export interface HermiteI4Result {
  value: number;
  order: number;
  /** Spectral radius of the matrix of |rho_ij|; the series converges only below 1 (docs/theory.md section 2.3). */
  spectralRadius: number;
  inConvergenceRegion: boolean;
}

/** The truncated Hermite series of the ReLU I4 with its convergence diagnostic. */
export function hermiteI4(cov: ArrayLike<ArrayLike<number>>, options?: { hermiteOrder?: number }): HermiteI4Result {
  const order = options?.hermiteOrder === undefined ? 10 : checkHermiteOrder(options.hermiteOrder);
  const A = covariance("cov", cov, 4);
  const s = A.map((r, i) => Math.sqrt(r[i]));
  const r = (i: number, j: number) => A[i][j] / (s[i] * s[j]);
  const [value, spectralRadius] = withInstance((e) => {
    e.setArgument(A);
    return [e.exports.i4(ACTIVATION_CODE.relu, METHOD_CODE.hermite, order), e.exports.absCorrelationSpectralRadius(r(0, 1), r(0, 2), r(0, 3), r(1, 2), r(1, 3), r(2, 3))];
  });
  return { value, order, spectralRadius, inConvergenceRegion: spectralRadius < 1 };
}

/** P(z_1 > 0, ..., z_n > 0) for z ~ N(0, cov), n <= 4. */
export function orthantProbability(cov: ArrayLike<ArrayLike<number>>): number {
  if (!Array.isArray(cov) || cov.length < 1 || cov.length > 4) throw check.rangeError("cov", cov, "an n x n covariance with 1 <= n <= 4", { reason: `must be an n x n covariance with 1 <= n <= 4; got ${Array.isArray(cov) ? cov.length + " rows" : typeof cov}` });
  const n = cov.length;
  const A = covariance("cov", cov, n);
  return withInstance((e) => {
    e.setArgument(A);
    return e.exports.truncatedMomentOf(n, 0);
  });
}
