// The unspecialised plateau: the fixed point of the symmetric subspace that a trajectory from
// the (symmetrised) initial condition approaches, refined by Newton in the reduced coordinates.
import { solveFixedPoint } from "./fixedPoints";
import { symmetricReduction } from "./symmetric";
import type { OrderParameterSystem } from "./system";

/** Symmetrised initial state: Q_ii, Q_ik, R_in averaged over student units. */
export function symmetrisedInitialState(sys: OrderParameterSystem): Float64Array {
  const red = symmetricReduction(sys);
  return red.lift(red.project(sys.pack(sys.setting.Q0, sys.setting.R0)));
}

/**
 * The plateau fixed point at learning rate eta: integrate the symmetric subspace (invariant
 * when all v_i are equal) from the symmetrised initial state until it converges, then Newton.
 * null when the trajectory does not settle (e.g. diverges) or Newton fails.
 */
export function findPlateau(sys: OrderParameterSystem, eta: number, tolerance = 1e-12): { u: Float64Array; iterations: number; residual: number } | null {
  const red = symmetricReduction(sys);
  const u0 = symmetrisedInitialState(sys);
  const r = sys.trajectory(u0, eta, { integrator: "adaptive", step: 0.01, rtol: 1e-10, atol: 1e-12, maxSteps: 200000, alphaMax: 1e6 / eta, convergenceTolerance: 1e-8, divergenceBound: 1e6 });
  if (r.status !== "converged") return null;
  return solveFixedPoint(sys, red.lift(red.project(r.u)), eta, tolerance, red);
}
