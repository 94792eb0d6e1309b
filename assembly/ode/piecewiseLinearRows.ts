// The averages of the full right-hand side (model.ts) when every unit is piecewise linear (relu,
// leakyRelu, abs, linear; docs/theory.md section 10.1), with the sums over (c, e) taken inside the
// averages instead of average by average. With f_c = (1 - a_c) relu + a_c z (a_c the slope of c's
// side) the error signal splits into a ReLU part and one Gaussian variable,
//   delta = sum_c s_c f_c(z_c) = delta_R + L,  delta_R = sum_c s_c (1 - a_c) relu(z_c),  L = sum_c s_c a_c z_c,
// with Cov(L, z_j) = sum_c s_c a_c C_cj and Var L = C_LL. The student's g' = (1 - a) theta + a makes
// sum_{c,e} s_c s_e I4(i, k, c, e) = E[g'_i g'_k delta^2] a combination of
//   E[theta_i theta_k delta^2], E[theta_i delta^2] (one per student, shared by every pair) and E[delta^2],
// each the ReLU sum of relu.ts (the ReLU ODE's own averages) plus what L adds:
//   E[theta_i theta_k relu_c L] = C_Li X_ik,c + C_Lk X_ki,c + C_Lc P3(i, k, c)   (one per (i, k, c), not per (i, k, c, e)),
//   E[theta_i theta_k L^2]  (Stein twice, as piecewiseLinearAverages.ts thetaThetaLinLin),
//   E[theta_i relu_c L] = C_Li D_ic + C_Lc P_ic,  E[theta_i L^2] = C_LL / 2,  E[relu_c L] = C_Lc / 2,
// with D_ic = E[delta(z_i) relu(z_c)] = sqrt(C_cc|i) / (2 pi sqrt(C_ii)) and P_ic = E[theta_i theta_c]
// (asins from the table rhs() keeps). By the same Stein step every I3 is
//   E[theta_i z_b relu_c] = C_bi D_ic + C_bc P_ic,
// so sum_c s_c I3(i, b, c) costs O(NV) per entry. Equal to the per-average loops to rounding
// (test/exactRows.test.ts); a degenerate pair (i, k) (perfectly correlated students) returns NaN
// and model.ts sums that pair average by average, as before.
import { ACT_ABS, ACT_LINEAR, ACT_RELU } from "../activations";
import { activationCode, activationSlope } from "../gauss/activationFunctions";
import { conditionalCovariance } from "../gauss/compensated";
import { INV_SQRT_2PI, TWO_PI } from "../gauss/constants";
import { orthant2Cov, orthant3Cov } from "../gauss/orthant";
import { reluI2, reluI4 } from "../gauss/relu";

const INV_2_SQRT_2PI: f64 = 0.19947114020071635; // 1 / (2 sqrt(2 pi))

let nv: i32 = 0, nk: i32 = 0;
let CC: usize = 0, ASIN: usize = 0;
let CL: usize = 0, DT: usize = 0, PT: usize = 0, W: usize = 0, THETA: usize = 0;
let cLL: f64 = 0, deltaSquare: f64 = 0;
// slopes: student a (g' = bs theta + a), teacher side at
let slope0: f64 = 0, slope1: f64 = 0;

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function cov(i: i32, j: i32): f64 {
  return load<f64>(CC + (<usize>(i * nv + j) << 3));
}
// @ts-ignore: decorator
@inline function slopeOfVariable(c: i32): f64 {
  return c < nk ? slope0 : slope1;
}

/** a with g = (1 - a) relu + a z: 0 relu, the slope, -1 abs, 1 linear. */
function slopeOf(side: i32): f64 {
  const code = activationCode(side);
  if (code == ACT_RELU) return 0.0;
  if (code == ACT_LINEAR) return 1.0;
  if (code == ACT_ABS) return -1.0;
  return activationSlope(side);
}

/** Doubles of scratch beside the ReLU asin table (model.ts's rows region). */
export function piecewiseLinearRowsDoubles(K: i32, NV: i32): i32 {
  return 2 * NV + 2 * K * NV + K;
}

/** asin of the correlation of (i, c) from the ReLU table (i != c). */
// @ts-ignore: decorator
@inline function tableAsin(i: i32, c: i32): f64 {
  return load<f64>(ASIN + (<usize>(i * nv + c) << 3));
}

/**
 * Tables of covariance C (NV x NV, its ReLU asin table at asinTable filled by reluTableBegin) and
 * signed output weights S; scratch in rows (piecewiseLinearRowsDoubles). Valid until the next call.
 */
