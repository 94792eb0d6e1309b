// fixedPoints(): solutions of F(u; eta) = 0 (docs/theory.md section 4) by Newton's method from user guesses,
// the perfect-learning state, the unspecialised (symmetric) ansatz and seeded random starts;
// each with its residual, eps_g, Jacobian eigenvalues and stability.
import { resolveOption } from "../options/check";
import * as FP from "../options/catalog/fixedPoints";
import * as check from "../core/validate";
import { resolveLearningRate } from "../online/options";
import { centralJacobian, orderParameterJacobian, relativeMinEigenvalue, type JacobianResult } from "./jacobian";
import { newton, type NewtonStep } from "../numerics/newton";
import { maxAbs } from "../numerics/norms";
import { classify, type Eigenvalue, type Stability } from "./stability";
import { eigenvalues } from "../numerics/eigen";
import { symmetricReduction, type SymmetricReduction } from "./symmetric";
import { OrderParameterSystem, type SystemOptions } from "./system";
import type { RunControl } from "../core/control";
import { EvaluationMeter, WorkBudget, WorkExhausted, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, newtonStartRhs, odeWorkspaceBytes, type Estimate } from "../work/estimates";
import { uniformStream } from "../numerics/uniform";

/** A starting point for Newton's method, as overlaps Q (K x K) and R (K x M), and v (K) with a trained second layer. */
export interface FixedPointGuess {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  /** Output weights of the start (trainSecondLayer only; default the setting's v). */
  v?: ArrayLike<number>;
}

/** Options of fixedPoints(): the setting, the learning rate, the starts and the tolerances. */
export interface FixedPointsOptions extends SystemOptions {
  /** Learning rate eta > 0 (alias eta; default 1). */
  learningRate?: number;
  eta?: number;
  /** Starting points for Newton (in addition to the built-in starts unless builtInStarts is false). */
  guesses?: FixedPointGuess[];
  /** Search only the unspecialised subspace (Q_ii = q, Q_ik = c, R_in = r_n; default false). */
  symmetric?: boolean;
  /** Number of seeded random starts (default 24; 0 for none). */
  multiStart?: number;
  seed?: number;
  /** Also start from perfect learning (K = M) and the symmetric ansatz (default true). */
  builtInStarts?: boolean;
  /** Newton stops at max |F| <= tolerance (default 1e-12). */
  tolerance?: number;
  /** Base step of the finite-difference Jacobian (default 1e-3, Richardson-extrapolated). */
  jacobianStep?: number;
}

/** A fixed point of the ODE with its residual, eps_g, Jacobian, eigenvalues and stability. */
export interface FixedPoint {
  Q: number[][];
  R: number[][];
  /** Output weights v (part of the fixed point with trainSecondLayer, else the setting's). */
  v: number[];
  /** State vector (Q_ik for i <= k, R_in, then v when trained). */
  u: number[];
  eg: number;
  /** Test error on noisy labels there, eg + sigma^2 / 2 (docs/theory.md section 9). */
  egNoisy: number;
  /** max |F(u)|. */
  residual: number;
  eigenvalues: Eigenvalue[];
  stability: Stability["stability"];
  unstableDirections: number;
  /** The Jacobian dF/du and its estimated max entry error (see jacobian.ts). */
  jacobian: number[][];
  jacobianError: number;
  jacobianMode: JacobianResult["mode"];
  /** Eigenvalues of the Jacobian restricted to the symmetric subspace (symmetric points only). */
  symmetricEigenvalues: Eigenvalue[] | null;
  /** Student units equivalent (to 1e-9)? */
  symmetric: boolean;
  /** Where Newton started: "guess", "perfect", "symmetric", "identical" or "random". */
  source: string;
  iterations: number;
}

/** The distinct fixed points found (sorted by eps_g), with the starts tried and the resolved options. */
export interface FixedPointsResult {
  fixedPoints: FixedPoint[];
  learningRate: number;
  starts: number;
  /** Starts whose Newton iteration did not converge. */
  failed: number;
  /** "max-work": stopped at RunControl.maxWork before every start was tried. */
  status: "completed" | "max-work";
  message: string;
  stats: { wallTimeMs: number; rhsEvaluations: number };
  options: { symmetric: boolean; multiStart: number; seed: number; tolerance: number; jacobianStep: number; method: string; hermiteOrder: number; K: number; M: number; activation: string; teacherActivation: string; slope: number; hermiteCoefficients: number[] | null; T: number[][]; v: number[]; vStar: number[]; noise: number; weightDecay: number; trainSecondLayer: boolean; learningRate2: number | null };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());


