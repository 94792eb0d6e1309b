// The activation functions g and their derivatives g' (docs/theory.md section 10), one
// parameter set per side (student g, teacher gt): the leakyRelu slope and the Hermite
// coefficients of a polynomial activation. Evaluated with NativeMath only, so Node, browsers
// and workerd give the same bits; the tails are formed without overflow or cancellation
// (sigmoid and sech^2 from exp(-|x|), softplus as max(x, 0) + log1p(exp(-|x|)), the normal CDF
// of gelu from erfc).
import {
  ACT_RELU, ACT_ERF, ACT_LINEAR, ACT_LEAKY_RELU, ACT_ABS, ACT_SQUARE, ACT_HERMITE2, ACT_HERMITE3, ACT_HERMITE4,
  ACT_TANH, ACT_SIGMOID, ACT_GELU, ACT_SILU, ACT_SOFTPLUS, ACT_HERMITE_COEFFICIENTS,
} from "../activations";
import { erf, erfc } from "../sim/errorFunction";

export const SIDE_STUDENT: i32 = 0;
export const SIDE_TEACHER: i32 = 1;
/** Highest degree of a polynomial activation (hermiteCoefficients has at most this + 1 entries). */
export const MAX_POLY_DEGREE: i32 = 8;
const NP: i32 = MAX_POLY_DEGREE + 1;

const SQRT_HALF: f64 = 0.7071067811865476;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

// Per side: code, slope, polynomial (Hermite and monomial coefficients of g, monomial of g').
const CODES: usize = memory.data(2 * 4, 4);
const SLOPES: usize = memory.data(2 * 8, 8);
const DEGREES: usize = memory.data(2 * 4, 4);
const HE: usize = memory.data(2 * NP * 8, 8);
const MONO: usize = memory.data(2 * NP * 8, 8);
const MONO_D: usize = memory.data(2 * NP * 8, 8);
/** The host writes the Hermite coefficients c_0..c_d here before setActivation(). */
const COEFF_IN: usize = memory.data(NP * 8, 8);
let initialised = false;

export function coefficientInput(): usize {
  return COEFF_IN;
}

@inline function hePtr(side: i32): usize { return HE + (<usize>(side * NP) << 3); }
@inline function monoPtr(side: i32): usize { return MONO + (<usize>(side * NP) << 3); }
@inline function monoDPtr(side: i32): usize { return MONO_D + (<usize>(side * NP) << 3); }
@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

export function activationCode(side: i32): i32 {
  if (!initialised) initialise();
  return load<i32>(CODES + (<usize>side << 2));
}
export function activationSlope(side: i32): f64 {
  if (!initialised) initialise();
  return ld(SLOPES, side);
}
/** Degree of a polynomial activation (0 for the others). */
export function polyDegree(side: i32): i32 {
  if (!initialised) initialise();
  return load<i32>(DEGREES + (<usize>side << 2));
}
/** Monomial coefficient k of g (deriv 0) or g' (deriv 1) of a polynomial activation. */
export function polyMonomial(side: i32, deriv: i32, k: i32): f64 {
  return ld(deriv == 0 ? monoPtr(side) : monoDPtr(side), k);
}
/** Hermite coefficient n of g = sum_n c_n He_n of a polynomial activation. */
export function polyHermite(side: i32, n: i32): f64 {
  return ld(hePtr(side), n);
}

function initialise(): void {
  initialised = true;
  for (let s = 0; s < 2; s++) {
    store<i32>(CODES + (<usize>s << 2), ACT_RELU);
    st(SLOPES, s, 0.01);
    store<i32>(DEGREES + (<usize>s << 2), 0);
  }
}

/** Whether the code is a polynomial activation (square, hermite2..4, hermiteCoefficients). */
@inline export function isPolynomial(code: i32): bool {
  return code == ACT_SQUARE || code == ACT_HERMITE2 || code == ACT_HERMITE3 || code == ACT_HERMITE4 || code == ACT_HERMITE_COEFFICIENTS;
}

// the user's Hermite coefficients per side (hermiteCoefficients), kept across code changes
const USER: usize = memory.data(2 * NP * 8, 8);
const USER_N: usize = memory.data(2 * 4, 4);

/**
 * Parameters of a side: the leakyRelu slope and, for hermiteCoefficients, the first
 * nCoefficients entries of coefficientInput() (c_0, c_1, ...). Kept until set again.
 */
