// Population gradient of a two-layer ReLU network (docs/theory.md section 7): the symmetric
// reduction of [T] Theorem 7 and the sampled check of [T] Fig. 7.
import { option } from "../option";

export const popgradK = option({
  name: "K", flag: "K", type: "integer", range: { min: 2, max: 10000 }, group: "populationGradient", default: 2,
  help: "units of teacher and student",
  web: { label: "K (teacher and student units)", value: "6", hint: "K ≥ 6: the symmetric attractor away from (1, 0) is a spurious local minimum" },
});

/** Eight starts around the plane (the default trajectories of [T] Fig. 8). */
export const DEFAULT_STARTS: [number, number][] = [[1.5, 0.3], [0.15, 0.02], [1.4, 1.3], [0.3, 0.3], [-0.6, 1.2], [0.05, 1.5], [-0.7, -0.5], [1.2, -0.6]];

export const starts = option({
  name: "starts", flag: "starts", type: "pairs", group: "populationGradient", default: DEFAULT_STARTS,
  help: "trajectories from these points (x, y)",
  web: { label: "trajectory starts (x, y)", hint: `points separated by ";" ("1.5,0.3;0.15,0.02")` },
});

export const tMax = option({
  name: "tMax", flag: "t-max", type: "number", range: { min: 0, minExclusive: true }, group: "populationGradient", default: 100,
  help: "integrate each trajectory to this time",
  web: { label: "integrate each trajectory to t" },
});

export const xRange = option({
  name: "xRange", flag: "x-range", type: "interval", group: "populationGradient", default: [-0.8, 1.6],
  help: "vector-field window in x",
  web: { label: "x window (min,max)" },
});

export const yRange = option({
  name: "yRange", flag: "y-range", type: "interval", group: "populationGradient", default: [-0.8, 1.6],
  help: "vector-field window in y",
  web: { label: "y window (min,max)" },
});

export const grid = option({
  name: "grid", flag: "grid", type: "integer", range: { min: 2, max: 2000 }, group: "populationGradient", default: 21,
  help: "arrows per axis of the vector field",
  web: { label: "arrows per axis" },
});

export const checkDimension = option({
  name: "d", flag: "d", type: "integer", range: { min: 2, max: 1e5 }, group: "populationGradient", default: 10,
  help: "input dimension",
});

export const sampleSizes = option({
  name: "N", flag: "N", type: "list", range: { min: 1, max: 1e8, integer: true }, minLength: 1, group: "populationGradient", default: [10, 100, 1000, 10000],
  help: "sample sizes, one curve each",
});

export const angleCount = option({
  name: "angles", flag: "angles", type: "integer", range: { min: 1, max: 10000 }, group: "populationGradient", default: 12,
  help: "number of evenly spaced angles between e and w in [0, pi)",
});

export const trials = option({
  name: "trials", flag: "trials", type: "integer", range: { min: 1, max: 1e6 }, group: "populationGradient", default: 20,
  help: "sampled estimates per point",
});
