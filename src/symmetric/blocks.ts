// Eigenvalues of the full ODE's Jacobian at a site-symmetric state, block by block in the
// irreducible representations of S_K (students and teachers permuted together).
//
// The full state space (Q_ik for i <= k, R_in) decomposes under S_K as
//   Q_ii (K)            = [K] + [K-1,1]
//   Q_ik, i < k         = [K] + [K-1,1] + [K-2,2]
//   R_ii (K)            = [K] + [K-1,1]
//   R_in, i != n        = [K] + 2 [K-1,1] + [K-2,2] + [K-2,1,1]
// so at a symmetric state (where J commutes with the action) J has a 4 x 4 block on the trivial
// representation [K] (multiplicity 1), a 5 x 5 block on the standard one [K-1,1] (dimension K-1,
// so each eigenvalue K-1 times), a 2 x 2 block on [K-2,2] (dimension K(K-3)/2) and a 1 x 1 block
// on [K-2,1,1] (dimension (K-1)(K-2)/2): 4 + 5 (K-1) + K(K-3) + (K-1)(K-2)/2 = K(K+1)/2 + K^2 in
// all. (For K = 2 only [2] and [1,1] occur, with blocks 4 x 4 and 3 x 3; for K = 3 [1,1,1] but
// no [1,2].)
//
// Each block is the Jacobian of a reduced ODE restricted to a subspace: the states invariant
// under S_{K-p} (p = 0, 1, 2 labels singled out, assembly/ode/brokenSymmetry.ts) form an
// invariant subspace V_p of the full ODE, and V_p contains, of each irreducible representation,
// its S_{K-p}-fixed vectors: V_0 = [K] (4 dimensions); V_1 adds one vector of each copy of
// [K-1,1] (5); V_2 adds a second one of each [K-1,1] and one of [K-2,2] (2) and of [K-2,1,1] (1).
// In coordinates where the full space's inner product is Euclidean (z = sqrt(class size) * y),
//   trivial block: J_0;
//   standard: J_1 on the orthogonal complement of V_0 in V_1;
//   [K-2,2], [K-2,1,1]: J_2 on the orthogonal complement in V_2 of V_0 and of the two images of
//     that standard subspace (label 0 or label 1 singled out), split by the swap of labels 0 and 1
//     into its even part ([K-2,2]) and odd part ([K-2,1,1]).
// The reduced Jacobians J_p are finite differences of the reduced ODEs, i.e. the full Jacobian
// applied to directions that break the symmetry down to S_{K-p}. At a state on the boundary of
// the valid overlaps (perfect learning: student i = teacher i) a step in a coordinate direction
// leaves the valid set, so there the directions are weight-space moves as in
// src/fixedpoints/jacobian.ts: w_i -> w*_i + h sum_n A_in w*_n (A class-structured; two-sided)
// and a component orthogonal to every vector (Q += tau P, P positive semi-definite; one-sided,
// extrapolated in powers of tau^(1/2)).
import { Matrix, pseudoInverse } from "ml-matrix";
import { centralJacobian, sqrtRichardson } from "../fixedpoints/jacobian";
import { eigenvalues as eigenvaluesOf } from "../numerics/eigen";
import type { Eigenvalue } from "../fixedpoints/stability";
import { classIndex, relabel, fromSymmetric, ReducedOde, type ReducedClass } from "./reduced";
import { symmetricBlocksMinEigenvalue, type ResolvedSymmetricSetting } from "./options";

export type Representation = "trivial" | "standard" | "[K-2,2]" | "[K-2,1,1]";

export interface SymmetryBlock {
  representation: Representation;
  /** The partition of K: "[K]", "[K-1,1]", "[K-2,2]", "[K-2,1,1]" with K substituted. */
  partition: string;
  /** Size of the block (copies of the representation in the state space). */
  size: number;
  /** Dimension of the representation: each eigenvalue of the block occurs this often in the full Jacobian. */
  multiplicity: number;
  /** Eigenvalues of the block, by decreasing real part. */
  eigenvalues: Eigenvalue[];
  /** The block in an orthonormal basis of its subspace (see basis). */
  matrix: number[][];
  /** The basis vectors, as order-parameter classes with their coefficients (z coordinates: the full state's unit norm). */
  basis: { name: string; coefficient: number }[][];
}

