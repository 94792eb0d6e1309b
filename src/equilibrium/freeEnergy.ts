// Site-symmetric free energy of [O] (docs/theory.md section 5): beta f = alpha K eps_g(R, S, C) - s(R, S, C)
// with its analytic gradient and Hessian in (R, S, C).
import { EQUILIBRIUM_ACTIVATIONS } from "../options/values";
import { checkOption } from "../options/check";
import { equilibriumActivation, equilibriumK } from "../options/catalog/equilibrium";
import * as check from "../core/validate";

/** Activations of the equilibrium theory: "relu" and "sigmoid" (1 + erf(x / sqrt 2), as in [O]); declared in the option schema. */
export { EQUILIBRIUM_ACTIVATIONS };
/** One of EQUILIBRIUM_ACTIVATIONS. */
export type EquilibriumActivation = (typeof EQUILIBRIUM_ACTIVATIONS)[number];

/** Largest K accepted: the formulas are closed in K, but beyond ~1e6 the (K-1)-weighted terms lose too many digits. */
export const MAX_K = equilibriumK.range!.max!;

/** Activation, K, alpha and the site-symmetric overlaps R, S, C. */
export interface FreeEnergyOptions {
  activation: EquilibriumActivation;
  /** Hidden units of student and teacher (K = M), integer 1..1e6. */
  K: number;
  /** Scaled training-set size alpha = beta P / (K N) >= 0. */
  alpha: number;
  /** R = R_ii, S = R_ij (i != j), C = Q_ik (i != k). For K = 1 only R enters (S and C are ignored). */
  R: number;
  S?: number;
  C?: number;
}

/** beta f, eps_g and s with analytic gradient and Hessian, or why the point is outside the domain. */
export interface FreeEnergyResult {
  /** False when a logarithm's argument is <= 0 (then the values below are null). */
  inDomain: boolean;
  /** Why the point lies outside the domain. */
  message: string;
  /** The two logarithms' arguments a = 1 - C - (R-S)^2 and b = 1 + (K-1) C - (R - S + K S)^2. */
  a: number;
  b: number;
  eg: number | null;
  entropy: number | null;
  freeEnergy: number | null;
  /** d(beta f)/d(R, S, C); for K = 1 the S and C entries are 0. */
  gradient: number[] | null;
  /** 3 x 3 Hessian in (R, S, C) (rows/columns of S and C are zero for K = 1). */
  hessian: number[][] | null;
  /** d eps_g / d(R, S, C) and d s / d(R, S, C). */
  egGradient: number[] | null;
  entropyGradient: number[] | null;
}

/** The model the solvers evaluate many times: activation and K. */
export interface Model {
  activation: EquilibriumActivation;
  K: number;
}

const INV_2PI = 1 / (2 * Math.PI);

/** Where eps_g is defined: |R|, |S|, |C| <= 1 (asin arguments). */
function egDefined(K: number, R: number, S: number, C: number): boolean {
  return Math.abs(R) <= 1 && (K === 1 || (Math.abs(S) <= 1 && Math.abs(C) <= 1));
}

/**
 * eps_g and its first two derivatives, written into out: [eg, eR, eS, eC, eRR, eSS, eCC] (eps_g is a
 * sum of one-variable terms, so its Hessian is diagonal).
 * ReLU: eps_g = 1/2 - f(R) + (K-1) [C/8 - S/4 + h(C)/2 - h(S)] with h(x) = f(x) - f(0) - x/4
 * = (sqrt(1-x^2) - 1 + x asin x)/(2 pi): the same sum as docs/theory.md section 5, regrouped so that the O(K)
 * constants cancel exactly instead of in floating point.
 */
