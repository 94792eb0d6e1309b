// Numerics of the order-parameter ODE: Gaussian averages, integrator, step, tolerances and the
// statuses that stop a trajectory.
import { option } from "../option";
import { INTEGRATORS, METHODS } from "../values";

export const method = option({
  name: "method", flag: "method", type: "enum", values: METHODS, group: "numerics", default: "exact",
  help: "exact Gaussian averages, or the truncated Hermite series of [E] (relu, no mismatch)",
  web: { label: "Gaussian averages", hint: "hermite: truncated Hermite series (relu only)" },
});

export const hermiteOrder = option({
  name: "hermiteOrder", flag: "hermite-order", type: "integer", range: { min: 1, max: 100 }, group: "numerics", default: 10,
  help: "truncation order of the Hermite series",
  web: { label: "Hermite order" },
});

export const averageTolerance = option({
  name: "averageTolerance", flag: "average-tolerance", type: "number", range: { min: 1e-14, max: 1e-3 }, group: "numerics", default: 5e-10,
  help: "tolerance of the Gaussian averages computed by quadrature (tanh, sigmoid, silu, softplus); the others are exact",
  web: { label: "tolerance of numerical averages" },
});

export const integrator = option({
  name: "integrator", flag: "integrator", type: "enum", values: INTEGRATORS, group: "numerics", default: "rk4",
  help: "fixed-step Euler, fixed-step RK4 or adaptive Dormand-Prince 5(4)",
  web: { label: "integrator" },
});

export const step = option({
  name: "step", flag: "step", type: "number", range: { min: 0, minExclusive: true }, group: "numerics", default: 0.01,
  help: "fixed step in alpha, or the first step of the adaptive integrator",
  web: { label: "step (first step if adaptive)" },
});

export const rtol = option({
  name: "rtol", flag: "rtol", type: "number", range: { min: 1e-15, max: 1 }, group: "numerics", default: 1e-9,
  help: "relative tolerance of the adaptive integrator",
});

export const atol = option({
  name: "atol", flag: "atol", type: "number", range: { min: 0 }, group: "numerics", default: 1e-12,
  help: "absolute tolerance of the adaptive integrator",
});

export const maxSteps = option({
  name: "maxSteps", flag: "max-steps", type: "integer", range: { min: 1, max: 2 ** 31 - 1 }, group: "numerics", default: 1e7,
  help: "stop with status max-steps after this many steps",
});

export const divergenceBound = option({
  name: "divergenceBound", flag: "divergence-bound", type: "number", range: { min: 0, minExclusive: true }, group: "numerics", default: 1e6,
  help: "status diverged once some Q_ii exceeds this (must exceed the largest initial Q_ii)",
});

export const convergenceTolerance = option({
  name: "convergenceTolerance", flag: "convergence-tolerance", type: "number", range: { min: 0 }, group: "numerics", default: 0,
  help: "status converged once max |du/dalpha| falls below this (0: never)",
});