export interface BlockJacobians {
  blocks: SymmetryBlock[];
  /** Largest estimated error of a reduced Jacobian entry. */
  errorEstimate: number;
  /** "interior" (central differences) or "boundary" (weight-space directions). */
  mode: "interior" | "boundary";
  /** Right-hand sides evaluated. */
  evaluations: number;
}

/** Multiplicity (dimension) of each representation of S_K. */
export function representationDimension(rep: Representation, K: number): number {
  switch (rep) {
    case "trivial": return 1;
    case "standard": return K - 1;
    case "[K-2,2]": return (K * (K - 3)) / 2;
    case "[K-2,1,1]": return ((K - 1) * (K - 2)) / 2;
  }
}

function partitionOf(rep: Representation, K: number): string {
  switch (rep) {
    case "trivial": return `[${K}]`;
    case "standard": return `[${K - 1},1]`;
    case "[K-2,2]": return `[${K - 2},2]`;
    case "[K-2,1,1]": return `[${K - 2},1,1]`;
  }
}

// ------------------------------------------------------------------ small dense linear algebra
type Vec = number[];
const dot = (a: Vec, b: Vec) => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));

/**
 * Appends to `basis` (orthonormal) the parts of `vectors` orthogonal to it (Gram-Schmidt twice);
 * a part shorter than tol times the vector's norm (or times `reference`) is dropped.
 */
function extendOrthonormal(basis: Vec[], vectors: Vec[], tol = 1e-8, reference?: number): Vec[] {
  const out = basis.map((b) => [...b]);
  for (const v0 of vectors) {
    const scale = reference ?? norm(v0);
    if (!(scale > 0)) continue;
    let v = [...v0];
    for (let pass = 0; pass < 2; pass++) {
      for (const b of out) {
        const c = dot(v, b);
        v = v.map((x, i) => x - c * b[i]);
      }
    }
    const n = norm(v);
    if (n > tol * scale) out.push(v.map((x) => x / n));
  }
  return out;
}

/** Orthonormal basis of the complement of span(basis) (orthonormal) in R^m. */
function complement(basis: Vec[], m: number): Vec[] {
  const unit = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  return extendOrthonormal(basis, unit).slice(basis.length);
}

function restrict(J: number[][], B: Vec[]): number[][] {
  // B^T J B (B orthonormal columns spanning an invariant subspace)
  const JB = B.map((b) => J.map((row) => dot(row, b)));
  return B.map((bi) => JB.map((jb) => dot(bi, jb)));
}

/** Eigenvalues by decreasing real part (src/numerics/eigen.ts). */
export { eigenvaluesOf };

// ------------------------------------------------------------------ reduced Jacobians
/** One or more vector fields evaluated together (e.g. F at eta = 1 and -1); Jacobians of each. */
type Field = (y: Float64Array) => Float64Array[];

/** A reduced ODE on its non-empty coordinates, scaled to z = sqrt(size) y. */
class ScaledReduction {
  readonly ode: ReducedOde;
  readonly sqrtSize: number[];
  constructor(setting: ResolvedSymmetricSetting, p: number) {
    this.ode = new ReducedOde(setting, p);
    this.sqrtSize = this.ode.active.map((i) => Math.sqrt(this.ode.classes[i].size));
  }
  get m(): number {
    return this.ode.active.length;
  }
  /** Full reduced coordinates -> active z. */
  toZ(y: ArrayLike<number>): Vec {
    return this.ode.active.map((i, a) => y[i] * this.sqrtSize[a]);
  }
  /** Jacobian dF/dy (active coordinates) -> dF_z/dz. */
  scaleJacobian(J: number[][]): number[][] {
    return J.map((row, a) => row.map((x, b) => (x * this.sqrtSize[a]) / this.sqrtSize[b]));
  }
  /** The fields' active components, concatenated. */
  activeOutputs(d: Float64Array[]): number[] {
    return d.flatMap((v) => this.ode.active.map((i) => v[i]));
  }
  activeField(F: Field, y0: ArrayLike<number>): (x: Float64Array) => Float64Array {
    const y = Float64Array.from(y0);
    return (x) => {
      this.ode.active.forEach((i, a) => (y[i] = x[a]));
      return Float64Array.from(this.activeOutputs(F(y)));
    };
  }
  /** Splits a stacked Jacobian (fields one after another) into one square matrix per field. */
  split(J: number[][]): number[][][] {
    const m = this.m;
    return Array.from({ length: J.length / m }, (_, f) => J.slice(f * m, (f + 1) * m));
  }
}