/** Is the student part of u symmetric (all units equivalent) to tolerance? */
function isSymmetric(sys: OrderParameterSystem, u: ArrayLike<number>, tol = 1e-9): boolean {
  const { Q, R, v } = sys.unpack(u);
  for (let i = 1; i < sys.K; i++) {
    if (Math.abs(Q[i][i] - Q[0][0]) > tol) return false;
    if (Math.abs(v[i] - v[0]) > tol) return false;
    for (let n = 0; n < sys.M; n++) if (Math.abs(R[i][n] - R[0][n]) > tol) return false;
  }
  for (let i = 0; i < sys.K; i++) for (let k = i + 1; k < sys.K; k++) if (Math.abs(Q[i][k] - Q[0][1]) > tol) return false;
  return true;
}

/** Residual, eps_g, Jacobian, eigenvalues and stability of the fixed point u. */
export function analyseFixedPoint(sys: OrderParameterSystem, u: ArrayLike<number>, eta: number, o: { jacobianStep?: number; source?: string; iterations?: number } = {}): FixedPoint {
  const x = Float64Array.from(u);
  const F = (y: Float64Array) => sys.rhs(y, eta);
  const jac = orderParameterJacobian(F, sys, x, o.jacobianStep ?? 1e-3);
  // |Re| within the eigenvalues' uncertainty is "marginal": J's entry error times D bounds it
  const st = classify(jac.J, Math.max(10 * sys.D * jac.errorEstimate, 1e-12));
  const sym = isSymmetric(sys, x);
  let symmetricEigenvalues: Eigenvalue[] | null = null;
  if (sym && sys.K > 1 && (sys.trainedV || sys.setting.v.every((a) => a === sys.setting.v[0]))) {
    const red = symmetricReduction(sys);
    const y = red.project(x);
    const lmin = relativeMinEigenvalue(sys.covariance(x));
    if (lmin > 1e-9) symmetricEigenvalues = eigenvalues(centralJacobian((z) => red.rhs(z, eta), y, Math.min(o.jacobianStep ?? 1e-3, lmin / 10)).J);
  }
  const { Q, R, v } = sys.unpack(x);
  const eg = sys.eg(x);
  return {
    Q, R, v, u: Array.from(x),
    eg,
    egNoisy: eg + (sys.setting.noise * sys.setting.noise) / 2,
    residual: maxAbs(sys.rhs(x, eta)),
    eigenvalues: st.eigenvalues,
    stability: st.stability,
    unstableDirections: st.unstableDirections,
    jacobian: jac.J,
    jacobianError: jac.errorEstimate,
    jacobianMode: jac.mode,
    symmetricEigenvalues,
    symmetric: sym,
    source: o.source ?? "guess",
    iterations: o.iterations ?? 0,
  };
}

/**
 * Newton on the full system (or, with red, on the symmetric one); null when it fails. Damped by
 * backtracking on max |F|, so that steps leaving the domain (an invalid overlap matrix) are
 * shortened; a step shortened below 1e-3 is taken anyway. Converged at max |F| <= tolerance, or
 * once a step falls below 1e-13 (relative) with max |F| <= 1e-9 (F's rounding floor lies above a
 * tight tolerance in some settings).
 */
export function solveFixedPoint(sys: OrderParameterSystem, u0: ArrayLike<number>, eta: number, tolerance: number, red?: SymmetricReduction): { u: Float64Array; iterations: number; residual: number } | null {
  const valid = (u: Float64Array) => sys.definiteness(u) >= 0;
  const control = {
    tolerance,
    minLambda: 1e-3,
    stop: (s: NewtonStep) => s.lambda * maxAbs(s.direction) <= 1e-13 * Math.max(1, maxAbs(s.x)) && s.residual <= 1e-9,
  };
  if (red) {
    const G = (y: Float64Array) => red.rhs(y, eta);
    const r = newton(G, red.project(u0), { ...control, jacobian: (y) => centralJacobian(G, y, 1e-5).J, valid: (y) => valid(red.lift(y)) });
    return r.converged ? { u: red.lift(r.value), iterations: r.iterations, residual: r.residual } : null;
  }
  const F = (u: Float64Array) => sys.rhs(u, eta);
  const r = newton(F, u0, { ...control, jacobian: (u) => centralJacobian(F, u, 1e-5).J, valid });
  return r.converged ? { u: r.value, iterations: r.iterations, residual: r.residual } : null;
}

