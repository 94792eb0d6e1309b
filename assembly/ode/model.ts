// State layout, covariance and right-hand side of the online-learning ODE (docs/theory.md section 1).
// u = (Q_ik for i <= k, row-major upper triangle; R_in row-major), followed by the student's
// output weights v_i when the second layer is trained (docs/theory.md section 9); T, v* (and v
// when not trained) fixed. Output noise and weight decay (section 9) are configured by
// setTraining(); with none of the three the right-hand side is that of section 1, bit for bit.
import { avgI2, avgI3, avgI4, avgJ2, i2Of, activation, teacherActivation, mismatch, generic, ACT_RELU, ACT_ERF } from "../gauss/averages";
import { genericI2, genericI3, genericI4, isPiecewiseLinear, isPolynomialFamily } from "../gauss/genericAverages";
import { mixedI2, mixedI3, mixedI4 } from "../gauss/mixed";
import { reluTableBegin, reluTableEnd } from "../gauss/relu";
import { erfJ3, erfS4 } from "./erfRows";
import { polynomialJ3, polynomialRowsBegin, polynomialRowsDoubles, polynomialS4 } from "./polynomialRows";
import { piecewiseLinearJ3, piecewiseLinearRowsBegin, piecewiseLinearRowsDoubles, piecewiseLinearS4 } from "./piecewiseLinearRows";

export let K: i32 = 0;
export let M: i32 = 0;
export let NV: i32 = 0; // K + M variables
export let D: i32 = 0; // state dimension
/** Dimension of the (Q, R) part of the state; v follows it when trainedV. */
export let DQR: i32 = 0;
export let eta: f64 = 1.0;

// docs/theory.md section 9: the state holds v (a layout property, set with the shape), the label
// noise's variance sigma^2, the weight decay kappa and the second layer's learning rate eta2.
export let trainedV: bool = false;
export let noiseVariance: f64 = 0;
export let weightDecay: f64 = 0;
export let learningRate2: f64 = 0;

// Pointers into the workspace, set by layout().
export let T_PTR: usize = 0; // M x M teacher overlaps
export let V_PTR: usize = 0; // K student output weights
export let VS_PTR: usize = 0; // M teacher output weights
export let C_PTR: usize = 0; // NV x NV covariance
export let S_PTR: usize = 0; // NV signed output weights: -v (students), v* (teachers)
export let J3_PTR: usize = 0; // K x NV: sum_c s_c I3(i, b, c)
export let ASIN_PTR: usize = 0; // 2 NV x NV: asins of the correlations of C (ReLU, see relu.ts)
export let ROWS_PTR: usize = 0; // rowsDoubles(K, M): the exact activations' per-covariance tables
// The student output weights of the state being evaluated: V_PTR, or the v part of u when trained.
let VCUR: usize = 0;

export let rhsEvaluations: i32 = 0;

// erf (student and teacher): the row-wise kernels of erfRows.ts, bit-identical to the generic
// loops and 2.7x faster at K = M = 10 (bench/RESULTS.md). Cleared only by the test build, to
// compare the two.
export let erfRows: bool = true;
export function setErfRows(on: bool): void {
  erfRows = on;
}
// The exact activations (polynomials, piecewise linear): the per-covariance rows of
// polynomialRows.ts, equal to the per-average loops to rounding. Cleared only by the test build,
// to compare the two.
export let exactRows: bool = true;
export function setExactRows(on: bool): void {
  exactRows = on;
}
// docs/theory.md section 12: F(u; eta) = F0(u) + eta F1(u) + eta^2 F2(u). rhsParts() has rhs()
// write the three parts as well (F0: the terms without eta, none in the model of section 1;
// F1: the O(eta) part, gradient flow; F2: the eta^2 part). rhs() itself combines its terms as it
// always did, so results at a constant rate keep their bits.
let PART0: usize = 0, PART1: usize = 0, PART2: usize = 0;

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

export function qIndex(i: i32, k: i32): i32 {
  return i * K - ((i * (i - 1)) >> 1) + (k - i);
}
export function rIndex(i: i32, n: i32): i32 {
  return ((K * (K + 1)) >> 1) + i * M + n;
}

