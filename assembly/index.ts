// soft-committee WebAssembly core: exports for the TypeScript host (the release build,
// build/release.wasm). This file is the exports contract: scripts/contract.mjs reads the
// declarations asc derives from it and writes the host's typed view
// (src/core/exports.generated.ts), which the host checks against the module at load.
// Exports that only tests use live in assembly/test.ts (build/test.wasm).
// All buffers live in one workspace after the static data; the host writes inputs and
// reads results through Float64Array views (no allocation, no per-step crossings).
import { setModel, avgI2, avgI3, avgI4, reluI4Hermite, resetHermiteStats, hermiteCalls, hermiteOutside, hermiteMaxRadius, ACT_RELU } from "./gauss/averages";
import { truncatedMoment } from "./gauss/relu";
import { absCorrelationSpectralRadius, HERMITE_MAX_ORDER } from "./gauss/hermite";
import { orthantPanelsTotal } from "./gauss/orthant";
import { mixedI2, mixedI3, mixedI4 } from "./gauss/mixed";
import { coefficientInput, setActivation as setSideActivation, setActivationParameters as setSideParameters, activationValue, activationDerivative } from "./gauss/activationFunctions";
import { genericI2, genericI3, genericI4, genericJ2, routeOfI4, polynomialCalls, productCalls, productFallbacks, resetRouteStats } from "./gauss/genericAverages";
import { setQuadratureTolerance, quadratureTolerance, quadratureCalls, quadratureMaxNodes, quadratureNodes, resetQuadratureStats } from "./gauss/quadratureAverages";
import { setModelShape, setLearningRate, setTraining, rhs, generalizationError, rhsEvaluations } from "./ode/model";
import * as model from "./ode/model";
import { sgdConfigure, sgdConfigureTraining, sgdBegin as beginSgdRun, sgdContinue as continueSgdRun, sgdDrift, sgdSteps, sgdRecorded } from "./sim/sgd";
import { setIntegratorBuffers, setRateOutput, setQuadrature, egIntegral, integrate, integrateBegin, integrateContinue, steps, rejected, recorded, alphaReached, setMonitor, maxEgSlope, maxEgSlopeAlpha } from "./ode/integrate";
import { useFullModel } from "./ode/system";
import { setSchedule, clearSchedule } from "./ode/schedule";
import * as greedy from "./ode/greedy";
import { setSgdRateOutput } from "./sim/sgd";

export { absCorrelationSpectralRadius };

// 4x4 argument matrix for the scalar average functions
const ARG: usize = memory.data(16 * 8, 8);
export function argPtr(): usize {
  return ARG;
}
export function maxHermiteOrder(): i32 {
  return HERMITE_MAX_ORDER;
}

