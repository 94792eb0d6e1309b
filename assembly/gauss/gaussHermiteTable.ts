// Gauss-Hermite rules for the standard normal weight (probabilists'), orders 1..GHT_MAX,
// computed once by Newton's method on the orthonormal Hermite recurrence (initial guesses as in
// Numerical Recipes' gauher) and kept side by side (rule n starts at n (n - 1) / 2). Weights sum
// to 1: sum_j w_j f(x_j) ~ E[f(u)], u ~ N(0, 1). For the nested quadrature's smooth levels whose
// functions vary slowly on the scale of u (quadratureAverages.ts).

export const GHT_MAX: i32 = 64;
const SIZE: i32 = (GHT_MAX * (GHT_MAX + 1)) >> 1;
const NODES: usize = memory.data(SIZE * 8, 8);
const WEIGHTS: usize = memory.data(SIZE * 8, 8);
const READY: usize = memory.data(GHT_MAX + 1, 1);
const PIM4: f64 = 0.7511255444649425; // pi^(-1/4)

@inline function offset(n: i32): i32 {
  return (n * (n - 1)) >> 1;
}

function build(n: i32): void {
  const o = offset(n);
  const m = (n + 1) >> 1;
  let z: f64 = 0;
  for (let i = 0; i < m; i++) {
    // physicists' roots t (weight exp(-t^2)), largest first
    if (i == 0) z = Math.sqrt(<f64>(2 * n + 1)) - 1.85575 * Math.pow(<f64>(2 * n + 1), -0.16667);
    else if (i == 1) z -= 1.14 * Math.pow(<f64>n, 0.426) / z;
    else if (i == 2) z = 1.86 * z - 0.86 * load<f64>(NODES + (<usize>(o + n - 1) << 3)) / Math.SQRT2;
    else if (i == 3) z = 1.91 * z - 0.91 * load<f64>(NODES + (<usize>(o + n - 2) << 3)) / Math.SQRT2;
    else z = 2.0 * z - load<f64>(NODES + (<usize>(o + n - 1 - (i - 2)) << 3)) / Math.SQRT2;
    let pp: f64 = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = PIM4, p2: f64 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2.0 / <f64>j) * p2 - Math.sqrt(<f64>(j - 1) / <f64>j) * p3;
      }
      pp = Math.sqrt(<f64>(2 * n)) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1.0, Math.abs(z))) break;
    }
    let p1 = PIM4, p2: f64 = 0;
    for (let j = 1; j <= n; j++) {
      const p3 = p2;
      p2 = p1;
      p1 = z * Math.sqrt(2.0 / <f64>j) * p2 - Math.sqrt(<f64>(j - 1) / <f64>j) * p3;
    }
    pp = Math.sqrt(<f64>(2 * n)) * p2;
    const w = 2.0 / (pp * pp) / Math.sqrt(Math.PI); // normalised: the physicists' weight / sqrt(pi)
    const x = z * Math.SQRT2;
    store<f64>(NODES + (<usize>(o + n - 1 - i) << 3), x);
    store<f64>(WEIGHTS + (<usize>(o + n - 1 - i) << 3), w);
    store<f64>(NODES + (<usize>(o + i) << 3), -x);
    store<f64>(WEIGHTS + (<usize>(o + i) << 3), w);
  }
  if (n & 1) store<f64>(NODES + (<usize>(o + (n >> 1)) << 3), 0.0);
  store<u8>(READY + <usize>n, 1);
}

/** Address of the n nodes (ascending) of the n-point rule for N(0, 1). */
export function ghRuleNodes(n: i32): usize {
  if (load<u8>(READY + <usize>n) == 0) build(n);
  return NODES + (<usize>offset(n) << 3);
}
/** Address of its weights (call ghRuleNodes first). */
export function ghRuleWeights(n: i32): usize {
  return WEIGHTS + (<usize>offset(n) << 3);
}
