// `npm run bench:calibrate-activations`: measures only the other activations' costs
// (bench/calibrateActivations.ts) and replaces their entries in src/work/costModel.ts
// (activationFactor, and the sgd constants of these activations), leaving every other constant.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
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
// the table goes inside the calibration section of bench/RESULTS.md (bench/calibrate.ts rewrites
// that section whole, this table included, when it runs)
const results = "bench/RESULTS.md";
const measured = `${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}`;
const block = `<!-- activation-costs:begin -->\nOther activations (\`npm run bench:calibrate-activations\`, ${measured}):\n\n${lines.join("\n")}\n<!-- activation-costs:end -->`;
let md = readFileSync(results, "utf8");
if (/<!-- activation-costs:begin -->[\s\S]*<!-- activation-costs:end -->/.test(md)) md = md.replace(/<!-- activation-costs:begin -->[\s\S]*<!-- activation-costs:end -->/, block);
else if (md.includes("<!-- calibration:end -->")) md = md.replace("<!-- calibration:end -->", `${block}\n<!-- calibration:end -->`);
else md = `${md.trimEnd()}\n\n${block}\n`;
writeFileSync(results, md);
console.log(`wrote the activations' entries of ${path} and their table in ${results}`);