export function egTerms(m: Model, R: number, S: number, C: number, out: Float64Array): void {
  const k1 = m.K - 1;
  if (m.activation === "relu") {
    const f = (x: number) => x / 4 + (Math.sqrt(1 - x * x) + x * Math.asin(x)) * INV_2PI;
    const h = (x: number) => (-(x * x) / (1 + Math.sqrt(1 - x * x)) + x * Math.asin(x)) * INV_2PI;
    const h1 = (x: number) => Math.asin(x) * INV_2PI; // h'(x); f'(x) = 1/4 + h'(x)
    const h2 = (x: number) => INV_2PI / Math.sqrt(1 - x * x); // f'' = h''
    out[0] = 0.5 - f(R) + (k1 === 0 ? 0 : k1 * (C / 8 - S / 4 + h(C) / 2 - h(S)));
    out[1] = -(0.25 + h1(R));
    out[2] = k1 * (-0.25 - h1(S));
    out[3] = k1 * (0.125 + h1(C) / 2);
    out[4] = -h2(R);
    out[5] = k1 === 0 ? 0 : -k1 * h2(S);
    out[6] = k1 === 0 ? 0 : (k1 * h2(C)) / 2;
  } else {
    // sigmoid 1 + erf(x/sqrt 2): eps_g = 1/3 + (K-1)/pi [asin(C/2) - 2 asin(S/2)] - (2/pi) asin(R/2)
    const d1 = (x: number) => 1 / Math.sqrt(4 - x * x); // d asin(x/2) / dx
    const d2 = (x: number) => x / ((4 - x * x) * Math.sqrt(4 - x * x));
    const p = 1 / Math.PI;
    out[0] = 1 / 3 + (k1 === 0 ? 0 : k1 * p * (Math.asin(C / 2) - 2 * Math.asin(S / 2))) - 2 * p * Math.asin(R / 2);
    out[1] = -2 * p * d1(R);
    out[2] = -2 * k1 * p * d1(S);
    out[3] = k1 * p * d1(C);
    out[4] = -2 * p * d2(R);
    out[5] = k1 === 0 ? 0 : -2 * k1 * p * d2(S);
    out[6] = k1 === 0 ? 0 : k1 * p * d2(C);
  }
  if (k1 === 0) out[2] = out[3] = 0;
}

/** The logarithms' arguments a = 1 - C - (R-S)^2 (multiplicity K-1) and b = 1 + (K-1)C - (R + (K-1)S)^2. */
export function logArguments(K: number, R: number, S: number, C: number): [number, number] {
  if (K === 1) return [1, 1 - R * R];
  const d = R - S, m = R + (K - 1) * S;
  return [1 - C - d * d, 1 + (K - 1) * C - m * m];
}

/**
 * Entropy s = 1/2 ln b + (K-1)/2 ln a and derivatives into out: [s, sR, sS, sC, then the 3x3
 * Hessian row-major at 4..12]. Returns false (out untouched) outside the domain a > 0, b > 0.
 */
export function entropyTerms(K: number, R: number, S: number, C: number, out: Float64Array): boolean {
  const [a, b] = logArguments(K, R, S, C);
  if (!(a > 0 && b > 0)) return false;
  const k1 = K - 1;
  const m = K === 1 ? R : R + k1 * S;
  // b: gradient (-2m, -2(K-1)m, K-1), Hessian -2 [1, K-1; K-1, (K-1)^2] in (R, S), 0 in C
  const gb = [-2 * m, -2 * k1 * m, k1];
  const Hb = [-2, -2 * k1, 0, -2 * k1, -2 * k1 * k1, 0, 0, 0, 0];
  out[0] = 0.5 * Math.log(b);
  for (let i = 0; i < 3; i++) out[1 + i] = (0.5 * gb[i]) / b;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[4 + 3 * i + j] = 0.5 * (Hb[3 * i + j] / b - (gb[i] * gb[j]) / (b * b));
  if (k1 > 0) {
    const d = R - S;
    // a: gradient (-2d, 2d, -1), Hessian -2 [1, -1; -1, 1] in (R, S), 0 in C
    const ga = [-2 * d, 2 * d, -1];
    const Ha = [-2, 2, 0, 2, -2, 0, 0, 0, 0];
    const w = 0.5 * k1;
    out[0] += w * Math.log(a);
    for (let i = 0; i < 3; i++) out[1 + i] += (w * ga[i]) / a;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[4 + 3 * i + j] += w * (Ha[3 * i + j] / a - (ga[i] * ga[j]) / (a * a));
  } else {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i > 0 || j > 0) out[4 + 3 * i + j] = 0;
    out[2] = out[3] = 0;
  }
  return true;
}

