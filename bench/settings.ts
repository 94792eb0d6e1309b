// Benchmarks of docs/theory.md section 9 (label noise, weight decay, a trained second layer), the
// targets of its issue, as ratios measured in one run (the machine is shared: absolute times vary):
//   - ODE cost with a trained second layer and noise against the same K, M without them (target
//     within 1.2x), and the untrained ODE against the previous version (PREVIOUS_DIST, see below);
//   - SGD steps per second at d = 1000, K = M = 2 with noise, decay and a trained v against plain
//     SGD (target within 1.2x), against the plain-TypeScript port (bench/plain/sgd.ts) and against
//     the previous version;
//   - the over-parameterisation figure, L = 0..6, both variants, erf, alpha-max 1e4 (target < 30 s).
// The previous version: PREVIOUS_DIST=/path/to/an/older/checkout/dist (its dist/index.node.js),
// loaded next to this one in the same process. Medians of interleaved repeats.
// Replaces only the <!-- settings:begin --> ... <!-- settings:end --> section of bench/RESULTS.md.
//   npm run bench:settings
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createPlainSgd } from "./plain/sgd";
import { runSeed } from "../src/simulation/plan";

type Api = typeof import("../src/index.node");
const api = (await import(pathToFileURL(resolve("dist/index.node.js")).href)) as Api;
const previousDir = process.env.PREVIOUS_DIST;
const previous = previousDir && existsSync(resolve(previousDir, "index.node.js")) ? ((await import(pathToFileURL(resolve(previousDir, "index.node.js")).href)) as Api) : null;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const REPEATS = 5;
/** Median times (ms) of the functions, run interleaved after one warm-up each. */
function interleaved(fs: (() => unknown)[]): number[] {
  for (const f of fs) f();
  const t = fs.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++)
    fs.forEach((f, i) => {
      const t0 = performance.now();
      f();
      t[i].push(performance.now() - t0);
    });
  return t.map(median);
}
const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};
const load0 = loadavg()[0];

// ------------------------------------------------------------------ ODE
say("| ODE (RK4, step 0.01; alpha 0..100, relu K = 4: 0..5) | time: trained v + noise / plain | time: plain here / previous version |");
say("|---|---|---|");
const eye = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? 1 : 0)));
for (const [activation, K, M] of [["erf", 2, 2], ["relu", 2, 2], ["erf", 4, 2], ["relu", 4, 2]] as const) {
  const Q0 = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.4 + 0.1 * i : 0.05)));
  const R0 = Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => (i % M === n ? 0.1 : 0.01)));
  const base = { activation, K, M, T: eye(M), Q0, R0, learningRate: 0.5, integrator: "rk4" as const, step: 0.01, alphaMax: activation === "relu" && K > 2 ? 5 : 100, samples: 11, convergenceTolerance: 1e-300 };
  const plain = () => api.integrate(base);
  const trained = () => api.integrate({ ...base, noise: 0.1, weightDecay: 0.001, trainSecondLayer: true });
  const old = previous ? () => previous.integrate(base) : null;
  const t = interleaved(old ? [plain, trained, old] : [plain, trained]);
  say(`| ${activation}, K = ${K}, M = ${M} | ${(t[1] / t[0]).toFixed(2)}x | ${old ? `${(t[0] / t[2]).toFixed(2)}x` : "-"} |`);
}

// ------------------------------------------------------------------ SGD
say("");
say("| SGD, d = 1000, K = M = 2 (relu, 2e5 steps, one thread) | steps/s | time / plain here | plain-TS port time / this (> 1: WASM faster) | time / previous version |");
say("|---|---|---|---|---|");
{
  const d = 1000, steps = 200_000;
  const setting = { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], eta: 1 };
  const section9 = { noise: 0.1, weightDecay: 0.001, trainSecondLayer: true };
  const wasm = (extra: object) => () => api.simulateSync({ ...setting, ...extra, d, runs: 1, seed: 5, alphas: [0, steps / d], matching: "none" });
  const [hi, lo] = runSeed(5, 0);
  const plainTs = (extra: object) => {
    const run = createPlainSgd({ ...setting, ...extra, d, steps: [0, steps], recordEg: false });
    return () => run(hi, lo);
  };
  const fs = [wasm({}), wasm(section9), plainTs({}), plainTs(section9)];
  if (previous) fs.push(() => previous.simulateSync({ ...setting, d, runs: 1, seed: 5, alphas: [0, steps / d], matching: "none" }));
  const t = interleaved(fs);
  const perSecond = (ms: number) => `${((steps / ms) * 1e3 / 1e3).toFixed(0)} k`;
  say(`| plain (no section 9 option) | ${perSecond(t[0])} | 1.00x | ${(t[2] / t[0]).toFixed(2)}x | ${previous ? `${(t[0] / t[4]).toFixed(2)}x` : "-"} |`);
  say(`| noise 0.1, decay 0.001, trained v | ${perSecond(t[1])} | ${(t[1] / t[0]).toFixed(2)}x | ${(t[3] / t[1]).toFixed(2)}x | - |`);
}

// ------------------------------------------------------------------ the figure
say("");
{
  const t0 = performance.now();
  const r = api.overparameterisation({ activations: ["erf"] });
  const s = (performance.now() - t0) / 1000;
  say(`over-parameterisation figure (erf, L = 0..6, both variants, alpha-max 1e4, ${r.points.length} points): ${s.toFixed(1)} s (target < 30 s: ${s < 30 ? "met" : "MISSED"})`);
}
const load1 = loadavg()[0];
say("");
say(`Ratios of median times in the same run; except for the plain-TS column, > 1 means slower than the reference. Load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cpus().length} cores; previous version: ${previous ? previousDir : "not given (PREVIOUS_DIST)"}.`);

const section = `<!-- settings:begin -->\n## Section 9 settings (npm run bench:settings)\n\n${lines.join("\n")}\n<!-- settings:end -->`;
const prior = existsSync("bench/RESULTS.md") ? readFileSync("bench/RESULTS.md", "utf8") : "";
const b = prior.indexOf("<!-- settings:begin -->"), e = prior.indexOf("<!-- settings:end -->");
writeFileSync("bench/RESULTS.md", b >= 0 && e > b ? prior.slice(0, b) + section + prior.slice(e + "<!-- settings:end -->".length) : prior.trimEnd() + "\n\n" + section + "\n");
