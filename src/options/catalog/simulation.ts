// Finite-d online SGD runs (docs/theory.md section 3) and their comparison with the ODE.
import { option } from "../option";
import { MATCHINGS } from "../values";

export const d = option({
  name: "d", flag: "d", type: "integer", range: { min: 2, max: 1e7 }, group: "simulation", default: 1000,
  help: "input dimension (at least K + M)",
  web: { label: "d (input dimension)" },
});

export const runs = option({
  name: "runs", flag: "runs", type: "integer", range: { min: 1, max: 1e5 }, group: "simulation", default: 10,
  help: "independent runs; run r is seeded from (--seed, r)",
  web: { label: "runs" },
});

export const seed = option({
  name: "seed", flag: "seed", type: "integer", range: { min: 0, max: Number.MAX_SAFE_INTEGER }, group: "simulation", default: 1,
  help: "base seed",
  web: { label: "seed" },
});

export const batch = option({
  name: "batch", flag: "batch", type: "integer", range: { min: 1, max: 1e6 }, group: "simulation", default: 1,
  help: "mini-batch size: each step adds (eta/d) times the sum of the per-example gradients; alpha counts examples",
  web: { label: "mini-batch size" },
});

export const threads = option({
  name: "threads", flag: "threads", type: "integer", range: { min: 1, max: 256 }, group: "simulation", defaultText: "one per core", cliOnly: true, sweep: false,
  help: "worker threads; results do not depend on it",
});

export const testInputs = option({
  name: "testInputs", flag: "test-inputs", type: "integer", range: { min: 0, max: 1e8 }, group: "simulation", default: 0,
  help: "also a Monte-Carlo test error on this many fresh inputs per sample",
});

export const perRun = option({
  name: "perRun", flag: "per-run", type: "boolean", group: "simulation", default: false,
  help: "json: include every run's trajectory (students matched to teachers)",
});

export const matching = option({
  name: "matching", flag: "matching", type: "enum", values: MATCHINGS, group: "simulation", default: "final",
  help: "relabelling of student units before averaging: final = each run in the assignment it ends in from where it settled there, before that as at its first sample; each = matched at every sample; none = own labels",
});

export const restartAlpha = option({
  name: "restartAlpha", flag: "restart-alpha", type: "number", range: { min: 0 }, group: "comparison",
  help: "also run the ODE from the simulation's mean order parameters at the first sample >= this alpha (within the run)",
});

/** compare() needs two runs for a standard error. */
export const compareRuns = option({ ...runs, range: { min: 2, max: 1e5 }, help: "independent runs (at least 2, for a standard error); run r is seeded from (--seed, r)" });