/**
 * Everything at once for the solvers: out = [F, gR, gS, gC, H (9, row-major), eg, s]; returns false
 * outside the domain.
 */
export class Evaluator {
  private readonly e = new Float64Array(7);
  private readonly s = new Float64Array(13);
  constructor(readonly model: Model) {}
  eval(alpha: number, R: number, S: number, C: number, out: Float64Array): boolean {
    const K = this.model.K;
    if (!entropyTerms(K, R, S, C, this.s)) return false;
    egTerms(this.model, R, S, C, this.e);
    const e = this.e, s = this.s, aK = alpha * K;
    out[0] = aK * e[0] - s[0];
    for (let i = 0; i < 3; i++) out[1 + i] = aK * e[1 + i] - s[1 + i];
    for (let i = 0; i < 9; i++) out[4 + i] = -s[4 + i];
    out[4] += aK * e[4];
    out[8] += aK * e[5];
    out[12] += aK * e[6];
    out[13] = e[0];
    out[14] = s[0];
    return true;
  }
  /** Only the value (Infinity outside the domain): for line searches and brute-force grids. */
  value(alpha: number, R: number, S: number, C: number): number {
    const K = this.model.K;
    const [a, b] = logArguments(K, R, S, C);
    if (!(a > 0 && b > 0)) return Infinity;
    egTerms(this.model, R, S, C, this.e);
    const s = 0.5 * Math.log(b) + (K > 1 ? 0.5 * (K - 1) * Math.log(a) : 0);
    return alpha * K * this.e[0] - s;
  }
}

export function checkModel(activation: unknown, K: unknown): Model {
  return { activation: checkOption<EquilibriumActivation>(equilibriumActivation, activation), K: checkOption<number>(equilibriumK, K) };
}

/** beta f, eps_g, s with analytic gradient and Hessian in (R, S, C) at one point. */
export function freeEnergy(options: FreeEnergyOptions): FreeEnergyResult {
  if (options === null || typeof options !== "object") throw new TypeError(`freeEnergy options must be an object; got ${String(options)}`);
  const model = checkModel(options.activation, options.K);
  const alpha = check.number("alpha", options.alpha, { min: 0 });
  const R = check.number("R", options.R);
  const S = model.K === 1 ? 0 : check.number("S", options.S ?? 0);
  const C = model.K === 1 ? 0 : check.number("C", options.C ?? 0);
  const [a, b] = logArguments(model.K, R, S, C);
  const eOut = new Float64Array(7);
  const egOk = egDefined(model.K, R, S, C);
  if (egOk) egTerms(model, R, S, C, eOut);
  const base = { a, b, eg: egOk ? eOut[0] : null };
  if (!(a > 0 && b > 0)) {
    const why = [!(a > 0) ? `a = 1 - C - (R-S)^2 = ${a} <= 0` : "", !(b > 0) ? `b = 1 + (K-1)C - (R-S+KS)^2 = ${b} <= 0` : ""].filter(Boolean).join(" and ");
    return { inDomain: false, message: `outside the domain of the entropy (${why}): the overlaps are not those of unit-norm students`, ...base, entropy: null, freeEnergy: null, gradient: null, hessian: null, egGradient: null, entropyGradient: null };
  }
  const out = new Float64Array(15);
  new Evaluator(model).eval(alpha, R, S, C, out);
  const sOut = new Float64Array(13);
  entropyTerms(model.K, R, S, C, sOut);
  return {
    inDomain: true,
    message: "inside the domain",
    ...base,
    entropy: out[14],
    freeEnergy: out[0],
    gradient: [out[1], out[2], out[3]],
    hessian: [[out[4], out[5], out[6]], [out[7], out[8], out[9]], [out[10], out[11], out[12]]],
    egGradient: [eOut[1], eOut[2], eOut[3]],
    entropyGradient: [sOut[1], sOut[2], sOut[3]],
  };
}
