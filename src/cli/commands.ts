// The run function of each command of src/options/commands.ts (the declarations there give the
// options, help and docs; these compute and print).
import type { Context } from "./context";
import { runCompare } from "./compare";
import { runFigure1 } from "./figure1";
import { runContinue, runEtaRegimes, runEtaSweep, runFixedPoints } from "./fixedPoints";
import { runEquilibrium, runTransitions } from "./equilibrium";
import { runOde, runReference } from "./ode";
import { runOptimalLr, runOptimalLrDemo } from "./optimalLr";
import { runPopgrad, runPopgradCheck } from "./popgrad";
import { runSgd } from "./sgd";
import { runOverparameterisation } from "./overparameterisation";
import { runEtaLimits, runOdeSymmetric, runPlateau } from "./symmetric";
import { runOptimalSchedule } from "./optimalSchedule";

export const RUNNERS: Record<string, (ctx: Context) => number | Promise<number>> = {
  figure1: runFigure1,
  reference: runReference,
  ode: runOde,
  sgd: runSgd,
  compare: runCompare,
  "fixed-points": runFixedPoints,
  continue: runContinue,
  "eta-regimes": runEtaRegimes,
  "eta-sweep": runEtaSweep,
  overparameterisation: runOverparameterisation,
  "optimal-lr": runOptimalLr,
  "optimal-lr-demo": runOptimalLrDemo,
  "optimal-schedule": runOptimalSchedule,
  popgrad: runPopgrad,
  "popgrad-check": runPopgradCheck,
  equilibrium: runEquilibrium,
  transitions: runTransitions,
  "ode-symmetric": runOdeSymmetric,
  plateau: runPlateau,
  "eta-limits": runEtaLimits,
};
