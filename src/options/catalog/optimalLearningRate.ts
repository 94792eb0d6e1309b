// The optimal step of [L] for a single-layer network (docs/theory.md section 6): one batch, or
// training with it against fixed learning rates.
import { option } from "../option";
import { OPTIMAL_RATE_METHODS, SINGLE_LAYER_ACTIVATIONS } from "../values";

export const batchFile = option({
  name: "batch", flag: "batch", type: "path", group: "optimalLr", cliOnly: true, sweep: false, placeholder: "FILE.json|-",
  help: "the batch as a JSON file {W, b, X, Y, activation?, slope?} (- reads stdin)",
});

export const batchJson = option({ name: "json", flag: "json", type: "text", group: "optimalLr", cliOnly: true, sweep: false, help: "the batch as JSON text (instead of --batch)" });

export const singleLayerActivation = option({
  name: "activation", flag: "activation", type: "enum", values: SINGLE_LAYER_ACTIVATIONS, group: "optimalLr", default: "relu",
  help: "activation s of y = s(W x + b)",
  web: { label: "activation s of y = s(W x + b)" },
});

export const slope = option({
  name: "slope", flag: "slope", type: "number", group: "optimalLr", default: 0.01,
  help: "leakyRelu slope left of 0 (activation leakyRelu only)",
  web: { label: "leaky ReLU slope left of 0" },
});

export const optimalRateMethod = option({
  name: "method", flag: "method", type: "enum", values: OPTIMAL_RATE_METHODS, group: "optimalLr", default: "auto",
  help: "route: gram (M^2 (n0 + n1) operations), gradient (M n0 n1), auto (the cheaper)",
});

export const n0 = option({ name: "n0", flag: "n0", type: "integer", range: { min: 1, max: 1e5 }, group: "optimalLr", default: 20, help: "inputs of the network", web: { label: "n0 (inputs)" } });
export const n1 = option({ name: "n1", flag: "n1", type: "integer", range: { min: 1, max: 1e4 }, group: "optimalLr", default: 5, help: "outputs of the network", web: { label: "n1 (outputs)" } });
export const batchSize = option({ name: "batchSize", flag: "batch-size", type: "integer", range: { min: 1, max: 1e6 }, group: "optimalLr", default: 32, help: "mini-batch size", web: { label: "mini-batch size" } });
export const trainingSteps = option({ name: "steps", flag: "steps", type: "integer", range: { min: 1, max: 1e7 }, group: "optimalLr", default: 200, help: "gradient steps", web: { label: "gradient steps" } });
export const rates = option({
  name: "rates", flag: "rates", type: "list", range: { min: 0, minExclusive: true }, group: "optimalLr", default: [0.05, 0.2, 0.5, 1],
  help: "fixed learning rates to compare with the optimal step",
  web: { label: "fixed learning rates to compare", hint: "comma-separated" },
});
export const noise = option({ name: "noise", flag: "noise", type: "number", range: { min: 0 }, group: "optimalLr", default: 0, help: "label noise standard deviation", web: { label: "label noise (standard deviation)" } });
export const testSize = option({ name: "testSize", flag: "test-size", type: "integer", range: { min: 1, max: 1e6 }, group: "optimalLr", default: 1000, help: "test set size", web: { label: "test set size" } });
export const trainingSeed = option({
  name: "seed", flag: "seed", type: "integer", range: { min: 0, max: Number.MAX_SAFE_INTEGER }, group: "optimalLr", default: 1,
  help: "seed of teacher, data, initial weights and batches",
  web: { label: "seed (teacher, data, initial weights, batches)" },
});