/** I2 on variables 0, 1 of the 4x4 argument matrix. */
export function i2(act: i32): f64 {
  setModel(act, 0, 0);
  return avgI2(ARG, 4, 0, 1);
}
/** I3 = E[g'(z_0) z_1 g(z_2)] on the argument matrix. */
export function i3(act: i32): f64 {
  setModel(act, 0, 0);
  return avgI3(ARG, 4, 0, 1, 2);
}
/** I4 = E[g'(z_0) g'(z_1) g(z_2) g(z_3)] on the argument matrix. */
export function i4(act: i32, method: i32, order: i32): f64 {
  setModel(act, method, order);
  if (act == ACT_RELU && method == 1) return reluI4Hermite(ARG, 4, 0, 1, 2, 3, order);
  return avgI4(ARG, 4, 0, 1, 2, 3);
}
/** Mixed-activation averages (mixed.ts) on variables of the argument matrix (indices may repeat). */
export function mixedI2At(a: i32, b: i32, actA: i32, actB: i32): f64 {
  return mixedI2(ARG, 4, a, b, actA, actB);
}
/** E[g'(z_a) z_b f_c(z_c)], g with activation `student`, f_c with actC. */
export function mixedI3At(a: i32, b: i32, c: i32, student: i32, actC: i32): f64 {
  return mixedI3(ARG, 4, a, b, c, student, actC);
}
/** E[g'(z_a) g'(z_b) f_c(z_c) f_e(z_e)]. */
export function mixedI4At(a: i32, b: i32, c: i32, e: i32, student: i32, actC: i32, actE: i32): f64 {
  return mixedI4(ARG, 4, a, b, c, e, student, actC, actE);
}
// ---------------------------------------------------------------- any activation (docs/theory.md 10)
/** Where the host writes Hermite coefficients c_0.. before setActivation (hermiteCoefficients). */
export function activationCoefficientsPtr(): usize {
  return coefficientInput();
}
/** Activation of a side (0 student g, 1 teacher gt): code, leakyRelu slope, number of Hermite coefficients. */
export function setActivation(side: i32, code: i32, slope: f64, nCoefficients: i32): void {
  setSideActivation(side, code, slope, nCoefficients);
}
/** Parameters of a side only (slope, Hermite coefficients); configureModel() sets the codes. */
export function setActivationParameters(side: i32, slope: f64, nCoefficients: i32): void {
  setSideParameters(side, slope, nCoefficients);
}
export function activationValueAt(side: i32, x: f64): f64 {
  return activationValue(side, x);
}
export function activationDerivativeAt(side: i32, x: f64): f64 {
  return activationDerivative(side, x);
}
/** E[f_a(z_a) f_b(z_b)] on variables of the argument matrix, f of the given sides (any activations). */
export function averageI2At(a: i32, b: i32, sideA: i32, sideB: i32): f64 {
  return genericI2(ARG, 4, a, b, sideA, sideB);
}
/** E[g'(z_a) z_b f_c(z_c)], g the student's activation, f_c of side sideC. */
export function averageI3At(a: i32, b: i32, c: i32, sideC: i32): f64 {
  return genericI3(ARG, 4, a, b, c, sideC);
}
/** E[g'(z_a) g'(z_b) f_c(z_c) f_e(z_e)]. */
export function averageI4At(a: i32, b: i32, c: i32, e: i32, sideC: i32, sideE: i32): f64 {
  return genericI4(ARG, 4, a, b, c, e, sideC, sideE);
}
/** E[g'(z_a) g'(z_b)] of the student's activation. */
export function averageJ2At(a: i32, b: i32): f64 {
  return genericJ2(ARG, 4, a, b);
}
/** The route of an I4 with these sides: 0 polynomial (exact), 1 term expansion (exact), 2 quadrature. */
export function averageRouteOfI4(sideC: i32, sideE: i32): i32 {
  return routeOfI4(sideC, sideE);
}
export { setQuadratureTolerance, quadratureTolerance };
export function statQuadratureCalls(): i32 { return quadratureCalls; }
export function statQuadratureMaxNodes(): f64 { return quadratureMaxNodes; }
export function statQuadratureNodes(): f64 { return quadratureNodes; }
export function statPolynomialCalls(): i32 { return polynomialCalls; }
export function statProductCalls(): i32 { return productCalls; }
export function statProductFallbacks(): i32 { return productFallbacks; }
export function resetAverageStats(): void {
  resetQuadratureStats();
  resetRouteStats();
}
/** E[prod z_v^{p_v} theta(z_v)] on the leading n x n block of the argument matrix (p: 4 bits per variable). */
export function truncatedMomentOf(n: i32, p: i32): f64 {
  return truncatedMoment(ARG, n, p, 0);
}

/** Grows memory so that addresses below `end` exist; false if it cannot grow. */
function ensureMemory(end: usize): bool {
  const have = <usize>memory.size() << 16;
  if (end <= have) return true;
  return memory.grow(<i32>((end - have + 0xffff) >> 16)) >= 0;
}

// ---------------------------------------------------------------- ODE workspace
let wsT: usize = 0, wsV: usize = 0, wsVs: usize = 0, wsU: usize = 0, wsDu: usize = 0;
let wsAlphas: usize = 0, wsOut: usize = 0;