/** Doubles of the rows region setModelShape takes (the exact activations' tables). */
export function rowsDoubles(k: i32, m: i32): i32 {
  return max(polynomialRowsDoubles(k, k + m), piecewiseLinearRowsDoubles(k, k + m));
}

export function setModelShape(k: i32, m: i32, t: usize, v: usize, vs: usize, c: usize, s: usize, j3: usize, asinTable: usize, rows: usize, trainV: bool = false): void {
  K = k;
  M = m;
  NV = k + m;
  DQR = ((k * (k + 1)) >> 1) + k * m;
  trainedV = trainV;
  D = trainV ? DQR + k : DQR;
  T_PTR = t;
  V_PTR = v;
  VS_PTR = vs;
  C_PTR = c;
  S_PTR = s;
  J3_PTR = j3;
  ASIN_PTR = asinTable;
  ROWS_PTR = rows;
}

export function setLearningRate(learningRate: f64): void {
  eta = learningRate;
}

/**
 * Label noise (its standard deviation sigma), weight decay kappa and the second layer's learning
 * rate eta2 (used only when the state holds v). setLearningRate-style: every caller that wants
 * them sets them after configuring the model, which resets them to none.
 */
export function setTraining(noise: f64, decay: f64, rate2: f64): void {
  noiseVariance = noise * noise;
  weightDecay = decay;
  learningRate2 = rate2;
}

/** C = [[Q, R], [R^T, T]] from the state u. */
export function buildCovariance(u: usize): void {
  const C = C_PTR;
  for (let i = 0; i < K; i++) {
    for (let k = i; k < K; k++) {
      const q = f(u, qIndex(i, k));
      setf(C, i * NV + k, q);
      setf(C, k * NV + i, q);
    }
    for (let n = 0; n < M; n++) {
      const r = f(u, rIndex(i, n));
      setf(C, i * NV + K + n, r);
      setf(C, (K + n) * NV + i, r);
    }
  }
  for (let n = 0; n < M; n++) {
    for (let m = 0; m < M; m++) setf(C, (K + n) * NV + K + m, f(T_PTR, n * M + m));
  }
  VCUR = trainedV ? u + (<usize>DQR << 3) : V_PTR;
  for (let i = 0; i < K; i++) setf(S_PTR, i, -f(VCUR, i));
  for (let n = 0; n < M; n++) setf(S_PTR, K + n, f(VS_PTR, n));
}

// With gt != g (mismatch) f_c is g for a student variable (c < K) and gt for a teacher
// variable; averages with a teacher factor go to mixed.ts, the rest stay on the matched path.
@inline function actOf(c: i32): i32 {
  return c < K ? activation : teacherActivation;
}
// Any activation beyond relu, erf, linear (either side): the generic averages, f_c of the
// student side for c < K and of the teacher side otherwise.
@inline function sideOf(c: i32): i32 {
  return c < K ? 0 : 1;
}
@inline function I2(C: usize, c: i32, e: i32): f64 {
  if (generic) return genericI2(C, NV, c, e, sideOf(c), sideOf(e));
  if (mismatch && (c >= K || e >= K)) {
    if (c >= K && e >= K) return i2Of(teacherActivation, C, NV, c, e);
    return mixedI2(C, NV, c, e, actOf(c), actOf(e));
  }
  return avgI2(C, NV, c, e);
}
@inline function I3(C: usize, i: i32, b: i32, c: i32): f64 {
  if (generic) return genericI3(C, NV, i, b, c, sideOf(c));
  if (mismatch && c >= K) return mixedI3(C, NV, i, b, c, activation, teacherActivation);
  return avgI3(C, NV, i, b, c);
}
@inline function I4(C: usize, i: i32, k: i32, c: i32, e: i32): f64 {
  if (generic) return genericI4(C, NV, i, k, c, e, sideOf(c), sideOf(e));
  if (mismatch && (c >= K || e >= K)) return mixedI4(C, NV, i, k, c, e, activation, actOf(c), actOf(e));
  return avgI4(C, NV, i, k, c, e);
}

/** eps_g = 1/2 sum_{c,e} s_c s_e I2(c, e), on the covariance already built. */
export function generalizationErrorOfCovariance(): f64 {
  let total: f64 = 0;
  for (let c = 0; c < NV; c++) {
    const sc = f(S_PTR, c);
    total += sc * sc * I2(C_PTR, c, c);
    for (let e = c + 1; e < NV; e++) total += 2.0 * sc * f(S_PTR, e) * I2(C_PTR, c, e);
  }
  return 0.5 * total;
}

