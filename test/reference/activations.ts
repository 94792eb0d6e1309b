/**
 * Independent references for the averages of every activation (docs/theory.md section 10).
 * Nothing here calls the library: the activations are written out again, and the averages come
 * from routes the library does not take:
 *
 *  - wickMoment: E[prod z_i] by enumerating the perfect matchings (Isserlis), for polynomials;
 *  - logisticAverage: tanh and sigmoid as scale mixtures of erf (the logistic distribution is a
 *    normal scale mixture with scale 2K, K Kolmogorov distributed), so every I2/I3/I4/J2 of
 *    tanh, sigmoid and erf units is an average over K of the Saad-Solla closed forms, taken with
 *    the Gauss rules of the Kolmogorov distribution (fixture kolmogorovRule.json, generator
 *    committed next to it);
 *  - quadrature2: nested adaptive Gauss-Legendre in the covariance's eigenbasis (at most two
 *    effective dimensions), split at every kink, for any activation.
 */
import { existsSync, readFileSync } from "node:fs";
import { erf, factorCovariance, gaussLegendre, integrateAdaptive, normCdf, symmetricEigen, type Matrix } from "./gaussian";

export type Name =
  | "relu" | "erf" | "linear" | "leakyRelu" | "abs" | "square" | "hermite2" | "hermite3" | "hermite4"
  | "tanh" | "sigmoid" | "gelu" | "silu" | "softplus" | "hermiteCoefficients";

export interface Params { slope?: number; hermiteCoefficients?: number[] }

export interface Activation {
  g: (x: number) => number;
  dg: (x: number) => number;
  /** g or g' is not smooth at 0. */
  kink: boolean;
}

const SQRT2 = Math.SQRT2;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const dsigmoid = (x: number) => sigmoid(x) * sigmoid(-x);

/** He_n(x) and He_n'(x) = n He_{n-1}(x) for the coefficients c (probabilists' Hermite). */
function hermiteSeries(c: number[]): Activation {
  const he = (x: number, n: number) => {
    let a = 1, b = x;
    if (n === 0) return 1;
    for (let k = 1; k < n; k++) [a, b] = [b, x * b - k * a];
    return b;
  };
  return {
    g: (x) => c.reduce((s, ck, n) => s + ck * he(x, n), 0),
    dg: (x) => c.reduce((s, ck, n) => s + (n > 0 ? n * ck * he(x, n - 1) : 0), 0),
    kink: false,
  };
}

export function activation(name: Name, p: Params = {}): Activation {
  const a = p.slope ?? 0.01;
  switch (name) {
    case "relu": return { g: (x) => (x > 0 ? x : 0), dg: (x) => (x > 0 ? 1 : 0), kink: true };
    case "leakyRelu": return { g: (x) => (x > 0 ? x : a * x), dg: (x) => (x > 0 ? 1 : a), kink: true };
    case "abs": return { g: Math.abs, dg: (x) => Math.sign(x), kink: true };
    case "linear": return { g: (x) => x, dg: () => 1, kink: false };
    case "erf": return { g: (x) => erf(x / SQRT2), dg: (x) => Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * x * x), kink: false };
    case "square": return { g: (x) => x * x, dg: (x) => 2 * x, kink: false };
    case "hermite2": return { g: (x) => x * x - 1, dg: (x) => 2 * x, kink: false };
    case "hermite3": return { g: (x) => x * x * x - 3 * x, dg: (x) => 3 * x * x - 3, kink: false };
    case "hermite4": return { g: (x) => x ** 4 - 6 * x * x + 3, dg: (x) => 4 * x ** 3 - 12 * x, kink: false };
    case "tanh": return { g: Math.tanh, dg: (x) => 1 / Math.cosh(Math.min(Math.abs(x), 350)) ** 2, kink: false };
    case "sigmoid": return { g: sigmoid, dg: dsigmoid, kink: false };
    case "gelu": return { g: (x) => x * normCdf(x), dg: (x) => normCdf(x) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI), kink: false };
    case "silu": return { g: (x) => x * sigmoid(x), dg: (x) => sigmoid(x) + x * dsigmoid(x), kink: false };
    case "softplus": return { g: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), dg: sigmoid, kink: false };
    case "hermiteCoefficients": return hermiteSeries(p.hermiteCoefficients ?? [0, 1]);
  }
}

