// The symmetric reduction of [T] Theorem 7 (docs/theory.md section 7): orthonormal teacher w*_j = e_j and students
// w_j = x e_j + y sum_{k != j} e_k. Permutations of the coordinates map the set of units to itself,
// so grad_{w_j} J = g_x e_j + g_y sum_{k != j} e_k and gradient flow stays on the subspace:
// dx/dt = -g_x, dy/dt = -g_y. With r^2 = |w_j|^2 = x^2 + (K-1) y^2 and the angles
//   phi   (w_j, w_k):  cos = (2xy + (K-2) y^2) / r^2
//   theta (w_j, e_j):  cos = x / r
//   theta'(w_j, e_k):  cos = y / r        (k != j)
// summing Fbar over the K - 1 other students and the K teachers gives (2 pi g = ...)
//   2 pi g_x = pi x + (K-1)[(pi - phi) y + sin(phi) x] - (pi - theta) - [sin(theta) + (K-1) sin(theta')] x / r
//   2 pi g_y = pi y + (pi - phi)(x + (K-2) y) + (K-1) sin(phi) y - (pi - theta') - [sin(theta) + (K-1) sin(theta')] y / r
// The origin (x = y = 0, every w_j = 0) is the one singular point.
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";
import { hessianEstimate } from "./hessian";
import { checkOption } from "../options/check";
import { grid, popgradK } from "../options/catalog/populationGradient";
import * as check from "../core/validate";
import { newton } from "../numerics/newton";
import { dormandPrince } from "../numerics/dormandPrince";
import { resolveFlowSampling } from "./dormandPrince";
import { populationHessian, type HessianType } from "./hessian";

/** acos clamped to [-1, 1] (rounding can push a cosine a few ulps outside). */
const acos = (c: number) => Math.acos(Math.min(1, Math.max(-1, c)));

/** (dx/dt, dy/dt) of the reduced flow at (x, y); [0, 0] at the origin (see populationGradient's convention). */
export function symmetricRhs(K: number, x: number, y: number): [number, number] {
  const r2 = x * x + (K - 1) * y * y;
  if (r2 === 0) return [0, 0];
  const r = Math.sqrt(r2);
  // 1 - cos(phi) = (x - y)^2 / r^2 exactly: take phi from it, accurate near x = y
  const oneMinusCos = ((x - y) * (x - y)) / r2;
  const phi = 2 * Math.asin(Math.min(1, Math.sqrt(oneMinusCos / 2)));
  const th = acos(x / r), thp = acos(y / r);
  const sphi = Math.sin(phi), sth = Math.sin(th), sthp = Math.sin(thp);
  const P = Math.PI;
  const teacherSin = (sth + (K - 1) * sthp) / r;
  const gx = P * x + (K - 1) * ((P - phi) * y + sphi * x) - (P - th) - teacherSin * x;
  const gy = P * y + (P - phi) * (x + (K - 2) * y) + (K - 1) * sphi * y - (P - thp) - teacherSin * y;
  // x = y is invariant (g_x = g_y there) but transversally unstable at its saddle: use one formula
  // for both so that rounding cannot push a trajectory started on the line off it
  if (x === y) return [-gx / (2 * P), -gx / (2 * P)];
  return [-gx / (2 * P), -gy / (2 * P)];
}

export function checkK(K: unknown): number {
  return checkOption<number>(popgradK, K);
}

/** Student weights of the symmetric family in d = K dimensions (row j = x e_j + y sum_{k != j} e_k). */
export function symmetricWeights(K: number, x: number, y: number): number[][] {
  return Array.from({ length: K }, (_, j) => Array.from({ length: K }, (_, k) => (k === j ? x : y)));
}

