// Mini-batch gradient descent of a single-layer network y = s(W x + b) with either the optimal
// step of [L] (docs/theory.md section 6) or a fixed learning rate; data from a random teacher or the user's.
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, hostUnit, type Estimate } from "../work/estimates";
import { acquireInstance, releaseInstance } from "../core/engine";
import { checkOption, resolveOption } from "../options/check";
import * as O from "../options/catalog/optimalLearningRate";
import { learningRate as learningRateSpec } from "../options/catalog/learning";
import { checkSlopeApplies } from "./optimalLearningRate";
import { seededNormal, seededUniform } from "../core/seededNormal";
import * as check from "../core/validate";
import { computeOptimalRate, resolveSingleLayer, SINGLE_LAYER_ACTIVATIONS, type SingleLayerActivation } from "./optimalLearningRate";

type Rows = ArrayLike<ArrayLike<number>>;

/** Options of trainSingleLayer(): network size, data (teacher or given), batches, steps and the learning rate. */
export interface TrainSingleLayerOptions {
  /** "optimal" (a* of each batch) or a fixed rate > 0. Default "optimal". */
  learningRate?: number | "optimal";
  activation?: SingleLayerActivation;
  /** leakyRelu slope left of 0 (default 0.01). */
  slope?: number;
  /** User data (rows): training pairs; mini-batches are drawn by seeded reshuffles each epoch. */
  data?: { X: Rows; Y: Rows };
  /** Teacher mode (no data): input and output dimensions (default 20 and 5). */
  n0?: number;
  n1?: number;
  /** Teacher mode: Gaussian label noise of this standard deviation (default 0). */
  noise?: number;
  /** Teacher mode: fixed test set size for testLoss (default 1000). */
  testSize?: number;
  /** Mini-batch size (default 32; capped at the data size). */
  batchSize?: number;
  /** Gradient steps (default 200). */
  steps?: number;
  /** Initial student weights (default N(0, 1/n0) entries, zero biases). */
  W0?: Rows;
  b0?: ArrayLike<number>;
  /** Seed of the teacher, the data and the initial weights: an integer in [0, 2^53). Default 1. */
  seed?: number;
  /** Stop with status "diverged" once the batch loss exceeds this (default 1e12). */
  divergenceBound?: number;
}

