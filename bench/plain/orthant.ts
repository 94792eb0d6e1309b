// Plain-TypeScript port of assembly/gauss/orthant.ts (benchmark baseline, no WebAssembly):
// orthant probabilities P(z_1 > 0, ..., z_n > 0) for n <= 4 (docs/theory.md sections 2.1, 2.2).
// Same adaptive Gauss-Kronrod 7/15 in s with theta = T (1 - s^2), same tolerance,
// MIN_WIDTH, PANEL_BUDGET, interval stack and pair order as the WebAssembly kernel.
import { TWO_PI, FOUR_PI_SQ, asinClamped } from "./constants";

let p4Tolerance = 1e-11;
export function setOrthantTolerance(tol: number): void {
  p4Tolerance = tol;
}
let p4Panels = 0;
/** Gauss-Kronrod panels used by the last orthant4 call. */
export function orthantPanels(): number {
  return p4Panels;
}

function corr(A: Float64Array, ld: number, i: number, j: number): number {
  const aij = A[i * ld + j];
  const aii = A[i * ld + i];
  const ajj = A[j * ld + j];
  return aij / Math.sqrt(aii * ajj);
}

export function orthant2(r: number): number {
  return 0.25 + asinClamped(r) / TWO_PI;
}

export function orthant3(r12: number, r13: number, r23: number): number {
  return 0.125 + (asinClamped(r12) + asinClamped(r13) + asinClamped(r23)) / (2.0 * TWO_PI);
}

// Scratch for the six correlations of P4.
const RC = new Float64Array(6);

/**
 * P4 by Plackett's identity along R(t) = I + t (R - I) with theta = asin(t r_ij) per pair:
 *   P4 = 1/16 + sum_ij asin(r_ij)/(8 pi)
 *        + 1/(4 pi^2) sum_ij int_0^{asin r_ij} asin(rho_kl|ij(sin(theta)/r_ij)) dtheta.
 * A: 4x4 covariance with leading dimension ld (4 by default).
 */
export function orthant4(A: Float64Array, ld: number = 4): number {
  // pair order: 01 02 03 12 13 23
  RC[0] = corr(A, ld, 0, 1);
  RC[1] = corr(A, ld, 0, 2);
  RC[2] = corr(A, ld, 0, 3);
  RC[3] = corr(A, ld, 1, 2);
  RC[4] = corr(A, ld, 1, 3);
  RC[5] = corr(A, ld, 2, 3);
  p4Panels = 0;
  let elementary = 0;
  let integral = 0;
  for (let p = 0; p < 6; p++) {
    // (i, j) is pair p; (k, l) its complement
    let i = 0, j = 1, k = 2, l = 3;
    if (p === 1) { i = 0; j = 2; k = 1; l = 3; }
    else if (p === 2) { i = 0; j = 3; k = 1; l = 2; }
    else if (p === 3) { i = 1; j = 2; k = 0; l = 3; }
    else if (p === 4) { i = 1; j = 3; k = 0; l = 2; }
    else if (p === 5) { i = 2; j = 3; k = 0; l = 1; }
    const rij = RC[p];
    if (rij === 0.0) continue;
    const T = asinClamped(rij);
    elementary += T;
    pRij = rij; pRki = rcorr(k, i); pRkj = rcorr(k, j); pRli = rcorr(l, i); pRlj = rcorr(l, j); pRkl = rcorr(k, l);
    integral += adaptiveKronrod(T);
  }
  return 0.0625 + elementary / (4.0 * TWO_PI) + integral / FOUR_PI_SQ;
}

function rcorr(a: number, b: number): number {
  // index of pair (min, max) in the order 01 02 03 12 13 23
  const x = a < b ? a : b;
  const y = a < b ? b : a;
  let idx = 0;
  if (x === 0) idx = y - 1;
  else if (x === 1) idx = y + 1;
  else idx = 5;
  return RC[idx];
}

// The pair integrand: asin of the partial correlation of (k, l) given (i, j) along
// Plackett's path, at theta = asin(t r_ij).
let pRij = 0, pRki = 0, pRkj = 0, pRli = 0, pRlj = 0, pRkl = 0;

function pairIntegrand(th: number): number {
  // the WebAssembly kernel uses NativeMath.sincos (one argument reduction for both)
  const a = Math.sin(th);
  const t = a / pRij;
  const c2 = Math.cos(th);
  const oneMinusA2 = c2 * c2;
  const uk1 = t * pRki, uk2 = t * pRkj, ul1 = t * pRli, ul2 = t * pRlj;
  // conditional 2x2 covariance of (k, l) given (i, j), times (1 - a^2)
  const skl = oneMinusA2 * t * pRkl - (uk1 * ul1 - a * (uk1 * ul2 + uk2 * ul1) + uk2 * ul2);
  const skk = oneMinusA2 - (uk1 * uk1 - 2.0 * a * uk1 * uk2 + uk2 * uk2);
  const sll = oneMinusA2 - (ul1 * ul1 - 2.0 * a * ul1 * ul2 + ul2 * ul2);
  const den = Math.sqrt(skk * sll);
  return asinClamped(den > 0 ? skl / den : 0);
}

// Gauss-Kronrod 7/15 (QUADPACK qk15): Kronrod abscissae on [-1, 1], descending, and weights.
const XGK = new Float64Array([0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0]);
const WGK = new Float64Array([0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714]);
const WG = new Float64Array([0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327]);

let gkError = 0;
let subT = 0;
// theta = T (1 - s^2)
function substituted(s: number): number {
  return 2.0 * subT * s * pairIntegrand(subT * (1.0 - s * s));
}

function kronrod15(a: number, b: number): number {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  const fc = substituted(c);
  let resk = fc * WGK[7];
  let resg = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const x = h * XGK[j];
    const f = substituted(c - x) + substituted(c + x);
    resk += WGK[j] * f;
    if (j & 1) resg += WG[j >> 1] * f;
  }
  gkError = Math.abs((resk - resg) * h);
  return resk * h;
}

// Interval stack of the adaptive rule (depth-first bisection; no allocation).
const STACK_MAX = 64;
const STACK = new Float64Array(STACK_MAX * 2);
const PANEL_BUDGET = 300;
const MIN_WIDTH = 1e-6;

/**
 * int_0^T pairIntegrand(theta) d theta by adaptive Gauss-Kronrod 7/15 in s: a panel is
 * accepted when its Kronrod-Gauss difference is below tol * width (s in [0, 1]).
 */
function adaptiveKronrod(T: number): number {
  subT = T;
  STACK[0] = 0.0;
  STACK[1] = 1.0;
  let sp = 1;
  let sum = 0;
  const budget = p4Panels + PANEL_BUDGET;
  while (sp > 0) {
    sp--;
    const a = STACK[sp << 1];
    const b = STACK[(sp << 1) + 1];
    const v = kronrod15(a, b);
    p4Panels++;
    const width = b - a;
    // NaN-safe acceptance; the panel budget bounds the work on pathological input
    if (!(gkError > p4Tolerance * width) || width < MIN_WIDTH || sp >= STACK_MAX - 2 || p4Panels >= budget) {
      sum += v;
    } else {
      const m = 0.5 * (a + b);
      STACK[sp << 1] = a;
      STACK[(sp << 1) + 1] = m;
      sp++;
      STACK[sp << 1] = m;
      STACK[(sp << 1) + 1] = b;
      sp++;
    }
  }
  return sum;
}
