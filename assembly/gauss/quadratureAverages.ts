// Gaussian averages of products of activation factors by nested quadrature, for the
// activations whose averages have no closed form (tanh, sigmoid, silu, softplus) and for any
// product containing one of them (docs/theory.md section 10).
//
//  - The distinct variables z (at most four) are written z = L u, u ~ N(0, I_r), by a
//    pivoted Cholesky factorisation that detects the rank r: a repeated variable, or one
//    perfectly correlated with others, gets no coordinate of its own (docs/theory.md 2.5).
//    Variables with a kink (relu, leakyRelu, abs and their steps) are pivoted first.
//  - The z_b of I3 that no other factor shares is regressed on the coordinates u (exact:
//    the residual is independent of everything else), so I3 needs no third dimension.
//  - The integral over u is iterated, one coordinate per level. A level whose integrand is
//    smooth uses the trapezoidal rule on the real line, which converges geometrically for
//    integrands analytic in a strip: with the nearest singularity of the level's functions
//    at distance tau (in u) and the Gaussian's growth exp(d^2 / 2) at distance d in the
//    strip, the error is ~ exp(d^2/2 - 2 pi d / h); h follows from d = min(0.7 tau, ...).
//    A level where some factor has a kink or a step (at z_v = 0, a known point given the
//    outer coordinates) is split there and each piece uses Gauss-Legendre, the order
//    following from the Bernstein ellipse of the piece.
//  - Each node of a kink-free level forms the tanh-family functions of the rows ending there from
//    e = exp(m) exp(l u_j) (exp(l u_j) tabulated per average, exp(m) per visit): one division per
//    row and node; the innermost tanh row does two nodes per step in the lanes of a v128.
//  - Products bounded by 1 skip the nodes outside a ball of Gaussian mass 1e-3 eps (ballRadius2).
//  - The node counts are set for a tolerance eps (setQuadratureTolerance); the rules'
//    constants were calibrated on one-dimensional averages of the worst products (up to six
//    poles at the same point, e.g. tanh^2 sech^4) against 40-digit quadrature, and the
//    multi-dimensional results are tested against an independent reference
//    (test/reference) and Monte Carlo.
import { PIECE_DERIVATIVE, PIECE_VALUE, PIECE_Z } from "./productAverages";
import { ACT_SIGMOID, ACT_SILU, ACT_SOFTPLUS, ACT_TANH } from "../activations";
import { activationCode, activationPiece, analyticStrip, gaussianGrowth, growthDegree, hasBreakAtZero, poleOrder, vanishesBelowZero } from "./activationFunctions";
import { glRuleNodes, glRuleWeights, GLT_MAX } from "./gaussLegendreTable";
import { ghRuleNodes, ghRuleWeights, GHT_MAX } from "./gaussHermiteTable";
import { isPolynomial } from "./activationFunctions";
import { ACT_LINEAR } from "../activations";

const INV_SQRT_2PI: f64 = 0.3989422804014327;
const TWO_PI: f64 = 2.0 * Math.PI;
/** Rows: up to four variables plus the regressed z_b of I3. */
const MAX_ROWS: i32 = 5;
const MAX_FACTORS: i32 = 4;
const MAX_TRAPEZOID: i32 = 801;

// Default: eps = 5e-10. The calibration's worst one-dimensional case (tanh^2 sech^4) came out
// within 0.32 eps, typical multi-dimensional averages within 1e-3 eps (test/reference).
let logInvEps: f64 = Math.log(2e9);
let tolerance: f64 = 5e-10;
/** Sets eps of the node counts (default 5e-10). */
export function setQuadratureTolerance(eps: f64): void {
  tolerance = eps;
  logInvEps = Math.log(1.0 / eps);
}
export function quadratureTolerance(): f64 {
  return tolerance;
}

// Diagnostics since the last reset: calls, and the largest number of integrand evaluations.
export let quadratureCalls: i32 = 0;
export let quadratureMaxNodes: f64 = 0;
export let quadratureNodes: f64 = 0;
export function resetQuadratureStats(): void {
  quadratureCalls = 0;
  quadratureMaxNodes = 0;
  quadratureNodes = 0;
}

// ---- the product being integrated
const FVAR: usize = memory.data(MAX_FACTORS * 4, 4);
const FSIDE: usize = memory.data(MAX_FACTORS * 4, 4);
const FPIECE: usize = memory.data(MAX_FACTORS * 4, 4);
let nf: i32 = 0;

export function quadratureBegin(): void {
  nf = 0;
}
/** Appends the factor (side's g or g', or z: PIECE_Z) of variable v of the caller's covariance. */
export function quadratureFactor(v: i32, side: i32, piece: i32): void {
  store<i32>(FVAR + (<usize>nf << 2), v);
  store<i32>(FSIDE + (<usize>nf << 2), side);
  store<i32>(FPIECE + (<usize>nf << 2), piece);
  nf++;
}

// ---- rows (variables), their factors, the factorisation
const ROWVAR: usize = memory.data(MAX_ROWS * 4, 4); // variable of the caller's covariance
const ROWNF: usize = memory.data(MAX_ROWS * 4, 4); // number of factors on the row
const ROWF: usize = memory.data(MAX_ROWS * MAX_FACTORS * 4, 4); // factor indices
const L: usize = memory.data(MAX_ROWS * 4 * 8, 8); // row p, column k at (p * 4 + k)
const LAST: usize = memory.data(MAX_ROWS * 4, 4); // last column with a nonzero entry (-1: constant)
const KINK: usize = memory.data(MAX_ROWS * 4, 4); // 0 smooth, 1 break at 0, 2 vanishes below 0 (and may break)
const RESID: usize = memory.data(MAX_ROWS * 8, 8);
const PIVOTED: usize = memory.data(MAX_ROWS * 4, 4);
const PIVOT_ROW: usize = memory.data(4 * 4, 4);
let nRows: i32 = 0;
let rank: i32 = 0;
let firstZRow: i32 = MAX_ROWS; // rows from here on are lone z_b's, regressed
const PIVOT: i32 = 1, FROZEN: i32 = 2, REGRESSED: i32 = 3;

