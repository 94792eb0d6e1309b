// The averages I2, I3, I4 of docs/theory.md section 1 for the configured activation and method.
import { reluI2, reluI3, reluI4 } from "./relu";
import { erfI2, erfI3, erfI4 } from "./erf";
import { hermiteI4Correlation, absCorrelationSpectralRadius } from "./hermite";
import { setActivationCode } from "./activationFunctions";
import { genericI2, genericI3, genericI4, genericJ2 } from "./genericAverages";
import { orthant2Cov } from "./orthant";

import { ACT_RELU, ACT_ERF, ACT_LINEAR } from "../activations";
export { ACT_RELU, ACT_ERF, ACT_LINEAR };
export const METHOD_EXACT: i32 = 0;
export const METHOD_HERMITE: i32 = 1;

export let activation: i32 = ACT_RELU;
// the teacher's activation gt (docs/theory.md section 1); mismatch: gt != g, the ODE uses mixed.ts
export let teacherActivation: i32 = ACT_RELU;
export let mismatch: bool = false;
// an activation beyond relu, erf, linear on either side: every average goes to genericAverages.ts
export let generic: bool = false;
export let method: i32 = METHOD_EXACT;
export let hermiteOrder: i32 = 10;

// Diagnostics of the Hermite series since the last reset.
export let hermiteCalls: i32 = 0;
export let hermiteOutside: i32 = 0; // calls with spectral radius >= 1
export let hermiteMaxRadius: f64 = 0;

/** teacher1: 0 for gt = g, else the teacher's activation code + 1 (an omitted argument means "same"). */
export function setModel(act: i32, meth: i32, order: i32, teacher1: i32 = 0): void {
  activation = act;
  teacherActivation = teacher1 == 0 ? act : teacher1 - 1;
  mismatch = teacherActivation != act;
  generic = act > ACT_LINEAR || teacherActivation > ACT_LINEAR;
  setActivationCode(0, act);
  setActivationCode(1, teacherActivation);
  method = meth;
  hermiteOrder = order;
}
export function resetHermiteStats(): void {
  hermiteCalls = 0;
  hermiteOutside = 0;
  hermiteMaxRadius = 0;
}

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}

export function avgI2(C: usize, ld: i32, a: i32, b: i32): f64 {
  if (generic) return genericI2(C, ld, a, b, 0, 0);
  if (activation == ACT_RELU) return reluI2(C, ld, a, b);
  if (activation == ACT_ERF) return erfI2(C, ld, a, b);
  return cget(C, ld, a, b);
}

/** I2 of two units with activation act (teacher-teacher pairs under a mismatch). */
export function i2Of(act: i32, C: usize, ld: i32, a: i32, b: i32): f64 {
  if (act == ACT_RELU) return reluI2(C, ld, a, b);
  if (act == ACT_ERF) return erfI2(C, ld, a, b);
  return cget(C, ld, a, b);
}

export function avgI3(C: usize, ld: i32, a: i32, b: i32, c: i32): f64 {
  if (generic) return genericI3(C, ld, a, b, c, 0);
  if (activation == ACT_RELU) return reluI3(C, ld, a, b, c);
  if (activation == ACT_ERF) return erfI3(C, ld, a, b, c);
  return cget(C, ld, b, c);
}

export function avgI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  if (generic) return genericI4(C, ld, a, b, c, e, 0, 0);
  if (activation == ACT_RELU) {
    // [E]: the series only for averages over four distinct variables
    if (method == METHOD_HERMITE && a != b && a != c && a != e && b != c && b != e && c != e) {
      return reluI4Hermite(C, ld, a, b, c, e, hermiteOrder);
    }
    return reluI4(C, ld, a, b, c, e);
  }
  if (activation == ACT_ERF) return erfI4(C, ld, a, b, c, e);
  return cget(C, ld, c, e);
}

const TWO_OVER_PI: f64 = 2.0 / Math.PI;

/**
 * J2 = E[g'(z_a) g'(z_b)] of the student activation: the average of the output-noise term
 * (docs/theory.md section 9). relu: P(z_a > 0, z_b > 0) = 1/4 + asin(r)/(2 pi); erf(x/sqrt 2):
 * (2/pi) / sqrt((1 + A_aa)(1 + A_bb) - A_ab^2) (a Gaussian integral of exp(-(z_a^2 + z_b^2)/2));
 * linear: 1. Singular sub-matrices (a = b, collinear units) need no special case.
 */
export function avgJ2(C: usize, ld: i32, a: i32, b: i32): f64 {
  // the other activations (docs/theory.md section 10): E[g'(x_a) g'(x_b)] by their own route
  if (activation > ACT_LINEAR) return genericJ2(C, ld, a, b);
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), ab = cget(C, ld, a, b);
  if (activation == ACT_RELU) return aa > 0.0 && bb > 0.0 ? orthant2Cov(aa, ab, bb) : 0.0;
  if (activation == ACT_ERF) return TWO_OVER_PI / Math.sqrt((1.0 + aa) * (1.0 + bb) - ab * ab);
  return 1.0;
}

export function reluI4Hermite(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32, N: i32): f64 {
  const sa = Math.sqrt(cget(C, ld, a, a)), sb = Math.sqrt(cget(C, ld, b, b));
  const sc = Math.sqrt(cget(C, ld, c, c)), se = Math.sqrt(cget(C, ld, e, e));
  if (!(sa > 0) || !(sb > 0) || !(sc > 0) || !(se > 0)) return 0.0;
  const r12 = cget(C, ld, a, b) / (sa * sb), r13 = cget(C, ld, a, c) / (sa * sc);
  const r14 = cget(C, ld, a, e) / (sa * se), r23 = cget(C, ld, b, c) / (sb * sc);
  const r24 = cget(C, ld, b, e) / (sb * se), r34 = cget(C, ld, c, e) / (sc * se);
  const radius = absCorrelationSpectralRadius(r12, r13, r14, r23, r24, r34);
  hermiteCalls++;
  if (radius >= 1.0) hermiteOutside++;
  if (radius > hermiteMaxRadius) hermiteMaxRadius = radius;
  // theta and relu are positively homogeneous of degrees 0 and 1
  return sc * se * hermiteI4Correlation(r12, r13, r14, r23, r24, r34, N);
}
