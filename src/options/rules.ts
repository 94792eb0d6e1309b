// Rules between options that several API functions share, checked before any work and reported
// with the other options involved (`related`).
import { OptionError } from "../core/errors";
import { checkOption } from "./check";
import { alphas as alphasSpec } from "./catalog/learning";

/** Explicit sample points: at least one, each >= 0, strictly increasing; not together with alphaMax/samples. */
export function resolveAlphas(o: { alphas?: ArrayLike<number>; alphaMax?: number; samples?: number }): number[] {
  if (o.alphaMax !== undefined || o.samples !== undefined) {
    throw new OptionError({ option: "alphas", value: o.alphas, accepted: "sample points instead of alphaMax and samples", related: ["alphaMax", "samples"], reason: `cannot be given together with ${o.alphaMax !== undefined ? "alphaMax" : "samples"}: give the sample points either explicitly or as alphaMax/samples, not both` });
  }
  const alphas = checkOption<number[]>(alphasSpec, o.alphas);
  alphas.forEach((a, i) => {
    if (i > 0 && a <= alphas[i - 1]) throw new OptionError({ option: "alphas", element: `[${i}]`, value: a, accepted: "strictly increasing sample points", reason: `must be > the previous point ${alphas[i - 1]} (sample points are strictly increasing); got ${a}` });
  });
  return alphas;
}
