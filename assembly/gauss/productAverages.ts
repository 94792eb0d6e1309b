// Exact Gaussian averages of products of activation factors that are finite sums of
// "atoms" z^p theta(z)^t w(z)^e Phi-step(z) (docs/theory.md sections 2.5, 10):
//   relu      g = z theta,                   g' = theta
//   leakyRelu g = (1 - a) z theta + a z,     g' = (1 - a) theta + a    (abs: a = -1)
//   erf       g = 2 theta(z - u) - 1,        g' = sqrt(2/pi) exp(-z^2/2)
//   gelu      g = z theta(z - u),            g' = theta(z - u) + z exp(-z^2/2) / sqrt(2 pi)
//   polynomials: their monomials; the z_b of I3: z.
// (u ~ N(0, 1) independent: Phi(z) = P(u < z) = E_u[theta(z - u)], one added variable per
// such factor.) The product of the factors is expanded term by term; each term is
//  - reweighted by its Gaussian factors exp(-z_a^2/2) (Sherman-Morrison on the covariance,
//    no inverse, so singular covariances are fine),
//  - extended by the added variables w = z - u (Var w = C_zz + 1, Cov(w, x) = C_zx),
//  - and averaged by gaussianMoment (stein.ts): Stein's lemma down to the ReLU recursion
//    (orthant probabilities), which handles repeated and perfectly correlated variables.
// Powers are packed 4 bits per variable: a term needing more returns NaN (the caller then
// integrates numerically).
import { ACT_ABS, ACT_ERF, ACT_GELU, ACT_LEAKY_RELU, ACT_LINEAR, ACT_RELU } from "../activations";
import { activationCode, activationSlope, isPolynomial, polyDegree, polyMonomial } from "./activationFunctions";
import { absorbGaussianWeight, gaussianMoment, wat, wput } from "./stein";
import { ROOT_MERGE_GAP } from "./constants";

const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

/** Factor kinds: g of a side, g' of a side, or the plain variable z. */
export const PIECE_VALUE: i32 = 0;
export const PIECE_DERIVATIVE: i32 = 1;
export const PIECE_Z: i32 = 2;

const MAX_TERMS: i32 = 10;
// per factor: variable, number of terms; per term: coefficient, power, flags (1 theta, 2 weight, 4 added step)
const FVAR: usize = memory.data(4 * 4, 4);
const FN: usize = memory.data(4 * 4, 4);
const TCOEF: usize = memory.data(4 * MAX_TERMS * 8, 8);
const TPOW: usize = memory.data(4 * MAX_TERMS * 4, 4);
const TFLAG: usize = memory.data(4 * MAX_TERMS * 4, 4);
let nf: i32 = 0;

const FLAG_THETA: i32 = 1;
const FLAG_WEIGHT: i32 = 2;
const FLAG_STEP: i32 = 4;

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}

function term(f: i32, c: f64, power: i32, flags: i32): void {
  const t = load<i32>(FN + (<usize>f << 2));
  const k = f * MAX_TERMS + t;
  store<f64>(TCOEF + (<usize>k << 3), c);
  store<i32>(TPOW + (<usize>k << 2), power);
  store<i32>(TFLAG + (<usize>k << 2), flags);
  store<i32>(FN + (<usize>f << 2), t + 1);
}

export function productBegin(): void {
  nf = 0;
}

/** Appends the factor (side's g, g', or z) of variable v. */
export function productFactor(v: i32, side: i32, piece: i32): void {
  const f = nf++;
  store<i32>(FVAR + (<usize>f << 2), v);
  store<i32>(FN + (<usize>f << 2), 0);
  if (piece == PIECE_Z) { term(f, 1.0, 1, 0); return; }
  const code = activationCode(side);
  const d = piece == PIECE_DERIVATIVE;
  if (code == ACT_RELU) term(f, 1.0, d ? 0 : 1, FLAG_THETA);
  else if (code == ACT_LINEAR) term(f, 1.0, d ? 0 : 1, 0);
  else if (code == ACT_LEAKY_RELU || code == ACT_ABS) {
    const a = code == ACT_ABS ? -1.0 : activationSlope(side);
    term(f, 1.0 - a, d ? 0 : 1, FLAG_THETA);
    if (a != 0.0) term(f, a, d ? 0 : 1, 0);
  } else if (code == ACT_ERF) {
    if (d) term(f, SQRT_2_OVER_PI, 0, FLAG_WEIGHT);
    else { term(f, 2.0, 0, FLAG_STEP); term(f, -1.0, 0, 0); }
  } else if (code == ACT_GELU) {
    if (d) { term(f, 1.0, 0, FLAG_STEP); term(f, INV_SQRT_2PI, 1, FLAG_WEIGHT); }
    else term(f, 1.0, 1, FLAG_STEP);
  } else if (isPolynomial(code)) {
    const deg = polyDegree(side) - (d ? 1 : 0);
    for (let k = 0; k <= deg; k++) {
      const c = polyMonomial(side, d ? 1 : 0, k);
      if (c != 0.0) term(f, c, k, 0);
    }
  }
}

