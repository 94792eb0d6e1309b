// Where a branch of minima ends or loses stability, located directly as the solution of an extended
// system instead of by continuation (which near a fold converges only linearly and runs out of steps):
//   fold:         g(u, alpha) = 0,  H(u, alpha) v = 0,  l . v = 1          (2n + 1 unknowns u, v, alpha)
//   R = S branch: g_f(u, alpha) = 0 (u_0 = p = 0),  H_00(u, alpha) = 0    (n unknowns u_f, alpha)
// solved by Newton. g and H are analytic; their derivatives in u (the third derivatives of beta f)
// and in alpha are central differences of the analytic g and H: they only enter the Jacobian, so
// they set the convergence rate, not the answer (which is fixed by the analytic residual).
import type { FreeEnergyModel } from "./freeEnergyModel";
import { centralDifference } from "../numerics/differences";
import { gaussLegendreIntegral } from "../numerics/gaussLegendre";
import { jacobiEigen } from "../numerics/jacobiEigen";
import { solveSmall } from "../numerics/linearSolve";
import { newton } from "../numerics/newton";

export interface CriticalPoint {
  alpha: number;
  u: Float64Array;
  /** Null eigenvector of the Hessian (unit length). */
  v: Float64Array;
  /**
   * Relative accuracy of alpha reached: the larger of the last Newton correction and the rounding of
   * the residual at the solution carried through the inverse Jacobian to alpha.
   */
  tolerance: number;
  iterations: number;
  converged: boolean;
}

/** Relative step of the central differences in u (unit-scale coordinates) and in alpha. */
const FD_U = 1e-6;
const FD_ALPHA = 1e-6;

class Evaluations {
  readonly n: number;
  readonly g: Float64Array;
  readonly H: Float64Array;
  constructor(readonly fe: FreeEnergyModel) {
    this.n = fe.n;
    this.g = new Float64Array(fe.n);
    this.H = new Float64Array(fe.n * fe.n);
  }
  /** g and H at (u, alpha), copied; null outside the domain. */
  at(alpha: number, u: ArrayLike<number>): { g: Float64Array; H: Float64Array } | null {
    if (!this.fe.inDomain(u)) return null;
    const r = this.fe.eval(alpha, u, this.g, this.H);
    if (!Number.isFinite(r.F)) return null;
    return { g: Float64Array.from(this.g), H: Float64Array.from(this.H) };
  }
  /** d g / d alpha and d H / d alpha by central differences. */
  dAlpha(alpha: number, u: ArrayLike<number>): { g: Float64Array; H: Float64Array } | null {
    const d = centralDifference((a) => {
      const e = this.at(a, u);
      return e ? [...e.g, ...e.H] : null;
    }, alpha, FD_ALPHA * Math.max(alpha, 1e-3));
    return d ? { g: d.slice(0, this.n), H: d.slice(this.n) } : null;
  }
  /** d H / d u along the direction d (sum_k T_ijk d_k) by central differences. */
  dHalong(alpha: number, u: ArrayLike<number>, d: ArrayLike<number>): Float64Array | null {
    let norm = 0;
    for (let k = 0; k < this.n; k++) norm = Math.max(norm, Math.abs(d[k]));
    if (norm === 0) return new Float64Array(this.n * this.n);
    // step: FD_U, shortened to FD_U / sqrt(d.H.d) where the curvature along d is large (near a
    // logarithm's boundary the Hessian changes on the scale of the distance to it, ~ 1 / sqrt(H))
    const e0 = this.at(alpha, u);
    if (!e0) return null;
    let dHd = 0;
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) dHd += (d[i] / norm) * e0.H[i * this.n + j] * (d[j] / norm);
    const h = (FD_U * Math.min(1, 1 / Math.sqrt(Math.abs(dHd)))) / norm;
    // u + t d at t = +-h
    return centralDifference((t) => this.at(alpha, Float64Array.from(u as ArrayLike<number>, (x, k) => x + t * d[k]))?.H ?? null, 0, h);
  }
}

/**
 * Newton on residual(z) = 0 with Jacobian jac(z) (dense, small), z's last entry alpha; null residual
 * outside the domain. Damped while far (the extended system is only locally convergent): each step
 * at most 10 % of the coordinates' scale, halved until inside the domain. Stops when alpha's
 * correction is below 1e-15 relative or stops shrinking (the residual's rounding floor). The
 * accuracy of alpha: the last correction, or the residual (rounding) carried to alpha by the
 * Jacobian's inverse.
 */