/**
 * Lays out the workspace for K students, M teachers and nSamples samples, growing memory
 * as needed; trainSecondLayer != 0: the state also holds the K output weights v (docs/theory.md
 * section 9). Returns the number of bytes used, or 0 if memory could not grow.
 */
export function layout(K: i32, M: i32, nSamples: i32, trainSecondLayer: i32): f64 {
  const NV = K + M;
  const D = ((K * (K + 1)) >> 1) + K * M + (trainSecondLayer != 0 ? K : 0);
  let p: usize = (__heap_base + 15) & ~(<usize>15);
  const start = p;
  wsT = p; p += <usize>(M * M) << 3;
  wsV = p; p += <usize>K << 3;
  wsVs = p; p += <usize>M << 3;
  const c = p; p += <usize>(NV * NV) << 3;
  const s = p; p += <usize>NV << 3;
  const j3 = p; p += <usize>(K * NV) << 3;
  const asinTable = p; p += <usize>(2 * NV * NV) << 3;
  const rows = p; p += <usize>model.rowsDoubles(K, M) << 3;
  wsU = p; p += <usize>D << 3;
  wsDu = p; p += <usize>D << 3;
  const ut = p; p += <usize>D << 3;
  const ks = p; p += <usize>(7 * D) << 3;
  const ch = p; p += <usize>(NV * NV) << 3;
  wsAlphas = p; p += <usize>nSamples << 3;
  wsOut = p; p += <usize>((D + 1) * nSamples) << 3;
  wsRates = p; p += <usize>nSamples << 3;
  const parts = p; p += <usize>(5 * D) << 3; // F0, F1, F2, du, stencil state (greedy.ts)
  if (!ensureMemory(p)) return 0;
  setModelShape(K, M, wsT, wsV, wsVs, c, s, j3, asinTable, rows, trainSecondLayer != 0);
  setIntegratorBuffers(wsU, wsDu, ut, ks, ch, wsAlphas, wsOut);
  setRateOutput(wsRates);
  greedy.setGreedyBuffers(parts, parts + (<usize>D << 3), parts + (<usize>(2 * D) << 3), parts + (<usize>(3 * D) << 3), parts + (<usize>(4 * D) << 3));
  useFullModel();
  wsEnd = p;
  return <f64>(p - start);
}
let wsEnd: usize = 0;
let wsRates: usize = 0;

// ---------------------------------------------------------------- learning-rate schedules (after layout())
let schedBreaks: usize = 0, schedValues: usize = 0;

/**
 * Room for a piecewise schedule of n pieces after the ODE workspace (call after layout() or
 * symmetricLayout() and before simLayout()); bytes used, or 0 if memory could not grow.
 * Breaks at scheduleBreaksPtr(), values at scheduleValuesPtr().
 */
export function scheduleLayout(n: i32): f64 {
  let p: usize = (wsEnd + 15) & ~(<usize>15);
  const start = p;
  schedBreaks = p; p += <usize>n << 3;
  schedValues = p; p += <usize>n << 3;
  if (!ensureMemory(p)) return 0;
  wsEnd = p;
  return <f64>(p - start);
}
export function scheduleBreaksPtr(): usize { return schedBreaks; }
export function scheduleValuesPtr(): usize { return schedValues; }

/**
 * The learning-rate schedule of the next runs (assembly/ode/schedule.ts): kind 0 constant (the
 * model's rate), 1 inverse (p1 = eta0, p2 = a0), 2 power (p1 = eta0, p2 = a0, p3 = beta), 3
 * piecewise (`pieces` breaks and values written at scheduleBreaksPtr/scheduleValuesPtr), 4 greedy
 * (capped at etaMax). alphaOffset: the schedule's alpha where the run starts. configureModel and
 * configureSymmetric reset it to constant.
 */
export function configureSchedule(kind: i32, p1: f64, p2: f64, p3: f64, etaMax: f64, alphaOffset: f64, pieces: i32): void {
  setSchedule(kind, p1, p2, p3, etaMax, alphaOffset, schedBreaks, schedValues, pieces);
}
/** The learning rate per recorded sample of the last trajectory (or SGD run after simLayout). */
export function ptrRates(): usize { return wsRates; }

