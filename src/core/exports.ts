// The raw exports of the WebAssembly core (assembly/index.ts). Host code only.

export interface CoreExports {
  memory: WebAssembly.Memory;
  argPtr(): number;
  maxHermiteOrder(): number;
  i2(act: number): number;
  i3(act: number): number;
  i4(act: number, method: number, order: number): number;
  mixedI2At(a: number, b: number, actA: number, actB: number): number;
  mixedI3At(a: number, b: number, c: number, student: number, actC: number): number;
  mixedI4At(a: number, b: number, c: number, e: number, student: number, actC: number, actE: number): number;
  orthantProbability4(): number;
  truncatedMomentOf(n: number, packedPowers: number): number;
  reluClosedForms(on: number): void;
  reluRecursions(): number;
  reluI3At(a: number, b: number, c: number, table: number): number;
  reluI4At(a: number, b: number, c: number, e: number, table: number): number;
  setOrthantTolerance(tol: number): void;
  orthantPanels(): number;
  hermiteI4Correlation(r12: number, r13: number, r14: number, r23: number, r24: number, r34: number, order: number): number;
  hermiteI4Naive(r12: number, r13: number, r14: number, r23: number, r24: number, r34: number, order: number): number;
  hermiteIndexSets(order: number, nonzeroOnly: number): number;
  absCorrelationSpectralRadius(r12: number, r13: number, r14: number, r23: number, r24: number, r34: number): number;
  thetaCoefficient(n: number): number;
  reluCoefficient(n: number): number;
  layout(K: number, M: number, nSamples: number): number;
  ptrT(): number;
  ptrV(): number;
  ptrVs(): number;
  ptrU(): number;
  ptrDu(): number;
  ptrAlphas(): number;
  ptrOut(): number;
  ptrC(): number;
  stateDimension(): number;
  /** teacher1: teacherCode() (0 or omitted: the teacher uses the student's activation). */
  configureModel(act: number, method: number, order: number, eta: number, teacher1?: number): void;
  evaluateRhs(): void;
  evaluateGeneralizationError(): number;
  run(method: number, h0: number, rtol: number, atol: number, maxSteps: number, nSamples: number,
      convergenceTolerance: number, divergenceBound: number): number;
  configureMonitor(stopOnEgRise: number, egFloor: number, slopeTolerance: number, maxStep: number): void;
  statMaxEgSlope(): number;
  statMaxEgSlopeAlpha(): number;
  statSteps(): number;
  statRejected(): number;
  statRecorded(): number;
  statRhsEvaluations(): number;
  statAlphaReached(): number;
  statHermiteCalls(): number;
  statHermiteOutside(): number;
  statHermiteMaxRadius(): number;
  resetHermiteDiagnostics(): void;
  simLayout(d: number, nSamples: number, batch: number): number;
  ptrSimC0(): number;
  ptrSimSteps(): number;
  ptrSimWeights(): number;
  ptrSimInput(): number;
  ptrSimTestError(): number;
  sgd(seedHi: number, seedLo: number, testSeedHi: number, testSeedLo: number, act: number, eta: number, testInputs: number, divergenceBound: number, teacher1?: number): number;
  sgdStepDrift(seedHi: number, seedLo: number, act: number, eta: number, draws: number, teacher1?: number): number;
  sgdStepsDone(): number;
  sgdSamplesRecorded(): number;
  normals(seedHi: number, seedLo: number, n: number): void;
  // any activation (docs/theory.md section 10): side 0 student g, side 1 teacher gt
  activationCoefficientsPtr(): number;
  setActivation(side: number, code: number, slope: number, nCoefficients: number): void;
  setActivationParameters(side: number, slope: number, nCoefficients: number): void;
  activationValueAt(side: number, x: number): number;
  activationDerivativeAt(side: number, x: number): number;
  averageI2At(a: number, b: number, sideA: number, sideB: number): number;
  averageI3At(a: number, b: number, c: number, sideC: number): number;
  averageI4At(a: number, b: number, c: number, e: number, sideC: number, sideE: number): number;
  averageJ2At(a: number, b: number): number;
  averageRouteOfI4(sideC: number, sideE: number): number;
  setQuadratureTolerance(eps: number): void;
  quadratureTolerance(): number;
  statQuadratureCalls(): number;
  statQuadratureMaxNodes(): number;
  statQuadratureNodes(): number;
  statPolynomialCalls(): number;
  statProductCalls(): number;
  statProductFallbacks(): number;
  resetAverageStats(): void;
}

/**
 * Every accepted activation name, in the order of the core's codes (docs/theory.md section 10).
 * The CLI, the page and the edge function derive their menus from this list.
 */
export const ACTIVATIONS = [
  "relu", "erf", "linear", "leakyRelu", "abs", "square", "hermite2", "hermite3", "hermite4",
  "tanh", "sigmoid", "gelu", "silu", "softplus", "hermiteCoefficients",
] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const ACTIVATION_CODE = Object.fromEntries(ACTIVATIONS.map((a, i) => [a, i])) as Record<Activation, number>;
/** The core's teacher1 argument: the teacher's activation code + 1 (0 would mean "the student's"). */
export const teacherCode = (s: { activation: Activation; teacherActivation: Activation }): number => ACTIVATION_CODE[s.teacherActivation] + 1;

export const METHODS = ["exact", "hermite"] as const;
export type AverageMethod = (typeof METHODS)[number];
export const METHOD_CODE: Record<AverageMethod, number> = { exact: 0, hermite: 1 };

export const INTEGRATORS = ["euler", "rk4", "adaptive"] as const;
export type Integrator = (typeof INTEGRATORS)[number];
export const INTEGRATOR_CODE: Record<Integrator, number> = { euler: 0, rk4: 1, adaptive: 2 };

export const STATUSES = ["completed", "converged", "diverged", "invalid-state", "max-steps"] as const;
/** Status code of run() when configureMonitor asked to stop at the first rise of eps_g. */
export const STATUS_EG_RISE = 5;
export type OdeStatus = (typeof STATUSES)[number];
