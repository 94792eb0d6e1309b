// Gradient descent on the population loss J (docs/theory.md section 7): discrete steps W <- W - eta grad J and the
// continuous limit dW/dt = -grad J (adaptive Dormand-Prince), stopping with a status at the
// origin of a unit (where grad J is discontinuous), at convergence or on divergence.
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";
import * as check from "../core/validate";
import { dormandPrince } from "../numerics/dormandPrince";
import { resolveFlowSampling } from "./dormandPrince";
import { gradientOf, lossOf, norm, resolveWeights } from "./populationGradient";

type Rows = ArrayLike<ArrayLike<number>>;

/** How a population descent ended. */
export const DESCENT_STATUSES = ["completed", "converged", "origin", "diverged", "max-steps", "step-too-small"] as const;
/** One of DESCENT_STATUSES. */
export type DescentStatus = (typeof DESCENT_STATUSES)[number];

/** Start, teacher, mode (flow or discrete steps) and stopping rules of a population descent. */
export interface PopulationDescentOptions {
  /** Initial student weights, K rows of length d. */
  W0: Rows;
  /** Teacher weights, M rows of length d. */
  Wstar: Rows;
  /** "flow" (default): dW/dt = -grad J, adaptive; "discrete": W <- W - learningRate grad J. */
  mode?: "flow" | "discrete";
  /** discrete: step size (default 0.1). */
  learningRate?: number;
  /** discrete: number of steps (default 1000); samples every `every` steps (default 1). */
  steps?: number;
  every?: number;
  /** flow: final time (default 50) and evenly spaced samples, 0 included (default 101), or explicit `times`. */
  tMax?: number;
  samples?: number;
  times?: ArrayLike<number>;
  /** flow: tolerances of the error control (default 1e-10, 1e-12) and step budget (default 1e6). */
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  /** Stop with "origin" once some |w_j| <= originTolerance * max_j |w*_j| (default 1e-8). */
  originTolerance?: number;
  /** Stop with "converged" once |grad J| (Frobenius) <= this (default 0: never). */
  gradientTolerance?: number;
  /** Stop with "diverged" once |W| exceeds this (default 1e6). */
  divergenceBound?: number;
}

