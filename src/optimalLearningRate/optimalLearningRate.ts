// The exact optimal step of a single-layer network with a piecewise-linear activation
// (docs/theory.md section 6, [L]): a* = num / den, computed in one WebAssembly call.
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, hostUnit, type Estimate } from "../work/estimates";
import { withInstance, type CoreInstance } from "../core/engine";
import { ACTIVATION_CODES } from "../core/exports";
import { OPTIMAL_RATE_METHODS, SINGLE_LAYER_ACTIVATIONS } from "../options/values";
import { resolveOption } from "../options/check";
import * as O from "../options/catalog/optimalLearningRate";
import * as check from "../core/validate";

/** Piecewise-linear activations of the single-layer network, and the routes to the optimal step (declared in the option schema). */
export { SINGLE_LAYER_ACTIVATIONS, OPTIMAL_RATE_METHODS };
/** One of SINGLE_LAYER_ACTIVATIONS. */
export type SingleLayerActivation = (typeof SINGLE_LAYER_ACTIVATIONS)[number];
// "identity" is the table's linear unit
const ACT_CODE: Record<SingleLayerActivation, number> = { relu: ACTIVATION_CODES.relu, leakyRelu: ACTIVATION_CODES.leakyRelu, identity: ACTIVATION_CODES.linear };

/** One of OPTIMAL_RATE_METHODS. */
export type OptimalRateMethod = (typeof OPTIMAL_RATE_METHODS)[number];

type Rows = ArrayLike<ArrayLike<number>>;

/** A single-layer network y = s(W x + b) and one batch (X, Y). */
export interface OptimalLearningRateOptions {
  /** Weights, n1 rows of length n0. */
  W: Rows;
  /** Biases, length n1 (default zeros). */
  b?: ArrayLike<number>;
  /** Inputs of the batch, M rows of length n0. */
  X: Rows;
  /** Targets, M rows of length n1. */
  Y: Rows;
  activation?: SingleLayerActivation;
  /** Slope of leakyRelu left of 0 (default 0.01); only with activation "leakyRelu". */
  slope?: number;
  /**
   * "gram": through the batch's Gram matrix, M^2 (n0 + n1) work; "gradient": forms grad L first,
   * M n0 n1 work; "auto" (default): the one with fewer operations. Same numbers up to rounding.
   */
  method?: OptimalRateMethod;
}

/** The optimal step of one batch with its numerator, denominator, first kink and exactness. */
export interface OptimalLearningRate {
  /** a* = numerator / denominator, or null when the denominator is not positive. */
  learningRate: number | null;
  /** (1/M^2) sum_ij (1 + x_i.x_j) <D_i D_j e_j, e_i>  (= |grad L|^2). */
  numerator: number;
  /** (1/M^3) sum_ijk (1 + x_i.x_j)(1 + x_i.x_k) <D_i D_j e_j, D_i D_k e_k>. */
  denominator: number;
  /** false where the denominator is not positive (e.g. every unit inactive, or a zero gradient). */
  defined: boolean;
  /** L = (1/2M) sum_i |y_hat_i - y_i|^2 at W, b. */
  loss: number;
  /** L(a*) predicted by the quadratic model, loss - num^2 / (2 den) (null when not defined). */
  predictedLoss: number | null;
  /** Smallest a > 0 at which some pre-activation crosses a kink along -grad L (Infinity: none). */
  firstKink: number;
  /** true when a* <= firstKink: no kink is crossed, so a* minimises L exactly on [0, firstKink]. */
  exact: boolean;
  method: "gram" | "gradient";
  shape: { M: number; n0: number; n1: number };
}


export interface SingleLayerProblem {
  W: Rows;
  b: ArrayLike<number>;
  X: Rows;
  Y: Rows;
  activation: SingleLayerActivation;
  slope: number;
  method: OptimalRateMethod;
}