export function setActivationParameters(side: i32, slope: f64, nCoefficients: i32): void {
  if (!initialised) initialise();
  st(SLOPES, side, slope);
  const n = min(max(nCoefficients, 0), NP);
  const user = USER + (<usize>(side * NP) << 3);
  for (let k = 0; k < NP; k++) st(user, k, k < n ? ld(COEFF_IN, k) : 0.0);
  store<i32>(USER_N + (<usize>side << 2), n);
  setActivationCode(side, activationCode(side));
}

/** Sets the activation code of a side (its parameters stay). */
export function setActivationCode(side: i32, code: i32): void {
  if (!initialised) initialise();
  store<i32>(CODES + (<usize>side << 2), code);
  const he = hePtr(side);
  for (let n = 0; n < NP; n++) st(he, n, 0.0);
  if (code == ACT_SQUARE) { st(he, 0, 1.0); st(he, 2, 1.0); } // x^2 = He_2 + 1
  else if (code == ACT_HERMITE2) st(he, 2, 1.0);
  else if (code == ACT_HERMITE3) st(he, 3, 1.0);
  else if (code == ACT_HERMITE4) st(he, 4, 1.0);
  else if (code == ACT_HERMITE_COEFFICIENTS) {
    const user = USER + (<usize>(side * NP) << 3);
    for (let k = 0; k < NP; k++) st(he, k, ld(user, k));
  }
  let degree = 0;
  if (isPolynomial(code)) for (let n = 0; n < NP; n++) if (ld(he, n) != 0.0) degree = n;
  store<i32>(DEGREES + (<usize>side << 2), degree);
  // monomial form: He_{n+1} = x He_n - n He_{n-1}, accumulated coefficient by coefficient
  const mono = monoPtr(side), monoD = monoDPtr(side);
  for (let k = 0; k < NP; k++) { st(mono, k, 0.0); st(monoD, k, 0.0); }
  if (!isPolynomial(code)) return;
  const prev = WORK, cur = WORK + (<usize>NP << 3), next = WORK + (<usize>(2 * NP) << 3);
  for (let k = 0; k < NP; k++) { st(prev, k, 0.0); st(cur, k, 0.0); }
  st(cur, 0, 1.0); // He_0
  for (let n = 0; n <= degree; n++) {
    const c = ld(he, n);
    if (c != 0.0) for (let k = 0; k <= n; k++) st(mono, k, ld(mono, k) + c * ld(cur, k));
    // next = x cur - n prev
    for (let k = 0; k < NP; k++) st(next, k, (k > 0 ? ld(cur, k - 1) : 0.0) - <f64>n * ld(prev, k));
    for (let k = 0; k < NP; k++) { st(prev, k, ld(cur, k)); st(cur, k, ld(next, k)); }
  }
  for (let k = 1; k <= degree; k++) st(monoD, k - 1, <f64>k * ld(mono, k));
}

/** Code, slope and Hermite coefficients (from coefficientInput()) of a side at once. */
export function setActivation(side: i32, code: i32, slope: f64, nCoefficients: i32): void {
  if (!initialised) initialise();
  store<i32>(CODES + (<usize>side << 2), code);
  setActivationParameters(side, slope, nCoefficients);
}
const WORK: usize = memory.data(3 * NP * 8, 8);

/** sum_k m_k x^k by Horner. */
@inline function horner(m: usize, degree: i32, x: f64): f64 {
  let v: f64 = 0;
  for (let k = degree; k >= 0; k--) v = v * x + ld(m, k);
  return v;
}

