// Site-symmetric reduction of the online-learning ODE (docs/theory.md section 11, Saad & Solla
// 1995): K = M, T = t I, v_i = v, v*_n = v*. Permuting students and teachers together maps the
// ODE into itself, so the subspace
//     Q_ii = Q,  Q_ik = C (i != k),  R_ii = R,  R_in = S (i != n)
// is invariant, and in it every average depends only on which of its indices coincide. State
// u = (Q, C, R, S). Write x_a for student a's field, y_a for its teacher a* (the teacher it
// is paired with), s_x = -v, s_y = v* for the signed output weights, and
//     J3(i, b) = sum_c s_c I3(x_i, b, c),   S4(i, k) = sum_{c,e} s_c s_e I4(x_i, x_k, c, e)
// (c, e over all 2K fields). Then (docs/theory.md section 1/9 with v_i = v)
//     dQ/dalpha = 2 eta v J3(i, x_i) + eta^2 v^2 S4(i, i)
//     dC/dalpha = 2 eta v J3(i, x_k) + eta^2 v^2 S4(i, k)      (J3(i, x_k) = J3(k, x_i) by the swap i <-> k)
//     dR/dalpha = eta v J3(i, y_i),   dS/dalpha = eta v J3(i, y_k)
//     eps_g = K/2 [E0 + (K - 1) E1]
// Each sum over c runs over index-coincidence classes: c is one of the named labels of the
// term (i, and k for the C and S equations) or one of the other labels, all equivalent, so one
// representative times their count. Labels: 0 = i, 1 = k (or j, the first "other" label in the
// Q and R equations), 2, 3 = further other labels. Counts and classes (ordered pairs (c, e);
// I4(., ., c, e) = I4(., ., e, c) merges the two orders):
//
//   J3(i, b) for b = x_i (dQ) and b = y_i (dR):
//       [v* I3(0,b,y0) - v I3(0,b,x0)] + (K-1) [v* I3(0,b,y1) - v I3(0,b,x1)]
//   J3(i, b) for b = x_k (dC) and b = y_k (dS), k = label 1:
//       [v* (I3(0,b,y0) + I3(0,b,y1)) - v (I3(0,b,x0) + I3(0,b,x1))] + (K-2) [v* I3(0,b,y2) - v I3(0,b,x2)]
//
//   S4(i, i) = A0 + (K-1) A1 + (K-1)(K-2) A2, I4 written without its first two indices (0, 0):
//       A0 = v^2 (x0,x0) + v*^2 (y0,y0) - 2 v v* (x0,y0)                               [pairs within {x0, y0}]
//       A1 = 2 [v^2 (x0,x1) - v v* ((x0,y1) + (y0,x1)) + v*^2 (y0,y1)]                  [one of x0/y0, one of x_j/y_j: 2 (K-1) pairs each]
//          + v^2 (x1,x1) + v*^2 (y1,y1) - 2 v v* (x1,y1)                               [both from one other label j: K-1]
//       A2 = v^2 (x1,x2) + v*^2 (y1,y2) - 2 v v* (x1,y2)                               [two different other labels j != l: (K-1)(K-2)]
//     (weights 4 + 12 (K-1) + 4 (K-1)(K-2) = 4 K^2 ordered pairs: all of them)
//   S4(i, k) = B0 + (K-2) B1 + (K-2)(K-3) B2, I4 without its first two indices (0, 1):
//       B0 = 2 [v^2 ((x0,x0) + (x0,x1)) + v*^2 ((y0,y0) + (y0,y1))] - 4 v v* ((x0,y0) + (x0,y1))
//            [pairs within {x_i, x_k, y_i, y_k}; (x0,x0) = (x1,x1), (x0,y0) = (x1,y1), (x0,y1) = (x1,y0) by the swap i <-> k]
//       B1 = 4 [v^2 (x0,x2) - v v* ((x0,y2) + (y0,x2)) + v*^2 (y0,y2)]                  [one of i/k's four fields, one of an other label's two]
//          + v^2 (x2,x2) + v*^2 (y2,y2) - 2 v v* (x2,y2)                               [both from one other label]
//       B2 = v^2 (x2,x3) + v*^2 (y2,y3) - 2 v v* (x2,y3)                               [two different other labels]
//     (weights 16 + 20 (K-2) + 4 (K-2)(K-3) = 4 K^2)
//   E0 = v^2 I2(x0,x0) - 2 v v* I2(x0,y0) + v*^2 I2(y0,y0),  E1 = the same with (x0,x1), (x0,y1), (y0,y1).
//
// So the cost per step does not depend on K: 20 I3 and 29 I4 per right-hand side. A class whose
// count is zero (K < 4) is never evaluated: every average taken is one of the K-unit system's,
// on a principal sub-matrix of its covariance. Rounding: each bracket is formed at O(1) before
// it is multiplied by its count. With C, R, S of order 1/K and eta of order 1/K (the scaling of
// the large-K limit) the rates agree with 40-digit arithmetic to <= 5e-14 relative for K up to
// 1e6 (test/symmetricLargeK.test.ts).
//
// The covariance of the fields of four labels, students 0..3 then teachers 4..7 (LD = 8), is
// built once per evaluation; the ReLU asin table covers it.
import { avgI2, avgI3, avgI4, i2Of, activation, teacherActivation, mismatch, generic, ACT_RELU } from "../gauss/averages";
import { genericI2, genericI3, genericI4, isPiecewiseLinear } from "../gauss/genericAverages";
import { mixedI2, mixedI3, mixedI4 } from "../gauss/mixed";
import { reluTableBegin, reluTableEnd } from "../gauss/relu";

