// Label noise, weight decay, a trained second layer and the output scalings (docs/theory.md
// section 9): their options resolved, and the core configured with them. Without any of them the
// ODE and the SGD kernel are those of sections 1 and 3, bit for bit.
import type { CoreExports } from "../core/exports";
import { OptionError } from "../core/errors";
import { checkOption, resolveOption } from "../options/check";
import * as TR from "../options/catalog/training";
import type { OUTPUT_SCALINGS } from "../options/values";

/** One of OUTPUT_SCALINGS: "none", "1/K" (v_i = 1/K, v*_n = 1/M) or "1/sqrtK" (1/sqrt K, 1/sqrt M). */
export type OutputScaling = (typeof OUTPUT_SCALINGS)[number];

/** The options of docs/theory.md section 9 shared by the ODE, the SGD runs and the fixed points. */
export interface TrainingOptions {
  /** Standard deviation sigma of the Gaussian noise added to every label (default 0). */
  noise?: number;
  /** Weight decay kappa: every step shrinks the weights by kappa / d, not multiplied by eta (default 0). */
  weightDecay?: number;
  /** Train the student's output weights v too, starting from `v` (default false): the state then includes v. */
  trainSecondLayer?: boolean;
  /** Learning rate eta2 of the second layer (alias eta2; default, or null: the first layer's learning rate). */
  learningRate2?: number | null;
  eta2?: number | null;
}

/** The training options resolved; learningRate2 null means "the first layer's learning rate". */
export interface ResolvedTraining {
  noise: number;
  weightDecay: number;
  trainSecondLayer: boolean;
  learningRate2: number | null;
}

/** noise, weightDecay, trainSecondLayer and learningRate2 (alias eta2; only with trainSecondLayer). */
export function resolveTraining(o: TrainingOptions): ResolvedTraining {
  const noise = resolveOption<number>(TR.labelNoise, o.noise);
  const weightDecay = resolveOption<number>(TR.weightDecay, o.weightDecay);
  const trainSecondLayer = resolveOption<boolean>(TR.trainSecondLayer, o.trainSecondLayer);
  if (o.learningRate2 != null && o.eta2 != null && o.learningRate2 !== o.eta2) {
    throw new OptionError({ option: "eta2", value: o.eta2, accepted: "the same value as learningRate2 (they are one option)", related: ["learningRate2"], reason: `and learningRate2 are the same option; got learningRate2 = ${o.learningRate2} and eta2 = ${o.eta2}` });
  }
  const given = o.learningRate2 ?? o.eta2;
  const name = o.learningRate2 != null ? "learningRate2" : "eta2";
  const learningRate2 = given == null ? null : checkOption<number>(TR.learningRate2, given, name);
  if (learningRate2 !== null && !trainSecondLayer) {
    throw new OptionError({ option: name, value: given, accepted: "no value unless trainSecondLayer is true", related: ["trainSecondLayer"], reason: `must be left out unless trainSecondLayer is true (it is the learning rate of the second layer); got ${given} with trainSecondLayer false` });
  }
  return { noise, weightDecay, trainSecondLayer, learningRate2 };
}

/** The factor an output scaling puts on the output weights of n units. */
export function outputScale(scaling: OutputScaling, n: number): number {
  return scaling === "1/K" ? 1 / n : scaling === "1/sqrtK" ? 1 / Math.sqrt(n) : 1;
}

/** The model's core configuration: configureModel, then (after it reset them) section 9's settings. */
export function configureCore(
  x: Pick<CoreExports, "configureModel" | "configureTraining">,
  codes: { activation: number; teacher: number; method?: number; hermiteOrder?: number },
  learningRate: number,
  t: { noise: number; weightDecay: number; learningRate2: number | null },
): void {
  x.configureModel(codes.activation, codes.method ?? 0, codes.hermiteOrder ?? 10, learningRate, codes.teacher);
  x.configureTraining(t.noise, t.weightDecay, t.learningRate2 ?? learningRate);
}