/** The logistic function 1 / (1 + e^-x) without overflow. */
@inline export function logistic(x: f64): f64 {
  if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
}
/** Its derivative e / (1 + e)^2, e = exp(-|x|) (no cancellation in either tail). */
@inline export function logisticDerivative(x: f64): f64 {
  const e = Math.exp(-Math.abs(x));
  const d = 1.0 + e;
  return e / (d * d);
}
/** sech^2(x) = 4 e / (1 + e)^2, e = exp(-2|x|). */
@inline export function sech2(x: f64): f64 {
  const e = Math.exp(-2.0 * Math.abs(x));
  const d = 1.0 + e;
  return 4.0 * e / (d * d);
}
/** The standard normal CDF, relative accuracy kept in the lower tail. */
@inline export function normalCdf(x: f64): f64 {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/** g(x) of the side's activation. */
export function activationValue(side: i32, x: f64): f64 {
  const code = activationCode(side);
  if (code == ACT_RELU) return x > 0 ? x : 0.0;
  if (code == ACT_ERF) return erf(x * SQRT_HALF);
  if (code == ACT_LINEAR) return x;
  if (code == ACT_LEAKY_RELU) return x > 0 ? x : ld(SLOPES, side) * x;
  if (code == ACT_ABS) return Math.abs(x);
  if (code == ACT_TANH) return Math.tanh(x);
  if (code == ACT_SIGMOID) return logistic(x);
  if (code == ACT_GELU) return x * normalCdf(x);
  if (code == ACT_SILU) return x * logistic(x);
  if (code == ACT_SOFTPLUS) return (x > 0 ? x : 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
  return horner(monoPtr(side), polyDegree(side), x);
}

/** g'(x) of the side's activation (the right derivative at a kink: relu'(0) = 0 as in the SGD kernel). */
export function activationDerivative(side: i32, x: f64): f64 {
  const code = activationCode(side);
  if (code == ACT_RELU) return x > 0 ? 1.0 : 0.0;
  if (code == ACT_ERF) return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
  if (code == ACT_LINEAR) return 1.0;
  if (code == ACT_LEAKY_RELU) return x > 0 ? 1.0 : ld(SLOPES, side);
  if (code == ACT_ABS) return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
  if (code == ACT_TANH) return sech2(x);
  if (code == ACT_SIGMOID) return logisticDerivative(x);
  if (code == ACT_GELU) return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  if (code == ACT_SILU) return logistic(x) + x * logisticDerivative(x);
  if (code == ACT_SOFTPLUS) return logistic(x);
  const d = polyDegree(side);
  return d > 0 ? horner(monoDPtr(side), d - 1, x) : 0.0;
}

/** g (deriv 0) or g' (deriv 1). */
@inline export function activationPiece(side: i32, deriv: i32, x: f64): f64 {
  return deriv == 0 ? activationValue(side, x) : activationDerivative(side, x);
}

/** Whether g (or g') is piecewise with a break at 0 (relu, leakyRelu, abs and their steps). */
@inline export function hasBreakAtZero(code: i32): bool {
  return code == ACT_RELU || code == ACT_LEAKY_RELU || code == ACT_ABS;
}
/** Whether g (deriv 0) or g' (deriv 1) vanishes for x < 0 (relu, its step). */
@inline export function vanishesBelowZero(code: i32): bool {
  return code == ACT_RELU;
}
/**
 * Half-width of the strip around the real axis in which g (and g') is analytic: the nearest
 * complex singularity (tanh: poles at i pi / 2; logistic, silu, softplus: i pi). Entire
 * functions (and the pieces of piecewise-linear ones): Infinity.
 */
export function analyticStrip(code: i32): f64 {
  if (code == ACT_TANH) return Math.PI / 2;
  if (code == ACT_SIGMOID || code == ACT_SILU || code == ACT_SOFTPLUS) return Math.PI;
  return Infinity;
}
/** Polynomial growth degree of g (deriv 0) or g' (deriv 1) for large |x|. */
export function growthDegree(side: i32, deriv: i32): i32 {
  const code = activationCode(side);
  if (isPolynomial(code)) return max(0, polyDegree(side) - deriv);
  if (code == ACT_TANH || code == ACT_SIGMOID || code == ACT_ERF) return 0;
  return deriv == 0 ? 1 : 0;
}

/**
 * Whether g and g' grow like exp(y^2 / 2) off the real axis (x + i y): erf and gelu (entire, but
 * built from the Gaussian), which the quadrature's step must account for like the weight's own
 * growth.
 */
export function gaussianGrowth(code: i32): bool {
  return code == ACT_ERF || code == ACT_GELU;
}

/**
 * Order of g's (deriv 0) or g''s (deriv 1) nearest complex singularity: 1 for tanh, the
 * logistic, silu (simple poles) and softplus (a logarithm), 2 for the derivatives sech^2,
 * logistic', silu' (double poles; softplus' is the logistic: 1). 0 for entire functions.
 */
export function poleOrder(code: i32, deriv: i32): i32 {
  if (code == ACT_TANH || code == ACT_SIGMOID || code == ACT_SILU) return deriv == 0 ? 1 : 2;
  if (code == ACT_SOFTPLUS) return 1;
  return 0;
}
