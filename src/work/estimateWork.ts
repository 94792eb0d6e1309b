// estimateWork(kind, options): what a public function would cost, from its options alone, without
// running it (front-ends show it before starting; the functions themselves compare the same
// estimate with RunControl.maxWork). kind is the function's name.
import type { WorkEstimate } from "../core/errors";
import { OptionError } from "../core/errors";
import { maxHermiteOrder } from "../averages/index";
import { resolveOdeOptions, type IntegrateOptions } from "../online/options";
import { odeEstimate } from "../online/integrate";
import { resolveSimulation, type SimulateOptions } from "../simulation/plan";
import { simulationEstimate, simulationThreads } from "../simulation/simulate";
import { compareEstimate, type CompareOptions } from "../simulation/compare";
import { stepDriftEstimate, type StepDriftOptions } from "../simulation/drift";
import { fixedPointsEstimate, type FixedPointsOptions } from "../fixedpoints/fixedPoints";
import { continuationEstimate, type ContinueOptions } from "../fixedpoints/branch";
import { regimesEstimate, type RegimesOptions } from "../fixedpoints/regimes";
import { etaSweepEstimate, type EtaSweepOptions } from "../fixedpoints/etaSweep";
import { equilibriumEstimate, type EquilibriumOptions } from "../equilibrium/equilibrium";
import { transitionsEstimate, type TransitionsOptions } from "../equilibrium/transitions";
import { descentEstimate } from "../populationGradient/descent";
import { criticalPointsEstimate, symmetricDynamicsEstimate, vectorFieldEstimate } from "../populationGradient/symmetric";
import { sampledCheckEstimate } from "../populationGradient/sampledCheck";
import { hessianEstimate } from "../populationGradient/hessian";
import { resolveWeights } from "../populationGradient/populationGradient";
import { trainEstimate } from "../optimalLearningRate/trainSingleLayer";
import { optimalScheduleEstimate, type OptimalScheduleOptions } from "../schedules/optimalSchedule";
import { overparameterisationEstimate, type OverparameterisationOptions } from "../overparameterisation/overparameterisation";
import { optimalRateEstimate } from "../optimalLearningRate/optimalLearningRate";
import { OrderParameterSystem } from "../fixedpoints/system";
import { symmetricReduction } from "../fixedpoints/symmetric";
import { estimate, rhsSeconds } from "./estimates";
import { resolveIntegrateSymmetricOptions } from "../symmetric/options";
import { symmetricOdeEstimate } from "../symmetric/integrateSymmetric";
import { plateauEstimate, resolvePlateauOptions } from "../symmetric/plateau";
import { etaLimitsEstimate, resolveEtaLimitsOptions } from "../symmetric/etaLimits";
import { COST_MODEL } from "./costModel";

/** The functions estimateWork knows, by name. */
export const WORK_KINDS = [
  "integrate", "simulate", "simulateSync", "compare", "stepDrift", "fixedPoints", "continueFixedPoint",
  "learningRateRegimes", "etaSweep", "equilibrium", "transitions", "populationDescent", "symmetricDynamics",
  "symmetricVectorField", "symmetricCriticalPoints", "sampledGradientCheck", "populationHessian",
  "trainSingleLayer", "optimalLearningRate", "i4", "integrateSymmetric", "plateau", "etaLimits", "optimalSchedule", "overparameterisation",
] as const;
/** One of WORK_KINDS: the name of a public function estimateWork() can estimate. */
export type WorkKind = (typeof WORK_KINDS)[number];

const plain = (e: WorkEstimate): WorkEstimate => ({ seconds: e.seconds, memoryBytes: e.memoryBytes, breakdown: e.breakdown, drivers: e.drivers });

/**
 * The work estimate of `kind` (a public function's name) called with `options`: seconds on one
 * thread of the reference machine (bench/calibrate.ts), peak memory, how it was formed and the
 * options that drive it. Options are validated as the function itself would.
 */