/**
 * Central-difference Jacobian of F (reduced coordinates, active ones) at an interior state:
 * Richardson-extrapolated (error ~h^4, with an error estimate) or, with plain, one central
 * difference (error ~h^2, 3x fewer evaluations; error estimate 0).
 */
function interiorJacobian(red: ScaledReduction, F: Field, y: Float64Array, step: number, plain: boolean): { J: number[][]; error: number } {
  const x0 = Float64Array.from(red.ode.active, (i) => y[i]);
  const f = red.activeField(F, y);
  if (plain) {
    const cols = Array.from(x0, (_, j) => {
      const up = Float64Array.from(x0), down = Float64Array.from(x0);
      up[j] += step;
      down[j] -= step;
      const a = f(up), b = f(down);
      return Array.from(a, (v, i) => (v - b[i]) / (2 * step));
    });
    return { J: cols[0].map((_, i) => cols.map((c) => c[i])), error: 0 };
  }
  const steps = Array.from(x0, () => step);
  const r = centralJacobian(f, x0, steps);
  return { J: r.J, error: r.errorEstimate };
}

/**
 * Jacobian at a boundary state of the form Q = t I, R = t I (perfect learning) from weight-space
 * moves (see the file comment). Directions: each non-empty R class kappa as a matrix A
 * (R(h) = t (I + h A), Q(h) = t (I + h A)(I + h A)^T), and Q += tau P for class-structured
 * positive semi-definite P (g g^T for g = e_s, e_s + e_s', 1_bulk, e_s + 1_bulk, and the bulk
 * identity).
 */
