// I2, I3, I4 and J2 (docs/theory.md sections 1, 9) for any pair of activations: each average
// is a product of factors g, g' (of the student side or the teacher side) and z, routed by
// what its factors are made of:
//  - polynomials only (linear, square, hermite*, hermiteCoefficients, z): Wick's theorem in the
//    Hermite basis, exact (polynomialAverages.ts);
//  - piecewise-linear, erf, gelu and polynomial factors: exact term expansion down to the ReLU
//    recursion (productAverages.ts);
//  - any tanh, sigmoid, silu or softplus factor: nested quadrature with a tolerance
//    (quadratureAverages.ts); also the fallback of the exact expansion when a term needs a
//    power above its packing (polynomial degree above ~5 on one variable).
import { ACT_ABS, ACT_LEAKY_RELU, ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_SILU, ACT_SOFTPLUS, ACT_TANH } from "../activations";
import { activationCode, activationSlope, isPolynomial } from "./activationFunctions";
import { piecewiseLinearI2, piecewiseLinearI3, piecewiseLinearI4, piecewiseLinearJ2 } from "./piecewiseLinearAverages";
import { polynomialAverage, polynomialBegin, polynomialCoefficient, polynomialFactor } from "./polynomialAverages";
import { PIECE_DERIVATIVE, PIECE_VALUE, PIECE_Z, productAverage, productBegin, productFactor } from "./productAverages";
import { polyDegree, polyMonomial } from "./activationFunctions";
import { quadratureAverage, quadratureBegin, quadratureFactor } from "./quadratureAverages";

export const ROUTE_POLYNOMIAL: i32 = 0;
export const ROUTE_PRODUCT: i32 = 1;
export const ROUTE_QUADRATURE: i32 = 2;

// Calls per route since the last reset (the ODE result reports them).
export let polynomialCalls: i32 = 0;
export let productCalls: i32 = 0;
export let quadratureRouted: i32 = 0;
export let productFallbacks: i32 = 0;
export function resetRouteStats(): void {
  polynomialCalls = 0;
  productCalls = 0;
  quadratureRouted = 0;
  productFallbacks = 0;
}

/** Whether averages involving this activation need numerical integration. */
@inline export function isNumeric(code: i32): bool {
  return code == ACT_TANH || code == ACT_SIGMOID || code == ACT_SILU || code == ACT_SOFTPLUS;
}
/** Whether the activation is a polynomial (linear included). */
@inline export function isPolynomialFamily(code: i32): bool {
  return code == ACT_LINEAR || isPolynomial(code);
}

/** Whether the activation is piecewise linear with one kink: relu, leakyRelu, abs, linear. */
@inline export function isPiecewiseLinear(code: i32): bool {
  return code == ACT_RELU || code == ACT_LEAKY_RELU || code == ACT_ABS || code == ACT_LINEAR;
}
/** a with g = (1 - a) relu + a z, g' = (1 - a) theta + a: 0 relu, the slope, -1 abs, 1 linear. */
@inline function slopeOf(side: i32): f64 {
  const code = activationCode(side);
  if (code == ACT_RELU) return 0.0;
  if (code == ACT_LINEAR) return 1.0;
  if (code == ACT_ABS) return -1.0;
  return activationSlope(side);
}
@inline function bothPiecewiseLinear(sideA: i32, sideB: i32): bool {
  return isPiecewiseLinear(activationCode(sideA)) && isPiecewiseLinear(activationCode(sideB));
}

const FVAR: usize = memory.data(4 * 4, 4);
const FSIDE: usize = memory.data(4 * 4, 4);
const FPIECE: usize = memory.data(4 * 4, 4);
let nf: i32 = 0;

@inline function factor(v: i32, side: i32, piece: i32): void {
  store<i32>(FVAR + (<usize>nf << 2), v);
  store<i32>(FSIDE + (<usize>nf << 2), side);
  store<i32>(FPIECE + (<usize>nf << 2), piece);
  nf++;
}

/** The route the current factors take. */
function route(): i32 {
  let polynomialOnly = true;
  for (let f = 0; f < nf; f++) {
    const piece = load<i32>(FPIECE + (<usize>f << 2));
    if (piece == PIECE_Z) continue;
    const code = activationCode(load<i32>(FSIDE + (<usize>f << 2)));
    if (isNumeric(code)) return ROUTE_QUADRATURE;
    if (!isPolynomialFamily(code)) polynomialOnly = false;
  }
  return polynomialOnly ? ROUTE_POLYNOMIAL : ROUTE_PRODUCT;
}

function byQuadrature(C: usize, ld: i32): f64 {
  quadratureRouted++;
  quadratureBegin();
  for (let f = 0; f < nf; f++) quadratureFactor(load<i32>(FVAR + (<usize>f << 2)), load<i32>(FSIDE + (<usize>f << 2)), load<i32>(FPIECE + (<usize>f << 2)));
  return quadratureAverage(C, ld);
}