/** Random valid state: student vectors with Gaussian coordinates in the span of teachers + K extra axes. */
function randomState(sys: OrderParameterSystem, rand: () => number, symmetric: boolean): Float64Array {
  const { K, M } = sys;
  const T = sys.setting.T;
  // Cholesky rows of T give teacher vectors in R^M
  const L = T.map(() => new Array<number>(M).fill(0));
  for (let j = 0; j < M; j++) {
    let d = T[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] ** 2;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < M; i++) {
      let s = T[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const scale = 0.2 + 1.5 * rand();
  const zt = L.map((row) => [...row, ...new Array<number>(K).fill(0)]);
  const z = Array.from({ length: K }, () => Array.from({ length: M + K }, () => scale * gauss() / Math.sqrt(M + K)));
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  const u: number[] = [];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) u.push(dot(z[i], z[k]));
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) u.push(dot(z[i], zt[n]));
  // a trained second layer: v around the setting's, each entry scaled by a factor in [0.5, 1.5)
  if (sys.trainedV) for (let i = 0; i < K; i++) u.push(sys.setting.v[i] * (0.5 + rand()));
  const x = Float64Array.from(u);
  if (!symmetric) return x;
  const red = symmetricReduction(sys);
  return red.lift(red.project(x));
}

/** Mean of the setting's output weights (a trained v's symmetric starts). */
const meanV = (sys: OrderParameterSystem) => sys.setting.v.reduce((a, b) => a + b, 0) / sys.K;

function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/** The Newton starts of fixedPoints() and everything resolved for them (no right-hand side evaluated). */
function prepare(options: FixedPointsOptions) {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
  const sys = new OrderParameterSystem(options);
  const eta = resolveLearningRate(options);
  const symmetric = resolveOption<boolean>(FP.symmetric, options.symmetric);
  const multiStart = resolveOption<number>(FP.multiStart, options.multiStart);
  const seed = resolveOption<number>(FP.fixedPointSeed, options.seed);
  const tolerance = options.tolerance === undefined ? 1e-12 : check.number("tolerance", options.tolerance, { min: 1e-15, max: 1e-3 });
  const jacobianStep = options.jacobianStep === undefined ? 1e-3 : check.number("jacobianStep", options.jacobianStep, { min: 1e-6, max: 1e-1 });
  const builtIn = options.builtInStarts === undefined ? true : check.bool("builtInStarts", options.builtInStarts);
  if (options.guesses !== undefined && !Array.isArray(options.guesses)) throw check.typeError("guesses", options.guesses, "an array of {Q, R}");
  const red = symmetric ? symmetricReduction(sys) : undefined;
  const { K, M } = sys;
  const starts: { u: Float64Array; source: string; red?: SymmetricReduction }[] = [];
  (options.guesses ?? []).forEach((g, i) => {
    if (g === null || typeof g !== "object") throw check.typeError(`guesses[${i}]`, g, "an object {Q, R}");
    const Q = check.matrix(`guesses[${i}].Q`, g.Q, K, K);
    const R = check.matrix(`guesses[${i}].R`, g.R, K, M);
    check.symmetric(`guesses[${i}].Q`, Q);
    const v = g.v === undefined ? sys.setting.v : check.vector(`guesses[${i}].v`, g.v, K);
    starts.push({ u: sys.pack(Q, R, v), source: "guess" });
  });
  const T = sys.setting.T;
  if (builtIn) {
    if (K === M && !symmetric) {
      // perfect learning: Q = T, R = T up to a permutation of the student units
      for (const p of permutations(K).slice(0, 24)) {
        // student i = teacher p(i): Q_ik = T_p(i)p(k), R_in = T_p(i)n
        const Q = p.map((a) => p.map((b) => T[a][b]));
        const R = p.map((a) => [...T[a]]);
        // a trained v starts at the teacher's (permuted alike); otherwise v stays the setting's
        starts.push({ u: sys.pack(Q, R, p.map((a) => sys.setting.vStar[a])), source: "perfect" });
      }
    }
    // unspecialised ansatz: q, c, r_n on a small grid around the teacher's scale (Q_ii = q,
    // Q_ik = 0.2 q, R_in = r_n): a start for Newton in the full space, so also when unequal
    // output weights v make the subspace non-invariant (symmetricReduction() refuses those)
    const tr = T.reduce((s, r, n) => s + r[n], 0) / M;
    for (const q of [0.1, 0.5, 1].map((a) => a * tr)) for (const r of [0.05, 0.3, 0.6]) {
      const rn = T.map((row, n) => r * Math.sqrt(q * row[n]) / Math.sqrt(K));
      // a trained second layer starts at the mean of the setting's v (the symmetric ansatz)
      const u = sys.pack(Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? q : 0.2 * q))), Array.from({ length: K }, () => [...rn]), sys.trainedV ? Array(K).fill(meanV(sys)) : undefined);
      if (sys.definiteness(u) > 0) starts.push({ u, source: "symmetric" });
    }
    // identical student vectors (docs/theory.md section 4: a fixed point the reference start does not visit):
    // Newton inside that invariant subspace, where C is singular and the full Newton cannot go
    if (K > 1 && (sys.trainedV || sys.setting.v.every((x) => x === sys.setting.v[0]))) {
      const same = symmetricReduction(sys, true);
      for (const q of [0.1, 0.5, 1].map((a) => a * tr)) for (const r of [0.3, 0.6, 0.9]) {
        const y = [q, ...T.map((row, n) => r * Math.sqrt(q * row[n]) / Math.sqrt(M)), ...(sys.trainedV ? [meanV(sys)] : [])];
        const u = same.lift(y);
        if (sys.definiteness(u) >= 0) starts.push({ u, source: "identical", red: same });
      }
    }
  }
  const rand = uniformStream(seed);
  for (let s = 0; s < multiStart; s++) starts.push({ u: randomState(sys, rand, symmetric), source: "random" });
  return { sys, eta, symmetric, multiStart, seed, tolerance, jacobianStep, red, starts, K, M, T };
}