function boundaryJacobian(red: ScaledReduction, F: Field, y: Float64Array, t: number, t0: number): { J: number[][]; error: number } {
  const { p, classes, active } = red.ode;
  const K = red.ode.setting.K;
  const nb = K - p;
  const isBulk = (l: number) => l >= p;
  const dirs: Vec[] = [];
  const derivs: Vec[] = [];
  let err = 0;
  const act = (v: ArrayLike<number>) => active.map((i) => v[i]);
  const out = (v: Float64Array) => red.activeOutputs(F(v));
  const F0 = out(y);
  const nOut = F0.length;
  // span moves
  for (const kappa of active) {
    if (classes[kappa].kind !== "R") continue;
    // unit norm in the full state: a class of many entries moves each by 1/sqrt(size), so the
    // second-order term A A^T (a sum over K labels) stays O(h^2) whatever K
    const unit = 1 / Math.sqrt(classes[kappa].size);
    const A = (a: number, b: number) => (classIndex(p, "R", a, b) === kappa ? unit : 0);
    // (A A^T)_ab: explicit labels (specials, bulk among a, b) plus the other bulk labels
    const AAt = (a: number, b: number) => {
      const used = new Set<number>();
      for (let s = 0; s < p; s++) used.add(s);
      if (isBulk(a)) used.add(a);
      if (isBulk(b)) used.add(b);
      let s = 0;
      for (const c of used) s += A(a, c) * A(b, c);
      const free = nb - [...used].filter(isBulk).length;
      if (free > 0) {
        let f = p;
        while (used.has(f)) f++;
        s += free * A(a, f) * A(b, f);
      }
      return s;
    };
    const at = (h: number) => Float64Array.from(classes, (c) => {
      if (c.kind === "R") return t * ((c.a === c.b ? 1 : 0) + h * A(c.a, c.b));
      return t * ((c.a === c.b ? 1 : 0) + h * (A(c.a, c.b) + A(c.b, c.a)) + h * h * AAt(c.a, c.b));
    });
    const d = (h: number) => {
      const up = out(at(h)), down = out(at(-h));
      return up.map((x, q) => (x - down[q]) / (2 * h));
    };
    // D(h) = J + a |h| + b h^2 + c |h|^3 on the boundary: eliminate 1, 2, 3
    let table = [1, 2, 4, 8, 16].map((k) => d((10 * t0) / k));
    for (const pw of [1, 2, 3]) {
      const f = 2 ** pw;
      table = table.slice(0, -1).map((coarse, k) => coarse.map((c, q) => (f * table[k + 1][q] - c) / (f - 1)));
    }
    for (let q = 0; q < nOut; q++) err = Math.max(err, Math.abs(table[1][q] - table[0][q]));
    dirs.push(act(Float64Array.from(classes, (c) => (c.kind === "R" ? t * A(c.a, c.b) : t * (A(c.a, c.b) + A(c.b, c.a))))));
    derivs.push(table[1]);
  }
  // orthogonal moves Q += tau P
  const gens: ((a: number, b: number) => number)[] = [];
  const outer = (g: (l: number) => number) => (a: number, b: number) => g(a) * g(b);
  for (let s = 0; s < p; s++) gens.push(outer((l) => (l === s ? 1 : 0)));
  for (let s = 0; s < p; s++) for (let s2 = s + 1; s2 < p; s2++) gens.push(outer((l) => (l === s || l === s2 ? 1 : 0)));
  if (nb > 0) {
    gens.push(outer((l) => (isBulk(l) ? 1 : 0)));
    gens.push((a, b) => (a === b && isBulk(a) ? 1 : 0));
    for (let s = 0; s < p; s++) gens.push(outer((l) => (l === s || isBulk(l) ? 1 : 0)));
  }
  for (const P of gens) {
    const raw = Float64Array.from(classes, (c) => (c.kind === "Q" ? P(c.a, c.b) : 0));
    const size = Math.sqrt(classes.reduce((acc, c, i) => acc + c.size * raw[i] * raw[i], 0));
    const du = raw.map((x) => (t * x) / size);
    const { d, error } = sqrtRichardson((tau) => Float64Array.from(out(Float64Array.from(y, (x, j) => x + tau * du[j]))), Float64Array.from(F0), 64 * t0);
    err = Math.max(err, error);
    dirs.push(act(du));
    derivs.push(Array.from(d));
  }
  // J dirs = derivs, least squares
  const D = new Matrix(dirs).transpose();
  const Y = new Matrix(derivs).transpose();
  return { J: Y.mmul(pseudoInverse(D)).to2DArray(), error: err };
}

export interface BlockOptions {
  /** Finite-difference base step relative to t (default 1e-3; interior states: at most a tenth of the overlap matrix's smallest eigenvalue). */
  step?: number;
  /** Interior states: one central difference per direction (3x cheaper, error ~step^2, no error estimate) instead of the Richardson-extrapolated one. */
  plain?: boolean;
  /** Which blocks (default all that exist for this K). */
  representations?: Representation[];
}

const ALL: Representation[] = ["trivial", "standard", "[K-2,2]", "[K-2,1,1]"];

/** The reductions and the orthonormal bases of the blocks' subspaces (z coordinates), for one K. */
interface BlockBases {
  reductions: ScaledReduction[];
  /** Per representation: which reduction and basis. */
  subspaces: { rep: Representation; p: number; basis: Vec[] }[];
}

