// Checks the plain-TypeScript SGD port (bench/plain/sgd.ts) against the WebAssembly build:
//   1. the normal stream for a few seeds, with the plain port's own ziggurat tables (JS Math;
//      information only) and with the tables read from the WASM memory (to 1e-15 relative);
//   2. Q, R (and eps_g) of whole SGD runs at a few samples, for relu, erf and linear (WASM tables).
//   npx esbuild bench/plain/checkSgd.ts --bundle --platform=node --format=esm --target=es2022 \
//     --loader:.wasm=binary --outfile=build/checksgd.mjs --log-level=error && node build/checksgd.mjs
// Exits with status 1 if a difference exceeds its tolerance.
import { testCore } from "../../test/core";
import { resolveSimulation, runSeed, type SimulateOptions } from "../../src/simulation/plan";
import { prepareEngine, runOne } from "../../src/simulation/run";
import { createPlainSgd, fillNormalPlain, seedPlain, setZigguratTables, zigguratTables } from "./sgd";

const e = testCore(); // the test build: the release kernels plus normals()
const x = e.exports;
let failed = false;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

// ------------------------------------------------------------------ normal stream
const N = 1_000_000;
const seeds = [[0, 1], [0x12345678, 0x9abcdef0], runSeed(1, 0), [0xffffffff, 0xffffffff]];
const plainOut = new Float64Array(N);
function compareStreams(label: string): number {
  let exact = 0, maxRel = 0, firstDiff = -1, tail = 0;
  for (const [hi, lo] of seeds) {
    x.normals(hi, lo, N);
    const w = e.f64.slice(x.ptrNormals() >> 3, (x.ptrNormals() >> 3) + N);
    seedPlain(hi, lo);
    fillNormalPlain(plainOut, 0, N);
    for (let k = 0; k < N; k++) {
      if (Object.is(w[k], plainOut[k])) exact++;
      else {
        if (firstDiff < 0) firstDiff = k;
        if (Math.abs(w[k]) > 3.442619855899) tail++;
      }
      maxRel = Math.max(maxRel, Math.abs(w[k] - plainOut[k]) / Math.abs(w[k]));
    }
  }
  console.log(`normal stream, ${label}, ${seeds.length} seeds x ${N}: ${exact}/${seeds.length * N} bit-identical (of the others ${tail} in the tail |x| > r, Math.log), max relative difference ${maxRel.toExponential(2)}${firstDiff >= 0 ? ` (first difference at ${firstDiff})` : ""}`);
  return maxRel;
}

// 1. tables built with JS Math (what the benchmark's plain TS uses): information only
compareStreams("plain TS with tables from JS Math");
// 2. the WASM tables read from its memory (static data: x_0 > x_1 = ZIG_R, x_128 = 0, then the
//    ratio table right after, 8-byte aligned): the stream must agree to 1e-15 relative
const { x: zx } = zigguratTables();
const f = e.f64;
let found = -1;
for (let j = 1; j < 1 << 16 && found < 0; j++) if (f[j] === 3.442619855899 && f[j + 127] === 0 && f[j - 1] > f[j]) found = j - 1;
if (found < 0) {
  console.log("ziggurat x table not found in the WASM memory");
  failed = true;
} else {
  const wx = f.slice(found, found + 129), wr = f.slice(found + 129, found + 257);
  let same = 0, tmax = 0, ratioOk = true;
  for (let i = 0; i <= 128; i++) {
    if (wx[i] === zx[i]) same++;
    if (zx[i] !== 0) tmax = Math.max(tmax, Math.abs(wx[i] - zx[i]) / zx[i]);
  }
  for (let i = 0; i < 128; i++) if (wr[i] !== wx[i + 1] / wx[i]) ratioOk = false;
  console.log(`ziggurat x table, JS Math vs AssemblyScript NativeMath: ${same}/129 bit-identical, max relative difference ${tmax.toExponential(1)}; WASM ratio table ${ratioOk ? "found after it" : "NOT found after it"}`);
  if (!ratioOk) failed = true;
  setZigguratTables({ x: wx, ratio: wr });
  if (compareStreams("plain TS with the WASM tables") > 1e-15) { failed = true; console.log("  NORMAL STREAM DIFFERS BEYOND 1e-15"); }
}

// ------------------------------------------------------------------ SGD runs
const reference = { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };
const cases: { name: string; o: SimulateOptions; tol: number }[] = [
  { name: "reference relu K=M=2, d=1000, alpha 0..20", o: { ...reference, eta: 1, d: 1000, alphaMax: 20, samples: 5 }, tol: 1e-12 },
  { name: "relu K=3 M=2, d=501, alpha 0..10", o: { activation: "relu", K: 3, M: 2, T: [[1, 0.2], [0.2, 1.5]], Q0: [[0.3, 0.01, 0.02], [0.01, 0.2, 0], [0.02, 0, 0.25]], R0: [[0.01, 0], [0, 0.02], [0.005, 0.001]], eta: 0.5, d: 501, alphaMax: 10, samples: 3 }, tol: 1e-12 },
  { name: "erf K=M=2, d=1000, alpha 0..20", o: { ...reference, activation: "erf", eta: 1, d: 1000, alphaMax: 20, samples: 5 }, tol: 1e-12 },
  { name: "linear K=M=2, d=1003, alpha 0..10", o: { ...reference, activation: "linear", eta: 0.5, d: 1003, alphaMax: 10, samples: 3 }, tol: 1e-12 },
  { name: "relu K=M=10, d=1000, alpha 0..2", o: { activation: "relu", K: 10, M: 10, T: diag(10, (n) => 1 + n), Q0: diag(10, () => 0.1), R0: diag(10, () => 1e-3), eta: 0.5, d: 1000, alphaMax: 2, samples: 3 }, tol: 1e-12 },
];
function diag(n: number, f: (i: number) => number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? f(i) : 0)));
}
for (const { name, o, tol } of cases) {
  const plan = resolveSimulation({ ...o, runs: 2, seed: 7 });
  prepareEngine(e, plan);
  const run = createPlainSgd({ activation: plan.activation as "relu" | "erf" | "linear", K: plan.K, M: plan.M, d: plan.d, T: plan.T, Q0: plan.Q0, R0: plan.R0, v: plan.v, vStar: plan.vStar, eta: plan.learningRate, steps: plan.steps });
  const D = x.stateDimension();
  let dQR = 0, dEg = 0, bits = 0, count = 0;
  let status = "";
  for (let r = 0; r < plan.runs; r++) {
    const w = runOne(e, plan, r);
    const [hi, lo] = runSeed(plan.seed, r);
    const p = run(hi, lo);
    status += `${w.code}/${p.code} `;
    if (w.code !== p.code || w.recorded !== p.recorded) failed = true;
    for (let s = 0; s < w.recorded; s++) {
      for (let q = 0; q < D; q++) {
        const a = w.out[s * (D + 1) + q], b = p.out[s * (D + 1) + q];
        dQR = Math.max(dQR, rel(b, a));
        if (Object.is(a, b)) bits++;
        count++;
      }
      dEg = Math.max(dEg, rel(p.out[s * (D + 1) + D], w.out[s * (D + 1) + D]));
    }
  }
  const ok = dQR <= tol;
  if (!ok) failed = true;
  console.log(`${name.padEnd(44)} Q,R max rel ${dQR.toExponential(2)} (${bits}/${count} bit-identical), eps_g ${dEg.toExponential(2)}, status wasm/plain ${status}${ok ? "(ok)" : "(LARGER THAN " + tol + ")"}`);
}
console.log(failed ? "FAILED" : "all within tolerance");
if (failed) process.exitCode = 1;
