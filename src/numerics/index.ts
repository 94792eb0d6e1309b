// Shared numerical methods of the host code (see README.md in this folder for the conventions).
export type { IterationResult } from "./result";
export { maxAbs } from "./norms";
export { uniformStream } from "./uniform";
export { solveSmall } from "./linearSolve";
export { jacobiEigen, type JacobiEigen } from "./jacobiEigen";
export { symmetricEigenvalues, eigenvalues, eigenvectorFor, type Eigenvalue } from "./eigen";
export { centralDifference, centralDifferenceJacobian, richardson, richardsonJacobian, type RichardsonJacobian, type VectorFunction } from "./differences";
export { newton, type NewtonOptions, type NewtonResult, type NewtonStep } from "./newton";
export { bisect, findThreshold, type BisectionOptions, type BisectionResult, type ThresholdOptions } from "./bisection";
export { brent, type BrentOptions, type BrentResult } from "./brent";
export { regulaFalsi, type RegulaFalsiOptions, type RegulaFalsiResult } from "./regulaFalsi";
export { gaussLegendre, integrate, gaussLegendreIntegral, type QuadratureRule } from "./gaussLegendre";
export { dormandPrince, type DopriOptions, type DopriRun } from "./dormandPrince";
export { brentMinimize, type BrentMinimizeOptions, type BrentMinimizeResult } from "./brentMinimize";
export { projectedBfgs, type ProjectedBfgsOptions, type ProjectedBfgsResult, type ValueAndGradient } from "./projectedBfgs";