export function piecewiseLinearRowsBegin(C: usize, NV: i32, K: i32, S: usize, asinTable: usize, rows: usize): void {
  nv = NV;
  nk = K;
  CC = C;
  ASIN = asinTable;
  slope0 = slopeOf(0);
  slope1 = slopeOf(1);
  CL = rows;
  W = CL + (<usize>NV << 3);
  DT = W + (<usize>NV << 3);
  PT = DT + (<usize>(K * NV) << 3);
  THETA = PT + (<usize>(K * NV) << 3);
  // Cov(L, z_j) and Var L
  for (let j = 0; j < NV; j++) {
    let s: f64 = 0;
    for (let c = 0; c < NV; c++) s += at(S, c) * slopeOfVariable(c) * cov(c, j);
    put(CL, j, s);
  }
  cLL = 0;
  for (let j = 0; j < NV; j++) cLL += at(S, j) * slopeOfVariable(j) * at(CL, j);
  // D_ic = E[delta(z_i) relu(z_c)], P_ic = E[theta_i theta_c] (reluI3's Stein step)
  for (let i = 0; i < K; i++) {
    const aa = cov(i, i);
    for (let c = 0; c < NV; c++) {
      let d: f64 = 0, p: f64 = 0;
      const cc = cov(c, c);
      if (aa > 0.0 && cc > 0.0) {
        if (c == i) p = 0.5;
        else {
          const ac = cov(i, c);
          const v = conditionalCovariance(cc, ac, ac, aa, ac / aa);
          d = Math.sqrt(v > 0 ? v : 0) / (TWO_PI * Math.sqrt(aa));
          p = 0.25 + tableAsin(i, c) / TWO_PI;
        }
      }
      put(DT, i * NV + c, d);
      put(PT, i * NV + c, p);
    }
  }
  // E[delta^2] = sum s_c s_e (1 - a_c)(1 - a_e) reluI2(c, e) + 2 sum s_c (1 - a_c) E[relu_c L] + C_LL
  let rr: f64 = 0, rl: f64 = 0;
  for (let c = 0; c < NV; c++) {
    const wc = at(S, c) * (1.0 - slopeOfVariable(c));
    if (wc == 0.0) continue;
    rr += wc * wc * reluI2(C, NV, c, c);
    for (let e = c + 1; e < NV; e++) {
      const we = at(S, e) * (1.0 - slopeOfVariable(e));
      if (we != 0.0) rr += 2.0 * wc * we * reluI2(C, NV, c, e);
    }
    if (cov(c, c) > 0.0) rl += wc * 0.5 * at(CL, c);
  }
  deltaSquare = rr + 2.0 * rl + cLL;
  // E[theta_i delta^2], wanted when g' has a step (a != 1)
  for (let i = 0; i < K; i++) put(THETA, i, slope0 != 1.0 ? thetaDeltaSquare(i, S) : 0.0);
}

/** sum_{c, e} s_c (1 - a_c) s_e (1 - a_e) reluI4(i, k, c, e), in model.ts's order. */
function reluSum(i: i32, k: i32, S: usize): f64 {
  let s: f64 = 0;
  for (let c = 0; c < nv; c++) {
    const wc = at(S, c) * (1.0 - slopeOfVariable(c));
    if (wc == 0.0) continue;
    s += wc * wc * reluI4(CC, nv, i, k, c, c);
    for (let e = c + 1; e < nv; e++) {
      const we = at(S, e) * (1.0 - slopeOfVariable(e));
      if (we != 0.0) s += 2.0 * wc * we * reluI4(CC, nv, i, k, c, e);
    }
  }
  return s;
}

/** E[theta_i delta^2]. */
function thetaDeltaSquare(i: i32, S: usize): f64 {
  if (!(cov(i, i) > 0.0)) return 0.0;
  let rl: f64 = 0;
  const cli = at(CL, i);
  for (let c = 0; c < nv; c++) {
    const wc = at(S, c) * (1.0 - slopeOfVariable(c));
    if (wc != 0.0) rl += wc * (cli * at(DT, i * nv + c) + at(CL, c) * at(PT, i * nv + c));
  }
  return reluSum(i, i, S) + 2.0 * rl + 0.5 * cLL;
}

