// What running the kernels in chunks costs (runBegin/runContinue, sgdBegin/sgdContinue): the same
// trajectory or SGD run in one call and in chunks, back to back 21 times in one process, median of the ratios.
// Also what an instance per call would cost the scalar averages without the idle pool.
// Writes the table between <!-- chunking:begin --> and <!-- chunking:end --> of bench/RESULTS.md.
// Run with `npm run bench:chunking`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import wasm from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
import { STATUS_PAUSED } from "../src/core/exports";
import { packState } from "../src/online/integrate";
import { prepareEngine } from "../src/simulation/run";
import { resolveSimulation, runSeed } from "../src/simulation/plan";
import { i2 } from "../src/index";
import { CHUNK_SECONDS } from "../src/work/budget";
import { rhsSeconds, sgdStepSeconds } from "../src/work/estimates";

const now = () => performance.now();
const core = createEngine(wasm as Uint8Array<ArrayBuffer>);
const x = core.exports;
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const rows: string[] = [];

/**
 * Alternates a (one call) and b (chunks) 21 times after a warm-up; the overhead is the median of the
 * 21 paired ratios (a pair runs back to back, so slow drifts of the machine's load cancel) and, in
 * brackets, the ratio of the fastest of each.
 */
function compare(what: string, a: () => void, b: () => number) {
  a();
  b();
  const ta: number[] = [], tb: number[] = [], ratio: number[] = [];
  let chunks = 0;
  for (let r = 0; r < 21; r++) {
    let t0 = now();
    a();
    const ma = now() - t0;
    t0 = now();
    chunks = b();
    const mb = now() - t0;
    ta.push(ma);
    tb.push(mb);
    ratio.push(mb / ma);
  }
  const line = `| ${what} | ${median(ta).toFixed(1)} ms | ${median(tb).toFixed(1)} ms | ${chunks} | ${((median(ratio) - 1) * 100).toFixed(2)} % (${((Math.min(...tb) / Math.min(...ta) - 1) * 100).toFixed(2)} %) |`;
  rows.push(line);
  console.log(line);
}

// ---------------------------------------------------------------- ODE: the reference trajectory
const ref = { K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };
const alphas = Array.from({ length: 151 }, (_, i) => i); // the reference setting to alpha = 150
function ode(method: number, chunk: number): number {
  core.loadModel({ ...ref, v: [1, 1], vStar: [1, 1] }, alphas.length);
  core.f64.set(packState(ref.Q0, ref.R0), x.ptrU() >> 3);
  core.f64.set(alphas, x.ptrAlphas() >> 3);
  x.configureModel(0, 0, 10, 1, 0);
  let code = x.runBegin(method, 0.01, 1e-9, 1e-12, 1e7, alphas.length, 0, 1e6);
  let n = 0;
  while (code === STATUS_PAUSED) {
    code = x.runContinue(chunk);
    n++;
  }
  return n;
}
const perRhs = rhsSeconds({ activation: "relu", teacherActivation: "relu", K: 2, M: 2 });
const odeChunk = Math.max(1, Math.floor(CHUNK_SECONDS / perRhs));
for (const [name, method] of [["rk4", 1], ["adaptive", 2]] as const) {
  compare(`reference trajectory, ${name}, chunks of ${odeChunk} right-hand sides (the API's)`, () => ode(method, 0), () => ode(method, odeChunk));
  compare(`reference trajectory, ${name}, chunks of 100 right-hand sides`, () => ode(method, 0), () => ode(method, 100));
}

// ---------------------------------------------------------------- SGD: one run, d = 1000
const I = [[1, 0], [0, 1]];
const plan = resolveSimulation({ activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], learningRate: 1, d: 1000, runs: 1, alphaMax: 100, samples: 21 });
void I;
function sgd(chunk: number): number {
  const [hi, lo] = runSeed(1, 0);
  let code = x.sgdBegin(hi, lo, 0, 0, 0, 1, 0, 1e6, 0);
  let n = 0;
  while (code === STATUS_PAUSED) {
    code = x.sgdContinue(chunk);
    n++;
  }
  return n;
}
prepareEngine(core, plan);
const sgdChunk = Math.max(1, Math.floor(CHUNK_SECONDS / sgdStepSeconds({ ...plan, batch: 1 })));
compare(`SGD run, d = 1000, K = M = 2, 1e5 steps, chunks of ${sgdChunk} steps (the API's)`, () => sgd(0), () => sgd(sgdChunk));
compare("SGD run, d = 1000, K = M = 2, 1e5 steps, chunks of 1000 steps", () => sgd(0), () => sgd(1000));

// ---------------------------------------------------------------- instances: pooled or one per call
{
  const C = [[1, 0.3], [0.3, 0.8]];
  const n = 2000;
  i2(C);
  const pooledT: number[] = [], freshT: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t0 = now();
    for (let k = 0; k < n; k++) i2(C);
    const p = (now() - t0) / n;
    t0 = now();
    for (let k = 0; k < n; k++) {
      const e = createEngine(core.module);
      e.setArgument(C);
      e.exports.i2(0);
    }
    const f = (now() - t0) / n;
    pooledT.push(p);
    freshT.push(f);
  }
  const pooled = median(pooledT), fresh = median(freshT);
  const line = `\ni2() through the API (an idle instance from the pool): ${(pooled * 1000).toFixed(2)} us per call; with a new instance per call: ${(fresh * 1000).toFixed(1)} us (${(fresh / pooled).toFixed(0)}x): the pool is kept.`;
  rows.push(line);
  console.log(line);
}

const measured = `${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
const table = `<!-- chunking:begin -->\n## Kernels in chunks\n\n\`npm run bench:chunking\` (bench/chunking.ts), ${measured}: each pair run back to back 21 times in one process; times are medians, the overhead is the median of the 21 paired ratios (in brackets: the ratio of the fastest of each); target < 2 %. The machine was shared (load average ~8 on 2 cores), so single figures scatter by several per cent. Results are bit-for-bit equal (test/resumable.test.ts).\n\n| what | one call | in chunks | chunks | overhead |\n|---|---|---|---|---|\n${rows.join("\n")}\n<!-- chunking:end -->`;
const path = "bench/RESULTS.md";
const old = existsSync(path) ? readFileSync(path, "utf8") : "";
writeFileSync(path, /<!-- chunking:begin -->[\s\S]*<!-- chunking:end -->/.test(old) ? old.replace(/<!-- chunking:begin -->[\s\S]*<!-- chunking:end -->/, table) : `${old.trimEnd()}\n\n${table}\n`);