/** Losses and learning rates per step, the final weights and the resolved options. */
export interface TrainSingleLayerResult {
  /** Batch loss before each step (length = steps taken). */
  loss: Float64Array;
  /** Loss on the test set (teacher mode) or the whole data set (user data) at steps 0..taken. */
  testLoss: Float64Array;
  /** Rate used at each step (0 where the optimal rate was not defined: no step taken). */
  learningRates: Float64Array;
  W: number[][];
  b: number[];
  status: "completed" | "diverged" | "max-work";
  message: string;
  stats: { steps: number; undefinedSteps: number; exactSteps: number; wallTimeMs: number };
  options: { learningRate: number | "optimal"; activation: SingleLayerActivation; slope: number; batchSize: number; steps: number; seed: number; n0: number; n1: number; mode: "teacher" | "data" };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

function lossOn(W: number[][], b: number[], X: number[][], Y: number[][], act: SingleLayerActivation, slope: number): number {
  let L = 0;
  for (let i = 0; i < X.length; i++) {
    const x = X[i];
    for (let k = 0; k < W.length; k++) {
      const w = W[k];
      let z = b[k];
      for (let l = 0; l < x.length; l++) z += w[l] * x[l];
      const s = act === "identity" || z > 0 ? z : act === "relu" ? 0 : slope * z;
      L += (s - Y[i][k]) ** 2;
    }
  }
  return L / (2 * X.length);
}

/**
 * Work of trainSingleLayer(): per step a batch's forward pass and gradient (batch n0 n1), the
 * test loss (testSize n0 n1) and the batch's data (batch n0); memory for the test set.
 */
export function trainEstimate(options: TrainSingleLayerOptions = {}): Estimate {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const o = options;
  const steps = resolveOption<number>(O.trainingSteps, o.steps);
  const data = o.data && typeof o.data === "object" && Array.isArray(o.data.X) && Array.isArray(o.data.Y) ? o.data : null;
  const n0 = data ? ((data.X[0] as ArrayLike<number> | undefined)?.length ?? 1) : resolveOption<number>(O.n0, o.n0);
  const n1 = data ? ((data.Y[0] as ArrayLike<number> | undefined)?.length ?? 1) : resolveOption<number>(O.n1, o.n1);
  const test = data ? data.X.length : resolveOption<number>(O.testSize, o.testSize);
  const batch = Math.min(resolveOption<number>(O.batchSize, o.batchSize), data ? data.X.length : Infinity);
  const units = steps * (batch * n0 * n1 + test * n0 * n1 + batch * n0);
  const per = hostUnit("trainUnit");
  const memory = 24 * (test * (n0 + n1) + 2 * batch * (n0 + n1) + 4 * n0 * n1) + 8 * (2 * n1 * n0 + batch * n0 + 5 * batch * n1);
  return estimate(units * per, memory, `${steps} steps x (batch ${batch} + test set ${test}) x n0 n1 = ${n0} x ${n1} multiply-adds x ${fmtSeconds(per)}`, ["steps", "testSize", "n0", "n1", "batchSize"], per * (batch + test) * n0 * n1, per * (batch + test) * n0 * n1);
}

/** Mini-batch gradient descent of a single-layer network with the optimal step of [L] or a fixed rate (docs/theory.md section 6.3). */
export function trainSingleLayer(options: TrainSingleLayerOptions & RunControl = {}): TrainSingleLayerResult {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const t0 = now();
  const o = options;
  const lr = o.learningRate === undefined || o.learningRate === "optimal" ? "optimal" : checkOption<number>(learningRateSpec, o.learningRate, "learningRate");
  const activation = resolveOption<SingleLayerActivation>(O.singleLayerActivation, o.activation);
  checkSlopeApplies(o.slope, activation);
  const slope = resolveOption<number>(O.slope, o.slope);
  const seed = resolveOption<number>(O.trainingSeed, o.seed);
  const steps = resolveOption<number>(O.trainingSteps, o.steps);
  // checked before any data is drawn (the test set can be large)
  const batchSizeOption = resolveOption<number>(O.batchSize, o.batchSize);
  const est = trainEstimate(o);
  const budget = new WorkBudget("trainSingleLayer", est, resolveControl(o), est.firstChunkSeconds);
  const bound = o.divergenceBound === undefined ? 1e12 : check.number("divergenceBound", o.divergenceBound, { min: 0, minExclusive: true });
  const normal = seededNormal(seed);
  const act = (z: number) => (activation === "identity" || z > 0 ? z : activation === "relu" ? 0 : slope * z);

  let n0: number, n1: number, draw: (m: number) => { X: number[][]; Y: number[][] };
  let testX: number[][], testY: number[][];
  let mode: "teacher" | "data";
  let dataSize = Infinity;
  if (o.data !== undefined) {
    mode = "data";
    if (o.data === null || typeof o.data !== "object") throw new TypeError("data must be an object { X, Y } of rows");
    const teacherOnly = (["n0", "n1", "noise", "testSize"] as const).find((k) => o[k] !== undefined);
    if (teacherOnly) throw check.rangeError(teacherOnly, o[teacherOnly], "no value with data", { related: ["data"], reason: `must not be given with data: n0, n1, noise and testSize apply only to teacher mode (without data)` });
    if (!Array.isArray(o.data.X) || o.data.X.length === 0) throw new TypeError("data.X must be a non-empty array of rows");
    if (!Array.isArray(o.data.Y) || o.data.Y.length === 0) throw new TypeError("data.Y must be a non-empty array of rows");
    n0 = (o.data.X[0] as ArrayLike<number>).length;
    n1 = (o.data.Y[0] as ArrayLike<number>).length;
    const X = check.matrix("data.X", o.data.X, o.data.X.length, n0);
    const Y = check.matrix("data.Y", o.data.Y, X.length, n1);
    dataSize = X.length;
    testX = X;
    testY = Y;
    // seeded reshuffle at the start of each epoch
    const u = seededUniform(seed + 1 > Number.MAX_SAFE_INTEGER ? 0 : seed + 1);
    let order: number[] = [], pos = X.length;
    draw = (m) => {
      const idx: number[] = [];
      while (idx.length < m) {
        if (pos >= order.length) {
          order = Array.from({ length: X.length }, (_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = Math.floor(u() * (i + 1));
            [order[i], order[j]] = [order[j], order[i]];
          }
          pos = 0;
        }
        idx.push(order[pos++]);
      }
      return { X: idx.map((i) => X[i]), Y: idx.map((i) => Y[i]) };
    };
  } else {
    mode = "teacher";
    n0 = resolveOption<number>(O.n0, o.n0);
    n1 = resolveOption<number>(O.n1, o.n1);
    const noise = resolveOption<number>(O.noise, o.noise);
    const testSize = resolveOption<number>(O.testSize, o.testSize);
    if (o.W0 !== undefined) check.matrix("W0", o.W0, n1, n0);
    if (o.b0 !== undefined) check.vector("b0", o.b0, n1);
    const sd = 1 / Math.sqrt(n0);
    const Wt = Array.from({ length: n1 }, () => Array.from({ length: n0 }, () => sd * normal()));
    const bt = Array.from({ length: n1 }, () => 0.1 * normal());
    const sample = (m: number) => {
      const X = Array.from({ length: m }, () => Array.from({ length: n0 }, () => normal()));
      const Y = X.map((x) => Wt.map((w, k) => act(bt[k] + w.reduce((t, v, l) => t + v * x[l], 0)) + noise * normal()));
      return { X, Y };
    };
    ({ X: testX, Y: testY } = sample(testSize));
    draw = sample;
  }
  const batchSize = Math.min(batchSizeOption, dataSize);
  let W = o.W0 === undefined ? Array.from({ length: n1 }, () => Array.from({ length: n0 }, () => normal() / Math.sqrt(n0))) : check.matrix("W0", o.W0, n1, n0);
  let b = o.b0 === undefined ? new Array<number>(n1).fill(0) : check.vector("b0", o.b0, n1);

  const e = acquireInstance();
  const loss = new Float64Array(steps), testLoss = new Float64Array(steps + 1), rates = new Float64Array(steps);
  testLoss[0] = lossOn(W, b, testX, testY, activation, slope);
  let undefinedSteps = 0, exactSteps = 0, taken = 0;
  let status: "completed" | "diverged" | "max-work" = "completed";
  let message = `completed ${steps} steps`;
  const every = Math.max(1, Math.floor(0.1 / est.unitSeconds));
  for (let t = 0; t < steps; t++) {
    if (t > 0 && t % every === 0) {
      budget.charge(every * est.unitSeconds);
      budget.step("training", t, steps, "steps");
      if (budget.truncating && budget.exhausted) {
        status = "max-work";
        message = budget.truncationMessage(`${t} of ${steps} steps taken`);
        break;
      }
    }
    const batch = draw(batchSize);
    const p = resolveSingleLayer({ W, b, X: batch.X, Y: batch.Y, activation, ...(activation === "leakyRelu" ? { slope } : {}), method: "gradient" });
    const r = computeOptimalRate(e, p, true);
    loss[t] = r.loss;
    if (!(r.loss <= bound)) {
      status = "diverged";
      message = `diverged at step ${t}: batch loss ${r.loss} exceeds divergenceBound ${bound}`;
      break;
    }
    const a = lr === "optimal" ? (r.defined ? r.learningRate! : 0) : lr;
    if (lr === "optimal" && !r.defined) undefinedSteps++;
    if (lr === "optimal" && r.exact) exactSteps++;
    rates[t] = a;
    const gW = r.gradW!, gb = r.gradB!;
    W = W.map((row, k) => row.map((w, l) => w - a * gW[k][l]));
    b = b.map((v, k) => v - a * gb[k]);
    taken = t + 1;
    testLoss[t + 1] = lossOn(W, b, testX, testY, activation, slope);
  }
  releaseInstance(e);
  return {
    // a diverged run keeps its last (finite) batch loss, which exceeded the bound
    loss: loss.slice(0, status !== "diverged" || !Number.isFinite(loss[taken]) ? taken : taken + 1),
    testLoss: testLoss.slice(0, taken + 1),
    learningRates: rates.slice(0, taken),
    W,
    b,
    status,
    message,
    stats: { steps: taken, undefinedSteps, exactSteps, wallTimeMs: now() - t0 },
    options: { learningRate: lr, activation, slope, batchSize, steps, seed, n0, n1, mode },
  };
}
