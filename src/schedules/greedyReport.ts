// What a greedy trajectory did (docs/theory.md section 12): how often its rate hit the cap or did
// not exist, and whether it stalled.
//
// The greedy rate eta* = -a1 / (2 a2) is myopic: a1 = grad eps_g . F1 vanishes at every fixed point
// of gradient flow (F1 = 0) while a2 stays positive as long as eps_g does, so near a saddle of
// gradient flow (the symmetric plateau) the rate shrinks towards 0 and, with it, the speed at which
// the unstable direction grows: the trajectory creeps towards the saddle instead of escaping (in
// the reference setting eta* ~ 0.27 at alpha = 10, 0.018 at alpha = 100, eps_g stays near 0.1).
// Near a minimum the rate shrinks too (annealing, which is right). The report tells the two apart:
// a stall is a rate fallen below STALL_FRACTION of its largest value along the trajectory at a
// state where the Jacobian of gradient flow dF1/du (central differences of the core's F1) has an
// eigenvalue with positive real part, i.e. near an unstable fixed point of gradient flow.
import type { CoreInstance } from "../core/engine";
import { eigenvalues } from "../numerics/eigen";
import { centralDifferenceJacobian } from "../numerics/differences";

/** The rate counts as collapsed below this fraction of its largest value along the trajectory. */
export const STALL_FRACTION = 0.1;

/** Whether and where a greedy trajectory stalled (a collapsed rate near an unstable fixed point of gradient flow). */
export interface GreedyStall {
  /** Rate collapsed at a state near an unstable fixed point of gradient flow. */
  detected: boolean;
  /** First sample alpha from which the rate stays below STALL_FRACTION of its largest value (null: it never does). */
  alpha: number | null;
  /** Largest rate along the trajectory and the rate at the last sample. */
  peakEta: number;
  finalEta: number;
  /** eps_g at the last sample. */
  finalEg: number;
  /** Largest real part of the eigenvalues of dF1/du at the last sample (> 0: a saddle of gradient flow); null when the rate did not collapse. */
  unstableEigenvalue: number | null;
  /** integral of eta d alpha over the samples (the gradient-flow time covered). */
  flowTime: number;
  message: string;
}

/** What a greedy trajectory did: rate evaluations, how many were capped or had no decrease, the stall. */
export interface GreedyReport {
  /** Greedy rate evaluations (integrator stages and samples). */
  evaluations: number;
  /** Of which: capped at etaMax (eta* > etaMax, or a2 <= 0). */
  capped: number;
  /** Of which: no positive rate decreased eps_g faster than eta -> 0 (a1 >= 0; rate 0). */
  noDecrease: number;
  stall: GreedyStall;
}

/** Largest real part of the eigenvalues of dF1/du at state u (the instance's model as configured). */
export function gradientFlowInstability(e: CoreInstance, u: ArrayLike<number>): number {
  const x = e.exports;
  const D = u.length;
  const f1 = (y: Float64Array) => {
    e.f64.set(y, x.ptrU() >> 3);
    x.evaluateRhsParts();
    const p = x.ptrPart(1) >> 3;
    return e.f64.slice(p, p + D);
  };
  const steps = Array.from(u, (v) => 1e-6 * Math.max(1e-2, Math.abs(v)));
  const J = centralDifferenceJacobian(f1, u, steps);
  return eigenvalues(J)[0].re;
}

const fmt = (x: number) => +x.toPrecision(3);

/** The report of a greedy trajectory, from its samples and its last state (u) on the instance that ran it. */
export function greedyReport(e: CoreInstance, counts: { evaluations: number; capped: number; noDecrease: number }, alpha: Float64Array, eg: Float64Array, eta: Float64Array, lastState: ArrayLike<number> | null): GreedyReport {
  const n = eta.length;
  let peak = 0, flowTime = 0;
  for (let s = 0; s < n; s++) {
    peak = Math.max(peak, eta[s]);
    if (s > 0) flowTime += 0.5 * (eta[s] + eta[s - 1]) * (alpha[s] - alpha[s - 1]);
  }
  let from = n;
  while (from > 0 && eta[from - 1] < STALL_FRACTION * peak) from--;
  const collapsed = n > 1 && from < n;
  const finalEta = n ? eta[n - 1] : NaN, finalEg = n ? eg[n - 1] : NaN;
  const unstable = collapsed && lastState ? gradientFlowInstability(e, lastState) : null;
  const detected = unstable !== null && unstable > 0;
  const message = detected
    ? `greedy rate stalled: it fell from ${fmt(peak)} to ${fmt(finalEta)} (below ${STALL_FRACTION} of its peak from alpha = ${fmt(alpha[from])} on) while eps_g stayed at ${fmt(finalEg)}, near an unstable fixed point of gradient flow (dF1/du has an eigenvalue with real part ${fmt(unstable!)} > 0): the greedy rate is myopic and does not leave such a plateau; a constant or optimal schedule does (docs/theory.md section 12)`
    : collapsed
      ? `greedy rate fell from ${fmt(peak)} to ${fmt(finalEta)} near a stable state (annealing towards a minimum, eps_g = ${fmt(finalEg)}): no stall`
      : `greedy rate stayed above ${STALL_FRACTION} of its peak ${fmt(peak)}: no stall`;
  return { ...counts, stall: { detected, alpha: collapsed ? alpha[from] : null, peakEta: peak, finalEta, finalEg, unstableEigenvalue: unstable, flowTime, message } };
}
