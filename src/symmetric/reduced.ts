// The reduced ODEs with p = 0, 1, 2 singled-out labels (assembly/ode/brokenSymmetry.ts): their
// coordinates ("classes" of equal order parameters), the size of each class in the full state
// u = (Q_ik for i <= k, R_in), and maps between the reductions. Labels 0..p-1 are the special
// ones; p, p+1, ... stand for distinct bulk labels (all K - p of them equivalent).
import { acquireInstance } from "../core/engine";
import { ACTIVATION_CODE, teacherCode } from "../core/exports";
import type { ResolvedSymmetricSetting } from "./options";
import { applyActivationParameters } from "../core/activationParameters";

export type Kind = "Q" | "R";

export interface ReducedClass {
  kind: Kind;
  /** Representative labels: Q_ab (student a, student b) or R_ab (student a, teacher b). */
  a: number;
  b: number;
  /** Number of coordinates of the full state in this class (0: the class is empty for this K). */
  size: number;
  /** Readable name, specials 1..p and bulk b, b': "Q_11", "R_1b", "Q_bb'". */
  name: string;
}

export const dimensionOf = (p: number) => (p * (p + 1)) / 2 + p + 2 + p * p + 2 * p + 2;

/** Index of Q_ab / R_ab in the reduced coordinates (the order of brokenSymmetry.ts). */
export function classIndex(p: number, kind: Kind, a: number, b: number): number {
  if (kind === "Q") {
    if (a > b) [a, b] = [b, a];
    if (b < p) return a * p - (a * (a - 1)) / 2 + (b - a);
    if (a < p) return (p * (p + 1)) / 2 + a;
    return (p * (p + 1)) / 2 + p + (a === b ? 0 : 1);
  }
  const base = (p * (p + 1)) / 2 + p + 2;
  if (a < p && b < p) return base + a * p + b;
  if (a < p) return base + p * p + a;
  if (b < p) return base + p * p + p + b;
  return base + p * p + 2 * p + (a === b ? 0 : 1);
}

/** The classes of the reduction with p special labels, in coordinate order. */
export function reducedClasses(p: number, K: number): ReducedClass[] {
  const out: ReducedClass[] = new Array(dimensionOf(p));
  const nb = K - p;
  const nm = (l: number, bulkSecond = false) => (l < p ? String(l + 1) : bulkSecond ? "b'" : "b");
  const put = (kind: Kind, a: number, b: number, size: number) => {
    out[classIndex(p, kind, a, b)] = { kind, a, b, size: Math.max(0, size), name: `${kind}_${nm(a)}${nm(b, a >= p && b >= p && a !== b)}` };
  };
  for (let s = 0; s < p; s++) for (let s2 = s; s2 < p; s2++) put("Q", s, s2, 1);
  for (let s = 0; s < p; s++) put("Q", s, p, nb);
  put("Q", p, p, nb);
  put("Q", p, p + 1, (nb * (nb - 1)) / 2);
  for (let s = 0; s < p; s++) for (let s2 = 0; s2 < p; s2++) put("R", s, s2, 1);
  for (let s = 0; s < p; s++) put("R", s, p, nb);
  for (let s = 0; s < p; s++) put("R", p, s, nb);
  put("R", p, p, nb);
  put("R", p, p + 1, nb * (nb - 1));
  return out;
}

/**
 * Reduced coordinates of the p-reduction from those of a source reduction, by a map of labels:
 * the class of (a, b) takes the value of the source class of (phi(a), phi(b)). phi must keep
 * distinct labels distinct and send bulk labels to bulk labels of the source.
 */
export function relabel(p: number, source: ArrayLike<number>, sourceP: number, phi: (l: number) => number): Float64Array {
  const classes = reducedClasses(p, Number.MAX_SAFE_INTEGER);
  return Float64Array.from(classes, (c) => source[classIndex(sourceP, c.kind, phi(c.a), phi(c.b))]);
}

/** The site-symmetric state (Q, C, R, S) in the coordinates of the p-reduction. */
export function fromSymmetric(p: number, y0: ArrayLike<number>): Float64Array {
  return Float64Array.from(reducedClasses(p, Number.MAX_SAFE_INTEGER), (c) =>
    c.kind === "Q" ? (c.a === c.b ? y0[0] : y0[1]) : c.a === c.b ? y0[2] : y0[3]);
}

/** Evaluates the reduced ODE with p special labels in the core. */
export class ReducedOde {
  readonly p: number;
  readonly dimension: number;
  readonly classes: ReducedClass[];
  /** Coordinates of the non-empty classes. */
  readonly active: number[];
  evaluations = 0;
  /** An instance of the core of this system's own. */
  private readonly core = acquireInstance();
  constructor(readonly setting: ResolvedSymmetricSetting, p: number) {
    if (!(p >= 0 && p <= 2 && Number.isInteger(p))) throw new RangeError(`p must be 0, 1 or 2; got ${p}`);
    this.p = p;
    this.dimension = dimensionOf(p);
    this.classes = reducedClasses(p, setting.K);
    this.active = this.classes.flatMap((c, i) => (c.size > 0 ? [i] : []));
  }
  /** F(y; eta) in all coordinates (0 for the empty classes). */
  rhs(y: ArrayLike<number>, eta: number): Float64Array {
    const e = this.core, x = e.exports, s = this.setting;
    applyActivationParameters(e, s, s.averageTolerance);
    x.configureBroken(this.p, s.K, s.v, s.vStar, s.T, eta, ACTIVATION_CODE[s.activation], teacherCode(s));
    const v = e.f64;
    const py = x.brokenPtrY() >> 3;
    for (let i = 0; i < this.dimension; i++) v[py + i] = y[i];
    x.evaluateBrokenRhs();
    this.evaluations++;
    const pd = x.brokenPtrDy() >> 3;
    return e.f64.slice(pd, pd + this.dimension);
  }
}
