// The over-parameterisation figure (docs/theory.md section 9): the final eps_g of students with
// K = M + L units against L, first layer only against both layers, with label noise.
import { option, variant } from "../option";
import { OVERPARAMETERISATION_ACTIVATIONS } from "../values";
import { alphaMax, learningRate } from "./learning";
import { M } from "./setting";
import { labelNoise } from "./training";
import { convergenceTolerance, rtol } from "./numerics";
import { d, runs, seed } from "./simulation";

export const overActivations = option({
  name: "activations", flag: "activations", type: "enum", values: OVERPARAMETERISATION_ACTIVATIONS, group: "setting", default: "erf",
  help: "activations of the panels (student and teacher alike); relu costs far more at large K (its exact averages), e.g. minutes per point at K = 6",
  web: { label: "activations" },
});

export const extraUnits = option({
  name: "L", flag: "L", type: "list", range: { min: 0, max: 20, integer: true }, minLength: 1, group: "setting", default: [0, 1, 2, 3, 4, 5, 6],
  help: "extra student units L = K - M, one point each",
  web: { label: "L = K − M (extra student units)", hint: "comma-separated integers" },
});

export const overM = variant(M, { default: 2, defaultText: undefined, help: "teacher units (T = identity, v* = 1)", web: { label: "M (teacher units)", value: "2" } });
export const overLearningRate = variant(learningRate, { default: 0.5 });
export const overNoise = variant(labelNoise, { default: 0.1, help: "standard deviation sigma of the label noise (eg is the noise-free test error)" });
export const overAlphaMax = variant(alphaMax, { default: 1e4, help: "each ODE stops there unless it converged before" });
export const overRtol = variant(rtol, { default: 1e-7 });
export const overConvergenceTolerance = variant(convergenceTolerance, { default: 1e-9, range: { min: 0, minExclusive: true }, help: "an ODE has converged once max |du/dalpha| falls below this" });
export const overSeed = variant(seed, { help: "seed of the initial conditions (and of the runs with --simulate)", web: { label: "seed" } });

export const simulatePoints = option({
  name: "simulate", flag: "simulate", type: "boolean", group: "simulation", default: false,
  help: "also run SGD at finite d for each point, to --simulation-alpha (compared with the ODE there)",
  web: { label: "SGD runs too" },
});
export const simulationAlpha = option({
  name: "simulationAlpha", flag: "simulation-alpha", type: "number", range: { min: 0, minExclusive: true, max: 1e6 }, group: "simulation", default: 100,
  help: "alpha the simulations run to",
  web: { label: "α of the SGD runs" },
});
export const overD = variant(d, { default: 500 });
export const overRuns = variant(runs, { default: 4 });
