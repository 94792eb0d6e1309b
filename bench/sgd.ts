// Benchmarks of the SGD simulation (issue 3, item 8): the WebAssembly kernel against the
// plain-TypeScript port (bench/plain/sgd.ts) in one process, interleaved, medians of repeats.
//   - the Gaussian generator alone (normals per second);
//   - SGD steps per second on one thread, d = 1000 / 10000, K = M = 2 / 10, and the same
//     relative to the generator floor (the time of the step's d normals);
//   - the target case: 10 reference runs to alpha = 100 at d = 1000, simulate() from
//     dist/index.node.js on 2 worker threads and simulateSync() in sequence.
// Replaces only the <!-- sgd:begin --> ... <!-- sgd:end --> section of bench/RESULTS.md.
// Run with `npm run bench:sgd` (builds first; dist/ must exist for the worker threads).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { testCore } from "../test/core";
import { runSeed } from "../src/simulation/plan";
import { createPlainSgd, fillNormalPlain, seedPlain } from "./plain/sgd";

type Api = typeof import("../src/index.node");
const api = (await import(pathToFileURL(resolve("dist/index.node.js")).href)) as Api;

const now = () => performance.now();
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rate = (v: number, unit: string) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(1)} M ${unit}/s` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k ${unit}/s` : `${v.toFixed(1)} ${unit}/s`;
const us = (seconds: number) => `${(seconds * 1e6).toFixed(2)} us`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rows: string[][] = [];
/** A table row; `ratio` is plain-TS time / WASM time (> 1: WASM faster). */
function row(what: string, wasm: string, ts: string, ratio: number | null, note = ""): void {
  const r = ratio === null ? "-" : `${ratio.toFixed(2)}x`;
  rows.push([what, wasm, ts, r, note]);
  console.log(`${what}: wasm ${wasm}, plain TS ${ts}, TS/WASM ${r} ${note}`);
}

const load0 = loadavg()[0];
const engine = testCore(); // the test build: the release kernels plus normals()
const x = engine.exports;

// ------------------------------------------------------------------ the generator alone
const N = 2_000_000;
const REPEATS = 5;
const buffer = new Float64Array(N);
const genW: number[] = [], genT: number[] = [];
for (let r = -1; r < REPEATS; r++) {
  // r = -1: warm-up (tables, tier-up)
  const [hi, lo] = runSeed(99, r + 1);
  let t0 = now();
  x.normals(hi, lo, N);
  const tw = now() - t0;
  t0 = now();
  seedPlain(hi, lo);
  fillNormalPlain(buffer, 0, N);
  const tt = now() - t0;
  if (r >= 0) { genW.push(N / (tw / 1000)); genT.push(N / (tt / 1000)); }
}
const normalsW = median(genW), normalsT = median(genT);
row("Gaussian generator alone (xoshiro256** + ZIGNOR, fillNormal in chunks of 4096)", rate(normalsW, "normals"), rate(normalsT, "normals"), normalsW / normalsT,
  `${N / 1e6} M normals per call; ${(1e9 / normalsW).toFixed(2)} / ${(1e9 / normalsT).toFixed(2)} ns per normal`);

