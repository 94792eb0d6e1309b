import wasmBytes from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
const e = createEngine(wasmBytes as Uint8Array);
const x = e.exports;
for (const act of [1, 1, 0]) {
  x.configureSymmetric(10000, 1, 1, 1, 5e-5, act, act + 1);
  const p = x.symmetricPtrState() >> 3;
  e.f64.set([0.2, 1e-4, 1e-3, 1e-4], p);
  const n = act === 1 ? 400000 : 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) x.evaluateSymmetricRhs();
  const dt = performance.now() - t0;
  console.log(act, ((dt * 1000) / n).toFixed(3), "us per rhs");
  e.setArgument([[1.2, 0.3, -0.2, 0.5], [0.3, 0.9, 0.1, 0.2], [-0.2, 0.1, 1.5, 0.7], [0.5, 0.2, 0.7, 2.0]]);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) x.i4(act, 0, 10);
  console.log(act, (((performance.now() - t1) * 1000) / n).toFixed(3), "us per i4 export call");
  const t2 = performance.now();
  for (let i = 0; i < n; i++) x.i3(act);
  console.log(act, (((performance.now() - t2) * 1000) / n).toFixed(3), "us per i3 export call");
}