export function generalizationError(u: usize): f64 {
  buildCovariance(u);
  return generalizationErrorOfCovariance();
}

/** du/dalpha (docs/theory.md section 1): each distinct I3 and I4 computed once. */
export function rhs(u: usize, du: usize): void {
  rhsEvaluations++;
  buildCovariance(u);
  const C = C_PTR;
  // every ReLU average below needs asins of these NV (NV - 1) / 2 correlations, many times over
  // (also for piecewise-linear units, whose averages use the relu closed forms: genericAverages.ts)
  const relu = activation == ACT_RELU || (generic && isPiecewiseLinear(activation) && isPiecewiseLinear(teacherActivation));
  if (relu) reluTableBegin(C, NV, ASIN_PTR);
  // the ReLU asin table is not in use with erf: its space is the row kernels' scratch (NV doubles)
  const rows = erfRows && activation == ACT_ERF && !mismatch;
  // polynomial units on both sides (docs/theory.md section 10): the rows of polynomialRows.ts,
  // with the correlations where relu keeps its asins
  const poly = exactRows && generic && isPolynomialFamily(activation) && isPolynomialFamily(teacherActivation);
  if (poly) polynomialRowsBegin(C, NV, K, ASIN_PTR, ROWS_PTR);
  // piecewise-linear units on both sides: the sums over (c, e) inside the averages (piecewiseLinearRows.ts)
  const pl = exactRows && generic && isPiecewiseLinear(activation) && isPiecewiseLinear(teacherActivation);
  if (pl) piecewiseLinearRowsBegin(C, NV, K, S_PTR, ASIN_PTR, ROWS_PTR);
  if (rows) erfJ3(C, NV, K, S_PTR, J3_PTR, ASIN_PTR);
  else if (poly) polynomialJ3(S_PTR, J3_PTR);
  else if (pl) piecewiseLinearJ3(S_PTR, J3_PTR);
  else {
    for (let i = 0; i < K; i++) {
      for (let b = 0; b < NV; b++) {
        let s: f64 = 0;
        for (let c = 0; c < NV; c++) s += f(S_PTR, c) * I3(C, i, b, c);
        setf(J3_PTR, i * NV + b, s);
      }
    }
  }
  const eta2 = eta * eta;
  const noise = noiseVariance, decay = weightDecay;
  for (let i = 0; i < K; i++) {
    const vi = f(VCUR, i);
    for (let k = i; k < K; k++) {
      const vk = f(VCUR, k);
      // <delta_i delta_k> / (v_i v_k), using I4(i,k,c,e) = I4(i,k,e,c)
      let s4: f64 = 0;
      if (rows) s4 = erfS4(C, NV, i, k, S_PTR, ASIN_PTR);
      else if (poly) s4 = polynomialS4(i, k, S_PTR);
      else if (pl) s4 = piecewiseLinearS4(i, k, S_PTR);
      // a degenerate pair of the piecewise-linear rows (NaN) is summed average by average
      if (!rows && !poly && !(pl && s4 == s4)) {
        s4 = 0;
        for (let c = 0; c < NV; c++) {
          const sc = f(S_PTR, c);
          s4 += sc * sc * I4(C, i, k, c, c);
          for (let e = c + 1; e < NV; e++) s4 += 2.0 * sc * f(S_PTR, e) * I4(C, i, k, c, e);
        }
      }
      // label noise: sigma^2 E[g'(x_i) g'(x_k)] inside the eta^2 term (section 9)
      if (noise != 0.0) s4 += noise * avgJ2(C, NV, i, k);
      const lin = vi * f(J3_PTR, i * NV + k) + vk * f(J3_PTR, k * NV + i);
      let dq = eta * lin + eta2 * vi * vk * s4;
      if (decay != 0.0) dq -= 2.0 * decay * f(C, i * NV + k);
      setf(du, qIndex(i, k), dq);
      if (PART1 != 0) {
        // weight decay does not scale with eta: it is part of F0 (section 12); noise is inside s4 (F2)
        const q = qIndex(i, k);
        setf(PART0, q, decay != 0.0 ? -2.0 * decay * f(C, i * NV + k) : 0.0);
        setf(PART1, q, lin);
        setf(PART2, q, vi * vk * s4);
      }
    }
    for (let n = 0; n < M; n++) {
      let dr = eta * vi * f(J3_PTR, i * NV + K + n);
      if (decay != 0.0) dr -= decay * f(C, i * NV + K + n);
      setf(du, rIndex(i, n), dr);
      if (PART1 != 0) {
        const r = rIndex(i, n);
        setf(PART0, r, decay != 0.0 ? -decay * f(C, i * NV + K + n) : 0.0);
        setf(PART1, r, vi * f(J3_PTR, i * NV + K + n));
        setf(PART2, r, 0.0);
      }
    }
  }
  // dv_i = eta2 [sum_n v*_n I2(i, n) - sum_j v_j I2(i, j)] - kappa v_i = eta2 sum_c s_c I2(i, c) - kappa v_i
  if (trainedV) {
    for (let i = 0; i < K; i++) {
      let s2: f64 = 0;
      for (let c = 0; c < NV; c++) s2 += f(S_PTR, c) * I2(C, i, c);
      const dv = learningRate2 * s2 - decay * f(VCUR, i);
      setf(du, DQR + i, dv);
      // the second layer's rate eta2 is its own constant, not the schedule's: all of dv is F0
      if (PART1 != 0) {
        setf(PART0, DQR + i, dv);
        setf(PART1, DQR + i, 0.0);
        setf(PART2, DQR + i, 0.0);
      }
    }
  }
  if (relu) reluTableEnd();
}

