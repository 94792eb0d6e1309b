// Gauss-Legendre nodes and weights on [0, 1], computed once by Newton's method on
// the Legendre recurrence (no tables to mistype).

export const GL_MAX: i32 = 64;
const NODES: usize = memory.data(GL_MAX * 8, 8);
const WEIGHTS: usize = memory.data(GL_MAX * 8, 8);
let glOrder: i32 = 0;

export function glNode(i: i32): f64 {
  return load<f64>(NODES + (<usize>i << 3));
}
export function glWeight(i: i32): f64 {
  return load<f64>(WEIGHTS + (<usize>i << 3));
}
export function glCount(): i32 {
  return glOrder;
}

/** Fills the tables for an n-point rule on [0, 1] (n <= GL_MAX); cheap no-op if already n. */
export function glSetup(n: i32): void {
  if (n == glOrder) return;
  const half = (n + 1) >> 1;
  for (let i = 0; i < half; i++) {
    let x = Math.cos(Math.PI * (<f64>i + 0.75) / (<f64>n + 0.5));
    let dp: f64 = 0;
    for (let it = 0; it < 100; it++) {
      let p0: f64 = 1.0;
      let p1: f64 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2.0 * <f64>k - 1.0) * x * p1 - (<f64>k - 1.0) * p0) / <f64>k;
        p0 = p1;
        p1 = p2;
      }
      dp = (<f64>n * (x * p1 - p0)) / (x * x - 1.0);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    // recompute derivative at the converged root
    let p0: f64 = 1.0;
    let p1: f64 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2.0 * <f64>k - 1.0) * x * p1 - (<f64>k - 1.0) * p0) / <f64>k;
      p0 = p1;
      p1 = p2;
    }
    dp = (<f64>n * (x * p1 - p0)) / (x * x - 1.0);
    const w = 2.0 / ((1.0 - x * x) * dp * dp);
    // map [-1, 1] -> [0, 1]
    store<f64>(NODES + (<usize>i << 3), 0.5 * (1.0 - x));
    store<f64>(WEIGHTS + (<usize>i << 3), 0.5 * w);
    store<f64>(NODES + (<usize>(n - 1 - i) << 3), 0.5 * (1.0 + x));
    store<f64>(WEIGHTS + (<usize>(n - 1 - i) << 3), 0.5 * w);
  }
  glOrder = n;
}
