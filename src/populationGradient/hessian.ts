// Hessian of the population loss J (THEORY 7) in the full K x d weight space, to classify
// critical points there: a point that attracts within [T]'s 2-D symmetric subspace can still be a
// saddle of the full gradient flow.
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { gradientOf, norm, resolveWeights, type PopulationGradientOptions } from "./populationGradient";

/** Eigenvalues of a symmetric matrix, ascending (ml-matrix's symmetric eigensolver). */
export function symmetricEigenvalues(A: number[][]): number[] {
  return new EigenvalueDecomposition(new Matrix(A), { assumeSymmetric: true }).realEigenvalues.slice().sort((u, v) => u - v);
}

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
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let b = 0; b < n; b++) {
    const Wp = W.map((r) => r.slice()), Wm = W.map((r) => r.slice());
    Wp[Math.floor(b / d)][b % d] += h;
    Wm[Math.floor(b / d)][b % d] -= h;
    const gp = gradientOf(Wp, Wstar).gradient.flat(), gm = gradientOf(Wm, Wstar).gradient.flat();
    for (let a = 0; a < n; a++) H[a][b] = (gp[a] - gm[a]) / (2 * h);
  }
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) H[a][b] = H[b][a] = (H[a][b] + H[b][a]) / 2;
  const eigenvalues = symmetricEigenvalues(H);
  const tol = 1e-6 * Math.max(...eigenvalues.map(Math.abs));
  const lo = eigenvalues[0], hi = eigenvalues[n - 1];
  const type: HessianType = lo > tol ? "minimum" : hi < -tol ? "maximum" : lo < -tol && hi > tol ? "saddle" : "degenerate";
  return { eigenvalues, type };
}
