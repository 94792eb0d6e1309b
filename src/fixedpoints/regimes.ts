// learningRateRegimes(): the learning-rate thresholds of docs/theory.md section 4 for one setting and initial
// condition, each located to an absolute precision in eta, with its definition, the bracket
// it was found in and the numerics used.
import { checkOption, resolveOption } from "../options/check";
import * as FP from "../options/catalog/fixedPoints";
import * as TH from "../options/catalog/thresholds";
import * as N from "../options/catalog/numerics";
import { alphaMax as alphaMaxSpec } from "../options/catalog/learning";
import * as check from "../core/validate";
import { INTEGRATORS, type Integrator } from "../core/exports";
import { continueFixedPoint } from "./branch";
import { boundaryJacobian } from "./jacobian";
import { solveFixedPoint } from "./fixedPoints";
import { symmetricReduction } from "./symmetric";
import { findThreshold } from "../numerics/bisection";
import { eigenvalues } from "../numerics/eigen";
import type { RunControl } from "../core/control";
import { EvaluationMeter, WorkBudget, WorkExhausted, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, odeWorkspaceBytes, trajectoryRhs, type Estimate } from "../work/estimates";
import { continuationEstimate } from "./branch";
import { OrderParameterSystem, type SystemOptions, type TrajectorySettings } from "./system";

/** The definitions of the four learning-rate thresholds, as reported with each value. */
export const DEFINITIONS = {
  etaNonmonotonic: "the smallest eta for which d eps_g / d alpha > 0 somewhere on the trajectory from the given initial condition",
  etaFold: "the eta at which the symmetric plateau fixed point (Q_11 = Q_22, R_1n = R_2n) ceases to exist, i.e. the saddle-node of that branch found by continuation",
  etaDivergence: "the boundary between trajectories from the given initial condition that reach perfect learning and those whose order parameters grow without bound (bisection on eta)",
  etaPerfectStable: "the largest eta at which the perfect-learning fixed point (Q = T, R = T) is locally stable (every eigenvalue of its Jacobian has negative real part)",
} as const;

/** Options of learningRateRegimes(): the setting, the precision and the trajectory numerics. */
export interface RegimesOptions extends SystemOptions {
  /** Absolute precision on eta (default 1e-7). */
  precision?: number;
  /** Trajectory numerics (defaults: adaptive Dormand-Prince, rtol 1e-10, atol 1e-12). */
  integrator?: Integrator;
  step?: number;
  rtol?: number;
  atol?: number;
  /** A trajectory reaches perfect learning once max |du/dalpha| < this (default 1e-9). */
  convergenceTolerance?: number;
  /** ... and grows without bound once some Q_ii exceeds this (default 1e6). */
  divergenceBound?: number;
  /** Longest trajectory (default alpha = 1e6). */
  alphaMax?: number;
  /** Rises of eps_g are looked for while eps_g > egFloor (default 1e-8; below it the averages' rounding decides the sign). */
  egFloor?: number;
  /** Where bracketing starts (default 1). */
  etaStart?: number;
  /** Which thresholds to compute (default all four). */
  which?: ("etaNonmonotonic" | "etaFold" | "etaDivergence" | "etaPerfectStable")[];
}

/** One learning-rate threshold with its bracket, definition and method. */
export interface Threshold {
  /** null when it does not exist in the searched range (see message). */
  value: number | null;
  /** `[lo, hi]`: the property is false at lo and true at hi (etaPerfectStable: stable at lo, unstable at hi). */
  bracket: [number, number] | null;
  definition: string;
  /** How it was decided. */
  method: string;
  message: string;
  /** Trajectories integrated or points computed. */
  evaluations: number;
  wallTimeMs: number;
  /** Estimated absolute accuracy of value beyond the bisection (null when only the bisection limits it). */
  accuracy: number | null;
}