/** Work of fixedPoints(): Newton starts x right-hand sides per start x one right-hand side. */
export function fixedPointsEstimate(options: FixedPointsOptions): Estimate {
  return estimateOf(prepare(options));
}

function estimateOf(p: ReturnType<typeof prepare>): Estimate {
  const { sys, starts, symmetric, K, M } = p;
  // Newton on the reduced system of symmetric starts: its dimension, each evaluation one full F
  const dims = starts.map((s) => (s.red ?? p.red ? (s.red ?? p.red)!.dimension : sys.D));
  const rhs = dims.reduce((n, D) => n + newtonStartRhs(D), 0) + 4 * 4 * sys.D; // + analysis of a few points found
  const per = sys.rhsSeconds;
  const first = newtonStartRhs(dims[0] ?? sys.D) * per;
  return estimate(rhs * per, odeWorkspaceBytes(K, M, 2) + 8 * sys.D * sys.D * 8, `${starts.length} Newton starts${symmetric ? " (symmetric subspace)" : ""} x ~${fmtCount(newtonStartRhs(sys.D))} right-hand sides x ${fmtSeconds(per)} (${sys.setting.activation}, K = ${K}, M = ${M})`, ["K", "M", "multiStart", "guesses", "symmetric"], per, first);
}

/** Fixed points of the order-parameter ODE by Newton's method from many starts (docs/theory.md section 4.2). */
export function fixedPoints(options: FixedPointsOptions & RunControl = {}): FixedPointsResult {
  const t0 = now();
  const p = prepare(options);
  const { sys, eta, symmetric, multiStart, seed, tolerance, jacobianStep, red, starts, K, M, T } = p;
  const est = estimateOf(p);
  const budget = new WorkBudget("fixedPoints", est, resolveControl(options), est.firstChunkSeconds);
  let done = 0;
  sys.meter = sys.meterFor(budget, () => budget.step("fixed points", done, starts.length, "Newton starts"));
  const found: FixedPoint[] = [];
  let failed = 0;
  let status: "completed" | "max-work" = "completed";
  try {
    for (const s of starts) {
      const r = solveFixedPoint(sys, s.u, eta, tolerance, s.red ?? red);
      done++;
      if (done < starts.length) sys.meter.flush(); // progress per start; stops here once a truncating budget is spent
      if (!r) {
        failed++;
        continue;
      }
      if (found.some((f) => maxAbs(f.u.map((x, i) => x - r.u[i])) < 1e-6)) continue;
      found.push(analyseFixedPoint(sys, r.u, eta, { jacobianStep, source: s.source, iterations: r.iterations }));
    }
  } catch (err) {
    if (!(err instanceof WorkExhausted)) throw err;
    status = "max-work";
  }
  sys.meter = undefined;
  found.sort((a, b) => a.eg - b.eg);
  return {
    fixedPoints: found,
    learningRate: eta,
    starts: starts.length,
    failed,
    status,
    message: status === "completed" ? `${starts.length} Newton starts, ${found.length} distinct fixed points` : budget.truncationMessage(`${done} of ${starts.length} Newton starts done (the fixed points found from those are returned)`),
    stats: { wallTimeMs: now() - t0, rhsEvaluations: sys.evaluations },
    options: { symmetric, multiStart, seed, tolerance, jacobianStep, method: sys.setting.method, hermiteOrder: sys.setting.hermiteOrder, K, M, activation: sys.setting.activation, teacherActivation: sys.setting.teacherActivation, slope: sys.setting.slope, hermiteCoefficients: sys.setting.hermiteCoefficients, T, v: sys.setting.v, vStar: sys.setting.vStar, noise: sys.setting.noise, weightDecay: sys.setting.weightDecay, trainSecondLayer: sys.setting.trainSecondLayer, learningRate2: sys.setting.trainSecondLayer ? (sys.setting.learningRate2 ?? eta) : null },
  };
}