/** The greedy rate (assembly/ode/greedy.ts) of the state at ptrU() with cap etaMax; its parts at ptrPart(0..2). */
export function greedyRateAt(etaMax: f64): f64 {
  return greedy.greedyRate(wsU, etaMax);
}
/** a0, a1, a2 of the last greedy evaluation (k = 0, 1, 2). */
export function statGreedyCoefficient(k: i32): f64 {
  return k == 0 ? greedy.lastA0 : k == 1 ? greedy.lastA1 : greedy.lastA2;
}
/** Status of the last greedy evaluation: 0 interior, 1 capped, 2 no decrease. */
export function statGreedyStatus(): i32 { return greedy.lastStatus; }
/** Greedy evaluations since the last runBegin/sgdBegin, and how many were capped or had no decrease. */
export function statGreedyEvaluations(): i32 { return greedy.evaluationCount; }
export function statGreedyCapped(): i32 { return greedy.cappedCount; }
export function statGreedyNoDecrease(): i32 { return greedy.noDecreaseCount; }
/** F0, F1, F2 of the state at ptrU() (model.ts rhsParts) into ptrPart(0..2), F at the model's rate into ptrDu(). */
export function evaluateRhsParts(): void {
  model.rhsParts(wsU, wsDu, greedy.partPointer(0), greedy.partPointer(1), greedy.partPointer(2));
}
export function ptrPart(k: i32): usize { return greedy.partPointer(k); }
/** d eps_g / ds of eps_g(u + s v) at the state u at ptrU(), v at ptrDu() (greedy.ts slopeAlong). */
export function generalizationErrorSlope(): f64 {
  return greedy.slopeAlong(wsU, wsDu);
}

// ---------------------------------------------------------------- SGD workspace (after layout())
let simVec: usize = 0, simXi: usize = 0, simH: usize = 0, simC0: usize = 0, simL: usize = 0, simSteps: usize = 0;
let simGrad: usize = 0, simTest: usize = 0, simTestState: usize = 0;
let simD: i32 = 0, simNSamples: i32 = 0, simBatch: i32 = 1;
// docs/theory.md section 9: the run's output weights, their batch sums, a finite training set
let simVw: usize = 0, simGv: usize = 0, simTx: usize = 0, simTy: usize = 0, simPerm: usize = 0;
let simTrainErr: usize = 0, simTestSe: usize = 0, simP: i32 = 0;

/**
 * Buffers for an SGD run in dimension d with nSamples samples, mini-batches of `batch` inputs and
 * a training set of trainingSetSize examples (0: online, fresh inputs every step); call after
 * layout(K, M, nSamples, trainSecondLayer). Returns bytes or 0.
 */
export function simLayout(d: i32, nSamples: i32, batch: i32, trainingSetSize: i32): f64 {
  const NV = model.K + model.M;
  let p: usize = (wsEnd + 15) & ~(<usize>15);
  const start = p;
  simVec = p; p += <usize>NV * <usize>d << 3;
  simXi = p; p += <usize>d << 3;
  simH = p; p += <usize>NV << 3;
  simC0 = p; p += <usize>(NV * NV) << 3;
  simL = p; p += <usize>(NV * NV) << 3;
  simSteps = p; p += <usize>nSamples << 3;
  simTest = p; p += <usize>nSamples << 3;
  simTestState = p; p += 64;
  simGrad = p; if (batch > 1) p += <usize>model.K * <usize>d << 3;
  simVw = p; p += <usize>model.K << 3;
  simGv = p; p += <usize>model.K << 3;
  simTrainErr = p; p += <usize>nSamples << 3;
  simTestSe = p; p += <usize>nSamples << 3;
  const P = trainingSetSize > 0 ? trainingSetSize : 0;
  simTy = p; p += <usize>P << 3;
  simPerm = p; p += <usize>P << 2;
  p = (p + 15) & ~(<usize>15);
  simTx = p;
  // P d doubles; the host keeps P d <= 2^27 (1 GiB), far below the 32-bit address space
  const txBytes = <u64>P * <u64>d * 8;
  if (txBytes > 0xc0000000) return 0;
  p += <usize>txBytes;
  if (!ensureMemory(p)) return 0;
  simP = P;
  simD = d;
  simNSamples = nSamples;
  simBatch = batch;
  return <f64>(p - start);
}
export function ptrSimC0(): usize { return simC0; }
export function ptrSimSteps(): usize { return simSteps; }
export function ptrSimTestError(): usize { return simTest; }
export function ptrSimTestStandardError(): usize { return simTestSe; }
export function ptrSimTrainingError(): usize { return simTrainErr; }

