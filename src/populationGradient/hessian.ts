// Hessian of the population loss J (docs/theory.md section 7) in the full K x d weight space, to classify
// critical points there: a point that attracts within [T]'s 2-D symmetric subspace can still be a
// saddle of the full gradient flow.
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";
import { centralDifferenceJacobian } from "../numerics/differences";
import { symmetricEigenvalues } from "../numerics/eigen";
import { gradientOf, norm, resolveWeights, type PopulationGradientOptions } from "./populationGradient";

export { symmetricEigenvalues };

/** Type of a critical point from the signs of the Hessian's eigenvalues. */
export type HessianType = "minimum" | "saddle" | "maximum" | "degenerate";

/** Eigenvalues of the Hessian of J in all K d weights and the type of critical point they imply. */
export interface PopulationHessian {
  /** Eigenvalues of the (K d) x (K d) Hessian of J, ascending. */
  eigenvalues: number[];
  /** From the signs of the eigenvalues; those within 1e-6 of the largest in magnitude count as 0. */
  type: HessianType;
}

/** Work of the Hessian of J in all K d weights: n = K d gradients and a dense n x n eigenproblem. */
export function hessianEstimate(K: number, d: number, M = K): Estimate {
  const n = K * d;
  const seconds = n ** 3 * hostUnit("hessian") + 2 * n * K * (K + M) * d * hostUnit("gradient");
  return estimate(seconds, 3 * 8 * n * n + 64 * n, `a ${fmtCount(n)} x ${fmtCount(n)} Hessian (K d = ${K} x ${d}): ${fmtCount(2 * n)} gradients and an eigenproblem of n^3 = ${fmtCount(n ** 3)}`, ["K", "d"], seconds, seconds);
}

/**
 * Hessian of J with respect to all weights (row-major over W), by central differences of the
 * closed-form gradient (step 1e-5 |W|_max: error ~1e-10 relative where the gradient is smooth),
 * symmetrised, and its eigenvalues. Every unit must be nonzero (J is not differentiable at w_j = 0).
 */
export function populationHessian(options: PopulationGradientOptions & RunControl): PopulationHessian {
  const { W, Wstar } = resolveWeights(options);
  new WorkBudget("populationHessian", hessianEstimate(W.length, W[0].length, Wstar.length), resolveControl(options), 0, false);
  W.forEach((w, j) => {
    if (norm(w) === 0) throw new RangeError(`W[${j}] is zero: J is not differentiable there (singular point), so it has no Hessian`);
  });
  const K = W.length, d = W[0].length, n = K * d;
  const h = 1e-5 * Math.max(1, ...W.flat().map(Math.abs));
  const rows = (x: Float64Array) => {
    const V: number[][] = [];
    for (let j = 0; j < K; j++) {
      const r = new Array<number>(d);
      for (let i = 0; i < d; i++) r[i] = x[j * d + i];
      V.push(r);
    }
    return V;
  };
  const H = centralDifferenceJacobian((x) => gradientOf(rows(x), Wstar).gradient.flat(), W.flat(), h);
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) H[a][b] = H[b][a] = (H[a][b] + H[b][a]) / 2;
  const eigenvalues = symmetricEigenvalues(H);
  const tol = 1e-6 * Math.max(...eigenvalues.map(Math.abs));
  const lo = eigenvalues[0], hi = eigenvalues[n - 1];
  const type: HessianType = lo > tol ? "minimum" : hi < -tol ? "maximum" : lo < -tol && hi > tol ? "saddle" : "degenerate";
  return { eigenvalues, type };
}