// ------------------------------------------------------------------------------ Wick / Isserlis

/** E[z_{i_1} ... z_{i_m}] for z ~ N(0, A): the sum over perfect matchings of products of covariances. */
export function wickMoment(A: Matrix, idx: number[]): number {
  if (idx.length % 2 === 1) return 0;
  if (idx.length === 0) return 1;
  const [first, ...rest] = idx;
  let s = 0;
  for (let k = 0; k < rest.length; k++) {
    const others = rest.filter((_, j) => j !== k);
    s += A[first][rest[k]] * wickMoment(A, others);
  }
  return s;
}

/** E[prod_f P_f(z_{v_f})] for polynomials given by monomial coefficients, by expanding into monomials. */
export function polynomialExpectation(A: Matrix, factors: { v: number; mono: number[] }[]): number {
  let total = 0;
  const rec = (f: number, coeff: number, idx: number[]) => {
    if (f === factors.length) { total += coeff * wickMoment(A, idx); return; }
    factors[f].mono.forEach((c, k) => { if (c !== 0) rec(f + 1, coeff * c, [...idx, ...Array(k).fill(factors[f].v)]); });
  };
  rec(0, 1, []);
  return total;
}

/** Monomial coefficients of g (deriv 0) or g' (deriv 1) of a polynomial activation. */
export function monomials(name: Name, deriv: 0 | 1, p: Params = {}): number[] {
  // He_n monomials by the recurrence, then combined
  const he: number[][] = [[1], [0, 1]];
  for (let n = 1; n < 12; n++) {
    const next = new Array(n + 2).fill(0);
    he[n].forEach((c, k) => { next[k + 1] += c; });
    he[n - 1].forEach((c, k) => { next[k] -= n * c; });
    he.push(next);
  }
  const c = name === "square" ? [1, 0, 1] : name === "hermite2" ? [0, 0, 1] : name === "hermite3" ? [0, 0, 0, 1]
    : name === "hermite4" ? [0, 0, 0, 0, 1] : name === "linear" ? [0, 1] : p.hermiteCoefficients ?? [];
  const mono = new Array(12).fill(0);
  c.forEach((cn, n) => he[n].forEach((h, k) => { mono[k] += cn * h; }));
  if (deriv === 0) return mono;
  return mono.slice(1).map((m, k) => (k + 1) * m);
}

// ------------------------------------------------------------------------------ logistic mixture

interface Rule { nodes: number[]; weights: number[] }
// next to this file in the repository (tests); from the repository root when bundled (bench/)
const rulePath = new URL("../fixtures/mpmath/kolmogorovRule.json", import.meta.url);
const kolmogorov = JSON.parse(readFileSync(existsSync(rulePath) ? rulePath : "test/fixtures/mpmath/kolmogorovRule.json", "utf8")) as { rules: Record<string, Rule> };

/** Saad-Solla closed forms for gE(x) = erf(x / sqrt 2), gE'(x) = sqrt(2/pi) exp(-x^2/2). */
const erfForms = {
  i2: (a11: number, a12: number, a22: number) => (2 / Math.PI) * Math.asin(clamp(a12 / Math.sqrt((1 + a11) * (1 + a22)))),
  i3: (A: Matrix) => {
    const l3 = (1 + A[0][0]) * (1 + A[2][2]) - A[0][2] ** 2;
    return ((2 / Math.PI) / Math.sqrt(l3)) * (A[1][2] * (1 + A[0][0]) - A[0][1] * A[0][2]) / (1 + A[0][0]);
  },
  j2: (a11: number, a12: number, a22: number) => (2 / Math.PI) / Math.sqrt((1 + a11) * (1 + a22) - a12 * a12),
};
const clamp = (x: number) => Math.max(-1, Math.min(1, x));

