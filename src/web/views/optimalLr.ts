// The optimal-learning-rate view (docs/theory.md section 6): mini-batch training of a single-layer network
// on data from a random teacher, with [L]'s exact optimal step against fixed learning rates (the
// demo of `scm optimal-lr-demo`): test-loss curves and the optimal step chosen at each step.
import { ready, trainSingleLayer, type SingleLayerActivation, type TrainSingleLayerOptions } from "../../index";
import { demoCsv, demoJson, demoLossFormatter, demoSpec, type DemoRun } from "../../report/optimalLr";
import type { ComputeContext, Field, Table, Values, ViewDefinition } from "../view";
import { read } from "./setting";
import { formField } from "../../options/form";
import * as O from "../../options/catalog/optimalLearningRate";
import { withControl } from "../../text/progress";

export interface OptimalLrParams {
  base: TrainSingleLayerOptions;
  rates: number[];
}

const leaky = (v: Values) => v.activation === "leakyRelu";

const fields: Field[] = [
  formField(O.singleLayerActivation, { group: "Network and data" }),
  formField(O.slope, { group: "Network and data", enabled: leaky }),
  formField(O.n0, { group: "Network and data" }),
  formField(O.n1, { group: "Network and data" }),
  formField(O.noise, { group: "Network and data" }),
  formField(O.testSize, { group: "Network and data" }),
  formField(O.trainingSeed, { group: "Network and data" }),
  formField(O.batchSize, { group: "Training" }),
  formField(O.trainingSteps, { group: "Training" }),
  formField(O.rates, { group: "Training" }),
];

function parse(v: Values): OptimalLrParams {
  const n = (id: string) => read<number>(fields, v, id);
  const base: TrainSingleLayerOptions = {
    activation: read<SingleLayerActivation>(fields, v, "activation"),
    ...(leaky(v) ? { slope: n("slope") } : {}),
    n0: n("n0"),
    n1: n("n1"),
    noise: n("noise"),
    testSize: n("testSize"),
    seed: n("seed"),
    batchSize: n("batchSize"),
    steps: n("steps"),
  };
  return { base, rates: read<number[]>(fields, v, "rates") };
}

async function compute(p: OptimalLrParams, ctx: ComputeContext): Promise<DemoRun[]> {
  await ready();
  const total = p.rates.length + 1;
  ctx.progress({ label: "training with the optimal step", done: 0, total });
  const runs: DemoRun[] = [{ label: "optimal", result: trainSingleLayer(withControl({ ...p.base, learningRate: "optimal" as const }, { onProgress: ctx.listener("training with the optimal step", "steps") })) }];
  for (const [i, a] of p.rates.entries()) {
    ctx.progress({ label: `training with η = ${a}`, done: i + 1, total });
    runs.push({ label: `η = ${a}`, result: trainSingleLayer(withControl({ ...p.base, learningRate: a }, { onProgress: ctx.listener(`training with η = ${a}`, "steps") })) });
  }
  return runs;
}

function tables(runs: DemoRun[]): Table[] {
  const show = demoLossFormatter(runs);
  const steps = Math.max(...runs.map((r) => r.result.testLoss.length));
  const every = Math.max(1, Math.ceil((steps - 1) / 10));
  const rows: string[][] = [];
  for (let s = 0; s < steps; s++) {
    if (s % every !== 0 && s !== steps - 1) continue;
    rows.push([String(s), ...runs.map((r) => (s < r.result.testLoss.length ? show(r.result.testLoss[s]) : r.result.status))]);
  }
  const o = runs[0].result.options;
  return [
    {
      caption: `Test loss (teacher: ${o.activation}, n0 = ${o.n0}, n1 = ${o.n1}, batch ${o.batchSize}, seed ${o.seed}), at most 6 digits, fewer where the residuals' rounding limits them ("<x": below that floor)`,
      header: ["step", ...runs.map((r) => r.label)],
      rows,
    },
    {
      caption: "How each run ended",
      header: ["run", "status", "final test loss", "steps", "note"],
      rows: runs.map(({ label, result: r }) => [label, r.status, show(r.testLoss[r.testLoss.length - 1]), String(r.stats.steps), label === "optimal" ? `${r.stats.exactSteps} steps exact (no kink crossed), ${r.stats.undefinedSteps} undefined` : r.message]),
    },
  ];
}

function summary(runs: DemoRun[]): string {
  const ms = runs.reduce((s, r) => s + r.result.stats.wallTimeMs, 0);
  return `${runs.length} training runs (${ms.toFixed(0)} ms).`;
}

export const optimalLr: ViewDefinition<OptimalLrParams, DemoRun[]> = {
  id: "optimal-lr",
  title: "Optimal learning rate",
  description: "Mini-batch training of a single-layer network y = s(W x + b) on data from a random teacher, with the exact optimal step a* of each batch ([L], docs/theory.md section 6) against fixed learning rates; the same seed gives every run the same teacher, data, initial weights and batches.",
  fields,
  parse,
  compute,
  figure: demoSpec,
  table: tables,
  summary,
  csv: demoCsv,
  json: demoJson,
  explain: {
    text: [
      "For a single-layer network and a mini-batch, the step a* that minimises the batch loss along the gradient has a closed form (exact as long as no unit crosses its kink on the way). Training with a* is compared with fixed learning rates on the same data and batches.",
      "The greedy step wins early and by far over small fixed rates; a well-tuned fixed rate can end lower, and with label noise the per-batch optimum overfits each batch.",
    ],
    theory: [{ title: "the exact step", anchor: "61-the-exact-step" }, { title: "optimal learning rate", anchor: "6-optimal-learning-rate-of-a-single-layer-network" }],
  },
};