/** The four thresholds (null where not requested) and the numerics used. */
export interface RegimesResult {
  etaNonmonotonic: Threshold | null;
  etaFold: Threshold | null;
  etaDivergence: Threshold | null;
  etaPerfectStable: Threshold | null;
  /**
   * The fixed point each converged trajectory of the etaDivergence search reached, by learning
   * rate (ascending): its eps_g (> 0 with label noise or weight decay, docs/theory.md section 9)
   * and eps_g / (eta sigma^2) (null without noise), the small-eta scaling of the noisy fixed point.
   */
  asymptotic: { learningRate: number; eg: number; egPerEtaSigma2: number | null }[];
  /** The numerics used for every trajectory. */
  settings: TrajectorySettings & { precision: number; egFloor: number; slopeTolerance: number; method: string; hermiteOrder: number };
  stats: { wallTimeMs: number; rhsEvaluations: number };
  /** "max-work": stopped at RunControl.maxWork; thresholds not reached are null. */
  status: "completed" | "max-work";
  message: string;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Bracket by doubling / halving from start, then bisection to width <= precision
 * (findThreshold of src/numerics). prop must be false below the threshold and true above.
 */
export function bisectThreshold(prop: (eta: number) => boolean, start: number, precision: number, lowest = 1e-4, highest = 1e3): { lo: number; hi: number; calls: number } | null {
  const r = findThreshold(prop, start, { tolerance: precision, lowest, highest });
  return r.converged ? { lo: r.bracket[0], hi: r.bracket[1], calls: r.evaluations } : null;
}

function prepare(options: RegimesOptions) {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object; got ${options === null ? "null" : typeof options}`);
  const sys = new OrderParameterSystem(options, true);
  const precision = resolveOption<number>(FP.precision, options.precision);
  const settings: TrajectorySettings = {
    integrator: resolveOption(TH.regimesIntegrator, options.integrator),
    step: resolveOption<number>(N.step, options.step),
    rtol: resolveOption<number>(TH.regimesRtol, options.rtol),
    atol: resolveOption<number>(N.atol, options.atol),
    maxSteps: 1e7,
    alphaMax: options.alphaMax === undefined ? 1e6 : checkOption<number>(alphaMaxSpec, options.alphaMax),
    convergenceTolerance: resolveOption<number>(TH.regimesConvergenceTolerance, options.convergenceTolerance),
    divergenceBound: resolveOption<number>(N.divergenceBound, options.divergenceBound),
  };
  const egFloor = options.egFloor === undefined ? 1e-8 : check.number("egFloor", options.egFloor, { min: 0 });
  // a rise needs d eps_g/d alpha > 1e-9 |du/dalpha|_inf: the slope's own error is ~1e-10 of that
  const slopeTolerance = 1e-9;
  const etaStart = options.etaStart === undefined ? 1 : check.number("etaStart", options.etaStart, { min: 1e-4, max: 1e3 });
  const which = new Set(options.which ?? ["etaNonmonotonic", "etaFold", "etaDivergence", "etaPerfectStable"]);
  return { sys, precision, settings, egFloor, slopeTolerance, etaStart, which };
}

/**
 * Work of learningRateRegimes(): each bisection (3 bracketing trajectories + log2(etaStart /
 * precision) halvings) times one trajectory, the fold's continuation, the Jacobians at u*.
 */
export function regimesEstimate(options: RegimesOptions): Estimate & { bisectionCalls: number } {
  return estimateOf(prepare(options));
}

function estimateOf(p: ReturnType<typeof prepare>): Estimate & { bisectionCalls: number } {
  const { sys, settings, precision, etaStart, which } = p;
  const per = sys.rhsSeconds;
  const calls = 3 + Math.ceil(Math.log2(Math.max(2, etaStart / precision)));
  const traj = trajectoryRhs({ ...settings, samples: 2, learningRate: etaStart });
  const bisections = (which.has("etaNonmonotonic") ? 1 : 0) + (which.has("etaDivergence") ? 1 : 0);
  const red = symmetricReduction(sys);
  const fold = which.has("etaFold") ? continuationEstimate(red.dimension, sys.D, per, { range: 1e3, maxStep: 0.05, maxPoints: 2000, stability: false }, "") : null;
  const perfect = which.has("etaPerfectStable") ? 8 * (2 * sys.D + 2) * per : 0;
  const seconds = bisections * calls * traj * per + (fold?.seconds ?? 0) + perfect;
  const breakdown = `${bisections} bisections x ~${calls} trajectories x ~${fmtCount(traj)} right-hand sides x ${fmtSeconds(per)} (${settings.integrator}, alphaMax = ${settings.alphaMax}, ${sys.setting.activation}, K = ${sys.K}, M = ${sys.M})${fold ? `; fold: ${fold.detail}` : ""}`;
  return { ...estimate(seconds, odeWorkspaceBytes(sys.K, sys.M, 2), breakdown, ["K", "M", "precision", "alphaMax", "which"], per, Math.min(traj * per, fold?.firstChunkSeconds ?? Infinity)), bisectionCalls: bisections * calls };
}

/** The learning-rate thresholds of one setting and initial condition (docs/theory.md section 4.7). */
export function learningRateRegimes(options: RegimesOptions & RunControl = {}): RegimesResult {
  const t0 = now();
  const p = prepare(options);
  const { sys, precision, settings, egFloor, slopeTolerance, etaStart, which } = p;
  const est = estimateOf(p);
  const budget = new WorkBudget("learningRateRegimes", est, resolveControl(options), est.firstChunkSeconds);
  let calls = 0;
  sys.meter = sys.meterFor(budget, () => budget.step("regimes", calls, est.bisectionCalls, "bisection steps"));
  const traj = sys.trajectory.bind(sys);
  sys.trajectory = (...a: Parameters<typeof traj>) => {
    const r = traj(...a);
    calls++;
    budget.step("regimes", calls, est.bisectionCalls, "bisection steps");
    return r;
  };
  const u0 = sys.pack(sys.setting.Q0, sys.setting.R0);
  const { noise, weightDecay } = sys.setting;
  const imperfect = noise > 0 || weightDecay > 0; // no perfect-learning fixed point (section 9)
  const asymptotic: RegimesResult["asymptotic"] = [];
  const trajectories = "trajectories from the given initial condition";

  const undecided = (eta: number, status: string, what: string) =>
    new RangeError(`${what}: the trajectory at eta = ${eta} ended with status ${status} (neither converged to max |du/dalpha| < ${settings.convergenceTolerance} nor diverged past ${settings.divergenceBound} by alpha = ${settings.alphaMax}); raise alphaMax or loosen convergenceTolerance`);

  let etaNonmonotonic: Threshold | null = null;
  let etaDivergence: Threshold | null = null;
  let etaFold: Threshold | null = null;
  let etaPerfectStable: Threshold | null = null;
  let status: "completed" | "max-work" = "completed";
  try {
  if (which.has("etaNonmonotonic")) {
    const t1 = now();
    const rises = (eta: number) => {
      const r = sys.trajectory(u0, eta, settings, { egFloor, slopeTolerance, maxStep: 0 });
      if (r.status === "eg-rise" || r.status === "diverged") return true;
      if (r.status === "converged") return false;
      throw undecided(eta, r.status, "etaNonmonotonic");
    };
    const b = bisectThreshold(rises, etaStart, precision);
    etaNonmonotonic = {
      value: b ? 0.5 * (b.lo + b.hi) : null,
      bracket: b ? [b.lo, b.hi] : null,
      definition: DEFINITIONS.etaNonmonotonic,
      method: `bisection on eta of: the ${trajectories} shows d eps_g/d alpha > ${slopeTolerance} |du/dalpha|_inf (central difference of eps_g along du/dalpha at every step, maxima between steps by parabolic interpolation) while eps_g > ${egFloor}; a diverging trajectory counts as a rise`,
      message: b ? `eps_g(alpha) monotonic at eta = ${b.lo}, not at eta = ${b.hi}` : "no threshold in eta in [1e-4, 1e3]",
      evaluations: b?.calls ?? 0,
      wallTimeMs: now() - t1,
      accuracy: null,
    };
  }

  if (which.has("etaDivergence")) {
    const t1 = now();
    const diverges = (eta: number) => {
      const r = sys.trajectory(u0, eta, settings);
      if (r.status === "diverged") return true;
      if (r.status === "converged") {
        // converged means a fixed point; it must be perfect learning to count as learning
        // (eps_g there is ~ the convergence tolerance; a plateau-type fixed point has eps_g = O(0.1));
        // with noise or weight decay there is no perfect learning: a specialised fixed point counts
        const eg = sys.eg(r.u);
        if (imperfect) {
          if (!specialised(sys, r.u)) throw new RangeError(`etaDivergence: the trajectory at eta = ${eta} converged to an unspecialised fixed point (eps_g = ${eg.toPrecision(3)}); the threshold between learning and divergence is not defined for this setting`);
          asymptotic.push({ learningRate: eta, eg, egPerEtaSigma2: noise > 0 ? eg / (eta * noise * noise) : null });
          return false;
        }
        asymptotic.push({ learningRate: eta, eg, egPerEtaSigma2: null });
        if (!(eg < 1e-4)) throw new RangeError(`etaDivergence: the trajectory at eta = ${eta} converged to a fixed point with eps_g = ${eg.toPrecision(3)}, not to perfect learning; the threshold between perfect learning and divergence is not defined for this setting`);
        return false;
      }
      throw undecided(eta, r.status, "etaDivergence");
    };
    const b = bisectThreshold(diverges, etaStart, precision);
    etaDivergence = {
      value: b ? 0.5 * (b.lo + b.hi) : null,
      bracket: b ? [b.lo, b.hi] : null,
      definition: DEFINITIONS.etaDivergence,
      method: `bisection on eta of: the ${trajectories} reaches some Q_ii > ${settings.divergenceBound} (diverged) rather than max |du/dalpha| < ${settings.convergenceTolerance} (converged${imperfect ? " to a specialised fixed point: with label noise or weight decay there is no perfect learning" : ""})`,
      message: b ? `converges at eta = ${b.lo}, diverges at eta = ${b.hi}` : "no threshold in eta in [1e-4, 1e3]",
      evaluations: b?.calls ?? 0,
      wallTimeMs: now() - t1,
      accuracy: null,
    };
  }

  if (which.has("etaFold")) {
    const t1 = now();
    let eta0 = Math.min(0.5, etaStart);
    let branch: ReturnType<typeof continueFixedPoint> | null = null;
    for (let tries = 0; tries < 8 && !branch; tries++) {
      try {
        // counted in this call's estimate: no limit of its own, the same progress and signal
        branch = continueFixedPoint({ ...options, K: sys.K, M: sys.M, T: sys.setting.T, Q0: sys.setting.Q0, R0: sys.setting.R0, learningRate: eta0, stability: false, max: 1e3, maxWork: Infinity, workLimitAction: "refuse" });
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        eta0 /= 2;
      }
    }
    const fold = branch?.folds[0];
    let bracket: [number, number] | null = null;
    let message = branch ? branch.message : "no plateau fixed point found to start the continuation";
    if (fold) {
      // the defining property flips across [value - precision, value + precision]: two plateau
      // fixed points below (Newton from either side of the fold point), none found above
      const red = symmetricReduction(sys);
      const uf = sys.pack(fold.Q, fold.R);
      const below = fold.value - precision, above = fold.value + precision;
      const a = solveFixedPoint(sys, uf, below, 1e-13, red);
      const none = solveFixedPoint(sys, uf, above, 1e-13, red);
      bracket = [below, above];
      message += a && !none ? `; checked: Newton converges at eta = ${below}, fails at eta = ${above}` : `; warning: the check at value -+ precision was inconclusive (Newton ${a ? "converged" : "failed"} below, ${none ? "converged" : "failed"} above)`;
    }
    etaFold = {
      value: fold ? fold.value : null,
      bracket,
      definition: DEFINITIONS.etaFold,
      method: "pseudo-arclength continuation in eta of the plateau in the symmetric subspace (started from the plateau that the symmetrised initial condition reaches at small eta); fold where the tangent's eta-component changes sign, located by regula falsi on that component (|G_x| singular there)",
      message,
      evaluations: branch?.stats.points ?? 0,
      wallTimeMs: now() - t1,
      accuracy: fold ? Math.max(fold.smallestSingularValue, 1e-15) : null,
    };
  }

  if (which.has("etaPerfectStable")) {
    const t1 = now();
    if (imperfect || sys.setting.learningRate2 !== null) {
      const why = imperfect ? "with label noise or weight decay perfect learning (Q = T, R = T) is not a fixed point (docs/theory.md section 9)" : "with a separate learningRate2 the field is not eta A + eta^2 B, which this threshold's method needs";
      etaPerfectStable = { value: null, bracket: null, definition: DEFINITIONS.etaPerfectStable, method: "", message: why, evaluations: 0, wallTimeMs: now() - t1, accuracy: null };
    } else if (sys.K !== sys.M) {
      etaPerfectStable = { value: null, bracket: null, definition: DEFINITIONS.etaPerfectStable, method: "", message: `no perfect-learning fixed point Q = T, R = T when K (${sys.K}) != M (${sys.M})`, evaluations: 0, wallTimeMs: now() - t1, accuracy: null };
    } else {
      const r = perfectStabilityLimit(sys, etaStart, precision);
      etaPerfectStable = { ...r, definition: DEFINITIONS.etaPerfectStable, wallTimeMs: now() - t1 };
    }
  }
  } catch (err) {
    if (!(err instanceof WorkExhausted)) throw err;
    status = "max-work";
  }
  sys.meter = undefined;
  asymptotic.sort((a, b) => a.learningRate - b.learningRate);
  return {
    etaNonmonotonic, etaFold, etaDivergence, etaPerfectStable, asymptotic,
    status,
    message: status === "completed" ? "every requested threshold computed" : budget.truncationMessage("the thresholds computed before are returned, the others are null"),
    settings: { ...settings, precision, egFloor, slopeTolerance, method: sys.setting.method, hermiteOrder: sys.setting.hermiteOrder },
    stats: { wallTimeMs: now() - t0, rhsEvaluations: sys.evaluations },
  };
}

/** Whether the student units of u are not all equivalent (some R_in or v_i differs by > 1e-3). */
function specialised(sys: OrderParameterSystem, u: ArrayLike<number>): boolean {
  if (sys.K === 1) return true;
  const { R, v } = sys.unpack(u);
  return R.some((row, i) => row.some((x, n) => Math.abs(x - R[0][n]) > 1e-3) || Math.abs(v[i] - v[0]) > 1e-3);
}

/**
 * F = eta A(u) + eta^2 B(u) and u* = (Q = T, R = T) is a fixed point for every eta, so
 * J(eta) = eta (J_A + eta J_B): J_A, J_B once (boundary construction, jacobian.ts), then the
 * sign of max Re eig(J_A + eta J_B) bisected in eta.
 */
export function perfectStabilityLimit(sys: OrderParameterSystem, etaStart: number, precision: number, step = 1e-3) {
  const T = sys.setting.T;
  // a trained second layer is perfect at v = v* (eta2 = eta: F stays eta A + eta^2 B)
  const u = sys.pack(T, T, sys.setting.vStar);
  const parts = (st: number) => {
    const A = boundaryJacobian((x) => { const p = sys.rhs(x, 1), m = sys.rhs(x, -1); return Float64Array.from(p, (v, i) => 0.5 * (v - m[i])); }, sys, u, st);
    const B = boundaryJacobian((x) => { const p = sys.rhs(x, 1), m = sys.rhs(x, -1); return Float64Array.from(p, (v, i) => 0.5 * (v + m[i])); }, sys, u, st);
    return { A, B };
  };
  const threshold = (st: number) => {
    const { A, B } = parts(st);
    const unstable = (eta: number) => eigenvalues(A.J.map((row, i) => row.map((a, j) => a + eta * B.J[i][j])))[0].re > 0;
    return { b: bisectThreshold(unstable, etaStart, precision, 1e-6, 1e4), error: Math.max(A.errorEstimate, B.errorEstimate) };
  };
  const main = threshold(step);
  const half = threshold(step / 2);
  const b = main.b;
  const value = b ? 0.5 * (b.lo + b.hi) : null;
  const h = half.b ? 0.5 * (half.b.lo + half.b.hi) : null;
  return {
    value,
    bracket: b ? [b.lo, b.hi] as [number, number] : null,
    method: `bisection on eta of the sign of max Re eig(J_A + eta J_B) at u* = (Q = T, R = T), where F = eta A + eta^2 B; J_A, J_B by finite differences along valid directions (weight-space moves inside the span, one-sided orthogonal moves extrapolated in t^(1/2); entry error estimate ${main.error.toExponential(1)})`,
    message: b ? `stable at eta = ${b.lo}, unstable at eta = ${b.hi}; the same with half the difference step gives ${h}` : "no stability limit in eta in [1e-6, 1e4]",
    evaluations: sys.evaluations,
    // the Jacobian's own error, seen by halving its step
    accuracy: value !== null && h !== null ? Math.abs(value - h) : null,
  };
}