function blockBases(setting: ResolvedSymmetricSetting, wanted: Set<Representation>): BlockBases {
  const K = setting.K;
  const subspaces: BlockBases["subspaces"] = [];
  const r0 = new ScaledReduction(setting, 0);
  const reductions = [r0];
  // trivial: the p = 0 reduction's coordinates are (Q, C, R, S) (C, S empty for K = 1)
  if (wanted.has("trivial")) subspaces.push({ rep: "trivial", p: 0, basis: complement([], r0.m) });
  const needStd = K >= 2 && (wanted.has("standard") || wanted.has("[K-2,2]") || wanted.has("[K-2,1,1]"));
  if (!needStd) return { reductions, subspaces };
  const trivialIn = (red: ScaledReduction) => {
    // the four (Q, C, R, S) unit directions lifted, in z coordinates
    const cols = [0, 1, 2, 3].map((k) => red.toZ(fromSymmetric(red.ode.p, [0, 1, 2, 3].map((j) => (j === k ? 1 : 0)))));
    return extendOrthonormal([], cols);
  };
  const r1 = new ScaledReduction(setting, 1);
  reductions.push(r1);
  const Bstd = complement(trivialIn(r1), r1.m);
  if (wanted.has("standard")) subspaces.push({ rep: "standard", p: 1, basis: Bstd });
  if (!(K >= 3 && (wanted.has("[K-2,2]") || wanted.has("[K-2,1,1]")))) return { reductions, subspaces };
  const r2 = new ScaledReduction(setting, 2);
  reductions.push(r2);
  // the standard subspace inside V_2: Bstd with label 0 or label 1 singled out
  const fullY1 = (z: Vec) => {
    const y = new Float64Array(r1.ode.dimension);
    r1.ode.active.forEach((i, a) => (y[i] = z[a] / r1.sqrtSize[a]));
    return y;
  };
  const embed = (s: number) => (z: Vec) => r2.toZ(relabel(2, fullY1(z), 1, (l) => (l === s ? 0 : l === 1 - s ? 1 : l)));
  const known = extendOrthonormal(trivialIn(r2), [...Bstd.map(embed(0)), ...Bstd.map(embed(1))]);
  const X = complement(known, r2.m);
  // swap of labels 0 and 1 as a permutation of the z coordinates
  const swapIndex = r2.ode.active.map((i) => {
    const c: ReducedClass = r2.ode.classes[i];
    const sw = (l: number) => (l === 0 ? 1 : l === 1 ? 0 : l);
    return r2.ode.active.indexOf(classIndex(2, c.kind, sw(c.a), sw(c.b)));
  });
  const swap = (v: Vec) => swapIndex.map((j) => v[j]);
  // (X is orthonormal and swap-invariant: (1 +- swap) v has norm <= 2 or is ~0)
  const even = extendOrthonormal([], X.map((v) => { const w = swap(v); return v.map((x, i) => x + w[i]); }), 1e-8, 1);
  const odd = extendOrthonormal([], X.map((v) => { const w = swap(v); return v.map((x, i) => x - w[i]); }), 1e-8, 1);
  if (even.length + odd.length !== X.length) throw new Error(`internal: swap split ${even.length} + ${odd.length} != ${X.length}`);
  if (wanted.has("[K-2,2]") && even.length > 0) subspaces.push({ rep: "[K-2,2]", p: 2, basis: even });
  if (wanted.has("[K-2,1,1]") && odd.length > 0) subspaces.push({ rep: "[K-2,1,1]", p: 2, basis: odd });
  // every direction accounted for: the blocks' sizes times dimensions add up to the state dimension
  if (wanted.size === ALL.length) {
    const total = subspaces.reduce((a, b) => a + b.basis.length * representationDimension(b.rep, K), 0);
    if (total !== (K * (K + 1)) / 2 + K * K) throw new Error(`internal: blocks cover ${total} of ${(K * (K + 1)) / 2 + K * K} directions`);
  }
  return { reductions, subspaces };
}

function basisNames(red: ScaledReduction, B: Vec[]): { name: string; coefficient: number }[][] {
  return B.map((b) => b.map((c, a) => ({ name: red.ode.classes[red.ode.active[a]].name, coefficient: c })).filter((x) => Math.abs(x.coefficient) > 1e-12));
}

