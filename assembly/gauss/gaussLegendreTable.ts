// Gauss-Legendre rules on [-1, 1] for every order 1..GLT_MAX, computed once by Newton's
// method on the Legendre recurrence and kept side by side (rule n starts at n (n - 1) / 2),
// for the piecewise rules of the nested quadrature (quadratureAverages.ts).

export const GLT_MAX: i32 = 64;
const SIZE: i32 = (GLT_MAX * (GLT_MAX + 1)) >> 1;
const NODES: usize = memory.data(SIZE * 8, 8);
const WEIGHTS: usize = memory.data(SIZE * 8, 8);
const READY: usize = memory.data(GLT_MAX + 1, 1);

@inline function offset(n: i32): i32 {
  return (n * (n - 1)) >> 1;
}

function build(n: i32): void {
  const o = offset(n);
  const half = (n + 1) >> 1;
  for (let i = 0; i < half; i++) {
    let x = Math.cos(Math.PI * (<f64>i + 0.75) / (<f64>n + 0.5));
    let dp: f64 = 1;
    for (let it = 0; it < 100; it++) {
      let p0: f64 = 1.0, p1: f64 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2.0 * <f64>k - 1.0) * x * p1 - (<f64>k - 1.0) * p0) / <f64>k;
        p0 = p1;
        p1 = p2;
      }
      if (n == 1) { p1 = x; p0 = 1.0; }
      dp = (<f64>n * (x * p1 - p0)) / (x * x - 1.0);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    let p0: f64 = 1.0, p1: f64 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2.0 * <f64>k - 1.0) * x * p1 - (<f64>k - 1.0) * p0) / <f64>k;
      p0 = p1;
      p1 = p2;
    }
    dp = (<f64>n * (x * p1 - p0)) / (x * x - 1.0);
    const w = 2.0 / ((1.0 - x * x) * dp * dp);
    store<f64>(NODES + (<usize>(o + i) << 3), -x);
    store<f64>(WEIGHTS + (<usize>(o + i) << 3), w);
    store<f64>(NODES + (<usize>(o + n - 1 - i) << 3), x);
    store<f64>(WEIGHTS + (<usize>(o + n - 1 - i) << 3), w);
  }
  if (n & 1) store<f64>(NODES + (<usize>(o + (n >> 1)) << 3), 0.0);
  store<u8>(READY + <usize>n, 1);
}

/** Address of the n nodes (ascending) of the n-point rule on [-1, 1]. */
export function glRuleNodes(n: i32): usize {
  if (load<u8>(READY + <usize>n) == 0) build(n);
  return NODES + (<usize>offset(n) << 3);
}
/** Address of its weights (call glRuleNodes first). */
export function glRuleWeights(n: i32): usize {
  return WEIGHTS + (<usize>offset(n) << 3);
}