/** J on the symmetric family, in closed form: (K/2)[I(r,r) + (K-1) I(phi) - 2 I(theta) - 2 (K-1) I(theta')] + E[g*^2]/2. */
export function symmetricLoss(K: number, x: number, y: number): number {
  const I = (a: number, b: number, th: number) => (a * b * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
  const teacher = K / 2 + (K * (K - 1)) / (2 * Math.PI);
  const r2 = x * x + (K - 1) * y * y;
  if (r2 === 0) return teacher / 2;
  const r = Math.sqrt(r2);
  const phi = 2 * Math.asin(Math.min(1, Math.sqrt(((x - y) * (x - y)) / r2 / 2)));
  const s = r2 / 2 + (K - 1) * I(r, r, phi) - 2 * I(r, 1, acos(x / r)) - 2 * (K - 1) * I(r, 1, acos(y / r));
  return (K * s + teacher) / 2;
}

/** K, the start (x0, y0), the output times and the tolerances of the reduced flow. */
export interface SymmetricDynamicsOptions {
  /** Number of units K >= 2 (teacher and student). */
  K: number;
  x0: number;
  y0: number;
  /** Final time (default 50) and evenly spaced samples, 0 included (default 201), or explicit times. */
  tMax?: number;
  samples?: number;
  times?: ArrayLike<number>;
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  /** Stop with "origin" once x^2 + (K-1) y^2 <= originTolerance^2 (default 1e-8). */
  originTolerance?: number;
}

/** A trajectory (t, x, y, J) of the reduced flow with its status. */
export interface SymmetricTrajectory {
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  loss: Float64Array;
  status: "completed" | "origin" | "max-steps" | "step-too-small";
  message: string;
  stats: { steps: number; rejectedSteps: number; rhsEvaluations: number; tReached: number };
}

/** Work of symmetricDynamics(): a 2-D flow (adaptive steps ~ samples + 7 sqrt(tMax) + 60, 6 cheap evaluations each). */
export function symmetricDynamicsEstimate(options: SymmetricDynamicsOptions): Estimate {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with K, x0, y0");
  const { times, maxSteps } = resolveFlowSampling(options, 201);
  const steps = Math.min(maxSteps, times.length + 60 + 7 * Math.sqrt(times[times.length - 1]) + 0.35 * times[times.length - 1]);
  const per = 6 * hostUnit("vectorFieldPoint");
  return estimate(steps * per, times.length * 64, `~${fmtCount(steps)} adaptive steps x ${fmtSeconds(per)}`, ["tMax", "samples"], per, per);
}

/** A trajectory of the reduced 2-D gradient flow (adaptive Dormand-Prince 5(4)). */
export function symmetricDynamics(options: SymmetricDynamicsOptions & RunControl): SymmetricTrajectory {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with K, x0, y0");
  const o = options;
  const K = checkK(o.K);
  const x0 = check.number("x0", o.x0), y0 = check.number("y0", o.y0);
  new WorkBudget("symmetricDynamics", symmetricDynamicsEstimate(o), resolveControl(o), 0, false);
  const { times, rtol, atol, maxSteps } = resolveFlowSampling(o, 201);
  const tol = o.originTolerance === undefined ? 1e-8 : check.number("originTolerance", o.originTolerance, { min: 0 });
  const run = dormandPrince(
    (_t, u, du) => {
      const [a, b] = symmetricRhs(K, u[0], u[1]);
      du[0] = a;
      du[1] = b;
    },
    Float64Array.of(x0, y0),
    times,
    { rtol, atol, maxSteps },
    (_t, u) => (u[0] * u[0] + (K - 1) * u[1] * u[1] <= tol * tol ? { status: "origin", message: `reached the origin (every w_j = 0), where the vector field is discontinuous` } : null),
  );
  return {
    t: Float64Array.from(run.t),
    x: Float64Array.from(run.y.map((u) => u[0])),
    y: Float64Array.from(run.y.map((u) => u[1])),
    loss: Float64Array.from(run.y.map((u) => symmetricLoss(K, u[0], u[1]))),
    status: run.status as SymmetricTrajectory["status"],
    message: run.message,
    stats: run.stats,
  };
}

/** K and the grid of the reduced vector field. */
export interface VectorFieldOptions {
  K: number;
  /** Grid ranges [min, max] (default [-0.5, 1.5] and [-0.5, 1.5]) and points per axis (default 21). */
  xRange?: [number, number];
  yRange?: [number, number];
  n?: number;
}

/** Work of symmetricVectorField(): n^2 evaluations of the reduced flow. */
export function vectorFieldEstimate(options: VectorFieldOptions): Estimate {
  const n = options?.n === undefined ? 21 : checkOption<number>(grid, options.n, "n");
  const per = hostUnit("vectorFieldPoint");
  return estimate(n * n * per, 4 * 8 * n * n, `${n} x ${n} grid points x ${fmtSeconds(per)}`, ["n"], per, n * n * per);
}

/** (dx/dt, dy/dt) on an n x n grid, row-major in y then x. */
export function symmetricVectorField(options: VectorFieldOptions & RunControl): { x: Float64Array; y: Float64Array; dx: Float64Array; dy: Float64Array } {
  if (options !== null && typeof options === "object") new WorkBudget("symmetricVectorField", vectorFieldEstimate(options), resolveControl(options), 0, false);
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with K");
  const K = checkK(options.K);
  const range = (name: string, v: unknown, def: [number, number]): [number, number] => {
    if (v === undefined) return def;
    const [a, b] = check.vector(name, v, 2);
    if (!(b > a)) throw check.rangeError(name, v, "[min, max] with max > min", { reason: `must be [min, max] with max > min; got [${a}, ${b}]` });
    return [a, b];
  };
  const xr = range("xRange", options.xRange, [-0.5, 1.5]), yr = range("yRange", options.yRange, [-0.5, 1.5]);
  const n = options.n === undefined ? 21 : checkOption<number>(grid, options.n, "n");
  const N = n * n;
  const out = { x: new Float64Array(N), y: new Float64Array(N), dx: new Float64Array(N), dy: new Float64Array(N) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const s = i * n + j;
      out.x[s] = xr[0] + ((xr[1] - xr[0]) * j) / (n - 1);
      out.y[s] = yr[0] + ((yr[1] - yr[0]) * i) / (n - 1);
      [out.dx[s], out.dy[s]] = symmetricRhs(K, out.x[s], out.y[s]);
    }
  return out;
}

/** Type of a critical point of the reduced 2-D flow. */
export type CriticalPointType = "stable node" | "stable focus" | "unstable node" | "unstable focus" | "saddle" | "degenerate";

/** A critical point of the reduced flow, classified in 2-D and in the full weight space. */
export interface CriticalPoint {
  x: number;
  y: number;
  /** Type in the reduced 2-D flow (a point stable here may be a saddle of the full K x d flow). */
  type: CriticalPointType;
  /** Eigenvalues of the 2 x 2 Jacobian of (dx/dt, dy/dt). */
  eigenvalues: { re: number; im: number }[];
  /** |(dx/dt, dy/dt)| at the point. */
  residual: number;
  /** J there. */
  loss: number;
  /**
   * Type in the full K x K weight space (d = K), from the eigenvalues of the Hessian of J
   * (populationHessian), and its smallest eigenvalue: for K >= 3 the 2-D attractor away from
   * (1, 0) is a saddle of the full flow up to some K and a spurious local minimum beyond.
   */
  fullSpace: { type: HessianType; smallestEigenvalue: number };
}

/**
 * Central-difference Jacobian of the reduced field (steps ~ cube root of the unit roundoff),
 * written out for the two variables: Newton calls it ~10^4 times per critical-point search, where
 * centralDifferenceJacobian's general bookkeeping would cost 5 times the field evaluations.
 */
export function symmetricJacobian(K: number, x: number, y: number): [[number, number], [number, number]] {
  const hx = 6e-6 * Math.max(1, Math.abs(x)), hy = 6e-6 * Math.max(1, Math.abs(y));
  const [a1, b1] = symmetricRhs(K, x + hx, y), [a0, b0] = symmetricRhs(K, x - hx, y);
  const [c1, d1] = symmetricRhs(K, x, y + hy), [c0, d0] = symmetricRhs(K, x, y - hy);
  return [[(a1 - a0) / (2 * hx), (c1 - c0) / (2 * hy)], [(b1 - b0) / (2 * hx), (d1 - d0) / (2 * hy)]];
}

function classify(Jm: [[number, number], [number, number]]): { type: CriticalPointType; eigenvalues: { re: number; im: number }[] } {
  const tr = Jm[0][0] + Jm[1][1], det = Jm[0][0] * Jm[1][1] - Jm[0][1] * Jm[1][0];
  const disc = tr * tr - 4 * det;
  const scale = Math.max(Math.abs(Jm[0][0]), Math.abs(Jm[0][1]), Math.abs(Jm[1][0]), Math.abs(Jm[1][1]), 1e-300);
  const eig = disc >= 0
    ? [{ re: (tr + Math.sqrt(disc)) / 2, im: 0 }, { re: (tr - Math.sqrt(disc)) / 2, im: 0 }]
    : [{ re: tr / 2, im: Math.sqrt(-disc) / 2 }, { re: tr / 2, im: -Math.sqrt(-disc) / 2 }];
  // the finite-difference Jacobian is good to ~1e-9 relative: closer to singular is "degenerate"
  if (Math.abs(det) <= 1e-7 * scale * scale) return { type: "degenerate", eigenvalues: eig };
  if (det < 0) return { type: "saddle", eigenvalues: eig };
  const stable = tr < 0 ? "stable" : "unstable";
  return { type: `${stable} ${disc >= 0 ? "node" : "focus"}` as CriticalPointType, eigenvalues: eig };
}

/**
 * Damped Newton on the reduced field from (x, y) (step halved until |F| decreases, 2-norm, Cramer's
 * rule for the 2 x 2 system); null unless it converges to |F| <= 1e-13, or stalls or runs out of
 * its 60 steps at |F| <= 1e-12.
 */
function criticalPointFrom(K: number, x: number, y: number): [number, number] | null {
  const r = newton((u) => symmetricRhs(K, u[0], u[1]), [x, y], {
    norm: (F) => Math.hypot(F[0], F[1]),
    tolerance: 1e-13,
    looseTolerance: 1e-12,
    maxIterations: 60,
    direction: (u, F) => {
      const Jm = symmetricJacobian(K, u[0], u[1]);
      const det = Jm[0][0] * Jm[1][1] - Jm[0][1] * Jm[1][0];
      if (!(Math.abs(det) > 0)) return null;
      return [-((Jm[1][1] * F[0] - Jm[0][1] * F[1]) / det), -((-Jm[1][0] * F[0] + Jm[0][0] * F[1]) / det)];
    },
  });
  return r.converged ? [r.value[0], r.value[1]] : null;
}

/**
 * Radius bound of every critical point: at a critical point W != 0, d/dt J(tW) = 0 at t = 1 gives
 * E[g(W)^2] = E[g(W) g(W*)] <= sqrt(E[g(W)^2] E[g(W*)^2]), so E[g(W)^2] <= E[g(W*)^2] =
 * K/2 + K(K-1)/(2 pi), while E[g(W)^2] >= sum_j |w_j|^2 / 2 = K r^2 / 2 (cross terms are >= 0):
 * r^2 = x^2 + (K-1) y^2 <= 1 + (K-1)/pi.
 */
export function criticalRadius(K: number): number {
  return Math.sqrt(1 + (K - 1) / Math.PI);
}

/** K and the density of the grid of Newton starts. */
export interface CriticalPointsOptions {
  K: number;
  /** Starts per axis of the multi-start Newton grid over the bounding ellipse (default 40). */
  grid?: number;
}

/**
 * Work of symmetricCriticalPoints(): ~pi/4 grid^2 Newton starts, and the full-space Hessian
 * (K^2 weights, d = K) of each critical point found (typically 3 to 5; 5 assumed).
 */
export function criticalPointsEstimate(options: CriticalPointsOptions): Estimate {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with K");
  const K = checkK(options.K);
  const n = options.grid === undefined ? 40 : check.number("grid", options.grid, { min: 2, max: 1000, integer: true });
  const starts = 2 + Math.ceil((Math.PI / 4) * n * n);
  const h = hessianEstimate(K, K);
  const seconds = starts * hostUnit("criticalStart") + 5 * h.seconds;
  return estimate(seconds, h.memoryBytes, `${starts} Newton starts x ${fmtSeconds(hostUnit("criticalStart"))} + 5 x ${h.detail}`, ["K", "grid"], hostUnit("criticalStart"), seconds);
}

/**
 * Every critical point of the reduced flow (the origin excluded: it is singular): Newton from
 * the closed-form saddle on x = y, from (1, 0), and from a grid of starts covering the region
 * x^2 + (K-1) y^2 <= 1 + (K-1)/pi that contains all of them (criticalRadius); deduplicated.
 */
export function symmetricCriticalPoints(options: CriticalPointsOptions & RunControl): CriticalPoint[] {
  const est = criticalPointsEstimate(options);
  const budget = new WorkBudget("symmetricCriticalPoints", est, resolveControl(options), est.firstChunkSeconds, false);
  const K = checkK(options.K);
  const n = options.grid === undefined ? 40 : check.number("grid", options.grid, { min: 2, max: 1000, integer: true });
  const R = criticalRadius(K) * 1.001;
  const ry = R / Math.sqrt(K - 1);
  const starts: [number, number][] = [[1, 0]];
  // on x = y: 2 pi g = x (pi + (K-1) pi) - (pi - theta) - K sin(theta) x / (sqrt(K) x), theta = acos(1/sqrt(K))
  const th = Math.acos(1 / Math.sqrt(K));
  const xs = (Math.PI - th + Math.sqrt(K - 1)) / (Math.PI * K);
  starts.push([xs, xs]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = -R + (2 * R * (j + 0.5)) / n, y = -ry + (2 * ry * (i + 0.5)) / n;
      if (x * x + (K - 1) * y * y <= R * R) starts.push([x, y]);
    }
  const found: CriticalPoint[] = [];
  let done = 0;
  for (const [x0, y0] of starts) {
    if (++done % 256 === 0) {
      budget.charge(256 * hostUnit("criticalStart"));
      budget.step("critical points", done, starts.length, "Newton starts");
    }
    const p = criticalPointFrom(K, x0, y0);
    if (!p) continue;
    const [x, y] = p;
    const r2 = x * x + (K - 1) * y * y;
    if (r2 < 1e-16 || r2 > R * R) continue; // converged onto the singular origin, or outside the bound
    if (found.some((q) => Math.hypot(q.x - x, q.y - y) < 1e-7)) continue;
    const [f, g] = symmetricRhs(K, x, y);
    const hess = populationHessian({ W: symmetricWeights(K, x, y), Wstar: symmetricWeights(K, 1, 0) });
    found.push({ x, y, ...classify(symmetricJacobian(K, x, y)), residual: Math.hypot(f, g), loss: symmetricLoss(K, x, y), fullSpace: { type: hess.type, smallestEigenvalue: hess.eigenvalues[0] } });
  }
  return found.sort((a, b) => a.x - b.x || a.y - b.y);
}
