// optimalLocalLearningRate(): the locally optimal (greedy) learning rate of one state
// (docs/theory.md section 12). d eps_g / d alpha = a0 + a1 eta + a2 eta^2 with a_k = grad eps_g . F_k
// (F = F0 + eta F1 + eta^2 F2, split by the core's right-hand side), minimised over 0 < eta <= etaMax.
import { withInstance } from "../core/engine";
import { OptionError } from "../core/errors";
import { applyActivationParameters } from "../core/activationParameters";
import { configureCore } from "../online/training";
import { ACTIVATION_CODE, METHOD_CODE, teacherCode } from "../core/exports";
import { maxHermiteOrder } from "../averages/index";
import { packState, unpackState } from "../online/integrate";
import { resolveOdeOptions, type TeacherStudentSetting } from "../online/options";
import { resolveOption } from "../options/check";
import { etaMax as etaMaxSpec } from "../options/catalog/learning";

/** The setting, the state (Q, R) and the cap. */
export interface OptimalLocalLearningRateOptions extends TeacherStudentSetting {
  Q: ArrayLike<ArrayLike<number>>;
  R: ArrayLike<ArrayLike<number>>;
  /** Cap of the rate (default 2; Infinity: none). */
  etaMax?: number;
  method?: "exact" | "hermite";
  hermiteOrder?: number;
}

/**
 * - "optimal": eta* = -a1 / (2 a2) lies in (0, etaMax];
 * - "capped": eta* > etaMax, or a2 <= 0 (the decrease grows with eta: only the cap bounds it);
 *   learningRate = etaMax (Infinity when uncapped and a2 <= 0);
 * - "no-decrease": a1 >= 0, no positive rate lowers eps_g faster than eta -> 0; learningRate = 0.
 */
export type LocalRateStatus = "optimal" | "capped" | "no-decrease";

/** The greedy rate of a state with its status, the slope's coefficients and the parts of the right-hand side. */
export interface OptimalLocalLearningRate {
  learningRate: number;
  status: LocalRateStatus;
  /** -a1 / (2 a2) without the cap (null when a2 <= 0 or a1 >= 0). */
  unconstrained: number | null;
  /** a0, a1, a2 of d eps_g / d alpha = a0 + a1 eta + a2 eta^2. */
  coefficients: { a0: number; a1: number; a2: number };
  /** d eps_g / d alpha at learningRate. */
  egSlope: number;
  /** The parts F1 (O(eta), gradient flow) and F2 (eta^2) of dQ/dalpha and dR/dalpha; F0 (weight decay, docs/theory.md section 9; 0 without it) is not returned. */
  parts: { F1: { dQ: number[][]; dR: number[][] }; F2: { dQ: number[][]; dR: number[][] } };
  method: string;
  etaMax: number;
}

const STATUS: LocalRateStatus[] = ["optimal", "capped", "no-decrease"];

/** The greedy learning rate of the state (Q, R) of a setting. */
export function optimalLocalLearningRate(options: OptimalLocalLearningRateOptions): OptimalLocalLearningRate {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with Q and R");
  const { Q, R, etaMax: cap, ...rest } = options;
  const o = resolveOdeOptions({ ...rest, Q0: Q, R0: R, samples: 2, alphaMax: 1, hermiteCheck: false, divergenceBound: Number.MAX_VALUE } as never, maxHermiteOrder(), false);
  if (Q === undefined || R === undefined) throw new OptionError({ option: Q === undefined ? "Q" : "R", value: undefined, accepted: "a matrix", reason: "is required (the state at which the rate is computed)" });
  if (o.trainSecondLayer) throw new OptionError({ option: "trainSecondLayer", value: true, accepted: "false (the greedy rate is the first layer's)", reason: "must be false for optimalLocalLearningRate: the greedy rate does not cover the second layer's own rate learningRate2; got true" });
  const etaMax = cap === Infinity ? Infinity : resolveOption<number>(etaMaxSpec, cap);
  return withInstance((e) => {
    const x = e.exports;
    e.loadModel(o, 1);
    e.f64.set(packState(o.Q0, o.R0), x.ptrU() >> 3);
    applyActivationParameters(e, o, o.averageTolerance);
    configureCore(x, { activation: ACTIVATION_CODE[o.activation], teacher: teacherCode(o), method: METHOD_CODE[o.method], hermiteOrder: o.hermiteOrder }, 1, o);
    const rate = x.greedyRateAt(etaMax);
    const a0 = x.statGreedyCoefficient(0), a1 = x.statGreedyCoefficient(1), a2 = x.statGreedyCoefficient(2);
    const D = x.stateDimension();
    const part = (k: number) => unpackState(e.f64.slice(x.ptrPart(k) >> 3, (x.ptrPart(k) >> 3) + D), o.K, o.M);
    const p1 = part(1), p2 = part(2);
    return {
      learningRate: rate,
      status: STATUS[x.statGreedyStatus()],
      unconstrained: a1 < 0 && a2 > 0 ? -a1 / (2 * a2) : null,
      coefficients: { a0, a1, a2 },
      egSlope: rate === Infinity ? -Infinity : a0 + a1 * rate + a2 * rate * rate,
      parts: { F1: { dQ: p1.Q, dR: p1.R }, F2: { dQ: p2.Q, dR: p2.R } },
      method: "a_k = grad eps_g . F_k, each by a fourth-order central difference of eps_g along F_k (state-space step 1e-3, shortened to stay clear of collinear fields)",
      etaMax,
    };
  });
}