/**
 * Starts one SGD run (docs/theory.md section 3) with the shape of layout() and the buffers of simLayout(); see
 * assembly/sim/sgd.ts. testInputs > 0 also records a Monte-Carlo test error per sample from a
 * separate stream (testSeed), so the training trajectory does not depend on it. Returns 6
 * (advance with sgdContinue) or 3 (C0 not positive definite).
 */
export function sgdBegin(seedHi: u32, seedLo: u32, testSeedHi: u32, testSeedLo: u32, act: i32, eta: f64, testInputs: i32, divergenceBound: f64, teacher1: i32): i32 {
  sgdConfigure(act, teacher1 == 0 ? act : teacher1 - 1, model.K, model.M, simD, eta, simBatch, testInputs, divergenceBound, simVec, simXi, simH, simC0, simL, wsV, wsVs, simSteps, simNSamples, wsU, wsOut, simGrad, simTest, simTestState);
  configureSgdSection9();
  setSgdRateOutput(wsRates);
  greedy.resetGreedyStats();
  return beginSgdRun(seedHi, seedLo, testSeedHi, testSeedLo);
}
/** The section-9 settings of configureTraining and the training set of simLayout, for the SGD kernel. */
function configureSgdSection9(): void {
  sgdConfigureTraining(trainingNoise, model.weightDecay, model.learningRate2, model.trainedV, simP, simVw, simGv, simTx, simTy, simPerm, simTrainErr, simTestSe);
}
/** Advances the run by at most `budget` steps (<= 0: to its end): 6 paused, 0 completed, 2 diverged. */
export function sgdContinue(budget: f64): i32 {
  return continueSgdRun(budget);
}
/** Finite-d one-step drift of Q and R from the seed's initial weights (see sgdDrift in sgd.ts). */
export function sgdStepDrift(seedHi: u32, seedLo: u32, act: i32, eta: f64, draws: i32, teacher1: i32): i32 {
  sgdConfigure(act, teacher1 == 0 ? act : teacher1 - 1, model.K, model.M, simD, eta, 1, 0, 0, simVec, simXi, simH, simC0, simL, wsV, wsVs, simSteps, simNSamples, wsU, wsOut, simGrad, simTest, simTestState);
  configureSgdSection9();
  return sgdDrift(seedHi, seedLo, draws);
}
export function sgdStepsDone(): f64 { return sgdSteps(); }
export function sgdSamplesRecorded(): i32 { return sgdRecorded(); }

export function ptrT(): usize { return wsT; }
export function ptrV(): usize { return wsV; }
export function ptrVs(): usize { return wsVs; }
export function ptrU(): usize { return wsU; }
export function ptrDu(): usize { return wsDu; }
export function ptrAlphas(): usize { return wsAlphas; }
export function ptrOut(): usize { return wsOut; }
export function stateDimension(): i32 { return model.D; }

/**
 * teacher1: the teacher's activation code + 1, or 0 for the student's (setModel); a host call
 * that omits it passes undefined = 0, i.e. matched activations.
 */
export function configureModel(act: i32, method: i32, order: i32, eta: f64, teacher1: i32): void {
  setModel(act, method, order, teacher1);
  setLearningRate(eta);
  clearSchedule();
  setTraining(0, 0, 0);
  trainingNoise = 0;
}
let trainingNoise: f64 = 0;

