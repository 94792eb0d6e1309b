// Pseudo-arclength continuation of G(x, p) = 0 in a scalar parameter p, with fold
// (saddle-node) detection by a sign change of the tangent's p-component and fold location by
// root-finding on that component along the branch (the fold is where G_x is singular and p is
// extremal, so p there is insensitive to the error in the fold's arclength position).
import { Matrix, SingularValueDecomposition, solve } from "ml-matrix";
import { centralDifference, richardsonJacobian } from "../numerics/differences";
import { newton } from "../numerics/newton";
import { maxAbs } from "../numerics/norms";
import { regulaFalsi } from "../numerics/regulaFalsi";

/** A system G(x, p) = 0 for pseudo-arclength continuation in the scalar p. */
export interface ContinuationProblem {
  /** Dimension of x. */
  n: number;
  /** G(x, p), of length n. */
  G(x: Float64Array, p: number): Float64Array;
  /** dG/dp (default: central difference with step 1e-6 max(1, |p|)). */
  Gp?(x: Float64Array, p: number): Float64Array;
  /** false outside the domain. */
  valid?(x: Float64Array): boolean;
}

/** Step sizes, parameter bounds and stopping rules of the continuation. */
export interface ContinuationSettings {
  /** First arclength step (default 0.02), bounds (dsMin 1e-6, dsMax 0.1). */
  ds?: number;
  dsMin?: number;
  dsMax?: number;
  /** Stop when p leaves [pMin, pMax]. */
  pMin?: number;
  pMax?: number;
  maxPoints?: number;
  /** Initial direction of p: +1 (default) or -1. */
  direction?: 1 | -1;
  /** Corrector tolerance on max |G| (default 1e-12). */
  tolerance?: number;
  /** Stop after this many folds (default 1). */
  maxFolds?: number;
}

export interface BranchPoint {
  x: Float64Array;
  p: number;
  /** Unit tangent (x-part then p) oriented along the continuation. */
  tangent: Float64Array;
}

/** A located fold of the branch. */
export interface Fold {
  x: Float64Array;
  p: number;
  /** Smallest singular value of G_x at the fold (Richardson-extrapolated Jacobian). */
  smallestSingularValue: number;
  /** Estimated error of that Jacobian's entries. */
  jacobianError: number;
  /** |tangent p-component| at the located point (0 at an exact fold). */
  tangentP: number;
  /** Index of the branch point just before the fold. */
  after: number;
}

/** The branch points, the folds found and why the continuation stopped. */
export interface ContinuationResult {
  points: BranchPoint[];
  folds: Fold[];
  status: "parameter-bound" | "max-points" | "folds" | "step-too-small";
  message: string;
}

const fdJacobian = (f: (x: Float64Array) => Float64Array, x: Float64Array) => richardsonJacobian(f, x, 1e-5).J;

function augmented(prob: ContinuationProblem, x: Float64Array, p: number): number[][] {
  const Gx = fdJacobian((y) => prob.G(y, p), x);
  const Gp = gp(prob, x, p);
  return Gx.map((row, i) => [...row, Gp[i]]);
}

function gp(prob: ContinuationProblem, x: Float64Array, p: number): Float64Array {
  if (prob.Gp) return prob.Gp(x, p);
  return centralDifference((q) => prob.G(x, q), p, 1e-6 * Math.max(1, Math.abs(p)))!;
}

/** Tangent t with [G_x G_p] t = 0, c . t = 1, normalised. */
function tangentAt(prob: ContinuationProblem, x: Float64Array, p: number, c: Float64Array): Float64Array {
  const A = augmented(prob, x, p);
  A.push(Array.from(c));
  const rhs = new Array<number>(prob.n + 1).fill(0);
  rhs.push(1);
  const t = solve(new Matrix(A), Matrix.columnVector(rhs.slice(1))).to1DArray();
  const norm = Math.hypot(...t);
  return Float64Array.from(t, (v) => v / norm);
}

/**
 * Newton on [G(z); t . (z - z0) - s] = 0 from z0 + s t (the arclength corrector): full steps, at
 * most 12; converged at max |G| <= tol with the arclength condition met to 1e-12, or after a
 * correction below 1e-15 (relative) from max |G| <= 100 tol, or with max |G| <= 100 tol at the end.
 * null when it fails or leaves the domain.
 */