function newtonExtended(z0: Float64Array, residual: (z: Float64Array) => Float64Array | null, jac: (z: Float64Array) => Float64Array | null, scale: (z: Float64Array) => Float64Array): { z: Float64Array; tolerance: number; iterations: number; converged: boolean } {
  const N = z0.length;
  let prevStep = Infinity, lastStep = Infinity, stalled = 0;
  const recent: number[] = [];
  const result = newton(residual, z0, {
    direction: (z, r) => {
      const J = jac(z);
      const dz = J ? solveSmall(J, r, N) : null;
      return dz ? dz.map((v) => -v) : null;
    },
    solved: () => false,
    maxIterations: 60,
    damping: "domain",
    maxTrials: 40,
    stepLength: (z, d) => {
      const sc = scale(z);
      let step = 0;
      for (let i = 0; i < N; i++) step = Math.max(step, Math.abs(d[i]) / sc[i]);
      return step > 0.1 ? 0.1 / step : 1;
    },
    stop: ({ x: z, direction: d, lambda: t }) => {
      // convergence is judged on alpha: along the null direction the coordinates' Newton corrections
      // stay at the rounding noise amplified by the near-singular Jacobian, while alpha's settle
      const aStep = Math.abs(d[N - 1]) / Math.abs(z[N - 1]);
      // at the noise floor the corrections no longer shrink: three such in a row (a slow but genuine
      // convergence would shrink them), and the accuracy is the largest of them
      stalled = t === 1 && aStep < 1e-9 && aStep > 0.5 * prevStep ? stalled + 1 : 0;
      // (once at the floor, the accuracy is the largest of the recent corrections there)
      if (stalled === 0) recent.length = 0;
      recent.push(t * aStep);
      lastStep = Math.max(...recent);
      if (t === 1 && (aStep < 1e-15 || stalled >= 3 || (stalled >= 1 && aStep < 1e-12))) return true;
      prevStep = t === 1 ? aStep : Infinity;
      return false;
    },
  });
  const z = result.value;
  const converged = result.converged;
  let tolerance = Infinity;
  if (converged) {
    // rounding floor: the residual at the solution is noise; 4 times it, in case this realisation
    // of the rounding happens to be small
    const J = jac(z);
    const noise = new Float64Array(N);
    const r = residual(z);
    if (r) for (let i = 0; i < N; i++) noise[i] = 4 * Math.abs(r[i]);
    // the row of J^-1 that gives alpha: y with J^T y = e_alpha
    let floor = 0;
    if (J) {
      const JT = new Float64Array(N * N);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) JT[i * N + j] = J[j * N + i];
      const e = new Float64Array(N);
      e[N - 1] = 1;
      const y = solveSmall(JT, e, N);
      if (y) for (let i = 0; i < N; i++) floor += Math.abs(y[i]) * noise[i];
      else floor = Infinity;
    }
    tolerance = Math.max(lastStep, floor / Math.abs(z[N - 1]), 2.2e-16);
  }
  return { z, tolerance, iterations: result.iterations, converged };
}

/** The fold nearest to (alpha0, u0): a minimum whose Hessian becomes singular (start v0: the soft mode). */
export function foldPoint(fe: FreeEnergyModel, alpha0: number, u0: ArrayLike<number>, v0?: ArrayLike<number>): CriticalPoint {
  const n = fe.n, ev = new Evaluations(fe);
  let v = v0 ? Float64Array.from(v0) : null;
  if (!v) {
    const e = ev.at(alpha0, u0);
    if (!e) throw new Error("internal: fold start outside the domain");
    const { vectors } = jacobiEigen(e.H, n);
    v = Float64Array.from({ length: n }, (_, k) => vectors[k * n]);
  }
  const l = Float64Array.from(v);
  const ln = Math.hypot(...l);
  for (let k = 0; k < n; k++) l[k] /= ln * ln; // l . v = 1 at the start
  const N = 2 * n + 1;
  const split = (z: Float64Array) => ({ u: z.subarray(0, n), v: z.subarray(n, 2 * n), alpha: z[2 * n] });
  const residual = (z: Float64Array) => {
    const { u, v, alpha } = split(z);
    const e = ev.at(alpha, u);
    if (!e) return null;
    const r = new Float64Array(N);
    for (let i = 0; i < n; i++) {
      r[i] = e.g[i];
      let hv = 0;
      for (let j = 0; j < n; j++) hv += e.H[i * n + j] * v[j];
      r[n + i] = hv;
    }
    let lv = 0;
    for (let k = 0; k < n; k++) lv += l[k] * v[k];
    r[2 * n] = lv - 1;
    return r;
  };
  const jac = (z: Float64Array) => {
    const { u, v, alpha } = split(z);
    const e = ev.at(alpha, u), da = ev.dAlpha(alpha, u);
    if (!e || !da) return null;
    const J = new Float64Array(N * N);
    // columns of d(Hv)/du: (dH/du_j) v = T[e_j] v = T[v] e_j (T symmetric), i.e. the matrix T[v]
    const Tv = ev.dHalong(alpha, u, v);
    if (!Tv) return null;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        J[i * N + j] = e.H[i * n + j];
        J[(n + i) * N + j] = Tv[i * n + j];
        J[(n + i) * N + n + j] = e.H[i * n + j];
      }
      J[i * N + 2 * n] = da.g[i];
      let hav = 0;
      for (let j = 0; j < n; j++) hav += da.H[i * n + j] * v[j];
      J[(n + i) * N + 2 * n] = hav;
      J[2 * n * N + n + i] = l[i];
    }
    return J;
  };
  const scale = (z: Float64Array) => z.map((x, i) => (i === N - 1 ? Math.abs(x) : Math.max(1, Math.abs(x))));
  const z0 = new Float64Array(N);
  z0.set(Array.from(u0 as ArrayLike<number>), 0);
  z0.set(v, n);
  z0[2 * n] = alpha0;
  const r = newtonExtended(z0, residual, jac, scale);
  const out = split(r.z);
  const vn = Math.hypot(...out.v);
  return { alpha: out.alpha, u: Float64Array.from(out.u), v: Float64Array.from(out.v, (x) => x / vn), tolerance: r.tolerance, iterations: r.iterations, converged: r.converged };
}