function rowsOf(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw check.typeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `must be an array of rows (arrays or Float64Arrays); got ${typeof value}` });
  if (value.length === 0) throw check.rangeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `must have at least one row; got an empty array` });
  const first = value[0] as unknown;
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) throw check.typeError(`${name}[0]`, first, "rows of finite numbers, all of the same length", { reason: `must be an array of numbers` });
  if ((first as ArrayLike<number>).length === 0) throw check.rangeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `rows must not be empty` });
  return value;
}

/**
 * check.matrix's checks and messages without copying (batches can be large; the rows are copied
 * once, straight into WebAssembly memory).
 */
function checkRows(name: string, value: unknown, rows: number, cols: number): Rows {
  if (!Array.isArray(value)) throw check.typeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `must be an array of ${rows} rows; got ${typeof value}` });
  if (value.length !== rows) throw check.rangeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `must have ${rows} rows (${rows} x ${cols}); got ${value.length} rows` });
  for (let i = 0; i < rows; i++) {
    const row = value[i] as unknown;
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw check.typeError(`${name}[${i}]`, row, "rows of finite numbers, all of the same length", { reason: `must be an array of ${cols} numbers; got ${typeof row}` });
    const r = row as ArrayLike<unknown>;
    if (r.length !== cols) throw check.rangeError(`${name}`, value, "rows of finite numbers, all of the same length", { reason: `must be ${rows} x ${cols}; row ${i} has ${r.length} entries` });
    for (let j = 0; j < cols; j++) {
      const x = r[j];
      if (typeof x !== "number") throw check.typeError(`${name}[${i}][${j}]`, x, "rows of finite numbers, all of the same length", { reason: `must be a number; got ${typeof x}` });
      if (!Number.isFinite(x)) throw check.rangeError(`${name}[${i}][${j}]`, x, "rows of finite numbers, all of the same length", { reason: `must be finite; got ${x}` });
    }
  }
  return value as Rows;
}

/** slope is a leakyRelu parameter: given with another activation it is a mistake. */
export function checkSlopeApplies(slope: unknown, activation: string): void {
  if (slope !== undefined && activation !== "leakyRelu") throw check.rangeError("slope", slope, `no slope unless activation is "leakyRelu"`, { related: ["activation"], reason: `applies only to activation "leakyRelu": it must not be given with activation ${JSON.stringify(activation)}; got slope ${String(slope)}` });
}

/** Validates the options of optimalLearningRate (shapes from W: n1 x n0, X: M x n0). */
export function resolveSingleLayer(o: OptimalLearningRateOptions): SingleLayerProblem {
  if (o === null || typeof o !== "object") throw new TypeError("options must be an object with W, X, Y");
  const Wr = rowsOf("W", o.W);
  const n1 = Wr.length, n0 = (Wr[0] as ArrayLike<number>).length;
  const Xr = rowsOf("X", o.X);
  const M = Xr.length;
  const W = checkRows("W", o.W, n1, n0);
  const X = checkRows("X", o.X, M, n0);
  const Y = checkRows("Y", o.Y, M, n1);
  const b = o.b === undefined ? new Array<number>(n1).fill(0) : check.vector("b", o.b, n1);
  const activation = resolveOption<SingleLayerActivation>(O.singleLayerActivation, o.activation);
  checkSlopeApplies(o.slope, activation);
  const slope = resolveOption<number>(O.slope, o.slope);
  const method = resolveOption<OptimalRateMethod>(O.optimalRateMethod, o.method);
  return { W, b, X, Y, activation, slope, method };
}

/** The route with fewer multiply-adds: Gram pairs M^2/2 (n0 + 3 n1) against 2 M n0 n1 for grad L and u. */
export function chooseMethod(method: OptimalRateMethod, M: number, n0: number, n1: number): "gram" | "gradient" {
  if (method !== "auto") return method;
  return (M * (n0 + 3 * n1)) / 2 <= 2 * n0 * n1 ? "gram" : "gradient";
}