/** rhs(u, du) at the model's eta, and its parts F0, F1, F2 (section 12) into p0, p1, p2. */
export function rhsParts(u: usize, du: usize, p0: usize, p1: usize, p2: usize): void {
  PART0 = p0;
  PART1 = p1;
  PART2 = p2;
  rhs(u, du);
  PART0 = 0;
  PART1 = 0;
  PART2 = 0;
}

const INVALID_PIVOT: f64 = 1e-7;

/**
 * 0: valid; 1: some Q_ii (or v_i^2 of a trained second layer) beyond the divergence bound; 2: not a valid overlap matrix (some
 * Q_ii <= 0, or C not positive semi-definite). scratch: NV x NV for the Cholesky factor.
 */
export function stateValidity(u: usize, divergenceBound: f64, scratch: usize): i32 {
  let maxDiag: f64 = 0;
  for (let i = 0; i < K; i++) {
    const q = f(u, qIndex(i, i));
    if (q > maxDiag) maxDiag = q;
    if (!(q > 0.0)) return 2;
  }
  if (trainedV) {
    // a trained second layer diverges too (v_i^2 against the same bound as Q_ii)
    for (let i = 0; i < K; i++) {
      const v = f(u, DQR + i);
      if (v * v > maxDiag) maxDiag = v * v;
    }
  }
  if (maxDiag > divergenceBound) return 1;
  // Positive semi-definiteness of C. Near perfect learning the smallest eigenvalue of C
  // is second order in the distance to the fixed point, so integration error of ~1e-10
  // in the state makes C indefinite at ~1e-10 without anything being wrong: only a
  // gross violation (a pivot below -1e-7 of the largest variance) is an invalid state.
  buildCovariance(u);
  const CH = scratch;
  let scale: f64 = 0;
  for (let i = 0; i < NV; i++) scale = Math.max(scale, f(C_PTR, i * NV + i));
  const tol = INVALID_PIVOT * scale;
  for (let j = 0; j < NV; j++) {
    let d = f(C_PTR, j * NV + j);
    for (let k = 0; k < j; k++) d -= f(CH, j * NV + k) * f(CH, j * NV + k);
    if (d < -tol) return 2;
    const ljj = d > tol ? Math.sqrt(d) : 0.0;
    setf(CH, j * NV + j, ljj);
    for (let i = j + 1; i < NV; i++) {
      let s = f(C_PTR, i * NV + j);
      for (let k = 0; k < j; k++) s -= f(CH, i * NV + k) * f(CH, j * NV + k);
      setf(CH, i * NV + j, ljj > 0 ? s / ljj : 0.0);
    }
  }
  return 0;
}
