// Codes of the WebAssembly core's arguments (host code only). The exports themselves are typed
// by exports.generated.ts, written at build time from assembly/index.ts; activation codes come
// from the one table of assembly/activations.ts (ACTIVATION_CODES there).
import { ACTIVATION_CODES } from "./exports.generated";
export type { CoreExports } from "./exports.generated";
export { ACTIVATION_CODES, CORE_EXPORT_NAMES } from "./exports.generated";

/**
 * Every activation of the online-learning ODE, the simulation and the Gaussian averages, in the
 * order of the core's codes (docs/theory.md section 10). The CLI, the page and the edge function
 * derive their menus from this list.
 */
export const ACTIVATIONS = [
  "relu", "erf", "linear", "leakyRelu", "abs", "square", "hermite2", "hermite3", "hermite4",
  "tanh", "sigmoid", "gelu", "silu", "softplus", "hermiteCoefficients",
] as const;
/** One of ACTIVATIONS: "relu", "erf" (erf(x / sqrt 2)), "linear", ... (docs/theory.md section 10). */
export type Activation = (typeof ACTIVATIONS)[number];
export const ACTIVATION_CODE: Record<Activation, number> = ACTIVATION_CODES;
/** The core's teacher1 argument: the teacher's activation code + 1 (0 would mean "the student's"). */
export const teacherCode = (s: { activation: Activation; teacherActivation: Activation }): number => ACTIVATION_CODE[s.teacherActivation] + 1;

/** How I4 is computed: "exact" (closed form plus a one-dimensional orthant quadrature) or "hermite" (the truncated series of [E]). */
export const METHODS = ["exact", "hermite"] as const;
/** One of METHODS. */
export type AverageMethod = (typeof METHODS)[number];
export const METHOD_CODE: Record<AverageMethod, number> = { exact: 0, hermite: 1 };

/** Integrators of the ODE: forward Euler, classical RK4 (fixed step) and adaptive Dormand-Prince 5(4). */
export const INTEGRATORS = ["euler", "rk4", "adaptive"] as const;
/** One of INTEGRATORS. */
export type Integrator = (typeof INTEGRATORS)[number];
export const INTEGRATOR_CODE: Record<Integrator, number> = { euler: 0, rk4: 1, adaptive: 2 };

/** How an ODE trajectory ended (docs/theory.md section 1.6). */
export const STATUSES = ["completed", "converged", "diverged", "invalid-state", "max-steps"] as const;
/** Status code of run() when configureMonitor asked to stop at the first rise of eps_g. */
export const STATUS_EG_RISE = 5;
/** Status of runContinue/sgdContinue (and their Begin) while work remains: not a final status. */
export const STATUS_PAUSED = 6;
/** One of STATUSES. */
export type OdeStatus = (typeof STATUSES)[number];