export function estimateWork(kind: WorkKind, options: object = {}): WorkEstimate {
  const o = options as never;
  switch (kind) {
    case "integrate":
      return plain(odeEstimate(resolveOdeOptions(o as IntegrateOptions, maxHermiteOrder())));
    case "simulate":
    case "simulateSync": {
      const plan = resolveSimulation(o as SimulateOptions);
      return plain(simulationEstimate(plan, kind === "simulate" ? simulationThreads(o as SimulateOptions) : 1));
    }
    case "compare":
      return plain(compareEstimate(o as CompareOptions).total);
    case "stepDrift":
      return plain(stepDriftEstimate(o as StepDriftOptions));
    case "fixedPoints":
      return plain(fixedPointsEstimate(o as FixedPointsOptions));
    case "continueFixedPoint": {
      const c = o as ContinueOptions;
      const sys = new OrderParameterSystem(c);
      const symmetric = c.symmetric ?? true;
      const n = symmetric ? symmetricReduction(sys).dimension : sys.D;
      const max = c.max ?? (Array.isArray(c.parameter) ? Infinity : 10), min = c.min ?? (Array.isArray(c.parameter) ? -Infinity : 1e-3);
      return plain(continuationEstimate(n, sys.D, sys.rhsSeconds, { range: max - min, maxStep: c.maxStep ?? 0.05, maxPoints: c.maxPoints ?? 2000, stability: c.stability ?? true }, `${sys.setting.activation}, K = ${sys.K}, M = ${sys.M}`));
    }
    case "learningRateRegimes":
      return plain(regimesEstimate(o as RegimesOptions));
    case "etaSweep":
      return plain(etaSweepEstimate(o as EtaSweepOptions));
    case "equilibrium":
      return plain(equilibriumEstimate(o as EquilibriumOptions));
    case "transitions":
      return plain(transitionsEstimate(o as TransitionsOptions));
    case "populationDescent":
      return plain(descentEstimate(o));
    case "symmetricDynamics":
      return plain(symmetricDynamicsEstimate(o));
    case "symmetricVectorField":
      return plain(vectorFieldEstimate(o));
    case "symmetricCriticalPoints":
      return plain(criticalPointsEstimate(o));
    case "sampledGradientCheck":
      return plain(sampledCheckEstimate(o));
    case "populationHessian": {
      const { W, Wstar } = resolveWeights(o);
      return plain(hessianEstimate(W.length, W[0].length, Wstar.length));
    }
    case "trainSingleLayer":
      return plain(trainEstimate(o));
    case "optimalLearningRate":
      return plain(optimalRateEstimate(o));
    case "overparameterisation":
      return plain(overparameterisationEstimate(o as OverparameterisationOptions));
    case "i4": {
      const i = options as { method?: string; hermiteOrder?: number; activation?: string };
      const hermite = i.method === "hermite";
      const N = i.hermiteOrder ?? 10;
      const per = rhsSeconds({ activation: "relu", teacherActivation: "relu", K: 2, M: 2, method: hermite ? "hermite" : "exact", hermiteOrder: N }) / 30 + COST_MODEL.instance / 100;
      return plain(estimate(per, 65536, `one ${hermite ? `Hermite series of order ${N}` : "exact average"}`, hermite ? ["hermiteOrder"] : [], per));
    }
    case "optimalSchedule":
      return plain(optimalScheduleEstimate(o as OptimalScheduleOptions));
    case "integrateSymmetric":
      return plain(symmetricOdeEstimate(resolveIntegrateSymmetricOptions(o)));
    case "plateau":
      return plain(plateauEstimate(resolvePlateauOptions(o)));
    case "etaLimits":
      return plain(etaLimitsEstimate(resolveEtaLimitsOptions(o)));
    default:
      throw new OptionError({ option: "kind", value: kind, accepted: `one of ${WORK_KINDS.join(", ")}` });
  }
}