// The term being evaluated: distinct base variables, powers (4 bits each), theta mask,
// weights and added steps by base position.
const IDX: usize = memory.data(8 * 4, 4);
const PW: usize = memory.data(8 * 4, 4);
const WEIGHTS: usize = memory.data(4 * 4, 4);
const STEPS: usize = memory.data(4 * 4, 4);
const G: usize = memory.data(64 * 8, 8);
const COL: usize = memory.data(8 * 8, 8);
const CHOICE: usize = memory.data(4 * 4, 4);

function position(v: i32, nv: i32): i32 {
  for (let k = 0; k < nv; k++) if (load<i32>(IDX + (<usize>k << 2)) == v) return k;
  store<i32>(IDX + (<usize>nv << 2), v);
  store<i32>(PW + (<usize>nv << 2), 0);
  return -1 - nv;
}

/** E[the product of one term choice per factor] (without the coefficient); NaN if the powers overflow. */
function evaluateChoice(C: usize, ld: i32): f64 {
  let nv = 0, thetas = 0, nWeights = 0, nSteps = 0;
  for (let f = 0; f < nf; f++) {
    const k = f * MAX_TERMS + load<i32>(CHOICE + (<usize>f << 2));
    const v = load<i32>(FVAR + (<usize>f << 2));
    let pos = position(v, nv);
    if (pos < 0) { pos = -1 - pos; nv++; }
    const power = load<i32>(TPOW + (<usize>k << 2));
    store<i32>(PW + (<usize>pos << 2), load<i32>(PW + (<usize>pos << 2)) + power);
    const flags = load<i32>(TFLAG + (<usize>k << 2));
    if (flags & FLAG_THETA) thetas |= 1 << pos;
    if (flags & FLAG_WEIGHT) { store<i32>(WEIGHTS + (<usize>nWeights << 2), pos); nWeights++; }
    if (flags & FLAG_STEP) { store<i32>(STEPS + (<usize>nSteps << 2), pos); nSteps++; }
  }
  let powers = 0;
  for (let k = 0; k < nv; k++) {
    const p = load<i32>(PW + (<usize>k << 2));
    if (p > 15) return NaN;
    powers |= p << (k << 2);
  }
  for (let i = 0; i < nv; i++) {
    const gi = load<i32>(IDX + (<usize>i << 2));
    for (let j = 0; j < nv; j++) wput(G, i, j, cget(C, ld, gi, load<i32>(IDX + (<usize>j << 2))));
  }
  let prefactor: f64 = 1.0;
  for (let w = 0; w < nWeights; w++) {
    const s = absorbGaussianWeight(G, nv, load<i32>(WEIGHTS + (<usize>w << 2)), COL);
    prefactor /= Math.sqrt(s);
  }
  // added variables w_k = z_c - u_k at positions nv + k (independent u_k)
  for (let k = 0; k < nSteps; k++) {
    const c = load<i32>(STEPS + (<usize>k << 2));
    const w = nv + k;
    for (let x = 0; x < w; x++) {
      const v = wat(G, c, x < nv ? x : load<i32>(STEPS + (<usize>(x - nv) << 2)));
      wput(G, w, x, v);
      wput(G, x, w, v);
    }
    wput(G, w, w, wat(G, c, c) + 1.0);
  }
  const stepMask = ((1 << nSteps) - 1) << nv;
  return prefactor * gaussianMoment(G, nv + nSteps, powers, thetas | stepMask, 0, ROOT_MERGE_GAP);
}

/** Number of term products of the current factors (the work of productAverage). */
export function productTerms(): i32 {
  let n = 1;
  for (let f = 0; f < nf; f++) n *= load<i32>(FN + (<usize>f << 2));
  return n;
}

/** E[product of the factors] over N(0, C); NaN if some term needs a power above 15. */
export function productAverage(C: usize, ld: i32): f64 {
  for (let f = 0; f < nf; f++) {
    if (load<i32>(FN + (<usize>f << 2)) == 0) return 0.0; // a zero polynomial
    store<i32>(CHOICE + (<usize>f << 2), 0);
  }
  let total: f64 = 0;
  for (;;) {
    let coefficient: f64 = 1.0;
    for (let f = 0; f < nf; f++) coefficient *= load<f64>(TCOEF + (<usize>(f * MAX_TERMS + load<i32>(CHOICE + (<usize>f << 2))) << 3));
    const v = evaluateChoice(C, ld);
    if (v != v) return NaN;
    total += coefficient * v;
    // next choice (odometer)
    let f = 0;
    for (; f < nf; f++) {
      const c = load<i32>(CHOICE + (<usize>f << 2)) + 1;
      if (c < load<i32>(FN + (<usize>f << 2))) { store<i32>(CHOICE + (<usize>f << 2), c); break; }
      store<i32>(CHOICE + (<usize>f << 2), 0);
    }
    if (f == nf) break;
  }
  return total;
}