// ------------------------------------------------------------------ SGD steps per second, one thread
const diag = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? f(i) : 0)));
const reference = { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], eta: 1 };
const settingOf = (K: number) => (K === 2 ? reference : { activation: "relu" as const, K, M: K, T: diag(K, (n) => 1 + n), Q0: diag(K, () => 0.1), R0: diag(K, () => 1e-3), eta: 0.2 }); // eta = 1 and 0.5 diverge at K = 10
let stepsPerSecondRef = 0, stepsPerSecondRefPlain = 0;
for (const d of [1000, 10000]) {
  for (const K of [2, 10]) {
    const setting = settingOf(K);
    const wasmRun = (steps: number) => {
      const t0 = now();
      const res = api.simulateSync({ ...setting, d, runs: 1, seed: 5, alphas: [0, steps / d], matchTo: "none" });
      const t = now() - t0;
      if (res.status !== "completed") throw new Error(`WASM run diverged at d = ${d}, K = ${K}`);
      return t;
    };
    // calibrate: enough steps for >= ~0.35 s of WASM time
    let steps = Math.max(200, Math.round(2e6 / (d * K)));
    const tCal = wasmRun(steps);
    steps = Math.max(steps, Math.ceil((350 / tCal) * steps));
    const plain = createPlainSgd({ ...setting, d, steps: [0, steps] });
    const [hi, lo] = runSeed(5, 0);
    const perW: number[] = [], perT: number[] = [];
    for (let r = 0; r < 3; r++) {
      perW.push(steps / (wasmRun(steps) / 1000));
      const t0 = now();
      const p = plain(hi, lo);
      const t = now() - t0;
      if (p.code !== 0) throw new Error(`plain TS run diverged at d = ${d}, K = ${K}`);
      perT.push(steps / (t / 1000));
    }
    const w = median(perW), t = median(perT);
    if (d === 1000 && K === 2) { stepsPerSecondRef = w; stepsPerSecondRefPlain = t; }
    // floor: one step needs d normals; steps/s can be at most normals/s / d
    const floorW = normalsW / d, floorT = normalsT / d;
    row(`SGD steps, one thread, relu, d = ${d}, K = M = ${K}${K === 2 ? " (reference setting)" : ", T = diag(1..10), eta = 0.2"}`, rate(w, "steps"), rate(t, "steps"), w / t,
      `${steps} steps per run; a step costs ${(floorW / w).toFixed(2)} / ${(floorT / t).toFixed(2)} times its d normals (floor ${rate(floorW, "steps")} / ${rate(floorT, "steps")})`);
  }
}

// ------------------------------------------------------------------ other activations (no plain-TS port)
// the reference setting with g = tanh, gelu (docs/theory.md section 10): steps/s and the ratio to relu's
for (const activation of ["tanh", "gelu"] as const) {
  const o = { ...reference, activation, d: 1000, runs: 1, seed: 5, matchTo: "none" as const };
  const steps = 60_000;
  const per: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = now();
    const res = api.simulateSync({ ...o, alphas: [0, steps / 1000] });
    if (res.status !== "completed") throw new Error(`${activation} run diverged`);
    per.push(steps / ((now() - t0) / 1000));
  }
  const w = median(per);
  row(`SGD steps, one thread, ${activation}, d = 1000, K = M = 2 (reference setting)`, rate(w, "steps"), "-", null,
    `${(w / stepsPerSecondRef).toFixed(2)} of relu's rate (target: within 1.5x)`);
}

// ------------------------------------------------------------------ target case: 10 reference runs to alpha = 100
const target = { ...reference, d: 1000, runs: 10, alphaMax: 100, samples: 101, seed: 1 };
const parallel: number[] = [], sequential: number[] = [];
let parallelResult: Awaited<ReturnType<Api["simulate"]>> | undefined;
let sequentialResult: ReturnType<Api["simulateSync"]> | undefined;
for (let r = 0; r < 3; r++) {
  let t0 = now();
  parallelResult = await api.simulate({ ...target, threads: 2 });
  parallel.push(now() - t0);
  t0 = now();
  sequentialResult = api.simulateSync(target);
  sequential.push(now() - t0);
}
const same = parallelResult!.eg.mean.every((v, i) => Object.is(v, sequentialResult!.eg.mean[i])) && parallelResult!.stats.threads === 2;
// plain TS, the same 10 runs in sequence (one repeat: it is the slowest item)
let plainSequential = 0;
{
  const steps = Array.from({ length: 101 }, (_, i) => i * 1000);
  const plain = createPlainSgd({ ...reference, d: 1000, steps });
  const t0 = now();
  for (let r = 0; r < 10; r++) {
    const [hi, lo] = runSeed(1, r);
    if (plain(hi, lo).code !== 0) throw new Error("plain TS reference run diverged");
  }
  plainSequential = now() - t0;
}
const tPar = median(parallel), tSeq = median(sequential);
const totalSteps = 10 * 100 * 1000;
row("10 reference runs to alpha = 100, d = 1000: simulate() on 2 worker threads (target < 10 s)", secs(tPar), "-", null,
  `${rate(totalSteps / (tPar / 1000), "steps")} in total; incl. starting the workers; ${same ? "same means as sequential" : "MEANS DIFFER FROM SEQUENTIAL"}`);
