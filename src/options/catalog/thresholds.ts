// Trajectory numerics of the learning-rate thresholds (learningRateRegimes): the ODE's options
// with the defaults of that search (adaptive steps, tight tolerances, a convergence criterion).
import { variant } from "../option";
import { convergenceTolerance, integrator, rtol } from "./numerics";

export const regimesIntegrator = variant(integrator, { default: "adaptive" });
export const regimesRtol = variant(rtol, { default: 1e-10 });
export const regimesConvergenceTolerance = variant(convergenceTolerance, {
  default: 1e-9, range: { min: 0, minExclusive: true },
  help: "perfect learning counts as reached once max |du/dalpha| falls below this",
});
