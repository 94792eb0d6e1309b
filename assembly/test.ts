// Entry of the test build (build/test.wasm, asconfig target "test"): every export of the
// release build (assembly/index.ts) plus kernels and switches that only the tests reach. The
// same optimisation settings as the release build, so the shared kernels give the same bits.
export * from "./index";
import { argPtr } from "./index";
import { orthant4, setOrthantTolerance, orthantPanels } from "./gauss/orthant";
import { reluI3, reluI4, reluTableBegin, reluTableEnd, setReluClosedForms, recursions, resetReluRecursions } from "./gauss/relu";
import { hermiteI4Correlation, hermiteI4Naive, hermiteIndexSets, thetaCoefficient, reluCoefficient } from "./gauss/hermite";
import { seedRandom, fillNormal } from "./sim/random";
import { setErfRows, setExactRows } from "./ode/model";
import { asin2, asin2x2, asinBothInside } from "./gauss/asin2";

export { setOrthantTolerance, orthantPanels, hermiteI4Correlation, hermiteI4Naive, hermiteIndexSets, thetaCoefficient, reluCoefficient };

// Tests of the ReLU closed forms against the generic recursion (assembly/gauss/relu.ts).
const ARG_ASIN: usize = memory.data(2 * 16 * 8, 8);
/** on = 0: every ReLU average through the generic Stein recursion. */
export function reluClosedForms(on: i32): void {
  setReluClosedForms(on != 0);
}
/** Closed-form averages handed to the generic recursion since the last call (and reset). */
export function reluRecursions(): i32 {
  const n = recursions;
  resetReluRecursions();
  return n;
}
/** ReLU I3(a, b, c) on variables of the argument matrix (indices may repeat); table != 0: via the asin table, as rhs() does. */
export function reluI3At(a: i32, b: i32, c: i32, table: i32): f64 {
  if (table != 0) reluTableBegin(argPtr(), 4, ARG_ASIN);
  const v = reluI3(argPtr(), 4, a, b, c);
  reluTableEnd();
  return v;
}
/** ReLU I4(a, b, c, e), exact, like reluI3At. */
export function reluI4At(a: i32, b: i32, c: i32, e: i32, table: i32): f64 {
  if (table != 0) reluTableBegin(argPtr(), 4, ARG_ASIN);
  const v = reluI4(argPtr(), 4, a, b, c, e);
  reluTableEnd();
  return v;
}
/** P(z > 0) for the 4x4 argument matrix. */
export function orthantProbability4(): f64 {
  return orthant4(argPtr(), 4);
}

// Tests of the Gaussian generator: n normals from a seed into a buffer at the end of memory.
let normalsAt: usize = 0, normalsCapacity: usize = 0;
/** n standard normals from the seed into ptrNormals(); false if memory cannot grow. */
export function normals(seedHi: u32, seedLo: u32, n: i32): bool {
  const need = <usize>n << 3;
  if (need > normalsCapacity) {
    const pages = <i32>((need + 0xffff) >> 16);
    const start = (<usize>memory.size()) << 16;
    if (memory.grow(pages) < 0) return false;
    normalsAt = start;
    normalsCapacity = (<usize>pages) << 16;
  }
  seedRandom((<u64>seedHi << 32) | <u64>seedLo);
  fillNormal(normalsAt, n);
  return true;
}
export function ptrNormals(): usize {
  return normalsAt;
}

// Tests of the row-wise erf kernels of the right-hand side (assembly/ode/erfRows.ts).
/** on = 0: the erf right-hand side through the generic per-average loops. */
export function erfRowsOn(on: i32): void {
  setErfRows(on != 0);
}
/** on = 0: the exact activations' right-hand side through the per-average loops (not polynomialRows.ts, piecewiseLinearRows.ts). */
export function exactRowsOn(on: i32): void {
  setExactRows(on != 0);
}
/** asin2 on the lanes (x0, x1), written to the argument buffer's first two doubles; 0 if asin2 does not apply (some |x| >= 1). */
export function asinPairAt(x0: f64, x1: f64): i32 {
  const x = f64x2.replace_lane(f64x2.splat(x0), 1, x1);
  if (!asinBothInside(x)) return 0;
  v128.store(argPtr(), asin2(x));
  return 1;
}
/** asin2x2 on (x0, x1) and (x2, x3), written to the argument buffer's first four doubles; 0 if it does not apply. */
export function asinQuadAt(x0: f64, x1: f64, x2: f64, x3: f64): i32 {
  const a = f64x2.replace_lane(f64x2.splat(x0), 1, x1), b = f64x2.replace_lane(f64x2.splat(x2), 1, x3);
  if (!asinBothInside(a) || !asinBothInside(b)) return 0;
  asin2x2(a, b, argPtr());
  return 1;
}
/** The scalar Math.asin of the core (NativeMath), which asin2 must reproduce lane by lane. */
export function asinAt(x: f64): f64 {
  return Math.asin(x);
}
