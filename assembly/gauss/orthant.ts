// Orthant probabilities P(z_1 > 0, ..., z_n > 0) for n <= 4 (docs/theory.md sections 2.1, 2.2).
import { TWO_PI, FOUR_PI_SQ, asinClamped } from "./constants";
import { asinOfCovariance } from "./compensated";

/** Kronrod-Gauss difference accepted per unit width of s in each pair integral of P4 (the
 * sum is divided by 4 pi^2; the Kronrod result is far more accurate than this estimate:
 * P4 agrees with independent quadrature to ~1e-15, see test/averages.test.ts). */
let p4Tolerance: f64 = 1e-11;
export function setOrthantTolerance(tol: f64): void {
  p4Tolerance = tol;
}
let p4Panels: i32 = 0;
/** Gauss-Kronrod panels used by the last orthant4 call (diagnostics, benchmarks). */
export function orthantPanels(): i32 {
  return p4Panels;
}
/**
 * Panels of every orthant4 call since the instance started (never reset): the part of a ReLU
 * right-hand side whose cost depends on the state (1 to ~50 panels per call), counted so that
 * the host can charge work budgets by the work actually done.
 */
export let orthantPanelsTotal: f64 = 0;

@inline function corr(A: usize, ld: i32, i: i32, j: i32): f64 {
  const aij = load<f64>(A + (<usize>(i * ld + j) << 3));
  const aii = load<f64>(A + (<usize>(i * ld + i) << 3));
  const ajj = load<f64>(A + (<usize>(j * ld + j) << 3));
  return aij / Math.sqrt(aii * ajj);
}

export function orthant2(r: f64): f64 {
  return 0.25 + asinClamped(r) / TWO_PI;
}

export function orthant3(r12: f64, r13: f64, r23: f64): f64 {
  return 0.125 + (asinClamped(r12) + asinClamped(r13) + asinClamped(r23)) / (2.0 * TWO_PI);
}

/** P(z_1 > 0, z_2 > 0) from the covariance entries (accurate as |r| -> 1). */
export function orthant2Cov(a11: f64, a12: f64, a22: f64): f64 {
  return 0.25 + asinOfCovariance(a11, a12, a22) / TWO_PI;
}

/** P(z_1 > 0, z_2 > 0, z_3 > 0) from the covariance entries (accurate as |r| -> 1). */
export function orthant3Cov(a11: f64, a12: f64, a13: f64, a22: f64, a23: f64, a33: f64): f64 {
  return 0.125 + (asinOfCovariance(a11, a12, a22) + asinOfCovariance(a11, a13, a33) + asinOfCovariance(a22, a23, a33)) / (2.0 * TWO_PI);
}

// Scratch for the six correlations of P4.
const RC: usize = memory.data(6 * 8, 8);

/**
 * P4 by Plackett's identity along R(t) = I + t (R - I), with the substitution
 * theta = asin(t r_ij) per pair, which absorbs the 1/sqrt(1 - t^2 r_ij^2) endpoint
 * singularity and splits off the elementary part sum asin(r_ij) / (8 pi):
 *   P4 = 1/16 + sum_ij asin(r_ij)/(8 pi)
 *        + 1/(4 pi^2) sum_ij int_0^{asin r_ij} asin(rho_kl|ij(sin(theta)/r_ij)) dtheta.
 */
export function orthant4(A: usize, ld: i32): f64 {
  // pair order: 01 02 03 12 13 23
  store<f64>(RC, corr(A, ld, 0, 1));
  store<f64>(RC + 8, corr(A, ld, 0, 2));
  store<f64>(RC + 16, corr(A, ld, 0, 3));
  store<f64>(RC + 24, corr(A, ld, 1, 2));
  store<f64>(RC + 32, corr(A, ld, 1, 3));
  store<f64>(RC + 40, corr(A, ld, 2, 3));
  p4Panels = 0;
  let elementary: f64 = 0;
  let integral: f64 = 0;
  for (let p = 0; p < 6; p++) {
    // (i, j) is pair p; (k, l) its complement
    let i = 0, j = 1, k = 2, l = 3;
    if (p == 1) { i = 0; j = 2; k = 1; l = 3; }
    else if (p == 2) { i = 0; j = 3; k = 1; l = 2; }
    else if (p == 3) { i = 1; j = 2; k = 0; l = 3; }
    else if (p == 4) { i = 1; j = 3; k = 0; l = 2; }
    else if (p == 5) { i = 2; j = 3; k = 0; l = 1; }
    const rij = load<f64>(RC + (<usize>p << 3));
    if (rij == 0.0) continue;
    const T = asinClamped(rij);
    elementary += T;
    pRij = rij; pGap = 1.0 - Math.abs(rij); pRki = rcorr(k, i); pRkj = rcorr(k, j); pRli = rcorr(l, i); pRlj = rcorr(l, j); pRkl = rcorr(k, l);
    integral += adaptiveKronrod();
  }
  return 0.0625 + elementary / (4.0 * TWO_PI) + integral / FOUR_PI_SQ;
}

