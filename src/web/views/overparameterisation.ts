// The over-parameterisation view (docs/theory.md section 9): the final eps_g of students with
// K = M + L units learning from a noisy teacher, against L, first layer only and both layers
// trained (the figure of `scm overparameterisation`).
import { overparameterisation, ready, type OverparameterisationOptions, type OverparameterisationResult } from "../../index";
import { formField } from "../../options/form";
import { extraUnits, overActivations, overAlphaMax, overConvergenceTolerance, overD, overLearningRate, overM, overNoise, overRuns, overSeed, simulatePoints, simulationAlpha } from "../../options/catalog/overparameterisation";
import { learningRate2 } from "../../options/catalog/training";
import { withControl } from "../../text/progress";
import { overparameterisationCsv, overparameterisationSpec } from "../../report/overparameterisation";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { read } from "./setting";

const simulateOn = (v: Values) => v.simulate === "true";

const fields: Field[] = [
  formField(overActivations, { group: "Networks" }),
  formField(overM, { group: "Networks" }),
  formField(extraUnits, { group: "Networks" }),
  formField(overLearningRate, { group: "Learning" }),
  formField(learningRate2, { group: "Learning" }),
  formField(overNoise, { group: "Learning" }),
  formField(overAlphaMax, { group: "ODE" }),
  formField(overConvergenceTolerance, { group: "ODE" }),
  formField(overSeed, { group: "ODE" }),
  formField(simulatePoints, { group: "SGD simulation" }),
  formField(overD, { group: "SGD simulation", enabled: simulateOn }),
  formField(overRuns, { group: "SGD simulation", enabled: simulateOn }),
  formField(simulationAlpha, { group: "SGD simulation", enabled: simulateOn }),
];

/** The field of an option (its id may differ from the option's name). */
const idOf = (option: string) => fields.find((f) => f.option === option)!.id;

function parse(v: Values): OverparameterisationOptions {
  const r = <T>(option: string) => read<T>(fields, v, idOf(option));
  const eta2 = (v[idOf("learningRate2")] ?? "").trim();
  const simulate = simulateOn(v);
  return {
    activations: r<string>("activations").split(",") as OverparameterisationOptions["activations"],
    M: r("M"), L: r("L"), learningRate: r("learningRate"), noise: r("noise"),
    ...(eta2 !== "" ? { learningRate2: r("learningRate2") } : {}),
    alphaMax: r("alphaMax"), convergenceTolerance: r("convergenceTolerance"), seed: r("seed"),
    simulate,
    ...(simulate ? { d: r("d"), runs: r("runs"), simulationAlpha: r("simulationAlpha") } : {}),
  };
}

async function compute(p: OverparameterisationOptions, ctx: ComputeContext): Promise<OverparameterisationResult> {
  await ready();
  ctx.progress({ label: "ODE of every point to convergence or alpha max" });
  return overparameterisation(withControl(p, { onProgress: ctx.listener("points", "points") }));
}

const LAYERS = { first: "first layer only", both: "both layers" } as const;

function table(r: OverparameterisationResult): Table {
  return {
    caption: "Final eps_g of each point (4 significant digits: unchanged when the integrator's tolerance is tightened); status converged: max |du/dα| below the tolerance; completed: α max came first (see the change over the last decade of α)",
    header: ["activation", "layers", "L", "K", "ε_g", "status", "α", "last decade", ...(r.options.simulate ? ["SGD ε_g", "(SGD − ODE)/SE"] : [])],
    rows: r.points.map((p) => [
      p.activation, LAYERS[p.layers], String(p.L), String(p.K), p.eg.toPrecision(4), p.status, String(+p.alphaReached.toPrecision(4)), `${(100 * p.lastDecadeChange).toFixed(1)} %`,
      ...(r.options.simulate ? (p.simulation ? [`${p.simulation.eg.mean.toPrecision(3)} ± ${p.simulation.eg.standardError.toPrecision(2)}`, p.simulation.deviation.toFixed(1)] : ["-", "-"]) : []),
    ]),
  };
}

export const overparameterisationView: ViewDefinition<OverparameterisationOptions, OverparameterisationResult> = {
  id: "overparameterisation",
  title: "Over-parameterised students with label noise",
  description: "Final generalisation error of students with K = M + L hidden units against L, first layer only trained versus both layers (docs/theory.md section 9; Goldt et al. 2019): each point is the ODE run to convergence or α max.",
  fields,
  parse,
  compute,
  figure: overparameterisationSpec,
  table,
  summary: (r) => `${r.status}: ${r.message} (${(r.stats.wallTimeMs / 1000).toFixed(1)} s)`,
  csv: overparameterisationCsv,
  json: (r) => JSON.stringify(r),
};
