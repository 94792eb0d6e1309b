// Timing targets that used to be assertions in the test suite (a test must not depend on the
// machine's load): transitions() at K = 1000 and 10^4 (target < 2 s each), one fixed point with its
// eigenvalues (target < 50 ms), the four learning-rate thresholds of the reference setting (target
// < 20 s). Medians of repeats; prints each against its target.
//   node scripts/bench.mjs bench/targets.ts      (npm run bench:targets)
import { loadavg } from "node:os";
import wasmBytes from "../build/release.wasm";
import { registerCore } from "../src/core/engine";
import { fixedPoints, learningRateRegimes, transitions } from "../src/api";

registerCore(() => wasmBytes as Uint8Array);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
function time(f: () => unknown, repeats: number): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}
const report = (what: string, ms: number, targetMs: number) => console.log(`${what}: ${ms.toFixed(1)} ms (target < ${targetMs} ms: ${ms < targetMs ? "met" : "MISSED"})`);

console.log(`load average ${loadavg()[0].toFixed(2)}`);
for (const activation of ["relu", "sigmoid"] as const)
  for (const K of [1000, 10000]) report(`transitions ${activation} K = ${K}`, time(() => transitions({ activation, K }), 3), 2000);
const guess = { learningRate: 1, symmetric: true, multiStart: 0, builtInStarts: false, guesses: [{ Q: [[1.3, 0.5], [0.5, 1.3]], R: [[0.45, 1], [0.45, 1]] }] };
report("one fixed point with eigenvalues", time(() => fixedPoints(guess), 11), 50);
report("learningRateRegimes, reference setting", time(() => learningRateRegimes({}), 1), 20000);
