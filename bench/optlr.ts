// Benchmark of the optimal-learning-rate kernel (docs/theory.md section 6): WebAssembly (assembly/optlr/gram.ts,
// through the public optimalLearningRate(), i.e. including validation and copies) and the bare
// kernel call (inputs already in WASM memory) against the plain-TypeScript port
// (bench/plain/optlr.ts), same process, interleaved, median of 5 repeats. Both routes (Gram, M^2;
// gradient, M n0 n1) at several batch sizes. Writes bench/RESULTS-optlr.md. `npm run bench:optlr`.
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import wasmBytes from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
import { optimalLearningRate, useCore } from "../src/index";
import { plainOptimalRate } from "./plain/optlr";

useCore(wasmBytes as Uint8Array);
const engine = createEngine(wasmBytes as Uint8Array);
const x = engine.exports as unknown as { optlrLayout(m: number, a: number, c: number): number; optlrPtr(k: number): number; optlrCompute(a: number, s: number, m: number, g: number): void };

/** Median time per call of each function, the functions interleaved within every repeat (fair under load). */
function measure(fns: (() => unknown)[], minMs = 40, repeats = 9): number[] {
  const ns = fns.map((fn) => {
    let n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      if (performance.now() - t0 > minMs) return n;
      n *= 2;
    }
  });
  const per: number[][] = fns.map(() => []);
  for (let r = 0; r < repeats; r++)
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < ns[k]; i++) fn();
      per[k].push((performance.now() - t0) / ns[k]);
    });
  return per.map((v) => v.sort((a, b) => a - b)[Math.floor(repeats / 2)]);
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} us`);

let seed = 12345;
const rnd = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
};
const rows: string[] = [];
const load0 = loadavg()[0];
for (const [M, n0, n1, method] of [[16, 784, 10, 0], [64, 784, 10, 0], [256, 100, 10, 0], [1024, 100, 10, 0], [256, 100, 10, 1], [1024, 100, 10, 1], [4096, 100, 10, 1], [16, 784, 10, 1], [64, 784, 10, 1]] as const) {
  const W = Float64Array.from({ length: n1 * n0 }, rnd), b = Float64Array.from({ length: n1 }, rnd);
  const X = Float64Array.from({ length: M * n0 }, rnd), Y = Float64Array.from({ length: M * n1 }, rnd);
  x.optlrLayout(M, n0, n1);
  const f = engine.f64;
  f.set(W, x.optlrPtr(0) >> 3);
  f.set(b, x.optlrPtr(1) >> 3);
  f.set(X, x.optlrPtr(2) >> 3);
  f.set(Y, x.optlrPtr(3) >> 3);
  const rows2 = (a: Float64Array, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));
  const opts = { W: rows2(W, n1, n0), b: Array.from(b), X: rows2(X, M, n0), Y: rows2(Y, M, n1), activation: "relu" as const, method: method === 0 ? ("gram" as const) : ("gradient" as const) };
  // same numbers first (different summation order only in the public path: none here)
  x.optlrCompute(0, 0, method, 0);
  const out = x.optlrPtr(10) >> 3;
  const p = plainOptimalRate(W, b, X, Y, M, n0, n1, 0, 0, method);
  const agree = Math.abs(engine.f64[out] - p.num) <= 1e-12 * p.num && Math.abs(engine.f64[out + 1] - p.den) <= 1e-12 * p.den;
  const [kernel, ts, api] = measure([() => x.optlrCompute(0, 0, method, 0), () => plainOptimalRate(W, b, X, Y, M, n0, n1, 0, 0, method), () => optimalLearningRate(opts)]);
  const line = `| ${method === 0 ? "gram" : "gradient"} | ${M} | ${n0} | ${n1} | ${fmt(kernel)} | ${fmt(api)} | ${fmt(ts)} | ${(ts / kernel).toFixed(2)}x | ${agree ? "yes" : "NO"} |`;
  console.log(line);
  rows.push(line);
}
const md = `# Optimal learning rate benchmark (docs/theory.md section 6)

Measured by \`npm run bench:optlr\` (bench/optlr.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores,
${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${load0.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after. relu, random inputs; medians of 9 repeats in one process, the three versions interleaved in each
repeat (the machine is shared: compare ratios within a row, not absolute times across runs).
"kernel": one WebAssembly call with the batch already in WASM memory; "API": optimalLearningRate() with
validation and copying rows in; "plain TS": bench/plain/optlr.ts, the same loops on Float64Arrays.
"same": the kernel's numerator and denominator equal the plain port's to 1e-12 relative.

| route | M | n0 | n1 | WASM kernel | API (WASM + copies) | plain TS | TS / kernel | same |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
writeFileSync("bench/RESULTS-optlr.md", md);
