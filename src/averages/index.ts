// Gaussian averages of THEORY section 2 on a user-supplied covariance:
//   I2 = E[g(z1) g(z2)], I3 = E[g'(z1) z2 g(z3)], I4 = E[g'(z1) g'(z2) g(z3) g(z4)].
// Covariances may be singular (repeated or perfectly correlated variables, THEORY 2.5).
import { coreModule, withInstance } from "../core/engine";
import { ACTIVATIONS, ACTIVATION_CODE, METHODS, METHOD_CODE, type Activation, type AverageMethod } from "../core/exports";
import * as check from "../core/validate";
import { hermiteOrder as hermiteOrderSpec } from "../options/catalog/numerics";

/** Activations of the averaged units. */
export interface AverageOptions {
  /** Activation g of every unit (default "relu"). */
  activation?: Activation;
  /**
   * Activation gt of the teacher variables (default: activation): z2 of i2, z3 of i3, and the
   * last teacherVariables of z3, z4 of i4 (THEORY 1: f_c = gt for a teacher variable).
   */
  teacherActivation?: Activation;
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

/** I2 = E[g(z1) g(z2)] for z ~ N(0, cov), cov 2 x 2 (docs/theory.md section 2). */
export function i2(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): number {
  const act = activationOf(options);
  const teacher = teacherOf(options, act);
  const A = covariance("cov", cov, 2);
  return withInstance((e) => {
    e.setArgument(A);
    if (teacher !== null) return e.exports.mixedI2At(0, 1, ACTIVATION_CODE[act], ACTIVATION_CODE[teacher]);
    return e.exports.i2(ACTIVATION_CODE[act]);
  });
}

/** I3 = E[g'(z1) z2 g(z3)] for z ~ N(0, cov), cov 3 x 3 (docs/theory.md section 2). */
export function i3(cov: ArrayLike<ArrayLike<number>>, options?: AverageOptions): number {
  const act = activationOf(options);
  const teacher = teacherOf(options, act);
  const A = covariance("cov", cov, 3);
  return withInstance((e) => {
    e.setArgument(A);
    if (teacher !== null) return e.exports.mixedI3At(0, 1, 2, ACTIVATION_CODE[act], ACTIVATION_CODE[teacher]);
    return e.exports.i3(ACTIVATION_CODE[act]);
  });
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

/** I4 = E[g'(z1) g'(z2) g(z3) g(z4)] for z ~ N(0, cov), cov 4 x 4 (docs/theory.md sections 2.2, 2.3). */
export function i4(cov: ArrayLike<ArrayLike<number>>, options?: I4Options): number {
  const act = activationOf(options);
  const method = options?.method === undefined ? "exact" : check.oneOf("method", options.method, METHODS);
  const order = options?.hermiteOrder === undefined ? 10 : checkHermiteOrder(options.hermiteOrder);
  const teacher = teacherOf(options, act);
  const teachers = options?.teacherVariables === undefined ? 2 : check.number("teacherVariables", options.teacherVariables, { min: 1, max: 2, integer: true });
  if (method === "hermite" && teacher !== null) throw check.rangeError("method", method, "exact for a student/teacher mismatch", { related: ["teacherActivation", "activation"], reason: `"hermite" needs teacherActivation equal to activation (relu); got teacherActivation ${JSON.stringify(teacher)} with activation ${JSON.stringify(act)}: use "exact" for a student/teacher mismatch` });
  if (method === "hermite" && act !== "relu") throw check.rangeError("method", method, "exact (hermite is implemented for relu only)", { related: ["activation"], reason: `must be "exact" for activation ${JSON.stringify(act)}: the Hermite series is implemented for activation "relu" only; got "hermite"` });
  const A = covariance("cov", cov, 4);
  return withInstance((e) => {
    e.setArgument(A);
    if (teacher !== null) {
      const g = ACTIVATION_CODE[act], gt = ACTIVATION_CODE[teacher];
      return e.exports.mixedI4At(0, 1, 2, 3, g, teachers === 2 ? gt : g, gt);
    }
    return e.exports.i4(ACTIVATION_CODE[act], METHOD_CODE[method], order);
  });
}

/** Value of the truncated Hermite series with its order and convergence diagnostic. */
export interface HermiteI4Result {
  value: number;
  order: number;
  /** Spectral radius of the matrix of |rho_ij|; the series converges only below 1 (THEORY 2.3). */
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