/**
 * Where the R = S (p = u_0 = 0) stationary point's antisymmetric Hessian eigenvalue H_00 vanishes
 * (there H is block diagonal, so e_0 is the null vector): a pitchfork / transcritical point.
 */
export function symmetricInstability(fe: FreeEnergyModel, alpha0: number, u0: ArrayLike<number>): CriticalPoint {
  const n = fe.n, ev = new Evaluations(fe);
  const f = n - 1; // free coordinates 1..n-1
  const full = (z: Float64Array) => {
    const u = new Float64Array(n);
    for (let k = 0; k < f; k++) u[1 + k] = z[k];
    return u;
  };
  const residual = (z: Float64Array) => {
    const e = ev.at(z[f], full(z));
    if (!e) return null;
    const r = new Float64Array(n);
    for (let k = 0; k < f; k++) r[k] = e.g[1 + k];
    r[f] = e.H[0];
    return r;
  };
  const jac = (z: Float64Array) => {
    const u = full(z), alpha = z[f];
    const e = ev.at(alpha, u), da = ev.dAlpha(alpha, u);
    if (!e || !da) return null;
    const J = new Float64Array(n * n);
    for (let i = 0; i < f; i++) {
      for (let j = 0; j < f; j++) J[i * n + j] = e.H[(1 + i) * n + 1 + j];
      J[i * n + f] = da.g[1 + i];
    }
    for (let j = 0; j < f; j++) {
      const d = new Float64Array(n);
      d[1 + j] = 1;
      const T = ev.dHalong(alpha, u, d);
      if (!T) return null;
      J[f * n + j] = T[0];
    }
    J[f * n + f] = da.H[0];
    return J;
  };
  const scale = (z: Float64Array) => z.map((x, i) => (i === f ? Math.abs(x) : Math.max(1, Math.abs(x))));
  const z0 = new Float64Array(n);
  for (let k = 0; k < f; k++) z0[k] = u0[1 + k];
  z0[f] = alpha0;
  const r = newtonExtended(z0, residual, jac, scale);
  const v = new Float64Array(n);
  v[0] = 1;
  return { alpha: r.z[f], u: full(r.z), v, tolerance: r.tolerance, iterations: r.iterations, converged: r.converged };
}

/**
 * A stationary point g(u, alpha) = 0 by plain Newton from u0 (no line search: for points near a known
 * one, e.g. just beyond a fold, where the minimiser's decrement test cannot certify convergence because
 * the gradient's rounding, amplified by the soft mode, stays above it). Converged when the step falls
 * below 1e-15 or stops shrinking (three times, below 1e-5); null if it leaves the domain or diverges.
 */