// ---- levels: precomputed trapezoid rules (kink-free levels) or per-node Gauss-Legendre pieces
const LEVEL_KINKED: usize = memory.data(4 * 4, 4);
const LEVEL_N: usize = memory.data(4 * 4, 4);
const LEVEL_U: usize = memory.data(4 * 8, 8); // truncation
const LEVEL_D: usize = memory.data(4 * 8, 8); // strip distance used by the Gauss-Legendre pieces
const LEVEL_G: usize = memory.data(4 * 8, 8); // Gaussian growth coefficient G
const LEVEL_C: usize = memory.data(4 * 8, 8); // ln(1/eps) plus margins
const TRAP_NODES: usize = memory.data(4 * MAX_TRAPEZOID * 8, 8);
const TRAP_WEIGHTS: usize = memory.data(4 * MAX_TRAPEZOID * 8, 8);
const PART: usize = memory.data(5 * MAX_ROWS * 8, 8); // partial sums of z per depth
const BREAKS: usize = memory.data(4 * 8 * 8, 8); // split points per depth (at most 6 + 2)

// Innermost level, kink-free: rows whose factors are all built from e = exp(z) (tanh,
// sigmoid, silu, softplus) are evaluated from exp(m) exp(l u_j), exp(l u_j) tabulated once per
// average: one product and one division per node instead of a transcendental function.
const FAST_ROWS: usize = memory.data(MAX_ROWS * 4, 4);
const FAST_EXP: usize = memory.data(MAX_ROWS * MAX_TRAPEZOID * 8, 8);
const ROW_EXP_KIND: usize = memory.data(MAX_ROWS * 4, 4);
const FAST_EM: usize = memory.data(MAX_ROWS * 8, 8);
let nFast: i32 = 0;
let fastInnermost = false;

