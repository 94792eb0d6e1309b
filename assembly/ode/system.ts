// The model that the integrators of integrate.ts drive: the full ODE (model.ts) or its
// site-symmetric reduction (symmetric.ts). Whoever lays out the integrator's workspace selects
// it (index.ts: layout() the full model, symmetricLayout() the reduction); the integrator only
// sees the state dimension D, the right-hand side, eps_g and a validity check.
import * as full from "./model";
import * as symmetric from "./symmetric";

/** Answers of stateValidity(). */
export const STATE_VALID: i32 = 0;
/** A student norm Q_ii beyond the divergence bound. */
export const STATE_BEYOND_BOUND: i32 = 1;
/** Not a valid set of overlaps (some Q_ii <= 0, or C not positive semi-definite beyond rounding). */
export const STATE_INVALID: i32 = 2;

let reduced: bool = false;
/** State dimension of the selected model. */
export let D: i32 = 0;

export function useFullModel(): void {
  reduced = false;
  D = full.D;
}
export function useSymmetricModel(): void {
  reduced = true;
  D = symmetric.STATE_DIMENSION;
}

export function rhs(u: usize, du: usize): void {
  if (reduced) symmetric.symmetricRhs(u, du);
  else full.rhs(u, du);
}

export function generalizationError(u: usize): f64 {
  return reduced ? symmetric.symmetricGeneralizationError(u) : full.generalizationError(u);
}

/** STATE_VALID, STATE_BEYOND_BOUND or STATE_INVALID for a state with finite entries; scratch: NV x NV. */
export function stateValidity(u: usize, divergenceBound: f64, scratch: usize): i32 {
  return reduced ? symmetric.symmetricStateValidity(u, divergenceBound) : full.stateValidity(u, divergenceBound, scratch);
}