export function stationaryPoint(fe: FreeEnergyModel, alpha: number, u0: ArrayLike<number>): { u: Float64Array; eigenvalues: Float64Array; F: number; eg: number } | null {
  const n = fe.n;
  const g = new Float64Array(n), H = new Float64Array(n * n);
  let prev = Infinity, stalls = 0;
  /** The correction's largest component relative to the coordinate's scale. */
  const size = (u: Float64Array, d: Float64Array) => {
    let step = 0;
    for (let k = 0; k < n; k++) step = Math.max(step, Math.abs(d[k]) / Math.max(1, Math.abs(u[k])));
    return step;
  };
  const r = newton((u) => (fe.inDomain(u) ? (fe.eval(alpha, u, g, H), g) : null), u0, {
    // H is that of the last evaluation, which was at u
    direction: (_u, grad) => solveSmall(H, grad, n)?.map((v) => -v) ?? null,
    solved: () => false,
    maxIterations: 40,
    damping: "none",
    // not near a stationary point: the start was outside Newton's basin
    stepLength: (u, d) => (size(u, d) > 0.05 ? null : 1),
    stop: ({ previous, direction }) => {
      const step = size(previous, direction);
      // at the rounding floor the steps stop shrinking (near a fold the soft mode amplifies the
      // gradient's rounding to ~1e-7 in p): three non-shrinking small steps end the iteration
      if (step < 1e-5 && step > 0.7 * prev) stalls++;
      if (step < 1e-15 || stalls >= 3) return true;
      prev = step;
      return false;
    },
  });
  if (!r.converged) return null;
  const u = r.value;
  const e = fe.eval(alpha, u, g, H);
  return { u, eigenvalues: jacobiEigen(H, n).values, F: e.F, eg: e.eg };
}

/**
 * A branch of minima followed by Newton on g = 0 from its nearest known point, halving the alpha step
 * where Newton leaves its basin (near a fold the branch moves like sqrt(alpha - alpha_f)). accept()
 * rejects points of another branch (label, positive definiteness).
 */
export class StationaryBranch {
  readonly points: { alpha: number; u: Float64Array }[] = [];
  constructor(readonly fe: FreeEnergyModel, readonly accept: (u: Float64Array, eigenvalues: Float64Array) => boolean, alpha: number, u: ArrayLike<number>) {
    this.points.push({ alpha, u: Float64Array.from(u as ArrayLike<number>) });
  }
  at(alpha: number, depth = 0): { u: Float64Array; F: number; eg: number } | null {
    let best = this.points[0];
    for (const p of this.points) if (Math.abs(p.alpha - alpha) < Math.abs(best.alpha - alpha)) best = p;
    const r = stationaryPoint(this.fe, alpha, best.u);
    // moved by at most 5 % of the domain's scale: still the same branch
    let moved = 0;
    if (r) for (let k = 0; k < this.fe.n; k++) moved = Math.max(moved, Math.abs(r.u[k] - best.u[k]) / Math.max(1, Math.abs(best.u[k])));
    if (r && moved < 0.05 && this.accept(r.u, r.eigenvalues)) {
      this.points.push({ alpha, u: r.u });
      return { u: r.u, F: r.F, eg: r.eg };
    }
    if (depth > 40 || best.alpha === alpha) return null;
    const mid = 0.5 * (best.alpha + alpha);
    if (mid === best.alpha || mid === alpha || !this.at(mid, depth + 1)) return null;
    return this.at(alpha, depth + 1);
  }
}

/** The normal form's curvature a = v . (dH/du along v) . v at a fold (g . v ~ b dalpha + a s^2 / 2). */
export function foldCurvature(fe: FreeEnergyModel, fold: CriticalPoint): number {
  const ev = new Evaluations(fe);
  const T = ev.dHalong(fold.alpha, fold.u, fold.v);
  if (!T) return NaN;
  let a = 0;
  for (let i = 0; i < fe.n; i++) for (let j = 0; j < fe.n; j++) a += fold.v[i] * T[i * fe.n + j] * fold.v[j];
  return a;
}

/**
 * beta f(u1) - beta f(u0) as the integral of the gradient along the segment (the domain is convex: both
 * logarithms' arguments are concave in u). beta f itself is a sum of terms ~ alpha K that cancel, so
 * its difference between two nearby minima (at large K below beta f's rounding) is lost if taken
 * directly; the gradient is ~0 near both ends and the integral keeps the digits. Returns the 24-point
 * value and its difference from the 16-point one (quadrature and rounding error estimate).
 */
export function freeEnergyDifference(fe: FreeEnergyModel, alpha: number, u0: ArrayLike<number>, u1: ArrayLike<number>): { value: number; error: number } {
  const n = fe.n, g = new Float64Array(n), H = new Float64Array(n * n), u = new Float64Array(n);
  // d beta f / dt along u(t) = u0 + t (u1 - u0)
  const slope = (t: number) => {
    for (let k = 0; k < n; k++) u[k] = u0[k] + t * (u1[k] - u0[k]);
    fe.eval(alpha, u, g, H);
    let gd = 0;
    for (let k = 0; k < n; k++) gd += g[k] * (u1[k] - u0[k]);
    return gd;
  };
  return gaussLegendreIntegral(slope, 0, 1, 24, 16);
}

/** d H / d u along d (the third derivatives of beta f contracted with d), as the solvers compute it. */
export function hessianDerivative(fe: FreeEnergyModel, alpha: number, u: ArrayLike<number>, d: ArrayLike<number>): Float64Array | null {
  return new Evaluations(fe).dHalong(alpha, u, d);
}