/**
 * docs/theory.md section 9, after configureModel (which resets them): the label noise's standard
 * deviation sigma, the weight decay kappa and the second layer's learning rate eta2 (used when
 * layout() made v part of the state), for the ODE and the SGD runs alike.
 */
export function configureTraining(noise: f64, weightDecay: f64, learningRate2: f64): void {
  setTraining(noise, weightDecay, learningRate2);
  trainingNoise = noise;
}

/** du = F(u) at the state in ptrU(), written to ptrDu(). */
export function evaluateRhs(): void {
  rhs(wsU, wsDu);
}
/** eps_g at the state in ptrU(). */
export function evaluateGeneralizationError(): f64 {
  return generalizationError(wsU);
}

/**
 * Starts a trajectory (assembly/ode/integrate.ts) from the state in ptrU(): 6 when steps remain
 * (advance with runContinue), else the final status. Resets the statistics.
 */
export function runBegin(
  method: i32, h0: f64, rtol: f64, atol: f64, maxSteps: i32, nSamples: i32,
  convergenceTolerance: f64, divergenceBound: f64,
): i32 {
  model.rhsEvaluations = 0;
  resetHermiteStats();
  greedy.resetGreedyStats();
  return integrateBegin(method, h0, rtol, atol, maxSteps, nSamples, convergenceTolerance, divergenceBound);
}
/** Advances the trajectory by about `budget` right-hand sides (<= 0: to its end); 6 while paused. */
export function runContinue(budget: f64): i32 {
  return integrateContinue(budget);
}

/**
 * For the next trajectory (runBegin) only: stop with status 5 once d eps_g / d alpha (relative to
 * |du/dalpha|_inf, interpolated between steps) exceeds slopeTolerance while eps_g > egFloor;
 * maxStep > 0 caps the step. statMaxEgSlope() reports the largest slope seen.
 */
export function configureMonitor(stopOnEgRise: i32, egFloor: f64, slopeTolerance: f64, maxStep: f64): void {
  setMonitor(stopOnEgRise != 0, egFloor, slopeTolerance, maxStep);
}
/**
 * For the next trajectory (runBegin) only: accumulate the integral of eps_g by the integrator's
 * own quadrature (the stage weights of every accepted step); read it with statEgIntegral().
 */
export function configureQuadrature(on: i32): void {
  setQuadrature(on != 0);
}
export function statEgIntegral(): f64 { return egIntegral; }
export function statMaxEgSlope(): f64 { return maxEgSlope; }
export function statMaxEgSlopeAlpha(): f64 { return maxEgSlopeAlpha; }

export function statSteps(): i32 { return steps; }
export function statRejected(): i32 { return rejected; }
export function statRecorded(): i32 { return recorded; }
export function statRhsEvaluations(): i32 { return model.rhsEvaluations; }
export function statAlphaReached(): f64 { return alphaReached; }
export function statHermiteCalls(): i32 { return hermiteCalls; }
export function statHermiteOutside(): i32 { return hermiteOutside; }
export function statHermiteMaxRadius(): f64 { return hermiteMaxRadius; }
export function resetHermiteDiagnostics(): void { resetHermiteStats(); }
/** Gauss-Kronrod panels of the ReLU orthant quadrature since the instance started (cumulative; work accounting). */
export function statOrthantPanels(): f64 { return orthantPanelsTotal; }

// ---------------------------------------------------------------- optimal schedules (after layout())
// The discrete adjoint of RK4 for a piecewise-constant rate (assembly/ode/adjoint.ts).
import * as adjoint from "./ode/adjoint";
let adjU0: usize = 0, adjEtas: usize = 0, adjBounds: usize = 0, adjGrad: usize = 0, adjEg: usize = 0, adjCh: usize = 0;

/**
 * Buffers for J intervals and up to maxSteps RK4 steps after the ODE workspace (call after
 * layout()); bytes used, or 0 if memory could not grow. The start state goes to adjointPtrU0(),
 * the rates to adjointPtrEtas(), the J + 1 bounds to adjointPtrBounds().
 */