row("10 reference runs to alpha = 100, d = 1000: one thread, in sequence", secs(tSeq), secs(plainSequential), plainSequential / tSeq,
  `WASM: simulateSync(); plain TS: one repeat; 2 threads are ${(tSeq / tPar).toFixed(2)}x faster than one`);

// ------------------------------------------------------------------ RESULTS.md
const date = new Date().toISOString().slice(0, 10);
const cpu = cpus()[0]?.model ?? "unknown CPU";
const load1 = loadavg()[0];
const stepsOk = stepsPerSecondRef >= 150_000, wallOk = tPar < 10_000;
const genRow = rows[0];
const section = `<!-- sgd:begin -->
## SGD simulation (issue 3)

Measured by \`npm run bench:sgd\` (bench/sgd.ts) on ${date}: ${cpu}, ${cpus().length} cores,
${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version} (load average ${load0.toFixed(2)} at the start, ${load1.toFixed(2)} at the end).
Medians of 3 to 5 interleaved repeats in one process; "plain TS" is bench/plain/sgd.ts, a port of the same
kernel (xoshiro256** on 32-bit halves, the same ziggurat and chunked fillNormal, the same initial weights and
summation order; bench/plain/checkSgd.ts checks it against the WASM to ~1e-15). TS / WASM is the plain-TS time
over the WASM time (for rates: WASM rate over plain-TS rate); "a / b" in a note is WASM / plain TS. "Floor": a step
draws d normals, so steps/s <= (normals/s) / d for each implementation.

| what | WebAssembly | plain TS | TS / WASM | note |
|---|---|---|---|---|
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}

Notes on this run (${date}):
- Targets of issue 3: >= 150,000 SGD steps/s on one core at d = 1000, K = M = 2: ${rate(stepsPerSecondRef, "steps")} (${stepsOk ? "met" : "NOT met"});
  10 reference runs to alpha = 100 on both cores < 10 s: ${secs(tPar)} (${wallOk ? "met" : "NOT met"}).
- The floor is the generator: ${genRow[1]} in WASM, i.e. ${(1e6 * 1000 / normalsW).toFixed(2)} us for the 1000 normals of a
  d = 1000 step, ${(100 * stepsPerSecondRef / (normalsW / 1000)).toFixed(0)}% of a reference (K = M = 2) step; the rest is the K + M projections on xi and the
  K rank-one updates (about 2 (2K + M) d flops, ReLU skips the update of an inactive unit). Per reference step the
  generator / the rest take ${us(1000 / normalsW)} / ${us(1 / stepsPerSecondRef - 1000 / normalsW)} in WASM and ${us(1000 / normalsT)} / ${us(1 / stepsPerSecondRefPlain - 1000 / normalsT)} in plain TS:
  the plain-TS generator pays for 64-bit xoshiro arithmetic emulated on int32 halves, the plain-TS projections and
  updates for scalar loops against the WASM's f64x2 SIMD ones.
- simulate() hands out whole runs to the workers, so 10 runs on 2 threads are at best 2x one thread; the workers
  compile nothing (they receive the compiled module) but do start per call.
<!-- sgd:end -->`;
const path = "bench/RESULTS.md";
const old = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmark results\n";
const begin = old.indexOf("<!-- sgd:begin -->"), end = old.indexOf("<!-- sgd:end -->");
const updated = begin >= 0 && end > begin
  ? old.slice(0, begin) + section + old.slice(end + "<!-- sgd:end -->".length)
  : old.replace(/\s*$/, "\n\n") + section + "\n";
writeFileSync(path, updated);
console.log(`wrote the SGD section of ${path}`);
