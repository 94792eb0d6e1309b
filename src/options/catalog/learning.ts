// Learning rate and the alpha grid (alpha = examples / input dimension) of the ODE, the SGD runs
// and the equilibrium curves.
import { option, variant } from "../option";

export const learningRate = option({
  name: "learningRate", aliases: ["eta"], flag: "eta", type: "number", range: { min: 0, minExclusive: true }, group: "learning", default: 1,
  help: "learning rate eta of SGD",
  web: { id: "eta", label: "η (learning rate)" },
});

export const alphaMax = option({
  name: "alphaMax", flag: "alpha-max", type: "number", range: { min: 0, minExclusive: true }, group: "learning", default: 300,
  help: "last sample point alpha",
  web: { label: "α max" },
});

export const samples = option({
  name: "samples", flag: "samples", type: "integer", range: { min: 2, max: 1e7 }, group: "learning", default: 301,
  help: "evenly spaced samples, 0 and alpha-max included",
  web: { label: "samples (0 and α max included)" },
});

export const alphas = option({
  name: "alphas", flag: "alpha-points", type: "list", range: { min: 0 }, minLength: 1, group: "learning",
  help: "explicit, strictly increasing sample points alpha >= 0 (instead of --alpha-max and --samples)",
});

/** SGD runs: fewer samples by default, and at most 1e6 of them (each is a matching of K units). */
export const sgdAlphaMax = variant(alphaMax, { default: 100, range: { min: 0, minExclusive: true, max: 1e9 } });
export const sgdSamples = variant(samples, { default: 101, range: { min: 2, max: 1e6 } });

/** Several learning curves ([E] Fig. 2a). */
export const learningRates = option({
  name: "learningRates", flag: "etas", type: "list", range: { min: 0, minExclusive: true }, minLength: 1, group: "learning", default: [0.5, 1, 1.2, 1.25],
  help: "learning rates, one curve each",
  web: { id: "etas", label: "learning rates of the curves", hint: "comma-separated" },
});