/** E[product of the factors set since the last average] over N(0, C). */
function evaluate(C: usize, ld: i32): f64 {
  const r = route();
  if (r == ROUTE_POLYNOMIAL) {
    polynomialCalls++;
    polynomialBegin();
    for (let f = 0; f < nf; f++) {
      const v = load<i32>(FVAR + (<usize>f << 2)), side = load<i32>(FSIDE + (<usize>f << 2)), piece = load<i32>(FPIECE + (<usize>f << 2));
      if (piece == PIECE_Z) {
        polynomialCoefficient(polynomialFactor(v, 1), 1, 1.0);
        continue;
      }
      const code = activationCode(side);
      if (code == ACT_LINEAR) {
        if (piece == PIECE_VALUE) polynomialCoefficient(polynomialFactor(v, 1), 1, 1.0);
        else polynomialCoefficient(polynomialFactor(v, 0), 0, 1.0);
        continue;
      }
      const deriv = piece == PIECE_DERIVATIVE ? 1 : 0;
      const deg = max(0, polyDegree(side) - deriv);
      const k = polynomialFactor(v, deg);
      for (let j = 0; j <= deg; j++) polynomialCoefficient(k, j, polyMonomial(side, deriv, j));
    }
    return polynomialAverage(C, ld);
  }
  if (r == ROUTE_PRODUCT) {
    productCalls++;
    productBegin();
    for (let f = 0; f < nf; f++) productFactor(load<i32>(FVAR + (<usize>f << 2)), load<i32>(FSIDE + (<usize>f << 2)), load<i32>(FPIECE + (<usize>f << 2)));
    const v = productAverage(C, ld);
    if (v == v) return v;
    productFallbacks++;
  }
  return byQuadrature(C, ld);
}

// Piecewise-linear units by linearity (g = (1 - a) relu + a z): piecewiseLinearAverages.ts.

/** E[f_a(z_a) f_b(z_b)], f of side sideA / sideB (0 student, 1 teacher). */
export function genericI2(C: usize, ld: i32, a: i32, b: i32, sideA: i32, sideB: i32): f64 {
  if (bothPiecewiseLinear(sideA, sideB)) {
    productCalls++;
    return piecewiseLinearI2(C, ld, a, b, slopeOf(sideA), slopeOf(sideB));
  }
  nf = 0;
  factor(a, sideA, PIECE_VALUE);
  factor(b, sideB, PIECE_VALUE);
  return evaluate(C, ld);
}

/** E[g'(z_a) z_b f_c(z_c)], g the student activation, f_c of side sideC. */
export function genericI3(C: usize, ld: i32, a: i32, b: i32, c: i32, sideC: i32): f64 {
  if (bothPiecewiseLinear(0, sideC)) {
    productCalls++;
    return piecewiseLinearI3(C, ld, a, b, c, slopeOf(0), slopeOf(sideC));
  }
  nf = 0;
  factor(a, 0, PIECE_DERIVATIVE);
  factor(b, 0, PIECE_Z);
  factor(c, sideC, PIECE_VALUE);
  return evaluate(C, ld);
}

/** E[g'(z_a) g'(z_b) f_c(z_c) f_e(z_e)]. */
export function genericI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32, sideC: i32, sideE: i32): f64 {
  if (bothPiecewiseLinear(sideC, sideE) && isPiecewiseLinear(activationCode(0))) {
    const v = piecewiseLinearI4(C, ld, a, b, c, e, slopeOf(0), slopeOf(sideC), slopeOf(sideE));
    if (v == v) {
      productCalls++;
      return v;
    }
  }
  nf = 0;
  factor(a, 0, PIECE_DERIVATIVE);
  factor(b, 0, PIECE_DERIVATIVE);
  factor(c, sideC, PIECE_VALUE);
  factor(e, sideE, PIECE_VALUE);
  return evaluate(C, ld);
}

/** J2 = E[g'(z_a) g'(z_b)] of the student activation (output noise, docs/theory.md section 9). */
export function genericJ2(C: usize, ld: i32, a: i32, b: i32): f64 {
  if (isPiecewiseLinear(activationCode(0))) {
    productCalls++;
    return piecewiseLinearJ2(C, ld, a, b, slopeOf(0));
  }
  nf = 0;
  factor(a, 0, PIECE_DERIVATIVE);
  factor(b, 0, PIECE_DERIVATIVE);
  return evaluate(C, ld);
}

/** The route an I4 of these sides would take (diagnostics). */
export function routeOfI4(sideC: i32, sideE: i32): i32 {
  nf = 0;
  factor(0, 0, PIECE_DERIVATIVE);
  factor(1, 0, PIECE_DERIVATIVE);
  factor(2, sideC, PIECE_VALUE);
  factor(3, sideE, PIECE_VALUE);
  return route();
}