/** E[theta_a theta_b delta^2], a != b; NaN if the pair is degenerate. */
function thetaThetaDeltaSquare(a: i32, b: i32, S: usize): f64 {
  const aa = cov(a, a), bb = cov(b, b);
  if (!(aa > 0.0) || !(bb > 0.0)) return 0.0; // theta(0) = 0
  const ab = cov(a, b);
  // covariances given z_a = 0 and given z_b = 0 (piecewiseLinearAverages.ts's given())
  const ra = ab / aa, rb = ab / bb;
  const bbA = conditionalCovariance(bb, ab, ab, aa, ra), aaB = conditionalCovariance(aa, ab, ab, bb, rb);
  if (!(bbA > 1e-300) || !(aaB > 1e-300)) return NaN;
  const sbbA = Math.sqrt(bbA), saaB = Math.sqrt(aaB);
  const phiA = INV_SQRT_2PI / Math.sqrt(aa), phiB = INV_SQRT_2PI / Math.sqrt(bb);
  const cla = at(CL, a), clb = at(CL, b);
  // sum_c s_c (1 - a_c) E[theta_a theta_b relu_c L]
  let rl: f64 = 0;
  for (let c = 0; c < nv; c++) {
    const wc = at(S, c) * (1.0 - slopeOfVariable(c));
    if (wc == 0.0) continue;
    const cc = cov(c, c);
    if (!(cc > 0.0)) continue;
    const ac = cov(a, c), bc = cov(b, c);
    // E[theta(w_b) relu(w_c) | z_a = 0] and the same with a, b exchanged
    const ccA = conditionalCovariance(cc, ac, ac, aa, ac / aa), bcA = conditionalCovariance(bc, ab, ac, aa, ra);
    const ccB = conditionalCovariance(cc, bc, bc, bb, bc / bb), acB = conditionalCovariance(ac, ab, bc, bb, rb);
    const tA = (Math.sqrt(ccA > 0.0 ? ccA : 0.0) + bcA / sbbA) * INV_2_SQRT_2PI;
    const tB = (Math.sqrt(ccB > 0.0 ? ccB : 0.0) + acB / saaB) * INV_2_SQRT_2PI;
    const p3 = c == a || c == b ? orthant3Cov(aa, ab, ac, bb, bc, cc) : 0.125 + (tableAsin(a, b) + tableAsin(a, c) + tableAsin(b, c)) / (2.0 * TWO_PI);
    rl += wc * (cla * phiA * tA + clb * phiB * tB + at(CL, c) * p3);
  }
  // E[theta_a theta_b L^2]: Cov(z_b, L | z_a = 0) and Cov(z_a, L | z_b = 0)
  const bLA = conditionalCovariance(clb, ab, cla, aa, ra), aLB = conditionalCovariance(cla, ab, clb, bb, rb);
  const ll = cla * bLA / (TWO_PI * Math.sqrt(aa * bbA)) + clb * aLB / (TWO_PI * Math.sqrt(bb * aaB)) + cLL * orthant2Cov(aa, ab, bb);
  return reluSum(a, b, S) + 2.0 * rl + ll;
}

/**
 * J3[i NV + b] = sum_c s_c I3(i, b, c), i < K, b < NV, I3 = E[g'_i z_b f_c] =
 * bs (1 - a_c) E[theta_i z_b relu_c] + lin_c C_bc, lin_c = (bs a_c + a (1 - a_c)) / 2 + a a_c.
 */
export function piecewiseLinearJ3(S: usize, J3: usize): void {
  const a = slope0, bs = 1.0 - a;
  for (let i = 0; i < nk; i++) {
    let d: f64 = 0;
    for (let c = 0; c < nv; c++) {
      const ac = slopeOfVariable(c), bc = 1.0 - ac;
      const lin = (bs * ac + a * bc) * 0.5 + a * ac;
      const sc = at(S, c);
      d += sc * bc * at(DT, i * nv + c);
      put(W, c, sc * (bs * bc * at(PT, i * nv + c) + lin));
    }
    for (let b = 0; b < nv; b++) {
      let s: f64 = 0;
      for (let c = 0; c < nv; c++) s += cov(b, c) * at(W, c);
      put(J3, i * nv + b, bs * cov(b, i) * d + s);
    }
  }
}

/** sum_{c, e} s_c s_e I4(i, k, c, e) = E[g'_i g'_k delta^2], i <= k < K; NaN if (i, k) is degenerate. */
export function piecewiseLinearS4(i: i32, k: i32, S: usize): f64 {
  const a = slope0, bs = 1.0 - a;
  // g'_i g'_k = bs^2 theta_i theta_k + a bs (theta_i + theta_k) + a^2; theta^2 = theta
  if (i == k) return (bs * bs + 2.0 * a * bs) * at(THETA, i) + a * a * deltaSquare;
  const both = bs != 0.0 ? thetaThetaDeltaSquare(i, k, S) : 0.0;
  if (both != both) return NaN;
  return bs * bs * both + a * bs * (at(THETA, i) + at(THETA, k)) + a * a * deltaSquare;
}