type Logistic = "tanh" | "sigmoid" | "erf";
/**
 * Each unit as a + b gE(z / s) (a g factor) or b gE'(z / s) (a g' factor), averaged over s:
 * tanh(z) = E_K[gE(z / K)], tanh' = E_K[gE'(z/K) / K]; sigmoid(z) = (1 + tanh(z/2)) / 2, sigmoid'
 * = tanh'(z/2) / 4 = E_K[gE'(z / (2K)) / (4K)]; erf: gE itself (no average).
 */
interface Part { c: number; kind: 0 | 1 | 2 | 3; s: number } // kind: 0 constant, 1 gE, 2 gE', 3 z

function partsOf(name: Logistic, piece: "g" | "dg" | "z", k: number): Part[] {
  if (piece === "z") return [{ c: 1, kind: 3, s: 1 }];
  if (name === "erf") return [{ c: 1, kind: piece === "g" ? 1 : 2, s: 1 }];
  if (name === "tanh") return piece === "g" ? [{ c: 1, kind: 1, s: k }] : [{ c: 1 / k, kind: 2, s: k }];
  return piece === "g" ? [{ c: 0.5, kind: 0, s: 1 }, { c: 0.5, kind: 1, s: 2 * k }] : [{ c: 1 / (4 * k), kind: 2, s: 2 * k }];
}

/**
 * I2, I3, I4 or J2 of tanh / sigmoid / erf units by the mixture: the factors are
 * (variable, name, piece: "g" | "dg" | "z") in the order of the average; A the covariance.
 * Returns the value for the n-point rule (16, 24 or 32).
 */
export function logisticAverage(A: Matrix, factors: { v: number; name: Logistic; piece: "g" | "dg" | "z" }[], n: 16 | 24 | 32 = 32): number {
  const rule = kolmogorov.rules[String(n)];
  const m = factors.length;
  // per factor and mixing node: its parts (one node only for erf and z factors)
  const table = factors.map((f) => (f.piece === "z" || f.name === "erf" ? [partsOf(f.name, f.piece, 1)] : rule.nodes.map((k) => partsOf(f.name, f.piece, k))));
  const wts = factors.map((f) => (f.piece === "z" || f.name === "erf" ? [1] : rule.weights));
  const node = new Array(m).fill(0), choice = new Array(m).fill(0);
  const kinds = new Array<number>(m), vars = new Array<number>(m), scales = new Array<number>(m);
  let total = 0;
  const leaf = (weight: number) => {
    choice.fill(0);
    for (;;) {
      let c = weight, q = 0;
      for (let i = 0; i < m; i++) {
        const p = table[i][node[i]][choice[i]];
        c *= p.c;
        if (p.kind !== 0) { kinds[q] = p.kind; vars[q] = factors[i].v; scales[q] = p.s; q++; }
      }
      total += c * erfProduct(A, kinds, vars, scales, q);
      let i = 0;
      for (; i < m; i++) { if (++choice[i] < table[i][node[i]].length) break; choice[i] = 0; }
      if (i === m) break;
    }
  };
  const rec = (i: number, weight: number) => {
    if (i === m) { leaf(weight); return; }
    for (let j = 0; j < table[i].length; j++) { node[i] = j; rec(i + 1, weight * wts[i][j]); }
  };
  rec(0, 1);
  return total;
}

/** E[product of gE(z/s), gE'(z/s), z factors] by the closed forms (variables rescaled by 1/s). */
function erfProduct(A: Matrix, kinds: number[], vars: number[], s: number[], q: number): number {
  const B = (i: number, j: number) => A[vars[i]][vars[j]] / (s[i] * s[j]);
  let code = 0;
  for (let i = 0; i < q; i++) code = code * 10 + kinds[i];
  switch (code) {
    case 0: return 1;
    case 1: return 0;
    case 2: return Math.sqrt(2 / Math.PI) / Math.sqrt(1 + B(0, 0));
    case 11: return erfForms.i2(B(0, 0), B(0, 1), B(1, 1));
    case 22: return erfForms.j2(B(0, 0), B(0, 1), B(1, 1));
    case 23: return 0; // E[gE'(w) z] = C_wz E[gE''(w)] = 0
    case 231: return erfForms.i3([[B(0, 0), B(0, 1), B(0, 2)], [B(1, 0), B(1, 1), B(1, 2)], [B(2, 0), B(2, 1), B(2, 2)]]);
    case 221: return 0; // odd in w
    case 2211: return erfI4Scalars(B(0, 0), B(1, 1), B(2, 2), B(3, 3), B(0, 1), B(0, 2), B(0, 3), B(1, 2), B(1, 3), B(2, 3));
  }
  throw new Error(`erfProduct: no closed form for ${code}`);
}

