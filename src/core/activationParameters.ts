// The parameters of the activations (docs/theory.md section 10): the leakyRelu slope and the
// Hermite coefficients of a user polynomial, resolved and checked once, then handed to the
// core for both sides (student g, teacher gt) before any kernel runs.
import type { Engine } from "./engine";
import { OptionError, OptionTypeError, showValue } from "./errors";
import type { Activation } from "./exports";

/** leakyRelu: max(x, slope x) unless given. */
export const DEFAULT_SLOPE = 0.01;
/** hermiteCoefficients holds c_0 .. c_d with d <= 8 (the core's MAX_POLY_DEGREE). */
export const MAX_HERMITE_COEFFICIENTS = 9;

export interface ActivationParameterOptions {
  /** Slope a of leakyRelu, max(x, a x) (default 0.01); any finite number (a = -1 is abs). */
  slope?: number;
  /** Coefficients [c_0, c_1, ...] of the activation "hermiteCoefficients", g = sum_n c_n He_n (probabilists' Hermite), at most 9. */
  hermiteCoefficients?: ArrayLike<number> | null;
}

export interface ActivationParameters {
  slope: number;
  /** The coefficients as given, or null when no side uses "hermiteCoefficients" and none were given. */
  hermiteCoefficients: number[] | null;
}

const uses = (s: { activation: Activation; teacherActivation: Activation }, a: Activation) => s.activation === a || s.teacherActivation === a;

/** Checks slope and hermiteCoefficients against the activations they parameterise. */
export function resolveActivationParameters(o: ActivationParameterOptions, s: { activation: Activation; teacherActivation: Activation }): ActivationParameters {
  let slope = DEFAULT_SLOPE;
  if (o.slope !== undefined) {
    const accepted = "a finite number (leakyRelu is max(x, slope x))";
    if (typeof o.slope !== "number") throw new OptionTypeError({ option: "slope", value: o.slope, accepted });
    if (!Number.isFinite(o.slope)) throw new OptionError({ option: "slope", value: o.slope, accepted });
    slope = o.slope;
  }
  let hermiteCoefficients: number[] | null = null;
  const accepted = `an array of 1 to ${MAX_HERMITE_COEFFICIENTS} finite numbers [c_0, c_1, ...] (g = sum_n c_n He_n)`;
  if (o.hermiteCoefficients !== undefined && o.hermiteCoefficients !== null) {
    const c = o.hermiteCoefficients as unknown;
    if (!Array.isArray(c) && !ArrayBuffer.isView(c)) throw new OptionTypeError({ option: "hermiteCoefficients", value: c, accepted });
    const list = Array.from(c as ArrayLike<unknown>);
    if (list.length < 1 || list.length > MAX_HERMITE_COEFFICIENTS) {
      throw new OptionError({ option: "hermiteCoefficients", value: c, accepted, reason: `must be ${accepted}; got ${list.length} entries` });
    }
    hermiteCoefficients = list.map((x, i) => {
      if (typeof x !== "number") throw new OptionTypeError({ option: "hermiteCoefficients", value: c, accepted: "a finite number", element: `[${i}]`, reason: `must be a number; got ${showValue(x)}` });
      if (!Number.isFinite(x)) throw new OptionError({ option: "hermiteCoefficients", value: c, accepted: "a finite number", element: `[${i}]`, reason: `must be finite; got ${x}` });
      return x;
    });
  } else if (uses(s, "hermiteCoefficients")) {
    const option = s.activation === "hermiteCoefficients" ? "activation" : "teacherActivation";
    throw new OptionError({
      option: "hermiteCoefficients", value: undefined, accepted, related: [option],
      reason: `is required with ${option} "hermiteCoefficients": give ${accepted}`,
    });
  }
  return { slope, hermiteCoefficients };
}

/** The core's default quadrature tolerance (averageTolerance). */
export const DEFAULT_AVERAGE_TOLERANCE = 5e-10;

/**
 * Hands the parameters to the core for both sides (call before configureModel / sgd), with the
 * tolerance of the averages computed by quadrature, and clears the core's average counters.
 */
export function applyActivationParameters(e: Engine, p: ActivationParameters, averageTolerance = DEFAULT_AVERAGE_TOLERANCE): void {
  const x = e.exports;
  x.setQuadratureTolerance(averageTolerance);
  x.resetAverageStats();
  const c = p.hermiteCoefficients ?? [];
  for (let side = 0; side < 2; side++) {
    e.f64.set(c, x.activationCoefficientsPtr() >> 3);
    x.setActivationParameters(side, p.slope, c.length);
  }
}