export function adjointLayout(maxSteps: i32, J: i32): f64 {
  const D = model.D, NV = model.NV;
  let p: usize = (wsEnd + 15) & ~(<usize>15);
  const start = p;
  adjU0 = p; p += <usize>D << 3;
  adjEtas = p; p += <usize>J << 3;
  adjBounds = p; p += <usize>(J + 1) << 3;
  adjGrad = p; p += <usize>J << 3;
  adjEg = p; p += <usize>(J + 1) << 3;
  adjCh = p; p += <usize>(NV * NV) << 3;
  const scratch = p; p += <usize>(16 * D) << 3;
  const stepH = p; p += <usize>maxSteps << 3;
  const stepJ = p; p += <usize>maxSteps << 3;
  const stages = p; p += (<usize>maxSteps * <usize>(4 * D)) << 3;
  if (!ensureMemory(p)) return 0;
  adjoint.setAdjointBuffers(adjU0, adjEtas, adjBounds, adjGrad, adjEg, stages, stepH, stepJ, maxSteps, scratch);
  return <f64>(p - start);
}
export function adjointPtrU0(): usize { return adjU0; }
export function adjointPtrEtas(): usize { return adjEtas; }
export function adjointPtrBounds(): usize { return adjBounds; }
/** dPhi/deta_j after adjointRun with gradient != 0. */
export function adjointPtrGradient(): usize { return adjGrad; }
/** eps_g at the J + 1 bounds of the last run. */
export function adjointPtrEgAtBounds(): usize { return adjEg; }

/**
 * Phi (objective 0: eps_g at the last bound; 1: its integral) of the RK4 trajectory with step h
 * and rate eta_j on [b_j, b_{j+1}), from the state at adjointPtrU0(); with gradient != 0 also
 * dPhi/deta_j. Returns 0, 2 (diverged past divergenceBound), 3 (invalid state) or 4 (more steps
 * than adjointLayout's maxSteps). Phi in adjointObjective().
 */
export function adjointRun(h: f64, J: i32, objective: i32, divergenceBound: f64, gradient: i32): i32 {
  const status = adjoint.adjointForward(h, J, objective, divergenceBound, gradient != 0, adjCh);
  if (status == adjoint.ADJOINT_OK && gradient != 0) adjoint.adjointBackward(J, objective);
  return status;
}
export function adjointObjective(): f64 { return adjoint.objectiveValue; }
export function adjointSteps(): i32 { return adjoint.stepsTaken; }
/** Right-hand sides of the last adjointRun (forward and backward). */
export function adjointEvaluations(): f64 { return adjoint.evaluations; }

// Optimal learning rate of a single-layer network (docs/theory.md section 6): Gram-matrix kernel.
export { optlrLayout, optlrPtr, optlrCompute } from "./optlr/gram";

// ---------------------------------------------------------------- site-symmetric ODE (K = M, T = t I)
// The reduction of ode/symmetric.ts driven by the integrators of ode/integrate.ts, and the
// reduced ODEs with p = 0, 1, 2 singled-out labels of ode/brokenSymmetry.ts (Jacobian blocks).
import * as symmetric from "./ode/symmetric";
import { useSymmetricModel } from "./ode/system";
import { setBrokenModel, brokenRhs, brokenDimension } from "./ode/brokenSymmetry";

let symU: usize = 0, symAlphas: usize = 0, symOut: usize = 0;

/**
 * Lays out the integrator's workspace for the site-symmetric state (Q, C, R, S) and nSamples
 * samples and selects that model for run(); bytes used, or 0 if memory could not grow. The
 * full model's workspace is given up (stateDimension() reads 0 until the next layout()).
 */
