// Label noise, weight decay, a trained second layer and the output scalings (docs/theory.md
// section 9), for the ODE, the SGD runs, the fixed points and the over-parameterisation figure.
import { option } from "../option";
import { OUTPUT_SCALINGS } from "../values";

/** Standard deviation sigma of the labels' Gaussian noise (API name "noise"). */
export const labelNoise = option({
  name: "noise", flag: "noise", type: "number", range: { min: 0, max: 1e3 }, group: "training", default: 0,
  help: "standard deviation sigma of Gaussian noise added to every label (eg stays the noise-free test error; egNoisy = eg + sigma^2/2)",
  web: { id: "noise", label: "σ (label noise)" },
});

export const weightDecay = option({
  name: "weightDecay", flag: "weight-decay", type: "number", range: { min: 0, max: 1e3 }, group: "training", default: 0,
  help: "weight decay kappa: each step shrinks the weights by kappa/d (not multiplied by eta)",
  web: { label: "κ (weight decay)" },
});

export const trainSecondLayer = option({
  name: "trainSecondLayer", flag: "train-second-layer", type: "boolean", group: "training", default: false,
  help: "train the student's output weights v too (from --v) at learning rate --eta2; the state then includes v",
  web: { label: "train the second layer (v)" },
});

export const learningRate2 = option({
  name: "learningRate2", aliases: ["eta2"], flag: "eta2", type: "number", range: { min: 0, minExclusive: true }, group: "training", defaultText: "--eta",
  help: "learning rate eta2 of the second layer (with --train-second-layer)",
  web: { id: "eta2", label: "η₂ (second-layer learning rate)", hint: "empty: η" },
});

export const outputScaling = option({
  name: "outputScaling", flag: "output-scaling", type: "enum", values: OUTPUT_SCALINGS, group: "setting", default: "none",
  help: "divide the output weights (--v and --v-star, default all 1) by K and M (1/K) or by sqrt K and sqrt M (1/sqrtK)",
  web: { label: "output scaling of v, v*" },
});

/** What every ODE and SGD command takes besides the setting: section 9's training options. */
export const TRAINING = [labelNoise, weightDecay, trainSecondLayer, learningRate2] as const;

export const trainingSetSize = option({
  name: "trainingSetSize", flag: "training-set", type: "number", range: { min: 0, minExclusive: true, max: 1e6 }, group: "simulation", defaultText: "none: online, a fresh example every step",
  help: "finite training set of P = p d examples (p given here), drawn once per run and used in reshuffled epochs; the training error on it is reported per sample",
  web: { label: "training set P / d", hint: "empty: online learning" },
});
