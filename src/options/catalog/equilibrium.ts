// The equilibrium theory of [O] (docs/theory.md section 5): model, alpha grid, site-symmetry check.
import { option, variant } from "../option";
import { EQUILIBRIUM_ACTIVATIONS } from "../values";
import { alphaMax, samples } from "./learning";

export const equilibriumActivation = option({
  name: "activation", flag: "activation", type: "enum", values: EQUILIBRIUM_ACTIVATIONS, group: "equilibrium", default: "relu",
  help: "hidden units: relu, or [O]'s sigmoid 1 + erf(x/sqrt 2)",
  web: { label: "activation", hint: "sigmoid: 1 + erf(x/√2)" },
});

export const equilibriumK = option({
  name: "K", flag: "K", type: "integer", range: { min: 1, max: 1e6 }, group: "equilibrium", default: 2,
  help: "hidden units of student and teacher",
  web: { label: "K (hidden units of student and teacher)", hint: "1 … 10⁶; site-symmetry checked for K ≤ 10" },
});

export const equilibriumAlphaMax = variant(alphaMax, { default: 20, help: "last alpha" });
export const equilibriumSamples = variant(samples, { default: 201, range: { min: 2, max: 1e5 }, help: "evenly spaced alphas from 0, alpha-max included" });

export const siteSymmetry = option({
  name: "siteSymmetry", flag: "site-symmetry", type: "boolean", group: "equilibrium", negatable: true, defaultText: "on for K <= 10",
  help: "check stability in all K^2 + K(K-1)/2 order parameters on 50 evenly spaced alphas (K <= 30)",
});

export const transitionsK = option({
  name: "K", flag: "K", type: "list", range: { min: 1, max: 1e6, integer: true }, minLength: 1, group: "equilibrium", default: [2],
  help: "one or more K; several K give one row (one JSON object) each",
});
