// Averages of piecewise-linear units (relu, leakyRelu, abs, linear) by linearity, exact:
// g = (1 - a) relu + a z and g' = (1 - a) theta + a (a = 0 relu, the slope, -1 abs, 1 linear),
// so every average is a combination of ReLU averages (relu.ts, with its asin table) and a few
// truncated moments with linear factors, each by Stein's lemma E[z_e h] = sum_j C_ej E[d_j h]
// (docs/theory.md sections 2.1, 10):
//   E[theta_a z_b z_c] = C_bc / 2,   E[z_b relu_c] = C_bc / 2,   E[theta_a z_e relu_c] = reluI3(a, e, c),
//   N2 = E[theta_a theta_b z_c z_e] = sum_{j in a, b} C_cj phi_j(0) B_{k e | j} / sqrt(2 pi B_{kk | j}) + C_ce P2(a, b),
//   N1 = E[theta_a theta_b relu_c z_e] = sum_{j in a, b} C_ej phi_j(0) E[theta_k relu_c | z_j = 0] + C_ec P3(a, b, c),
// with k the other theta variable, B_{.|j} the covariance given z_j = 0, phi_j(0) = (2 pi C_jj)^-1/2,
// E[theta(u) relu(v)] = (sqrt(B_vv) + B_uv / sqrt(B_uu)) / (2 sqrt(2 pi)). A degenerate node (a
// vanishing conditional variance of two distinct variables) returns NaN: the caller expands terms.
import { reluI2, reluI3, reluI4 } from "./relu";
import { orthant2Cov, orthant3Cov } from "./orthant";
import { conditionalCovariance } from "./compensated";
import { INV_SQRT_2PI, TWO_PI } from "./constants";

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}
const INV_2_SQRT_2PI: f64 = 0.19947114020071635; // 1 / (2 sqrt(2 pi))

/** Covariance of (x, y) given z_j = 0 (compensated, as the ReLU recursion does it). */
@inline function given(C: usize, ld: i32, x: i32, y: i32, j: i32): f64 {
  const jj = cget(C, ld, j, j), xj = cget(C, ld, x, j);
  return conditionalCovariance(cget(C, ld, x, y), xj, cget(C, ld, j, y), jj, xj / jj);
}

/** E[theta_a theta_b z_c z_e], a != b; NaN if degenerate. */
function thetaThetaLinLin(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b);
  if (!(aa > 0.0) || !(bb > 0.0)) return 0.0; // theta(0) = 0
  const bbA = given(C, ld, b, b, a), aaB = given(C, ld, a, a, b);
  if (!(bbA > 1e-300) || !(aaB > 1e-300)) return NaN;
  const beA = given(C, ld, b, e, a), aeB = given(C, ld, a, e, b);
  return cget(C, ld, c, a) * beA / (TWO_PI * Math.sqrt(aa * bbA)) +
    cget(C, ld, c, b) * aeB / (TWO_PI * Math.sqrt(bb * aaB)) +
    cget(C, ld, c, e) * orthant2Cov(aa, cget(C, ld, a, b), bb);
}

/** E[theta_a theta_b relu_c z_e], a != b; NaN if degenerate. */
function thetaThetaReluLin(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32): f64 {
  const aa = cget(C, ld, a, a), bb = cget(C, ld, b, b), cc = cget(C, ld, c, c);
  if (!(aa > 0.0) || !(bb > 0.0) || !(cc > 0.0)) return 0.0;
  const bbA = given(C, ld, b, b, a), aaB = given(C, ld, a, a, b);
  if (!(bbA > 1e-300) || !(aaB > 1e-300)) return NaN;
  // E[theta(w_b) relu(w_c) | z_a = 0] and the same with a, b exchanged
  const ccA = given(C, ld, c, c, a), bcA = given(C, ld, b, c, a);
  const ccB = given(C, ld, c, c, b), acB = given(C, ld, a, c, b);
  const tA = (Math.sqrt(ccA > 0.0 ? ccA : 0.0) + bcA / Math.sqrt(bbA)) * INV_2_SQRT_2PI;
  const tB = (Math.sqrt(ccB > 0.0 ? ccB : 0.0) + acB / Math.sqrt(aaB)) * INV_2_SQRT_2PI;
  const p3 = orthant3Cov(aa, cget(C, ld, a, b), cget(C, ld, a, c), bb, cget(C, ld, b, c), cc);
  return cget(C, ld, e, a) * INV_SQRT_2PI / Math.sqrt(aa) * tA +
    cget(C, ld, e, b) * INV_SQRT_2PI / Math.sqrt(bb) * tB +
    cget(C, ld, e, c) * p3;
}