export const STATE_DIMENSION: i32 = 4;
const LD: i32 = 8;
const NL: i32 = 4; // labels (student fields 0..3, teacher fields 4..7)

// parameters
let units: f64 = 2; // K as a float: counts up to K^2 ~ 1e12 stay exact
let vOut: f64 = 1; // v
let vStarOut: f64 = 1; // v*
let teacherNorm: f64 = 1; // t
export let eta: f64 = 1;
export let rhsEvaluations: i32 = 0;

const COV: usize = memory.data(LD * LD * 8, 16);
const ASIN: usize = memory.data(2 * LD * LD * 8, 16);

export function setSymmetricModel(K: f64, v: f64, vStar: f64, t: f64, learningRate: f64): void {
  units = K;
  vOut = v;
  vStarOut = vStar;
  teacherNorm = t;
  eta = learningRate;
}
export function setSymmetricLearningRate(learningRate: f64): void {
  eta = learningRate;
}

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline function X(a: i32): i32 {
  return a;
}
@inline function Y(a: i32): i32 {
  return NL + a;
}

// Averages on a representative covariance whose student fields are 0..nl-1 and teacher fields
// nl..2nl-1, with the student/teacher mismatch dispatched as model.ts does.
@inline function actAt(c: i32, nl: i32): i32 {
  return c < nl ? activation : teacherActivation;
}
// Any activation beyond relu, erf, linear (either side, docs/theory.md section 10): the generic
// averages with f_c of the student side for student fields and of the teacher side otherwise.
@inline function sideAt(c: i32, nl: i32): i32 {
  return c < nl ? 0 : 1;
}
@inline export function repI2(C: usize, ld: i32, nl: i32, c: i32, e: i32): f64 {
  if (generic) return genericI2(C, ld, c, e, sideAt(c, nl), sideAt(e, nl));
  if (mismatch && (c >= nl || e >= nl)) {
    if (c >= nl && e >= nl) return i2Of(teacherActivation, C, ld, c, e);
    return mixedI2(C, ld, c, e, actAt(c, nl), actAt(e, nl));
  }
  return avgI2(C, ld, c, e);
}
@inline export function repI3(C: usize, ld: i32, nl: i32, i: i32, b: i32, c: i32): f64 {
  if (generic) return genericI3(C, ld, i, b, c, sideAt(c, nl));
  if (mismatch && c >= nl) return mixedI3(C, ld, i, b, c, activation, teacherActivation);
  return avgI3(C, ld, i, b, c);
}
@inline export function repI4(C: usize, ld: i32, nl: i32, i: i32, k: i32, c: i32, e: i32): f64 {
  if (generic) return genericI4(C, ld, i, k, c, e, sideAt(c, nl), sideAt(e, nl));
  if (mismatch && (c >= nl || e >= nl)) return mixedI4(C, ld, i, k, c, e, activation, actAt(c, nl), actAt(e, nl));
  return avgI4(C, ld, i, k, c, e);
}
@inline function I2(c: i32, e: i32): f64 {
  return repI2(COV, LD, NL, c, e);
}
@inline function I3(i: i32, b: i32, c: i32): f64 {
  return repI3(COV, LD, NL, i, b, c);
}
@inline function I4(i: i32, k: i32, c: i32, e: i32): f64 {
  return repI4(COV, LD, NL, i, k, c, e);
}