/** The weights and J along the descent, with its status. */
export interface PopulationDescentResult {
  /** Time of each sample: t for the flow, eta * step for discrete steps. */
  t: Float64Array;
  /** Discrete: the step index of each sample (flow: null). */
  step: Int32Array | null;
  /** W at each sample (K x d). */
  W: number[][][];
  loss: Float64Array;
  gradientNorm: Float64Array;
  status: DescentStatus;
  message: string;
  stats: { steps: number; rejectedSteps: number; rhsEvaluations: number; tReached: number; wallTimeMs: number };
  options: { mode: "flow" | "discrete"; learningRate: number | null; rtol: number | null; atol: number | null; originTolerance: number; gradientTolerance: number };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
const frob = (G: number[][]) => norm(G.flat());

/**
 * Work of populationDescent(): gradients of K (K + M) d each; discrete: `steps` of them; flow: the
 * adaptive pair's ~6 per step, steps ~ samples + 60 + 7 sqrt(tMax) + 0.35 tMax (as the ODE's).
 * Memory: the weights recorded at every sample.
 */
export function descentEstimate(options: PopulationDescentOptions): Estimate {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with W0 and Wstar");
  const { W: W0, Wstar } = resolveWeights({ W: options.W0, Wstar: options.Wstar });
  return estimateOf(options, W0.length, Wstar.length, W0[0].length);
}

function estimateOf(o: PopulationDescentOptions, K: number, M: number, d: number): Estimate {
  const per = K * (K + M) * d * hostUnit("gradient");
  let gradients: number, records: number;
  if (o.mode === "discrete") {
    const steps = o.steps === undefined ? 1000 : check.number("steps", o.steps, { min: 0, max: 1e8, integer: true });
    const every = o.every === undefined ? 1 : check.number("every", o.every, { min: 1, integer: true });
    gradients = steps + 1;
    records = Math.floor(steps / every) + 2;
  } else {
    const { times, maxSteps } = resolveFlowSampling(o, 101);
    const tMax = times[times.length - 1];
    gradients = 6 * Math.min(maxSteps, times.length + 60 + 7 * Math.sqrt(tMax) + 0.35 * tMax) + times.length;
    records = times.length;
  }
  return estimate(gradients * per, records * K * d * 24 + 3 * K * d * 8, `${fmtCount(gradients)} gradients x ${fmtSeconds(per)} (K = ${K}, d = ${d}), ${fmtCount(records)} recorded weight sets`, o.mode === "discrete" ? ["steps", "every", "K", "d"] : ["tMax", "samples", "K", "d"], per, per);
}

/** Gradient descent or gradient flow on the population loss J (docs/theory.md section 7.2). */
export function populationDescent(options: PopulationDescentOptions & RunControl): PopulationDescentResult {
  const t0 = now();
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with W0 and Wstar");
  const { W: W0, Wstar } = resolveWeights({ W: options.W0, Wstar: options.Wstar });
  const est = estimateOf(options, W0.length, Wstar.length, W0[0].length);
  // a descent cut short would read as one that ended: refused rather than truncated
  const budget = new WorkBudget("populationDescent", est, resolveControl(options), est.firstChunkSeconds, false);
  const every = Math.max(1, Math.floor(0.1 / est.unitSeconds));
  let gradients = 0;
  const tick = (done: number, total: number, unit: string) => {
    if (++gradients % every !== 0) return;
    budget.charge(every * est.unitSeconds);
    budget.step("descent", done, total, unit);
  };
  const o = options;
  const mode = o.mode === undefined ? "flow" : check.oneOf("mode", o.mode, ["flow", "discrete"] as const);
  const originTolerance = o.originTolerance === undefined ? 1e-8 : check.number("originTolerance", o.originTolerance, { min: 0 });
  const gradientTolerance = o.gradientTolerance === undefined ? 0 : check.number("gradientTolerance", o.gradientTolerance, { min: 0 });
  const bound = o.divergenceBound === undefined ? 1e6 : check.number("divergenceBound", o.divergenceBound, { min: 0, minExclusive: true });
  const K = W0.length, d = W0[0].length;
  const scale = Math.max(...Wstar.map(norm), Number.MIN_VALUE);
  const origin = originTolerance * scale;

  const verdict = (W: number[][], G: number[][] | null): { status: DescentStatus; message: string } | null => {
    for (let j = 0; j < K; j++)
      if (norm(W[j]) <= origin) return { status: "origin", message: `unit ${j} reached the origin (|w_${j}| <= ${origin}), where grad J is discontinuous` };
    if (G && frob(G) <= gradientTolerance) return { status: "converged", message: `|grad J| <= gradientTolerance = ${gradientTolerance}` };
    if (!(frob(W) <= bound)) return { status: "diverged", message: `|W| exceeds divergenceBound = ${bound}` };
    return null;
  };

  const Ws: number[][][] = [], ts: number[] = [], losses: number[] = [], gnorms: number[] = [];
  const record = (t: number, W: number[][], G: number[][]) => {
    ts.push(t);
    Ws.push(W.map((r) => r.slice()));
    losses.push(lossOf(W, Wstar));
    gnorms.push(frob(G));
  };

  if (mode === "discrete") {
    const eta = o.learningRate === undefined ? 0.1 : check.number("learningRate", o.learningRate, { min: 0, minExclusive: true });
    const steps = o.steps === undefined ? 1000 : check.number("steps", o.steps, { min: 0, max: 1e8, integer: true });
    const every = o.every === undefined ? 1 : check.number("every", o.every, { min: 1, integer: true });
    let W = W0.map((r) => r.slice());
    const idx: number[] = [];
    let status: DescentStatus = "completed", message = `completed ${steps} steps`, taken = 0;
    let G = gradientOf(W, Wstar).gradient;
    record(0, W, G);
    idx.push(0);
    let v = verdict(W, G);
    for (let s = 1; s <= steps && !v; s++) {
      W = W.map((r, j) => r.map((w, i) => w - eta * G[j][i]));
      G = gradientOf(W, Wstar).gradient;
      tick(s, steps, "steps");
      taken = s;
      v = verdict(W, G);
      if (v || s % every === 0 || s === steps) {
        record(eta * s, W, G);
        idx.push(s);
      }
    }
    if (v) ({ status, message } = v);
    return {
      t: Float64Array.from(ts), step: Int32Array.from(idx), W: Ws, loss: Float64Array.from(losses), gradientNorm: Float64Array.from(gnorms),
      status, message: status === "completed" ? message : `${message} (step ${taken})`,
      stats: { steps: taken, rejectedSteps: 0, rhsEvaluations: taken + 1, tReached: eta * taken, wallTimeMs: now() - t0 },
      options: { mode, learningRate: eta, rtol: null, atol: null, originTolerance, gradientTolerance },
    };
  }

  const { times, rtol, atol, maxSteps } = resolveFlowSampling(o, 101);
  const unpack = (y: Float64Array) => Array.from({ length: K }, (_, j) => Array.from(y.subarray(j * d, (j + 1) * d)));
  const run = dormandPrince(
    (t, y, dy) => {
      tick(t, times[times.length - 1], "t");
      const G = gradientOf(unpack(y), Wstar).gradient;
      for (let j = 0; j < K; j++) for (let i = 0; i < d; i++) dy[j * d + i] = -G[j][i];
    },
    Float64Array.from(W0.flat()),
    times,
    { rtol, atol, maxSteps },
    (_t, y) => {
      const W = unpack(y);
      return verdict(W, gradientTolerance > 0 ? gradientOf(W, Wstar).gradient : null);
    },
  );
  run.y.forEach((y, s) => {
    const W = unpack(y);
    record(run.t[s], W, gradientOf(W, Wstar).gradient);
  });
  return {
    t: Float64Array.from(ts), step: null, W: Ws, loss: Float64Array.from(losses), gradientNorm: Float64Array.from(gnorms),
    status: run.status as DescentStatus, message: run.message,
    stats: { ...run.stats, wallTimeMs: now() - t0 },
    options: { mode, learningRate: null, rtol, atol, originTolerance, gradientTolerance },
  };
}