/**
 * E[g'(z_a) g'(z_b) f_c(z_c) f_e(z_e)] with g' = (1 - s) theta + s, f_c = (1 - sc) relu + sc z,
 * f_e = (1 - se) relu + se z; NaN if a node is degenerate (then the caller expands the terms).
 */
export function piecewiseLinearI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32, s: f64, sc: f64, se: f64): f64 {
  const bs = 1.0 - s, bc = 1.0 - sc, be = 1.0 - se;
  const cce = cget(C, ld, c, e);
  // g'_a g'_b = bs^2 theta_a theta_b + s bs (theta_a + theta_b) + s^2; for a == b theta^2 = theta
  const tt = a == b ? 0.0 : bs * bs; // weight of theta_a theta_b
  const ta = a == b ? bs * bs + 2.0 * s * bs : s * bs; // weight of theta_a
  const tb = a == b ? 0.0 : s * bs; // weight of theta_b
  const one = s * s;
  let total: f64 = 0;
  // relu_c relu_e
  const rr = bc * be;
  if (rr != 0.0) {
    if (tt != 0.0) total += tt * rr * reluI4(C, ld, a, b, c, e);
    if (ta != 0.0) total += ta * rr * reluI4(C, ld, a, a, c, e);
    if (tb != 0.0) total += tb * rr * reluI4(C, ld, b, b, c, e);
    if (one != 0.0) total += one * rr * reluI2(C, ld, c, e);
  }
  // relu_c z_e and z_c relu_e
  const rz = bc * se, zr = sc * be;
  if (rz != 0.0) {
    if (tt != 0.0) {
      const v = thetaThetaReluLin(C, ld, a, b, c, e);
      if (v != v) return NaN;
      total += tt * rz * v;
    }
    if (ta != 0.0) total += ta * rz * reluI3(C, ld, a, e, c);
    if (tb != 0.0) total += tb * rz * reluI3(C, ld, b, e, c);
    if (one != 0.0) total += one * rz * 0.5 * cce;
  }
  if (zr != 0.0) {
    if (tt != 0.0) {
      const v = thetaThetaReluLin(C, ld, a, b, e, c);
      if (v != v) return NaN;
      total += tt * zr * v;
    }
    if (ta != 0.0) total += ta * zr * reluI3(C, ld, a, c, e);
    if (tb != 0.0) total += tb * zr * reluI3(C, ld, b, c, e);
    if (one != 0.0) total += one * zr * 0.5 * cce;
  }
  // z_c z_e: E[theta z_c z_e] = C_ce / 2
  const zz = sc * se;
  if (zz != 0.0) {
    if (tt != 0.0) {
      const v = thetaThetaLinLin(C, ld, a, b, c, e);
      if (v != v) return NaN;
      total += tt * zz * v;
    }
    total += (ta + tb) * zz * 0.5 * cce + one * zz * cce;
  }
  return total;
}

/** E[f_a(z_a) f_b(z_b)], f = (1 - s) relu + s z. */
export function piecewiseLinearI2(C: usize, ld: i32, a: i32, b: i32, sa: f64, sb: f64): f64 {
  const ba = 1.0 - sa, bb = 1.0 - sb;
  const lin = (ba * sb + sa * bb) * 0.5 + sa * sb;
  const relu = ba * bb != 0.0 ? ba * bb * reluI2(C, ld, a, b) : 0.0;
  return relu + lin * cget(C, ld, a, b);
}

/** E[g'(z_a) z_b f_c(z_c)]. */
export function piecewiseLinearI3(C: usize, ld: i32, a: i32, b: i32, c: i32, s: f64, sc: f64): f64 {
  const bs = 1.0 - s, bc = 1.0 - sc;
  const lin = (bs * sc + s * bc) * 0.5 + s * sc;
  const relu = bs * bc != 0.0 ? bs * bc * reluI3(C, ld, a, b, c) : 0.0;
  return relu + lin * cget(C, ld, b, c);
}

/** E[g'(z_a) g'(z_b)], g' = (1 - s) theta + s. */
export function piecewiseLinearJ2(C: usize, ld: i32, a: i32, b: i32, s: f64): f64 {
  const bs = 1.0 - s;
  const caa = cget(C, ld, a, a), cbb = cget(C, ld, b, b);
  const both = caa > 0.0 && cbb > 0.0 ? orthant2Cov(caa, cget(C, ld, a, b), cbb) : 0.0;
  return bs * bs * both + s * bs + s * s;
}