/** The 8 x 8 covariance of the fields of labels 0..3 in the site-symmetric state u. */
function buildCovariance(u: usize): void {
  const q = f(u, 0), c = f(u, 1), r = f(u, 2), s = f(u, 3);
  for (let a = 0; a < NL; a++) {
    for (let b = 0; b < NL; b++) {
      setf(COV, X(a) * LD + X(b), a == b ? q : c);
      const rab = a == b ? r : s; // Cov(x_a, y_b) = R_ab
      setf(COV, X(a) * LD + Y(b), rab);
      setf(COV, Y(b) * LD + X(a), rab);
      setf(COV, Y(a) * LD + Y(b), a == b ? teacherNorm : 0.0);
    }
  }
}

/** eps_g = K/2 [E0 + (K - 1) E1] (classes above). */
function egOfCovariance(): f64 {
  const v = vOut, w = vStarOut;
  const e0 = v * v * I2(X(0), X(0)) - 2.0 * v * w * I2(X(0), Y(0)) + w * w * I2(Y(0), Y(0));
  let total = e0;
  if (units > 1.0) {
    const e1 = v * v * I2(X(0), X(1)) - 2.0 * v * w * I2(X(0), Y(1)) + w * w * I2(Y(0), Y(1));
    total += (units - 1.0) * e1;
  }
  return 0.5 * units * total;
}

export function symmetricGeneralizationError(u: usize): f64 {
  buildCovariance(u);
  return egOfCovariance();
}

/** J3(i, b) with one named label (b = x_0 or y_0). */
function j3One(b: i32): f64 {
  const v = vOut, w = vStarOut;
  let s = w * I3(X(0), b, Y(0)) - v * I3(X(0), b, X(0));
  if (units > 1.0) s += (units - 1.0) * (w * I3(X(0), b, Y(1)) - v * I3(X(0), b, X(1)));
  return s;
}

/** J3(i, b) with two named labels (b = x_1 or y_1). */
function j3Two(b: i32): f64 {
  const v = vOut, w = vStarOut;
  let s = w * (I3(X(0), b, Y(0)) + I3(X(0), b, Y(1))) - v * (I3(X(0), b, X(0)) + I3(X(0), b, X(1)));
  if (units > 2.0) s += (units - 2.0) * (w * I3(X(0), b, Y(2)) - v * I3(X(0), b, X(2)));
  return s;
}

/** v^2 I4(i,k,x_a,x_b) + v*^2 I4(i,k,y_a,y_b) - 2 v v* I4(i,k,x_a,y_b): the pair (a, b) of two labels, (x_a, y_b) and (y_a, x_b) equal. */
@inline function sameShape(i: i32, k: i32, a: i32, b: i32): f64 {
  const v = vOut, w = vStarOut;
  return v * v * I4(i, k, X(a), X(b)) + w * w * I4(i, k, Y(a), Y(b)) - 2.0 * v * w * I4(i, k, X(a), Y(b));
}

/** S4(i, i) = A0 + (K-1) A1 + (K-1)(K-2) A2. */
function s4Diagonal(): f64 {
  const v = vOut, w = vStarOut;
  const i = X(0);
  let s = sameShape(i, i, 0, 0);
  if (units > 1.0) {
    const a1 = 2.0 * (v * v * I4(i, i, X(0), X(1)) - v * w * (I4(i, i, X(0), Y(1)) + I4(i, i, Y(0), X(1))) + w * w * I4(i, i, Y(0), Y(1)))
      + sameShape(i, i, 1, 1);
    s += (units - 1.0) * a1;
    if (units > 2.0) s += (units - 1.0) * (units - 2.0) * sameShape(i, i, 1, 2);
  }
  return s;
}