function erfI4Scalars(a11: number, a22: number, a33: number, a44: number, a12: number, a13: number, a14: number, a23: number, a24: number, a34: number): number {
  const l4 = (1 + a11) * (1 + a22) - a12 * a12;
  const l0 = l4 * a34 - a23 * a24 * (1 + a11) - a13 * a14 * (1 + a22) + a12 * a13 * a24 + a12 * a14 * a23;
  const l1 = l4 * (1 + a33) - a23 * a23 * (1 + a11) - a13 * a13 * (1 + a22) + 2 * a12 * a13 * a23;
  const l2 = l4 * (1 + a44) - a24 * a24 * (1 + a11) - a14 * a14 * (1 + a22) + 2 * a12 * a14 * a24;
  return ((4 / (Math.PI * Math.PI)) / Math.sqrt(l4)) * Math.asin(clamp(l0 / Math.sqrt(l1 * l2)));
}

// ------------------------------------------------------------------------------ nested quadrature

/**
 * E[prod_f fn_f(z_{v_f})] over N(0, A) for at most two effective dimensions: eigenbasis,
 * adaptive Gauss-Legendre in both coordinates on [-U, U] with breakpoints at every zero of a
 * kinked variable (and at 0 for the outer coordinate, where all kink lines meet).
 */
export function quadrature2(A: Matrix, factors: { v: number; fn: (x: number) => number; kink: boolean }[], tol = 1e-13, absolute = false): number {
  const L = factorCovariance(A);
  const n = A.length;
  const { values } = symmetricEigen(A);
  const maxEig = Math.max(...values);
  const cols: number[] = [];
  for (let j = 0; j < n; j++) {
    const norm = Math.sqrt(L.reduce((s, row) => s + row[j] * row[j], 0));
    if (norm * norm > 1e-12 * maxEig) cols.push(j);
  }
  if (cols.length > 2) throw new Error("quadrature2: more than two effective dimensions");
  const U = 9;
  const phi = (u: number) => Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
  const z = (i: number, u: number[]) => cols.reduce((s, c, k) => s + L[i][c] * u[k], 0);
  const product = (u: number[]) => factors.reduce((s, f) => s * f.fn(z(f.v, u)), 1);
  // absolute: E|product|, the scale against which a tolerance is meaningful
  const value = absolute ? (u: number[]) => Math.abs(product(u)) : product;
  if (cols.length === 0) return value([]);
  if (cols.length === 1) {
    const breaks = factors.some((f) => f.kink) ? [-U, 0, U] : [-U, U];
    return integrateAdaptive((u) => phi(u) * value([u]), breaks, tol);
  }
  const [c0, c1] = cols;
  const inner = (u0: number) => {
    const br = [-U, U];
    for (const f of factors) {
      if (!f.kink) continue;
      const l1 = L[f.v][c1];
      if (Math.abs(l1) > 1e-14) {
        const x = -L[f.v][c0] * u0 / l1;
        if (x > -U && x < U) br.push(x);
      }
    }
    br.sort((a, b) => a - b);
    // the inner integral is weighted by phi(u0): its tolerance scales with 1 / phi(u0) (an
    // absolute tolerance far out in u0 is below the rounding of the large integrand there)
    return integrateAdaptive((u1) => phi(u1) * value([u0, u1]), br, tol / Math.max(phi(u0) * Math.sqrt(2 * Math.PI), 1e-300), 30);
  };
  return integrateAdaptive((u0) => phi(u0) * inner(u0), [-U, 0, U], tol);
}

export { gaussLegendre };