function correct(prob: ContinuationProblem, z0: Float64Array, t: Float64Array, s: number, tol: number): Float64Array | null {
  const n = prob.n;
  const r = newton(
    (z) => {
      const G = prob.G(z.slice(0, n), z[n]);
      let arc = -s;
      for (let i = 0; i <= n; i++) arc += t[i] * (z[i] - z0[i]);
      return [...G, arc];
    },
    Float64Array.from(z0, (v, i) => v + s * t[i]),
    {
      damping: "none",
      maxIterations: 12,
      valid: prob.valid ? (z) => prob.valid!(z.slice(0, n)) : undefined,
      // the residual is max |G|; the arclength condition (linear, met after one step) separately
      norm: (F) => maxAbs(F.subarray(0, n)),
      solved: (res, F) => res <= tol && Math.abs(F[n]) <= 1e-12,
      looseTolerance: 100 * tol,
      jacobian: (z) => {
        const A = augmented(prob, z.slice(0, n), z[n]);
        A.push(Array.from(t));
        return A;
      },
      stop: (step) => maxAbs(step.direction) < 1e-15 * Math.max(1, maxAbs(step.x)) && step.previousResidual <= 100 * tol,
    },
  );
  return r.converged ? r.value : null;
}

/** Pseudo-arclength continuation of G(x, p) = 0 from (x0, p0), with fold detection and location. */
export function continueBranch(prob: ContinuationProblem, x0: ArrayLike<number>, p0: number, o: ContinuationSettings = {}): ContinuationResult {
  const n = prob.n;
  const dsMin = o.dsMin ?? 1e-6, dsMax = o.dsMax ?? 0.1;
  let ds = o.ds ?? 0.02;
  const pMin = o.pMin ?? -Infinity, pMax = o.pMax ?? Infinity;
  const maxPoints = o.maxPoints ?? 500;
  const tol = o.tolerance ?? 1e-12;
  const maxFolds = o.maxFolds ?? 1;
  const e = new Float64Array(n + 1);
  e[n] = o.direction ?? 1;
  let z = Float64Array.from([...Array.from(x0), p0]);
  let t = tangentAt(prob, z.subarray(0, n) as Float64Array, p0, e);
  if (t[n] * (o.direction ?? 1) < 0) t = t.map((v) => -v);
  const points: BranchPoint[] = [{ x: z.slice(0, n), p: p0, tangent: t }];
  const folds: Fold[] = [];
  while (points.length < maxPoints) {
    const next = correct(prob, z, t, ds, tol);
    if (!next) {
      ds /= 2;
      if (ds < dsMin) return { points, folds, status: "step-too-small", message: `the corrector failed at arclength step ${ds * 2} < dsMin = ${dsMin} after p = ${z[n]}` };
      continue;
    }
    let tn = tangentAt(prob, next.subarray(0, n) as Float64Array, next[n], t);
    if (tn.reduce((s, v, i) => s + v * t[i], 0) < 0) tn = tn.map((v) => -v);
    if (Math.sign(tn[n]) !== Math.sign(t[n]) && tn[n] !== 0) {
      folds.push(locateFold(prob, z, t, ds, tol, points.length - 1));
    }
    z = Float64Array.from(next);
    t = tn;
    points.push({ x: z.slice(0, n), p: z[n], tangent: t });
    if (folds.length >= maxFolds) return { points, folds, status: "folds", message: `stopped after ${folds.length} fold(s)` };
    if (z[n] > pMax || z[n] < pMin) return { points, folds, status: "parameter-bound", message: `parameter left [${pMin}, ${pMax}]` };
    ds = Math.min(dsMax, ds * 1.3);
  }
  return { points, folds, status: "max-points", message: `maxPoints = ${maxPoints} reached` };
}

/**
 * The point between z (arclength 0) and the next (arclength ds) where the tangent's
 * p-component vanishes: Illinois regula falsi on s -> t_p(z(s)), z(s) corrected with the
 * arclength constraint of the predictor (z, t).
 */
function locateFold(prob: ContinuationProblem, z: Float64Array, t: Float64Array, ds: number, tol: number, after: number): Fold {
  const n = prob.n;
  const at = (s: number) => {
    const w = s === 0 ? z : correct(prob, z, t, s, tol);
    if (!w) throw new Error(`fold location: the corrector failed at arclength ${s}`);
    const tw = tangentAt(prob, w.subarray(0, n) as Float64Array, w[n], t);
    return { w, tp: tw[n] };
  };
  const fa = at(0).tp, fb = at(ds).tp;
  // the answer is the last point evaluated (the loop below runs at least once; this first value
  // repeats fb's evaluation, which the reported evaluation counts include)
  let best = at(ds);
  regulaFalsi((s) => (best = at(s)).tp, 0, ds, { fa, fb, residualTolerance: 1e-13, tolerance: 1e-14, maxIterations: 60 });
  const x = best.w.slice(0, n), p = best.w[n];
  const jac = richardsonJacobian((y) => prob.G(y, p), x, 1e-3);
  const sv = new SingularValueDecomposition(new Matrix(jac.J)).diagonal;
  return { x, p, smallestSingularValue: Math.min(...sv), jacobianError: jac.errorEstimate, tangentP: Math.abs(best.tp), after };
}