@inline function ldf(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function stf(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function ldi(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function sti(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
@inline function lget(p: i32, k: i32): f64 { return ldf(L, (p << 2) + k); }
@inline function lset(p: i32, k: i32, v: f64): void { stf(L, (p << 2) + k, v); }
@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 { return load<f64>(C + (<usize>(i * ld + j) << 3)); }

/** The row's function at z: the product of its factors. */
@inline function rowValue(p: i32, z: f64): f64 {
  const n = ldi(ROWNF, p);
  let v: f64 = 1.0;
  for (let t = 0; t < n; t++) {
    const f = ldi(ROWF, p * MAX_FACTORS + t);
    const piece = ldi(FPIECE, f);
    v *= piece == PIECE_Z ? z : activationPiece(ldi(FSIDE, f), piece, z);
  }
  return v;
}

// Relative residual variance below which a variable is a combination of the earlier ones.
const DEPENDENT: f64 = 1e-13;

/** E[product of the factors] over N(0, C) (C with leading dimension ld). */
export function quadratureAverage(C: usize, ld: i32): f64 {
  quadratureCalls++;
  // rows: distinct variables of the non-z factors, then z factors on their own variable
  nRows = 0;
  firstZRow = MAX_ROWS;
  for (let pass = 0; pass < 2; pass++) {
    for (let f = 0; f < nf; f++) {
      const isZ = ldi(FPIECE, f) == PIECE_Z;
      const v = ldi(FVAR, f);
      let p = 0;
      for (; p < nRows; p++) if (ldi(ROWVAR, p) == v) break;
      if (pass == 0 && isZ) continue;
      if (pass == 1 && !isZ) continue;
      if (p == nRows) {
        if (pass == 1 && firstZRow == MAX_ROWS) firstZRow = p;
        sti(ROWVAR, p, v);
        sti(ROWNF, p, 0);
        nRows++;
      }
      const t = ldi(ROWNF, p);
      sti(ROWF, p * MAX_FACTORS + t, f);
      sti(ROWNF, p, t + 1);
    }
  }
  // kinks and zero sides
  for (let p = 0; p < nRows; p++) {
    let kink = 0;
    for (let t = 0; t < ldi(ROWNF, p); t++) {
      const f = ldi(ROWF, p * MAX_FACTORS + t);
      if (ldi(FPIECE, f) == PIECE_Z) continue;
      const code = activationCode(ldi(FSIDE, f));
      if (vanishesBelowZero(code)) kink = 2;
      else if (hasBreakAtZero(code) && kink == 0) kink = 1;
    }
    sti(KINK, p, kink);
  }
  // pivoted Cholesky: kinked rows first, then by residual variance. A row whose residual
  // falls below DEPENDENT times its variance is a combination of the pivots so far and gets
  // no further entries; a lone z_b (REGRESSED) is never a pivot: its residual is independent
  // of every coordinate and drops out of E[z_b h(u)].
  for (let p = 0; p < nRows; p++) {
    const v = ldi(ROWVAR, p);
    stf(RESID, p, cget(C, ld, v, v));
    sti(PIVOTED, p, p >= firstZRow ? REGRESSED : 0);
    for (let k = 0; k < 4; k++) lset(p, k, 0.0);
  }
  rank = 0;
  for (let k = 0; k < 4; k++) {
    let best = -1;
    let bestKinked = false;
    let bestResid: f64 = 0;
    for (let p = 0; p < nRows; p++) {
      if (ldi(PIVOTED, p) != 0) continue;
      const v = ldi(ROWVAR, p);
      const r = ldf(RESID, p);
      if (!(r > DEPENDENT * cget(C, ld, v, v))) { sti(PIVOTED, p, FROZEN); continue; }
      const kinked = ldi(KINK, p) != 0;
      if (best < 0 || (kinked && !bestKinked) || (kinked == bestKinked && r > bestResid)) {
        best = p;
        bestKinked = kinked;
        bestResid = r;
      }
    }
    if (best < 0) break;
    sti(PIVOTED, best, PIVOT);
    sti(PIVOT_ROW, k, best);
    const lkk = Math.sqrt(bestResid);
    lset(best, k, lkk);
    const vb = ldi(ROWVAR, best);
    for (let q = 0; q < nRows; q++) {
      const state = ldi(PIVOTED, q);
      if (state == PIVOT || state == FROZEN) continue;
      let s = cget(C, ld, ldi(ROWVAR, q), vb);
      for (let j = 0; j < k; j++) s -= lget(q, j) * lget(best, j);
      const lqk = s / lkk;
      lset(q, k, lqk);
      stf(RESID, q, ldf(RESID, q) - lqk * lqk);
    }
    rank = k + 1;
  }
  for (let p = 0; p < nRows; p++) {
    let last = -1;
    for (let k = 0; k < rank; k++) if (lget(p, k) != 0.0) last = k;
    sti(LAST, p, last);
  }
  // constant rows (zero variance) multiply the whole integral
  let constant: f64 = 1.0;
  for (let p = 0; p < nRows; p++) if (ldi(LAST, p) < 0) constant *= rowValue(p, 0.0);
  if (constant == 0.0) return 0.0;
  if (rank == 0) return constant;
  // level rules
  for (let k = 0; k < rank; k++) setupLevel(k);
  setupFastInnermost();
  setupFastOuter();
  ballR2 = ballRadius2();
  stf(REM, 0, ballR2);
  for (let p = 0; p < nRows; p++) stf(PART, p, 0.0);
  nodesUsed = 0;
  const value = constant * levelIntegral(0);
  quadratureNodes += nodesUsed;
  if (nodesUsed > quadratureMaxNodes) quadratureMaxNodes = nodesUsed;
  return value;
}
let nodesUsed: f64 = 0;

/** Node rule of level k from the strip width and growth of the functions that depend on u_k. */
/**
 * How close to its singularity the trapezoid may use the strip: kappa tau for a row whose
 * nearest singularity is a pole of this order (the product of the row's factors there). Set
 * on one-dimensional averages against 40-digit quadrature, with c = ln(1/eps) + 5: errors
 * within 0.1 eps (order 1), 0.25 eps (2, 3), 0.6 eps (4 to 6).
 */
@inline function stripFraction(order: i32): f64 {
  if (order <= 1) return 0.95;
  if (order == 2) return 0.9;
  if (order == 3) return 0.85;
  return 0.7;
}

// Gauss-Hermite node counts for eps = 5e-10 (and looser), by the class of the pole order (1, 2,
// 3-4, 5 and more) and the pole's distance tau from the real axis in u: set on one-dimensional
// averages of tanh, sech^2, sech^4, tanh^2 sech^4 against 30-digit quadrature (the first n from
// which the error stays below eps), plus one. Where the functions vary slowly in u (a small
// residual variance, or a nearly singular covariance) these are far fewer than the trapezoid's.
const GH_TAU: StaticArray<f64> = [2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 14.0, 20.0];
const GH_N: StaticArray<i32> = [
  35, 21, 16, 13, 11, 9, 8, 7, 6,
  51, 28, 19, 15, 13, 11, 9, 8, 7,
  66, 35, 24, 18, 15, 12, 11, 9, 8,
  81, 42, 28, 21, 17, 13, 11, 9, 8,
];
const GH_EPS_LOG: f64 = 21.416413017506358; // ln(1 / 5e-10)

/** Gauss-Hermite order for a level whose nearest pole (of this order) is at tau; 0: not usable. */
function ghOrder(tau: f64, order: i32, growth: i32): i32 {
  if (logInvEps > GH_EPS_LOG + 1e-9) return 0; // calibrated for eps >= 5e-10 only
  let n = 0;
  if (tau == Infinity) {
    n = 2;
  } else {
    if (tau < 2.0) return 0;
    const cls = order <= 1 ? 0 : order == 2 ? 1 : order <= 4 ? 2 : 3;
    let i = 0;
    while (i + 1 < 9 && unchecked(GH_TAU[i + 1]) <= tau) i++;
    n = unchecked(GH_N[cls * 9 + i]);
  }
  // polynomial factors: exact up to degree 2 n - 1, one more node per two degrees
  n += (growth + 1) >> 1;
  return n <= GHT_MAX ? n : 0;
}

/** Whether Gauss-Hermite may serve the rows depending on u_k: poles, polynomials and z only. */
function ghAllowed(k: i32): bool {
  for (let p = 0; p < nRows; p++) {
    if (lget(p, k) == 0.0) continue;
    for (let t = 0; t < ldi(ROWNF, p); t++) {
      const f = ldi(ROWF, p * MAX_FACTORS + t);
      if (ldi(FPIECE, f) == PIECE_Z) continue;
      const code = activationCode(ldi(FSIDE, f));
      if (code != ACT_TANH && code != ACT_SIGMOID && code != ACT_SILU && code != ACT_SOFTPLUS && code != ACT_LINEAR && !isPolynomial(code)) return false;
    }
  }
  return true;
}

// per row of a level: distance of its nearest singularity in u_k, and that pole's order
const ROW_DIST: usize = memory.data(MAX_ROWS * 8, 8);
const ROW_ORDER: usize = memory.data(MAX_ROWS * 4, 4);

function setupLevel(k: i32): void {
  let growth = 0;
  let kinked = 0;
  // the integrand grows like exp(G d^2 / 2) at distance d from the real axis: G = 1 from the
  // Gaussian weight, plus l^2 for every erf or gelu factor of a row depending on u_k through l
  let gauss: f64 = 1.0;
  let nearest: f64 = Infinity;
  for (let p = 0; p < nRows; p++) {
    stf(ROW_DIST, p, Infinity);
    sti(ROW_ORDER, p, 0);
    const lpk = Math.abs(lget(p, k));
    if (lpk == 0.0) continue;
    if (ldi(LAST, p) == k && ldi(KINK, p) != 0) kinked = 1;
    let rowStrip: f64 = Infinity;
    let order = 0;
    for (let t = 0; t < ldi(ROWNF, p); t++) {
      const f = ldi(ROWF, p * MAX_FACTORS + t);
      const piece = ldi(FPIECE, f);
      if (piece == PIECE_Z) { growth += 1; continue; }
      const side = ldi(FSIDE, f);
      const code = activationCode(side);
      const strip = analyticStrip(code);
      if (strip < rowStrip) { rowStrip = strip; order = 0; }
      if (strip == rowStrip) order += poleOrder(code, piece == PIECE_DERIVATIVE ? 1 : 0);
      if (gaussianGrowth(code)) gauss += lpk * lpk;
      growth += growthDegree(side, piece);
    }
    const dist = rowStrip / lpk;
    stf(ROW_DIST, p, dist);
    sti(ROW_ORDER, p, order);
    if (dist < nearest) nearest = dist;
  }
  // rows whose singularities lie close together (nearly collinear variables) act as one pole of
  // the summed order
  let order = 0;
  for (let p = 0; p < nRows; p++) if (ldf(ROW_DIST, p) <= 1.5 * nearest) order += ldi(ROW_ORDER, p);
  const tau = nearest == Infinity ? Infinity : stripFraction(order) * nearest;
  // truncation: the Gaussian tail times |u|^growth below eps
  const base = 2.0 * (logInvEps + 2.0);
  const U0 = Math.sqrt(base);
  const U = Math.sqrt(base + 2.0 * <f64>growth * Math.log(U0));
  // polynomial factors make the integrand larger than its average off the axis: a margin of
  // growth ln U (their size at the truncation point) on top of the calibrated 5
  const c = logInvEps + 5.0 + <f64>growth * Math.log(Math.max(U, 2.0));
  // exp(G d^2 / 2 - 2 pi d / h) <= exp(-c): the best d is sqrt(2 c / G), or the strip's tau
  let d = Math.sqrt(2.0 * c / gauss);
  if (tau < d) d = tau;
  stf(LEVEL_U, k, U);
  stf(LEVEL_D, k, d);
  stf(LEVEL_C, k, c);
  stf(LEVEL_G, k, gauss);
  sti(LEVEL_KINKED, k, kinked);
  if (kinked) return;
  const h = TWO_PI * d / (c + 0.5 * gauss * d * d);
  let J = <i32>Math.floor(U / h) + 1;
  if (2 * J + 1 > MAX_TRAPEZOID) J = (MAX_TRAPEZOID - 1) >> 1;
  const nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
  const weights = TRAP_WEIGHTS + (<usize>(k * MAX_TRAPEZOID) << 3);
  // Gauss-Hermite instead where it needs fewer nodes (slowly varying functions of u_k)
  if (gauss == 1.0 && ghAllowed(k)) {
    const m = ghOrder(nearest, order, growth);
    if (m > 0 && m < 2 * J + 1) {
      const xs = ghRuleNodes(m), ws = ghRuleWeights(m);
      for (let j = 0; j < m; j++) {
        stf(nodes, j, ldf(xs, j));
        stf(weights, j, ldf(ws, j));
      }
      sti(LEVEL_N, k, m);
      return;
    }
  }
  let n = 0;
  for (let j = -J; j <= J; j++) {
    const u = <f64>j * h;
    stf(nodes, n, u);
    stf(weights, n, h * INV_SQRT_2PI * Math.exp(-0.5 * u * u));
    n++;
  }
  sti(LEVEL_N, k, n);
}

/** Whether every factor of row p is computed from exp(z) (the fast innermost path). */
function rowIsExpKind(p: i32): bool {
  for (let t = 0; t < ldi(ROWNF, p); t++) {
    const f = ldi(ROWF, p * MAX_FACTORS + t);
    if (ldi(FPIECE, f) == PIECE_Z) continue;
    const code = activationCode(ldi(FSIDE, f));
    if (code != ACT_TANH && code != ACT_SIGMOID && code != ACT_SILU && code != ACT_SOFTPLUS) return false;
  }
  return true;
}

// Outer kink-free levels: the rows ending there get the same exp(l u_j) tables (slots after the
// innermost's), so a node of such a level costs one division per row instead of tanh or exp.
const LEVEL_FAST: usize = memory.data(4 * 4, 4); // 1: every row ending at the level is exp-kind
const LEVEL_FIRST_SLOT: usize = memory.data(4 * 4, 4);
const LEVEL_NSLOTS: usize = memory.data(4 * 4, 4);
const SLOT_ROW: usize = memory.data(MAX_ROWS * 4, 4);
const SLOT_EM: usize = memory.data(MAX_ROWS * 8, 8);

function setupFastOuter(): void {
  let slot = fastInnermost ? nFast : 0;
  for (let k = 0; k < rank - 1; k++) {
    sti(LEVEL_FAST, k, 0);
    if (ldi(LEVEL_KINKED, k)) continue;
    let ok = true, count = 0;
    for (let p = 0; p < nRows; p++) {
      if (ldi(LAST, p) != k) continue;
      if (!rowIsExpKind(p) || !tabulable(k, lget(p, k))) { ok = false; break; }
      count++;
    }
    if (!ok || count == 0 || slot + count > MAX_ROWS) continue;
    sti(LEVEL_FAST, k, 1);
    sti(LEVEL_FIRST_SLOT, k, slot);
    sti(LEVEL_NSLOTS, k, count);
    const n = ldi(LEVEL_N, k);
    const nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
    for (let p = 0; p < nRows; p++) {
      if (ldi(LAST, p) != k) continue;
      sti(SLOT_ROW, slot, p);
      fastOps(slot, p);
      const table = FAST_EXP + (<usize>(slot * MAX_TRAPEZOID) << 3);
      const l = lget(p, k);
      for (let j = 0; j < n; j++) stf(table, j, Math.exp(l * ldf(nodes, j)));
      slot++;
    }
  }
}

/** Whether exp(m) of every row ending at level k is safely representable; sets SLOT_EM. */
@inline function outerInRange(k: i32): bool {
  const src = PART + (<usize>(k * MAX_ROWS) << 3);
  const first = ldi(LEVEL_FIRST_SLOT, k), last = first + ldi(LEVEL_NSLOTS, k);
  for (let r = first; r < last; r++) {
    const m = ldf(src, ldi(SLOT_ROW, r));
    if (!(Math.abs(m) < 200.0)) return false;
    stf(SLOT_EM, r, Math.exp(m));
  }
  return true;
}

/** atNode with the rows ending at level k from their tables (node j of the level). */
@inline function atNodeFast(k: i32, j: i32, u: f64): f64 {
  const src = PART + (<usize>(k * MAX_ROWS) << 3), dst = PART + (<usize>((k + 1) * MAX_ROWS) << 3);
  for (let p = 0; p < nRows; p++) stf(dst, p, ldf(src, p) + lget(p, k) * u);
  let v: f64 = 1.0;
  const first = ldi(LEVEL_FIRST_SLOT, k), last = first + ldi(LEVEL_NSLOTS, k);
  for (let r = first; r < last; r++) {
    const z = ldf(dst, ldi(SLOT_ROW, r));
    const e = ldf(SLOT_EM, r) * ldf(FAST_EXP + (<usize>(r * MAX_TRAPEZOID) << 3), j);
    v *= rowValueFast(r, z, e);
  }
  if (v == 0.0) return 0.0;
  return v * levelIntegral(k + 1);
}

// The exp(m) exp(l u) path keeps e^2 finite (|m| < 200 at every visit, |l u| <= 150 here): a
// level whose |l| max |u| is larger (variances in the thousands) takes the plain functions.
const FAST_EXPONENT: f64 = 150.0;
/** Whether |l u_j| stays within FAST_EXPONENT on every node of level k. */
function tabulable(k: i32, l: f64): bool {
  const n = ldi(LEVEL_N, k);
  const nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
  let umax: f64 = 0;
  for (let j = 0; j < n; j++) umax = Math.max(umax, Math.abs(ldf(nodes, j)));
  return Math.abs(l) * umax <= FAST_EXPONENT;
}

function setupFastInnermost(): void {
  const k = rank - 1;
  fastInnermost = false;
  if (ldi(LEVEL_KINKED, k)) return;
  nFast = 0;
  for (let p = 0; p < nRows; p++) {
    if (ldi(LAST, p) != k) continue;
    if (!rowIsExpKind(p) || !tabulable(k, lget(p, k))) return;
    sti(FAST_ROWS, nFast, p);
    fastOps(nFast, p);
    const n = ldi(LEVEL_N, k);
    const nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
    const table = FAST_EXP + (<usize>(nFast * MAX_TRAPEZOID) << 3);
    const l = lget(p, k);
    for (let j = 0; j < n; j++) stf(table, j, Math.exp(l * ldf(nodes, j)));
    nFast++;
  }
  fastInnermost = true;
}

// Fast-row factor kinds: products of these functions of e = exp(z).
const OP_TANH: i32 = 0, OP_SECH2: i32 = 1, OP_SIG: i32 = 2, OP_SIG_D: i32 = 3, OP_SILU: i32 = 4, OP_SILU_D: i32 = 5, OP_SOFTPLUS: i32 = 6, OP_Z: i32 = 7;
const FAST_OPS: usize = memory.data(MAX_ROWS * MAX_FACTORS * 4, 4);
const FAST_NOPS: usize = memory.data(MAX_ROWS * 4, 4);
// The row's kind: KIND_TANH where its ops are all tanh, sech^2 or z, KIND_LOGISTIC where they are
// all logistic, logistic', silu, silu' or z (one division per node, not two or three), KIND_MIXED
// otherwise; with how many of each op (the innermost's two-lane loops).
const KIND_MIXED: i32 = 0, KIND_TANH: i32 = 1, KIND_LOGISTIC: i32 = 2;
const FAST_KIND: usize = memory.data(MAX_ROWS * 4, 4);
const FAST_COUNTS: usize = memory.data(MAX_ROWS * 8 * 4, 4);
@inline function opCount(r: i32, op: i32): i32 { return ldi(FAST_COUNTS, r * 8 + op); }

function fastOps(r: i32, p: i32): void {
  const n = ldi(ROWNF, p);
  let tanhOnly = true, logisticOnly = true;
  for (let c = 0; c < 8; c++) sti(FAST_COUNTS, r * 8 + c, 0);
  for (let t = 0; t < n; t++) {
    const f = ldi(ROWF, p * MAX_FACTORS + t);
    const piece = ldi(FPIECE, f);
    let op = OP_Z;
    if (piece != PIECE_Z) {
      const code = activationCode(ldi(FSIDE, f));
      const d = piece == PIECE_DERIVATIVE;
      if (code == ACT_TANH) op = d ? OP_SECH2 : OP_TANH;
      else if (code == ACT_SIGMOID) op = d ? OP_SIG_D : OP_SIG;
      else if (code == ACT_SILU) op = d ? OP_SILU_D : OP_SILU;
      else op = d ? OP_SIG : OP_SOFTPLUS;
    }
    sti(FAST_OPS, r * MAX_FACTORS + t, op);
    if (op != OP_TANH && op != OP_SECH2 && op != OP_Z) tanhOnly = false;
    if (op == OP_TANH || op == OP_SECH2 || op == OP_SOFTPLUS) logisticOnly = false;
    sti(FAST_COUNTS, r * 8 + op, opCount(r, op) + 1);
  }
  sti(FAST_NOPS, r, n);
  sti(FAST_KIND, r, tanhOnly ? KIND_TANH : logisticOnly ? KIND_LOGISTIC : KIND_MIXED);
}

/**
 * Fast row r of tanh and sech^2 factors (and z) only: the same formulas as rowValueExp without
 * the logistic quotient, whose division would double the cost of a node.
 */
@inline function rowValueTanh(r: i32, z: f64, e: f64): f64 {
  const n = ldi(FAST_NOPS, r);
  const e2 = e * e;
  const it = 1.0 / (1.0 + e2);
  let v: f64 = 1.0;
  for (let t = 0; t < n; t++) {
    const op = ldi(FAST_OPS, r * MAX_FACTORS + t);
    if (op == OP_TANH) v *= (e2 - 1.0) * it;
    else if (op == OP_SECH2) v *= 4.0 * e2 * it * it;
    else v *= z;
  }
  return v;
}

/**
 * Fast row r of logistic, logistic', silu, silu' factors (and z) only: with q = 1 / (1 + e),
 * s = e q and s' = s (1 - s) = s q, one division per node.
 */
@inline function rowValueLogistic(r: i32, z: f64, e: f64): f64 {
  const n = ldi(FAST_NOPS, r);
  const q = 1.0 / (1.0 + e);
  const s = e * q, sd = s * q;
  let v: f64 = 1.0;
  for (let t = 0; t < n; t++) {
    const op = ldi(FAST_OPS, r * MAX_FACTORS + t);
    if (op == OP_SIG) v *= s;
    else if (op == OP_SIG_D) v *= sd;
    else if (op == OP_SILU) v *= z * s;
    else if (op == OP_SILU_D) v *= s + z * sd;
    else v *= z;
  }
  return v;
}

/** Fast row r by its kind. */
@inline function rowValueFast(r: i32, z: f64, e: f64): f64 {
  const kind = ldi(FAST_KIND, r);
  if (kind == KIND_TANH) return rowValueTanh(r, z, e);
  if (kind == KIND_LOGISTIC) return rowValueLogistic(r, z, e);
  return rowValueExp(r, z, e);
}

/** Fast row r of mixed kinds (softplus, or tanh and logistic factors together) at z from e = exp(z): both quotients. */
@inline function rowValueExp(r: i32, z: f64, e: f64): f64 {
  const n = ldi(FAST_NOPS, r);
  const e2 = e * e;
  const it = 1.0 / (1.0 + e2); // tanh family: tanh = (e^2 - 1) it, sech^2 = 4 e^2 it^2
  const d = 1.0 + e;
  const s = e / d; // logistic family: s = logistic(z), s' = s (1 - s) = s / d
  let v: f64 = 1.0;
  for (let t = 0; t < n; t++) {
    const op = ldi(FAST_OPS, r * MAX_FACTORS + t);
    if (op == OP_TANH) v *= (e2 - 1.0) * it;
    else if (op == OP_SECH2) v *= 4.0 * e2 * it * it;
    else if (op == OP_Z) v *= z;
    else if (op == OP_SIG) v *= s;
    else if (op == OP_SIG_D) v *= s / d;
    else if (op == OP_SILU) v *= z * s;
    else if (op == OP_SILU_D) v *= s + z * s / d;
    else v *= z > 0 ? z + Math.log1p(1.0 / e) : Math.log1p(e);
  }
  return v;
}

/**
 * The innermost sum of one row of tanh, sech^2 and z factors, two nodes per step in the two
 * lanes of a v128 (each lane's arithmetic is the scalar rowValueTanh's, the factors grouped by
 * kind): the division, the row's only costly operation, at half the price.
 */
function innermostTanhPairs(n: i32, m: f64, l: f64, em: f64, nodes: usize, weights: usize, table: usize): f64 {
  const nT = opCount(0, OP_TANH), nS = opCount(0, OP_SECH2), nZ = opCount(0, OP_Z);
  const one = f64x2.splat(1.0), four = f64x2.splat(4.0), emv = f64x2.splat(em), mv = f64x2.splat(m), lv = f64x2.splat(l);
  let acc = f64x2.splat(0.0);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const off = <usize>j << 3;
    const e = f64x2.mul(emv, v128.load(table + off));
    const e2 = f64x2.mul(e, e);
    const it = f64x2.div(one, f64x2.add(one, e2));
    let v = v128.load(weights + off);
    if (nT > 0) {
      const t = f64x2.mul(f64x2.sub(e2, one), it);
      for (let c = 0; c < nT; c++) v = f64x2.mul(v, t);
    }
    if (nS > 0) {
      const s2 = f64x2.mul(f64x2.mul(f64x2.mul(four, e2), it), it);
      for (let c = 0; c < nS; c++) v = f64x2.mul(v, s2);
    }
    if (nZ > 0) {
      const z = f64x2.add(mv, f64x2.mul(lv, v128.load(nodes + off)));
      for (let c = 0; c < nZ; c++) v = f64x2.mul(v, z);
    }
    acc = f64x2.add(acc, v);
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < n; j++) sum += ldf(weights, j) * rowValueTanh(0, m + l * ldf(nodes, j), em * ldf(table, j));
  return sum;
}

/** innermostTanhPairs for one row of the logistic kind (rowValueLogistic in each lane). */
function innermostLogisticPairs(n: i32, m: f64, l: f64, em: f64, nodes: usize, weights: usize, table: usize): f64 {
  const nSig = opCount(0, OP_SIG), nSigD = opCount(0, OP_SIG_D), nSilu = opCount(0, OP_SILU), nSiluD = opCount(0, OP_SILU_D), nZ = opCount(0, OP_Z);
  const needZ = nSilu + nSiluD + nZ > 0;
  const one = f64x2.splat(1.0), emv = f64x2.splat(em), mv = f64x2.splat(m), lv = f64x2.splat(l);
  let acc = f64x2.splat(0.0);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const off = <usize>j << 3;
    const e = f64x2.mul(emv, v128.load(table + off));
    const q = f64x2.div(one, f64x2.add(one, e));
    const s = f64x2.mul(e, q), sd = f64x2.mul(s, q);
    let v = v128.load(weights + off);
    for (let c = 0; c < nSig; c++) v = f64x2.mul(v, s);
    for (let c = 0; c < nSigD; c++) v = f64x2.mul(v, sd);
    if (needZ) {
      const z = f64x2.add(mv, f64x2.mul(lv, v128.load(nodes + off)));
      if (nSilu > 0) {
        const a = f64x2.mul(z, s);
        for (let c = 0; c < nSilu; c++) v = f64x2.mul(v, a);
      }
      if (nSiluD > 0) {
        const a = f64x2.add(s, f64x2.mul(z, sd));
        for (let c = 0; c < nSiluD; c++) v = f64x2.mul(v, a);
      }
      for (let c = 0; c < nZ; c++) v = f64x2.mul(v, z);
    }
    acc = f64x2.add(acc, v);
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < n; j++) sum += ldf(weights, j) * rowValueLogistic(0, m + l * ldf(nodes, j), em * ldf(table, j));
  return sum;
}

/** The innermost level by the fast path; false if some exp(m) is out of range (then the plain loop). */
function innermostFast(k: i32): f64 {
  const src = PART + (<usize>(k * MAX_ROWS) << 3);
  let n = ldi(LEVEL_N, k);
  let nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
  let weights = TRAP_WEIGHTS + (<usize>(k * MAX_TRAPEZOID) << 3);
  // the ball: drop the nodes at either end with u^2 beyond what is left of R^2 (the rules' nodes
  // ascend, so these are all that lie outside)
  let lo = 0;
  const rem = ldf(REM, k);
  if (rem < Infinity) {
    while (lo < n && ldf(nodes, lo) * ldf(nodes, lo) > rem) lo++;
    while (n > lo && ldf(nodes, n - 1) * ldf(nodes, n - 1) > rem) n--;
    if (n <= lo) return 0.0;
  }
  let sum: f64 = 0;
  if (nFast == 1) {
    const p = ldi(FAST_ROWS, 0);
    const m = ldf(src, p), l = lget(p, k);
    const em = Math.exp(m);
    const table = FAST_EXP;
    const kind = ldi(FAST_KIND, 0);
    const off = <usize>lo << 3;
    if (kind == KIND_TANH) {
      sum = innermostTanhPairs(n - lo, m, l, em, nodes + off, weights + off, table + off);
    } else if (kind == KIND_LOGISTIC) {
      sum = innermostLogisticPairs(n - lo, m, l, em, nodes + off, weights + off, table + off);
    } else {
      for (let j = lo; j < n; j++) {
        const e = em * ldf(table, j);
        sum += ldf(weights, j) * rowValueExp(0, m + l * ldf(nodes, j), e);
      }
    }
  } else {
    for (let r = 0; r < nFast; r++) stf(FAST_EM, r, Math.exp(ldf(src, ldi(FAST_ROWS, r))));
    for (let j = lo; j < n; j++) {
      let v = ldf(weights, j);
      const u = ldf(nodes, j);
      for (let r = 0; r < nFast; r++) {
        const p = ldi(FAST_ROWS, r);
        const z = ldf(src, p) + lget(p, k) * u, e = ldf(FAST_EM, r) * ldf(FAST_EXP + (<usize>(r * MAX_TRAPEZOID) << 3), j);
        v *= rowValueFast(r, z, e);
      }
      sum += v;
    }
  }
  nodesUsed += <f64>(n - lo);
  return sum;
}

// Ball truncation: where every factor is bounded by 1 (tanh, sech^2, the logistic and its
// derivative; no z), the nodes whose coordinates lie outside the ball |u|^2 <= R^2 carry a
// Gaussian mass P(chi^2_r > R^2) <= 1e-3 eps in all and are skipped: the product rule's box has
// corners the ball does not (in four dimensions ~45% of the nodes, in three ~25%).
// REM[k]: R^2 minus the squared coordinates fixed above level k.
let ballR2: f64 = Infinity;
const REM: usize = memory.data(5 * 8, 8);

function ballRadius2(): f64 {
  if (rank < 3 || firstZRow != MAX_ROWS) return Infinity;
  for (let k = 0; k < rank; k++) if (ldi(LEVEL_KINKED, k)) return Infinity;
  for (let f = 0; f < nf; f++) {
    if (ldi(FPIECE, f) == PIECE_Z) return Infinity;
    const code = activationCode(ldi(FSIDE, f));
    if (code != ACT_TANH && code != ACT_SIGMOID) return Infinity;
  }
  // P(chi^2_4 > x) = exp(-x/2) (1 + x/2); P(chi^2_3 > x) <= exp(-x/2) (1 + sqrt(2 x / pi))
  const L = logInvEps + Math.log(1000.0);
  let x = 2.0 * L;
  for (let it = 0; it < 8; it++) x = 2.0 * (L + Math.log(rank == 4 ? 1.0 + 0.5 * x : 1.0 + Math.sqrt(2.0 * x / Math.PI)));
  return x;
}

/** Whether exp(m) of every fast row is safely representable at this outer node. */
@inline function fastInRange(k: i32): bool {
  const src = PART + (<usize>(k * MAX_ROWS) << 3);
  for (let r = 0; r < nFast; r++) {
    const m = ldf(src, ldi(FAST_ROWS, r));
    if (!(Math.abs(m) < 200.0)) return false;
  }
  return true;
}

/** Gauss-Legendre order for a piece of length len at strip distance d (Bernstein ellipse), growth G. */
@inline function pieceOrder(len: f64, d: f64, gauss: f64, levelC: f64): i32 {
  const a = 2.0 * d / len;
  const rho = a + Math.sqrt(1.0 + a * a);
  let n = <i32>Math.ceil((levelC + 0.5 * gauss * d * d) / (2.0 * Math.log(rho))) + 1;
  if (n > GLT_MAX) n = GLT_MAX;
  if (n < 2) n = 2;
  return n;
}

/** Integrand at u on level k: functions of the rows that end here, times the inner integral. */
@inline function atNode(k: i32, u: f64): f64 {
  const src = PART + (<usize>(k * MAX_ROWS) << 3), dst = PART + (<usize>((k + 1) * MAX_ROWS) << 3);
  let v: f64 = 1.0;
  for (let p = 0; p < nRows; p++) {
    const z = ldf(src, p) + lget(p, k) * u;
    stf(dst, p, z);
    if (ldi(LAST, p) == k) v *= rowValue(p, z);
  }
  if (v == 0.0) return 0.0;
  if (k + 1 < rank) return v * levelIntegral(k + 1);
  nodesUsed += 1;
  return v;
}

function levelIntegral(k: i32): f64 {
  let sum: f64 = 0;
  if (!ldi(LEVEL_KINKED, k)) {
    if (fastInnermost && k == rank - 1 && fastInRange(k)) return innermostFast(k);
    const n = ldi(LEVEL_N, k);
    const nodes = TRAP_NODES + (<usize>(k * MAX_TRAPEZOID) << 3);
    const weights = TRAP_WEIGHTS + (<usize>(k * MAX_TRAPEZOID) << 3);
    const rem = ldf(REM, k);
    if (k < rank - 1 && ldi(LEVEL_FAST, k) && outerInRange(k)) {
      for (let j = 0; j < n; j++) {
        const u = ldf(nodes, j);
        if (u * u > rem) continue;
        stf(REM, k + 1, rem - u * u);
        sum += ldf(weights, j) * atNodeFast(k, j, u);
      }
      return sum;
    }
    for (let j = 0; j < n; j++) {
      const u = ldf(nodes, j);
      if (u * u > rem) continue;
      if (k + 1 < rank) stf(REM, k + 1, rem - u * u);
      sum += ldf(weights, j) * atNode(k, u);
    }
    return sum;
  }
  // pieces: [-U, U] cut at each break of the rows ending here, empty where a row vanishes (no
  // ball truncation with a kinked level: REM stays infinite)
  if (k + 1 < 5) stf(REM, k + 1, Infinity);
  const U = ldf(LEVEL_U, k);
  const src = PART + (<usize>(k * MAX_ROWS) << 3);
  let lo = -U, hi = U;
  const br = BREAKS + (<usize>(k * 8) << 3);
  let nb = 0;
  for (let p = 0; p < nRows; p++) {
    if (ldi(LAST, p) != k || ldi(KINK, p) == 0) continue;
    const lpk = lget(p, k);
    const x = -ldf(src, p) / lpk; // z_p = 0 here
    if (ldi(KINK, p) == 2) {
      // the row vanishes where z_p < 0
      if (lpk > 0) { if (x > lo) lo = x; } else { if (x < hi) hi = x; }
    } else {
      stf(br, nb, x);
      nb++;
    }
  }
  if (!(hi > lo)) return 0.0;
  // sort the interior breaks (at most four)
  for (let i = 1; i < nb; i++) {
    const x = ldf(br, i);
    let j = i - 1;
    while (j >= 0 && ldf(br, j) > x) { stf(br, j + 1, ldf(br, j)); j--; }
    stf(br, j + 1, x);
  }
  const d = ldf(LEVEL_D, k);
  let a = lo;
  for (let i = 0; i <= nb; i++) {
    let b = i < nb ? ldf(br, i) : hi;
    if (b > hi) b = hi;
    if (b > a) {
      // composite: sub-pieces no longer than 4 d (about as cheap per unit length as longer
      // ones, and within the table's orders)
      const m = <i32>Math.ceil((b - a) / (4.0 * d));
      const len = (b - a) / <f64>m;
      const n = pieceOrder(len, d, ldf(LEVEL_G, k), ldf(LEVEL_C, k));
      const xs = glRuleNodes(n), ws = glRuleWeights(n);
      const half = 0.5 * len;
      for (let q = 0; q < m; q++) {
        const c = a + (<f64>q + 0.5) * len;
        for (let j = 0; j < n; j++) {
          const u = c + half * ldf(xs, j);
          sum += half * ldf(ws, j) * INV_SQRT_2PI * Math.exp(-0.5 * u * u) * atNode(k, u);
        }
      }
    }
    if (b > a) a = b;
  }
  return sum;
}