export function symmetricLayout(nSamples: i32): f64 {
  const D = symmetric.STATE_DIMENSION;
  let p: usize = (__heap_base + 15) & ~(<usize>15);
  const start = p;
  symU = p; p += <usize>D << 3;
  const du = p; p += <usize>D << 3;
  const ut = p; p += <usize>D << 3;
  const ks = p; p += <usize>(7 * D) << 3;
  const ch = p; p += 64;
  symAlphas = p; p += <usize>nSamples << 3;
  symOut = p; p += <usize>((D + 1) * nSamples) << 3;
  wsRates = p; p += <usize>nSamples << 3;
  if (!ensureMemory(p)) return 0;
  model.D = 0;
  wsEnd = p;
  setIntegratorBuffers(symU, du, ut, ks, ch, symAlphas, symOut);
  setRateOutput(wsRates);
  useSymmetricModel();
  return <f64>(p - start);
}
export function symmetricPtrU(): usize { return symU; }
export function symmetricPtrAlphas(): usize { return symAlphas; }
export function symmetricPtrOut(): usize { return symOut; }

/** K (a float: up to 1e6 and beyond), v, v*, t, eta; activation codes as configureModel. */
export function configureSymmetric(K: f64, v: f64, vStar: f64, t: f64, eta: f64, act: i32, teacher1: i32): void {
  setModel(act, 0, 10, teacher1);
  symmetric.setSymmetricModel(K, v, vStar, t, eta);
  clearSchedule();
}
/** Integrates the site-symmetric ODE from the state at symmetricPtrU() (after symmetricLayout()). */
export function symmetricRun(
  method: i32, h0: f64, rtol: f64, atol: f64, maxSteps: i32, nSamples: i32,
  convergenceTolerance: f64, divergenceBound: f64,
): i32 {
  symmetric.rhsEvaluations = 0;
  return integrate(method, h0, rtol, atol, maxSteps, nSamples, convergenceTolerance, divergenceBound);
}
/**
 * Starts a site-symmetric trajectory (after symmetricLayout()) as runBegin does for the full model:
 * 6 when steps remain (advance with runContinue), else the final status. Resets the statistics.
 */
export function symmetricBegin(
  method: i32, h0: f64, rtol: f64, atol: f64, maxSteps: i32, nSamples: i32,
  convergenceTolerance: f64, divergenceBound: f64,
): i32 {
  symmetric.rhsEvaluations = 0;
  return integrateBegin(method, h0, rtol, atol, maxSteps, nSamples, convergenceTolerance, divergenceBound);
}
export function statSymmetricRhsEvaluations(): i32 { return symmetric.rhsEvaluations; }
// single evaluations (not the integrator's buffers): the state at symmetricPtrState(), its rate after it
const SYM_STATE: usize = memory.data(8 * 8, 16);
export function symmetricPtrState(): usize { return SYM_STATE; }
/** F(u) for u = (Q, C, R, S) at symmetricPtrState(), written to the 4 numbers after it. */
export function evaluateSymmetricRhs(): void {
  symmetric.symmetricRhs(SYM_STATE, SYM_STATE + 32);
}
export function evaluateSymmetricGeneralizationError(): f64 {
  return symmetric.symmetricGeneralizationError(SYM_STATE);
}
/** 0 valid, 1 beyond divergenceBound, 2 invalid, for the state at symmetricPtrState(). */
export function symmetricValidity(divergenceBound: f64): i32 {
  return symmetric.symmetricStateValidity(SYM_STATE, divergenceBound);
}

const BROKEN_Y: usize = memory.data(32 * 8, 16);
const BROKEN_DY: usize = memory.data(32 * 8, 16);
export function brokenPtrY(): usize { return BROKEN_Y; }
export function brokenPtrDy(): usize { return BROKEN_DY; }
export function brokenStateDimension(p: i32): i32 { return brokenDimension(p); }
/** p <= 2 singled-out labels; other arguments as configureSymmetric. */
export function configureBroken(p: i32, K: f64, v: f64, vStar: f64, t: f64, eta: f64, act: i32, teacher1: i32): void {
  setModel(act, 0, 10, teacher1);
  setBrokenModel(p, K, v, vStar, t, eta);
}
/** dy = F(y) of the reduced ODE with the configured p, from brokenPtrY() into brokenPtrDy(). */
export function evaluateBrokenRhs(): void {
  brokenRhs(BROKEN_Y, BROKEN_DY);
}