/** S4(i, k) = B0 + (K-2) B1 + (K-2)(K-3) B2 (K >= 2). */
function s4OffDiagonal(): f64 {
  const v = vOut, w = vStarOut;
  const i = X(0), k = X(1);
  let s = 2.0 * (v * v * (I4(i, k, X(0), X(0)) + I4(i, k, X(0), X(1))) + w * w * (I4(i, k, Y(0), Y(0)) + I4(i, k, Y(0), Y(1))))
    - 4.0 * v * w * (I4(i, k, X(0), Y(0)) + I4(i, k, X(0), Y(1)));
  if (units > 2.0) {
    const b1 = 4.0 * (v * v * I4(i, k, X(0), X(2)) - v * w * (I4(i, k, X(0), Y(2)) + I4(i, k, Y(0), X(2))) + w * w * I4(i, k, Y(0), Y(2)))
      + sameShape(i, k, 2, 2);
    s += (units - 2.0) * b1;
    if (units > 3.0) s += (units - 2.0) * (units - 3.0) * sameShape(i, k, 2, 3);
  }
  return s;
}

/** du/dalpha of the site-symmetric state (Q, C, R, S); for K = 1 the C and S rates are 0. */
export function symmetricRhs(u: usize, du: usize): void {
  rhsEvaluations++;
  buildCovariance(u);
  // the asin table also serves piecewise-linear units, whose averages use the relu closed forms
  const relu = activation == ACT_RELU || (generic && isPiecewiseLinear(activation) && isPiecewiseLinear(teacherActivation));
  if (relu) reluTableBegin(COV, LD, ASIN);
  const v = vOut, e = eta;
  setf(du, 0, 2.0 * e * v * j3One(X(0)) + e * e * v * v * s4Diagonal());
  setf(du, 2, e * v * j3One(Y(0)));
  if (units > 1.0) {
    setf(du, 1, 2.0 * e * v * j3Two(X(1)) + e * e * v * v * s4OffDiagonal());
    setf(du, 3, e * v * j3Two(Y(1)));
  } else {
    setf(du, 1, 0.0);
    setf(du, 3, 0.0);
  }
  if (relu) reluTableEnd();
}

/** Smallest eigenvalue of [[a, b], [b, c]]. */
@inline function smallest2(a: f64, b: f64, c: f64): f64 {
  const h = 0.5 * (a - c);
  return 0.5 * (a + c) - Math.sqrt(h * h + b * b);
}

/**
 * 0: valid; 1: Q beyond the divergence bound; 2: not a valid overlap matrix. The 2K x 2K
 * covariance [[Q I + C (J - I), R I + S (J - I)], [., t I]] has, on the all-ones direction,
 * the 2 x 2 block [[Q + (K-1) C, R + (K-1) S], [R + (K-1) S, t]] and, on the K - 1 directions
 * orthogonal to it, [[Q - C, R - S], [R - S, t]]: it is positive semi-definite iff both are.
 * As for the full model, only a gross violation (below -1e-7 of the block's scale) is invalid:
 * near perfect learning the smallest eigenvalue is second order in the integration error.
 */
export function symmetricStateValidity(u: usize, divergenceBound: f64): i32 {
  const q = f(u, 0), c = f(u, 1), r = f(u, 2), s = f(u, 3), t = teacherNorm;
  if (!(q > 0.0)) return 2;
  if (q > divergenceBound) return 1;
  const km1 = units - 1.0;
  const qa = q + km1 * c, ra = r + km1 * s;
  if (smallest2(qa, ra, t) < -1e-7 * Math.max(Math.abs(qa), t)) return 2;
  if (units > 1.0) {
    const qd = q - c, rd = r - s;
    if (smallest2(qd, rd, t) < -1e-7 * Math.max(Math.abs(qd), t)) return 2;
  }
  return 0;
}
