// Averages of docs/theory.md section 1 when student (g) and teacher (gt) activations differ: products of
// relu, theta, z, erf and erf' factors over at most four variables of C, in closed form
// (plus the four-variable orthant probability of relu.ts, which has none).
//  - erf'(z_a) = sqrt(2/pi) exp(-z_a^2/2) is a Gaussian weight:
//      E[exp(-z_a^2/2) h(z)] = (1 + C_aa)^(-1/2) E_{C'}[h],  C' = C - C e_a e_a^T C / (1 + C_aa)
//    (Sherman-Morrison on C^-1 + e_a e_a^T: no inverse, so singular C is fine); two erf'
//    factors apply it twice.
//  - erf(z_c / sqrt 2) = 2 P(u < z_c) - 1 = E_u[2 theta(w_c) - 1], w_c = z_c - u, u ~ N(0, 1)
//    independent: each erf factor becomes a theta of an added variable with Var w_c = C_cc + 1
//    and Cov(w_c, x) = Cov(z_c, x) (two erf factors on one variable get independent u's).
//  - what is left, powers and thetas, is gaussianMoment (stein.ts): Stein's lemma down to
//    truncatedMoment (relu.ts), which already handles repeated and perfectly correlated variables.
import { ACT_ERF, ACT_RELU } from "./averages";
import { absorbGaussianWeight, gaussianMoment, wat, wput } from "./stein";
import { ROOT_MERGE_GAP } from "./constants";

const SQRT_2_OVER_PI: f64 = 0.7978845608028654;

// The product being assembled: distinct variables of C, their powers (4 bits each) and
// theta flags, and the erf' and erf factors by variable position.
const IDX: usize = memory.data(8 * 4, 4);
const WEIGHTS: usize = memory.data(4 * 4, 4);
const ERFS: usize = memory.data(4 * 4, 4);
const G: usize = memory.data(64 * 8, 8);
const COL: usize = memory.data(8 * 8, 8);
let nv: i32 = 0, powers: i32 = 0, thetas: i32 = 0, nWeights: i32 = 0, nErfs: i32 = 0;

@inline function cget(C: usize, ld: i32, i: i32, j: i32): f64 {
  return load<f64>(C + (<usize>(i * ld + j) << 3));
}

function begin(): void {
  nv = 0;
  powers = 0;
  thetas = 0;
  nWeights = 0;
  nErfs = 0;
}

function position(v: i32): i32 {
  for (let k = 0; k < nv; k++) if (load<i32>(IDX + (<usize>k << 2)) == v) return k;
  store<i32>(IDX + (<usize>nv << 2), v);
  return nv++;
}

/** g'(z_v) of a unit with activation act. */
function derivative(act: i32, v: i32): void {
  const k = position(v);
  if (act == ACT_RELU) thetas |= 1 << k;
  else if (act == ACT_ERF) {
    store<i32>(WEIGHTS + (<usize>nWeights << 2), k);
    nWeights++;
  }
  // linear: g' = 1
}

/** g(z_v) of a unit with activation act. */
function unit(act: i32, v: i32): void {
  const k = position(v);
  if (act == ACT_RELU) {
    thetas |= 1 << k;
    powers += 1 << (k << 2);
  } else if (act == ACT_ERF) {
    store<i32>(ERFS + (<usize>nErfs << 2), k);
    nErfs++;
  } else {
    powers += 1 << (k << 2);
  }
}

/** z_v. */
function linearFactor(v: i32): void {
  powers += 1 << (position(v) << 2);
}

/** E[product assembled since begin()] over N(0, C). */
function finish(C: usize, ld: i32): f64 {
  for (let i = 0; i < nv; i++) {
    const gi = load<i32>(IDX + (<usize>i << 2));
    for (let j = 0; j < nv; j++) wput(G, i, j, cget(C, ld, gi, load<i32>(IDX + (<usize>j << 2))));
  }
  let prefactor: f64 = 1.0;
  for (let w = 0; w < nWeights; w++) {
    const s = absorbGaussianWeight(G, nv, load<i32>(WEIGHTS + (<usize>w << 2)), COL);
    prefactor *= SQRT_2_OVER_PI / Math.sqrt(s);
  }
  // w_k = z_c - u_k at position nv + k
  const n = nv + nErfs;
  for (let k = 0; k < nErfs; k++) {
    const c = load<i32>(ERFS + (<usize>k << 2));
    const w = nv + k;
    for (let x = 0; x < w; x++) {
      const v = wat(G, c, x < nv ? x : load<i32>(ERFS + (<usize>(x - nv) << 2)));
      wput(G, w, x, v);
      wput(G, x, w, v);
    }
    wput(G, w, w, wat(G, c, c) + 1.0);
  }
  // prod_k (2 theta(w_k) - 1), expanded
  let total: f64 = 0;
  for (let subset = 0; subset < 1 << nErfs; subset++) {
    let coefficient: f64 = 1.0;
    for (let k = 0; k < nErfs; k++) coefficient *= ((subset >> k) & 1) != 0 ? 2.0 : -1.0;
    total += coefficient * gaussianMoment(G, n, powers, thetas | (subset << nv), 0, ROOT_MERGE_GAP);
  }
  return prefactor * total;
}

/** E[f_a(z_a) f_b(z_b)], f_a with activation actA, f_b with actB. */
export function mixedI2(C: usize, ld: i32, a: i32, b: i32, actA: i32, actB: i32): f64 {
  begin();
  unit(actA, a);
  unit(actB, b);
  return finish(C, ld);
}

/** E[g'(z_a) z_b f_c(z_c)], g the student activation, f_c with activation actC. */
export function mixedI3(C: usize, ld: i32, a: i32, b: i32, c: i32, student: i32, actC: i32): f64 {
  begin();
  derivative(student, a);
  linearFactor(b);
  unit(actC, c);
  return finish(C, ld);
}

/** E[g'(z_a) g'(z_b) f_c(z_c) f_e(z_e)]. */
export function mixedI4(C: usize, ld: i32, a: i32, b: i32, c: i32, e: i32, student: i32, actC: i32, actE: i32): f64 {
  begin();
  derivative(student, a);
  derivative(student, b);
  unit(actC, c);
  unit(actE, e);
  return finish(C, ld);
}