/** Blocks of each of the fields' Jacobians (jacobians(p): one scaled matrix per field for the p-reduction). */
function assemble(setting: ResolvedSymmetricSetting, bases: BlockBases, jacobians: (red: ScaledReduction) => number[][][]): SymmetryBlock[][] {
  const K = setting.K;
  const cache = new Map<number, number[][][]>();
  const get = (p: number) => {
    if (!cache.has(p)) cache.set(p, jacobians(bases.reductions[p]));
    return cache.get(p)!;
  };
  const perField: SymmetryBlock[][] = [];
  for (const sub of bases.subspaces) {
    const Js = get(sub.p);
    Js.forEach((J, f) => {
      const matrix = restrict(J, sub.basis);
      (perField[f] ??= []).push({ representation: sub.rep, partition: partitionOf(sub.rep, K), size: sub.basis.length, multiplicity: representationDimension(sub.rep, K), eigenvalues: eigenvaluesOf(matrix), matrix, basis: basisNames(bases.reductions[sub.p], sub.basis) });
    });
  }
  return perField;
}

/** The Jacobian's blocks at the site-symmetric state y0 = (Q, C, R, S) and learning rate eta. */
export function symmetryBlocks(setting: ResolvedSymmetricSetting, y0: ArrayLike<number>, eta: number, o: BlockOptions = {}): BlockJacobians {
  const K = setting.K;
  const t = setting.T;
  const step = (o.step ?? 1e-3) * t;
  const wanted = new Set<Representation>(o.representations ?? ALL);
  const [lead, rest] = symmetricBlocksMinEigenvalue(K, t, y0[0], y0[1], y0[2], y0[3]);
  const scale = Math.max(y0[0], t, Math.abs(y0[0] + (K - 1) * y0[1]));
  const boundary = Math.min(lead, rest) < 1e-9 * scale;
  // perfect learning is the one boundary state handled (the weight-space moves start from w_i = w*_i)
  if (boundary && !(y0[0] === t && y0[1] === 0 && y0[2] === t && y0[3] === 0)) {
    throw new RangeError(`the overlap matrix at (Q, C, R, S) = (${Array.from(y0).join(", ")}) is singular: block eigenvalues are implemented there only for perfect learning (Q = R = T, C = S = 0)`);
  }
  // keep the stencil inside the valid set
  const h = boundary ? step : Math.min(step, Math.min(lead, rest) / 10);
  let evaluations = 0;
  let error = 0;
  const bases = blockBases(setting, wanted);
  const blocks = assemble(setting, bases, (red) => {
    const F: Field = (y) => [red.ode.rhs(y, eta)];
    const before = red.ode.evaluations;
    const y = fromSymmetric(red.ode.p, y0);
    const r = boundary ? boundaryJacobian(red, F, y, t, step) : interiorJacobian(red, F, y, h, o.plain ?? false);
    evaluations += red.ode.evaluations - before;
    error = Math.max(error, r.error);
    return [red.scaleJacobian(r.J)];
  })[0] ?? [];
  return { blocks, errorEstimate: error, mode: boundary ? "boundary" : "interior", evaluations };
}

/**
 * At perfect learning (Q = R = t, C = S = 0, a fixed point for every eta) F = eta A + eta^2 B:
 * the blocks of J_A and J_B (from the Jacobians at eta = 1 and -1: J_A = (J(1) - J(-1)) / 2,
 * J_B = (J(1) + J(-1)) / 2), so that J(eta) = eta (J_A + eta J_B) block by block without new
 * right-hand sides.
 */
export function perfectPointBlocks(setting: ResolvedSymmetricSetting, o: { step?: number } = {}): { A: SymmetryBlock[]; B: SymmetryBlock[]; errorEstimate: number; evaluations: number } {
  const t = setting.T;
  const step = (o.step ?? 1e-3) * t;
  let evaluations = 0, error = 0;
  const bases = blockBases(setting, new Set(ALL));
  const [A, B] = assemble(setting, bases, (red) => {
    const F: Field = (y) => {
      const p = red.ode.rhs(y, 1), m = red.ode.rhs(y, -1);
      return [Float64Array.from(p, (v, i) => 0.5 * (v - m[i])), Float64Array.from(p, (v, i) => 0.5 * (v + m[i]))];
    };
    const before = red.ode.evaluations;
    const r = boundaryJacobian(red, F, fromSymmetric(red.ode.p, [t, 0, t, 0]), t, step);
    evaluations += red.ode.evaluations - before;
    error = Math.max(error, r.error);
    return red.split(r.J).map((J) => red.scaleJacobian(J));
  });
  return { A, B, errorEstimate: error, evaluations };
}
