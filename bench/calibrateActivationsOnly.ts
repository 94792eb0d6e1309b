// `npm run bench:calibrate-activations`: measures only the other activations' costs
// (bench/calibrateActivations.ts) and replaces their entries in src/work/costModel.ts
// (activationFactor, and the sgd constants of these activations), leaving every other constant.
import { readFileSync, writeFileSync } from "node:fs";
import wasm from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
import { activationCosts } from "./calibrateActivations";

const core = createEngine(wasm as Uint8Array<ArrayBuffer>);
const { activationFactor, sgd, lines } = activationCosts(core);
console.log(lines.join("\n"));
const path = "src/work/costModel.ts";
let text = readFileSync(path, "utf8");
const sgdMatch = /sgd: (\{.*\}) as Record<string, \[number, number\]>,/.exec(text);
if (!sgdMatch) throw new Error(`${path}: no sgd entry`);
const merged = { ...JSON.parse(sgdMatch[1]), ...sgd };
text = text.replace(sgdMatch[0], `sgd: ${JSON.stringify(merged)} as Record<string, [number, number]>,`);
const factorLine = `activationFactor: ${JSON.stringify(activationFactor)} as Record<string, number>,`;
text = /activationFactor: \{.*\} as Record<string, number>,/.test(text)
  ? text.replace(/activationFactor: \{.*\} as Record<string, number>,/, factorLine)
  : text.replace(/(\n  \/\*\* Seconds of one Gauss-Kronrod panel)/, `\n  /** Right-hand side of each other activation (docs/theory.md section 10; student and teacher alike) relative to relu's, panels included (bench/calibrateActivations.ts). */\n  ${factorLine}$1`);
writeFileSync(path, text);
console.log(`wrote the activations' entries of ${path}`);