/** Kernel call on a validated problem; with wantGradient also returns grad W and grad b. */
export function computeOptimalRate(e: CoreInstance, p: SingleLayerProblem, wantGradient = false): OptimalLearningRate & { gradW?: number[][]; gradB?: number[] } {
  const M = p.X.length, n1 = p.W.length, n0 = p.W[0].length;
  const x = e.exports;
  if (x.optlrLayout(M, n0, n1) === 0) throw check.rangeError("X", M, "a batch that fits in WebAssembly memory", { related: ["W"], reason: `(a batch of M = ${M} inputs with n0 = ${n0}, n1 = ${n1}) does not fit in WebAssembly memory` });
  const v = e.f64;
  const put = (k: number, rows: Rows) => {
    let o = x.optlrPtr(k) >> 3;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      v.set(r, o);
      o += r.length;
    }
  };
  put(0, p.W);
  v.set(p.b, x.optlrPtr(1) >> 3);
  put(2, p.X);
  put(3, p.Y);
  const method = chooseMethod(p.method, M, n0, n1);
  x.optlrCompute(ACT_CODE[p.activation], p.slope, method === "gram" ? 0 : 1, wantGradient ? 1 : 0);
  const f = e.f64;
  const out = x.optlrPtr(10) >> 3;
  const [numerator, denominator, loss, firstKink] = [f[out], f[out + 1], f[out + 2], f[out + 3]];
  const defined = denominator > 0 && Number.isFinite(numerator) && Number.isFinite(denominator);
  const learningRate = defined ? numerator / denominator : null;
  const r: OptimalLearningRate & { gradW?: number[][]; gradB?: number[] } = {
    learningRate,
    numerator,
    denominator,
    defined,
    loss,
    predictedLoss: defined ? loss - (numerator * numerator) / (2 * denominator) : null,
    firstKink,
    exact: defined && learningRate! <= firstKink,
    method,
    shape: { M, n0, n1 },
  };
  if (wantGradient) {
    const g = x.optlrPtr(8) >> 3;
    r.gradW = Array.from({ length: n1 }, (_, k) => Array.from(f.subarray(g + k * n0, g + (k + 1) * n0)));
    const gb = x.optlrPtr(9) >> 3;
    r.gradB = Array.from(f.subarray(gb, gb + n1));
  }
  return r;
}

/** Work of optimalLearningRate(): the cheaper route's multiply-adds (chooseMethod); memory for the batch. */
export function optimalRateEstimate(options: OptimalLearningRateOptions): Estimate {
  return estimateOf(resolveSingleLayer(options));
}

function estimateOf(p: SingleLayerProblem): Estimate {
  const M = p.X.length, n1 = p.W.length, n0 = p.W[0].length;
  const method = chooseMethod(p.method, M, n0, n1);
  const ops = method === "gram" ? (M * M * (n0 + 3 * n1)) / 2 + M * n0 * n1 : 3 * M * n0 * n1;
  const per = hostUnit("trainUnit") / 4; // the kernel's multiply-add, a quarter of the host loop's (bench/RESULTS-optlr.md)
  return estimate(ops * per, 8 * (2 * n1 * n0 + 2 * n1 + M * n0 + 5 * M * n1 + 8) + 65536, `${method} route: ${ops.toExponential(2)} multiply-adds (M = ${M}, n0 = ${n0}, n1 = ${n1})`, ["X", "W"], ops * per, ops * per);
}

/**
 * The step a* minimising L(theta - a grad L) for y_hat = s(W x + b) on the batch (X, Y), exact
 * whenever no pre-activation crosses a kink of s on [0, a*] (reported as `exact`).
 */
export function optimalLearningRate(options: OptimalLearningRateOptions & RunControl): OptimalLearningRate {
  const p = resolveSingleLayer(options);
  new WorkBudget("optimalLearningRate", estimateOf(p), resolveControl(options), 0, false);
  return withInstance((core) => computeOptimalRate(core, p));
}