@inline function rcorr(a: i32, b: i32): f64 {
  // index of pair (min, max) in the order 01 02 03 12 13 23
  const x = a < b ? a : b;
  const y = a < b ? b : a;
  let idx = 0;
  if (x == 0) idx = y - 1;
  else if (x == 1) idx = y + 1;
  else idx = 5;
  return load<f64>(RC + (<usize>idx << 3));
}

// The pair integrand in s, t = 1 - s^2 (t: position on Plackett's path R(t) = I + t (R - I)):
//   d theta = r_ij dt / sqrt(1 - t^2 r_ij^2) = 2 s r_ij ds / sqrt(1 - t^2 r_ij^2),
// times asin of the partial correlation of (k, l) given (i, j) on the path. The square-root
// singularities at t = 1 (nearly singular R, or |r_ij| -> 1) become smooth in s, and
// 1 - t |r_ij| = s^2 + t (1 - |r_ij|) is formed without cancellation. No trigonometry.
let pRij: f64 = 0, pGap: f64 = 0, pRki: f64 = 0, pRkj: f64 = 0, pRli: f64 = 0, pRlj: f64 = 0, pRkl: f64 = 0;

function pairIntegrand(s: f64): f64 {
  const s2 = s * s;
  const t = 1.0 - s2;
  const a = t * pRij;
  const oneMinusA2 = (s2 + t * pGap) * (1.0 + t * Math.abs(pRij));
  const uk1 = t * pRki, uk2 = t * pRkj, ul1 = t * pRli, ul2 = t * pRlj;
  // conditional 2x2 covariance of (k, l) given (i, j), times (1 - a^2)
  const skl = oneMinusA2 * t * pRkl - (uk1 * ul1 - a * (uk1 * ul2 + uk2 * ul1) + uk2 * ul2);
  const skk = oneMinusA2 - (uk1 * uk1 - 2.0 * a * uk1 * uk2 + uk2 * uk2);
  const sll = oneMinusA2 - (ul1 * ul1 - 2.0 * a * ul1 * ul2 + ul2 * ul2);
  const den = Math.sqrt(skk * sll);
  const w = 2.0 * s * pRij / Math.sqrt(oneMinusA2);
  return w * asinClamped(den > 0 ? skl / den : 0);
}

// Gauss-Kronrod 7/15 (QUADPACK qk15): Kronrod abscissae on [-1, 1], descending, and weights.
const XGK: StaticArray<f64> = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0];
const WGK: StaticArray<f64> = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714];
const WG: StaticArray<f64> = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

let gkError: f64 = 0;

function kronrod15(a: f64, b: f64): f64 {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  const fc = pairIntegrand(c);
  let resk = fc * unchecked(WGK[7]);
  let resg = fc * unchecked(WG[3]);
  for (let j = 0; j < 7; j++) {
    const x = h * unchecked(XGK[j]);
    const f = pairIntegrand(c - x) + pairIntegrand(c + x);
    resk += unchecked(WGK[j]) * f;
    if (j & 1) resg += unchecked(WG[j >> 1]) * f;
  }
  gkError = Math.abs((resk - resg) * h);
  return resk * h;
}

// Interval stack of the adaptive rule (depth-first bisection; no allocation).
const STACK_MAX: i32 = 64;
const STACK: usize = memory.data(STACK_MAX * 2 * 8, 8);
const PANEL_BUDGET: i32 = 300;
// Panels narrower than this (in s) are accepted as they are: below it the estimate is
// dominated by rounding of the conditional correlation of nearly singular matrices.
const MIN_WIDTH: f64 = 1e-6;

/**
 * int_0^1 pairIntegrand(s) ds by adaptive Gauss-Kronrod 7/15: a panel is
 * accepted when its Kronrod-Gauss difference is below tol * width (s in [0, 1]).
 */
function adaptiveKronrod(): f64 {
  store<f64>(STACK, 0.0);
  store<f64>(STACK + 8, 1.0);
  let sp = 1;
  let sum: f64 = 0;
  const budget = p4Panels + PANEL_BUDGET;
  while (sp > 0) {
    sp--;
    const a = load<f64>(STACK + (<usize>sp << 4));
    const b = load<f64>(STACK + (<usize>sp << 4) + 8);
    const v = kronrod15(a, b);
    p4Panels++;
    orthantPanelsTotal += 1.0;
    const width = b - a;
    // NaN-safe acceptance; the panel budget bounds the work on pathological input
    if (!(gkError > p4Tolerance * width) || width < MIN_WIDTH || sp >= STACK_MAX - 2 || p4Panels >= budget) {
      sum += v;
    } else {
      const m = 0.5 * (a + b);
      store<f64>(STACK + (<usize>sp << 4), a);
      store<f64>(STACK + (<usize>sp << 4) + 8, m);
      sp++;
      store<f64>(STACK + (<usize>sp << 4), m);
      store<f64>(STACK + (<usize>sp << 4) + 8, b);
      sp++;
    }
  }
  return sum;
}
