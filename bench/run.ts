// Benchmarks (not tests): the WebAssembly core against plain-TypeScript ports of the same
// algorithms (bench/plain/), in the same process, interleaved, median of several repeats.
// Writes bench/RESULTS.md, keeping its notes (<!-- notes:begin --> ... <!-- notes:end -->) and its SGD section (<!-- sgd:begin --> ... <!-- sgd:end -->,
// written by bench/sgd.ts) after its own content. Run with `npm run bench`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import wasmBytes from "../build/release.wasm";
import { testCore } from "../test/core";
import { integrate, useCore } from "../src/index";
import * as plain from "./plain/index";

type Timing = { perCall: number };

/** Median over `repeats` of the time per call, each repeat running >= minMs. */
function measure(fn: () => unknown, minMs = 200, repeats = 5): Timing {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - t0 > minMs / 4) break;
    n *= 2;
  }
  const per: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    let k = 0;
    while (performance.now() - t0 < minMs / repeats || k === 0) {
      for (let i = 0; i < n; i++) fn();
      k += n;
    }
    per.push((performance.now() - t0) / k);
  }
  per.sort((a, b) => a - b);
  return { perCall: per[Math.floor(repeats / 2)] };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(2)} us`);
const rows: string[][] = [];
const row = (what: string, wasm: number, ts: number | null, note = "") => {
  rows.push([what, fmt(wasm), ts === null ? "-" : fmt(ts), ts === null ? "-" : `${(ts / wasm).toFixed(2)}x`, note]);
  console.log(`${what}: wasm ${fmt(wasm)}${ts === null ? "" : `, plain TS ${fmt(ts)}, ratio ${(ts / wasm).toFixed(2)}`} ${note}`);
};

const engine = testCore(); // the test build: the release kernels plus orthantPanels, hermiteI4Correlation
const x = engine.exports;
const gram = (L: number[][]) => L.map((a) => L.map((b) => a.reduce((s, v, k) => s + v * b[k], 0)));
const generic = [[1.2, 0.3, -0.2, 0.5], [0.3, 0.9, 0.1, 0.2], [-0.2, 0.1, 1.5, 0.7], [0.5, 0.2, 0.7, 2.0]];
const nearSingular = gram([[1, 0, 0, 0], [0.999, Math.sqrt(1 - 0.999 ** 2), 0, 0], [0.3, 0.1, 0.9, 0], [0.35, 0.1, 0.9 * 0.999, 0.9 * Math.sqrt(1 - 0.999 ** 2)]]);
const corr = (A: number[][]) => A.map((r, i) => r.map((v, j) => v / Math.sqrt(A[i][i] * A[j][j])));

// ---- one I4 evaluation
for (const [name, A] of [["generic covariance", generic], ["nearly singular covariance", nearSingular]] as const) {
  engine.setArgument(A as number[][]);
  const Cf = Float64Array.from((A as number[][]).flat());
  const w = measure(() => x.i4(0, 0, 10));
  const t = measure(() => plain.reluI4(Cf, 4, 0, 1, 2, 3));
  row(`ReLU I4 exact, ${name}`, w.perCall, t.perCall, `(${x.orthantPanels()} Gauss-Kronrod panels in P4)`);
}
{
  const R = corr(generic);
  const r = [R[0][1], R[0][2], R[0][3], R[1][2], R[1][3], R[2][3]] as const;
  for (const N of [6, 10, 20]) {
    const w = measure(() => x.hermiteI4Correlation(...r, N));
    const t = measure(() => plain.hermiteI4Correlation(...r, N));
    row(`ReLU I4 Hermite series N = ${N}`, w.perCall, t.perCall);
  }
}

// ---- one right-hand side
function state(K: number, M: number) {
  const T = Array.from({ length: M }, (_, n) => Array.from({ length: M }, (_, m) => (n === m ? 1 + n / M : 0)));
  const Q = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.5 + 0.1 * i : 0.05)));
  const R = Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => 0.1 * Math.cos(1 + i + 2 * n)));
  return { T, Q, R };
}
for (const activation of ["relu", "erf"] as const) {
  for (const K of [2, 4, 10]) {
    const M = K;
    const s = state(K, M);
    x.layout(K, M, 2, 0);
    const f = engine.f64;
    const tp = x.ptrT() >> 3;
    s.T.forEach((row, n) => row.forEach((v, m) => (f[tp + n * M + m] = v)));
    f.fill(1, x.ptrV() >> 3, (x.ptrV() >> 3) + K);
    f.fill(1, x.ptrVs() >> 3, (x.ptrVs() >> 3) + M);
    const u: number[] = [];
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) u.push(s.Q[i][k]);
    for (const r of s.R) u.push(...r);
    f.set(u, x.ptrU() >> 3);
    x.configureModel(activation === "relu" ? 0 : 1, 0, 10, 0.5, 0);
    const w = measure(() => x.evaluateRhs());
    const t = measure(() => plain.rhsPlain({ activation, K, M, T: s.T, Q: s.Q, R: s.R, eta: 0.5 }));
    row(`right-hand side, ${activation}, K = M = ${K}`, w.perCall, t.perCall);
  }
}

// ---- whole reference trajectory (docs/theory.md section 1), alpha 0..300, 301 samples
const reference = { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], eta: 1 };
const alphas = Array.from({ length: 301 }, (_, i) => i);
const cases: ["rk4" | "euler" | "adaptive", { step: number; rtol?: number; atol?: number }][] = [["rk4", { step: 0.01 }], ["euler", { step: 0.01 }], ["adaptive", { step: 0.01, rtol: 1e-9, atol: 1e-12 }]];
for (const [integrator, opts] of cases) {
  const o = { ...reference, learningRate: 1, alphas, integrator, ...opts };
  const w = measure(() => integrate(o), 1500, 3);
  const t = measure(() => plain.integratePlain({ ...reference, alphas, integrator, step: opts.step, rtol: opts.rtol ?? 1e-9, atol: opts.atol ?? 1e-12, maxSteps: 1e7 }), 1500, 3);
  const r = integrate(o);
  row(`reference trajectory, exact, ${integrator}`, w.perCall, t.perCall, `(${r.stats.steps} steps, ${r.stats.rhsEvaluations} right-hand sides)`);
}
{
  const o = { learningRate: 1, alphas, method: "hermite" as const, hermiteOrder: 10, hermiteCheck: false };
  const w = measure(() => integrate(o), 1500, 3);
  row("reference trajectory, Hermite N = 10, rk4", w.perCall, null, "(no plain-TS port of the Hermite ODE path)");
}
// cold start: compile + instantiate the core, then the trajectory
{
  const w = measure(() => {
    useCore(wasmBytes as Uint8Array);
    return integrate({});
  }, 2000, 3);
  row("reference trajectory incl. WebAssembly compile + instantiate (target < 0.5 s)", w.perCall, null);
}

// ---- erf Euler, 1e5 steps (the compiled C++ peer needs ~4 us per step at K = M = 2)
for (const K of [2, 10]) {
  const s = state(K, K);
  const Q0 = s.Q.map((r, i) => r.map((v, k) => (i === k ? 0.2 : 0.01)));
  const R0 = s.R.map((r) => r.map((v) => 0.01 * v));
  const o = { activation: "erf" as const, T: s.T, Q0, R0, learningRate: 0.1, alphaMax: 1000, samples: 11, integrator: "euler" as const, step: 0.01 };
  const w = measure(() => integrate(o), 1500, 3);
  const t = measure(() => plain.integratePlain({ activation: "erf", K, M: K, T: s.T, Q0, R0, eta: 0.1, alphas: Array.from({ length: 11 }, (_, i) => 100 * i), integrator: "euler", step: 0.01, rtol: 1e-9, atol: 1e-12, maxSteps: 1e7 }), 1500, 3);
  row(`erf, K = M = ${K}, 1e5 Euler steps`, w.perCall, t.perCall, `(${fmt(w.perCall / 1e5)} per step)`);
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const md = `# Benchmark results

Measured by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpu}, ${cpus().length} cores,
${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}. Each figure is the median of several repeats in one
process; "plain TS" is a line-by-line TypeScript port of the same algorithm (bench/plain/), run in the same process
right after the WebAssembly version. These machines are noisy: compare ratios within one run, not absolute times across runs.

| what | WebAssembly | plain TS | TS / WASM | note |
|---|---|---|---|---|
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}
`;
// keep every marked section written by the other benchmarks (<!-- name:begin --> ... <!-- name:end -->: the
// hand-written notes on the ODE figures, sgd, calibration, chunking, symmetric, ode-speed, ...), in their order
const previous = existsSync("bench/RESULTS.md") ? readFileSync("bench/RESULTS.md", "utf8") : "";
const sections = [...previous.matchAll(/<!-- ([\w-]+):begin -->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]);
writeFileSync("bench/RESULTS.md", [md, ...sections].join("\n") + "\n");
console.log("wrote bench/RESULTS.md");
