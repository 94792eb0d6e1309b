// The optimal learning-rate schedule of the ODE over a horizon (docs/theory.md section 12).
import { option, variant } from "../option";
import { alphaMax } from "./learning";
import { step } from "./numerics";
import { SCHEDULE_OBJECTIVES } from "../values";

export const horizon = variant(alphaMax, { default: 100, help: "the horizon alpha_end", group: "schedules", web: { label: "α end (horizon)" } });

export const intervals = option({
  name: "intervals", flag: "intervals", type: "integer", range: { min: 1, max: 2000 }, group: "schedules", default: 50,
  help: "equal intervals of [0, alpha_end], one learning rate each",
  web: { label: "intervals J" },
});

export const objective = option({
  name: "objective", flag: "objective", type: "enum", values: SCHEDULE_OBJECTIVES, group: "schedules", default: "final",
  help: "minimise eps_g at alpha_end (final) or its integral over [0, alpha_end] (integral)",
  web: { label: "objective" },
});

export const scheduleEtaMax = option({
  name: "etaMax", flag: "eta-max", type: "number", range: { min: 0, minExclusive: true }, group: "schedules", default: 2,
  help: "upper bound of every rate, and the cap of the greedy schedule",
  web: { label: "η max" },
});

export const scheduleStep = variant(step, { default: 0.05, help: "RK4 step of the discretised problem (its gradient is exact for this step)", group: "schedules", web: { label: "RK4 step" } });

export const curveSamples = option({
  name: "samples", flag: "samples", type: "integer", range: { min: 2, max: 1e6 }, group: "schedules", default: 201,
  help: "samples of the reported learning curves, 0 and alpha_end included (the interval bounds are added)",
  web: { label: "curve samples" },
});

export const maxIterations = option({
  name: "maxIterations", flag: "max-iterations", type: "integer", range: { min: 0, max: 10000 }, group: "schedules", default: 100,
  help: "quasi-Newton iterations at most",
});

export const gradientTolerance = option({
  name: "gradientTolerance", flag: "gradient-tolerance", type: "number", range: { min: 0 }, group: "schedules", default: 1e-6,
  help: "stop when the projected gradient of ln Phi is at most this",
});

export const initialRates = option({
  name: "initial", flag: "initial", type: "list", range: { min: 0, minExclusive: true }, minLength: 1, group: "schedules", sweep: false,
  help: "start from these rates, one per interval (instead of the better of greedy and the best constant rate)",
});
