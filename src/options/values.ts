// Lists of accepted values, one exported list each: the API validates against it and every
// front-end (CLI help and parser, edge, web selects) shows it, so extending a list here (or in
// core/exports.ts for the ODE's activations) reaches every layer by itself.
export { ACTIVATIONS, METHODS, INTEGRATORS } from "../core/exports";

/** [O]'s activations of the equilibrium theory ("sigmoid" is 1 + erf(x/sqrt 2) there, not the ODE's). */
export const EQUILIBRIUM_ACTIVATIONS = ["relu", "sigmoid"] as const;

/** Activations s of the single-layer network y = s(W x + b) of the optimal-learning-rate code. */
export const SINGLE_LAYER_ACTIVATIONS = ["relu", "leakyRelu", "identity"] as const;

/** Routes of the optimal step computation. */
export const OPTIMAL_RATE_METHODS = ["auto", "gram", "gradient"] as const;

/** Output formats of tables of numbers. */
export const FORMATS = ["table", "json", "csv"] as const;

/** How the student units of SGD runs are relabelled before averaging. */
export const MATCHINGS = ["final", "each", "none"] as const;

/** What an optimal learning-rate schedule minimises: eps_g at the horizon, or its integral. */
export const SCHEDULE_OBJECTIVES = ["final", "integral"] as const;
/** Presets of the output weights v, v* (docs/theory.md section 9): none, 1/K and 1/M, 1/sqrt K and 1/sqrt M. */
export const OUTPUT_SCALINGS = ["none", "1/K", "1/sqrtK"] as const;

/** Panels of the over-parameterisation figure: one activation, or erf and relu side by side. */
export const OVERPARAMETERISATION_ACTIVATIONS = ["erf,relu", "erf", "relu", "linear"] as const;
