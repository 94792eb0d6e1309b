// transitions() at large K (1000, 10^4), checked by an independent route: the Landau function
// G(p) = min over (m, c) of beta f at fixed p = sqrt(K)(R - S) (a 2-d minimisation in the R = S
// complement; no extended systems, no continuation). dG/dp = g_p at the constrained minimum
// (envelope theorem), so
//   a specialised minimum exists  <=>  dG/dp changes sign on p > 0  (alpha_s: fold),
//   the R = S point is stable      <=>  d^2G/dp^2 > 0 at p = 0          (alpha_inst),
//   the specialised one is global  <=>  G(p*) - G(0) = int_0^p* dG/dp dp < 0   (alpha_c),
// each evaluated at value (1 -+ k tolerance) with the tolerance transitions() reports.
import { describe, expect, it } from "vitest";
import { transitions } from "./helpers";
import { Reduced } from "../src/equilibrium/coordinates";
import { Minimizer } from "../src/equilibrium/minima";

type Act = "relu" | "sigmoid";

function landau(act: Act, K: number) {
  const red = new Reduced({ activation: act, K });
  const min = new Minimizer(red);
  const g = new Float64Array(3), H = new Float64Array(9);
  let seed = [0, 0.5, 0];
  /** dG/dp at p: the p-component of the gradient at the minimum over (m, c). */
  const dG = (alpha: number, p: number): number => {
    const r = min.minimize(alpha, [p, seed[1], seed[2]], { free: [1, 2] });
    if (!r.minimum) throw new Error(`constrained minimisation failed at p = ${p}`);
    seed = Array.from(r.minimum.u);
    red.eval(alpha, r.minimum.u, g, H);
    return g[0];
  };
  return { dG, red };
}

/** Smallest dG/dp on [lo, hi]: a 61-point grid, then golden sections around the lowest point. */
function minDG(f: (p: number) => number, lo: number, hi: number): { p: number; value: number } {
  let best = lo, bv = Infinity;
  const n = 60;
  for (let i = 0; i <= n; i++) {
    const p = lo + ((hi - lo) * i) / n, v = f(p);
    if (v < bv) [best, bv] = [p, v];
  }
  let a = Math.max(lo, best - (hi - lo) / n), b = Math.min(hi, best + (hi - lo) / n);
  const gr = (Math.sqrt(5) - 1) / 2;
  let c = b - gr * (b - a), d = a + gr * (b - a), fc = f(c), fd = f(d);
  for (let i = 0; i < 80 && b - a > 1e-12 * hi; i++) {
    // (the new interior point from the new end: a destructuring assignment would use the old one
    // and make c and d coincide)
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - gr * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + gr * (b - a);
      fd = f(d);
    }
  }
  const p = fc < fd ? c : d;
  return { p, value: Math.min(fc, fd, bv) };
}

/** G(p*) - G(0) for the specialised zero p* of dG/dp above pLo (bisection), by 32-point Gauss-Legendre. */
function landauDrop(f: (p: number) => number, pMin: number, pHi: number): number {
  // p*: dG/dp < 0 at pMin (inside the well), > 0 at pHi
  let a = pMin, b = pHi;
  for (let i = 0; i < 100 && b - a > 1e-14 * pHi; i++) {
    const m = 0.5 * (a + b);
    if (f(m) < 0) a = m;
    else b = m;
  }
  const ps = 0.5 * (a + b);
  // Gauss-Legendre nodes by Newton on P_n
  const n = 32;
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5)), dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = 0;
      for (let j = 1; j <= n; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
      }
      dp = (n * (z * p0 - p1)) / (z * z - 1);
      const dz = p0 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    const w = 1 / ((1 - z * z) * dp * dp);
    sum += w * f(0.5 * ps * (1 - z)) * 0.5 * ps;
  }
  return sum;
}

describe("transitions() at K = 1000 and 10^4: defining properties flip across each value (Landau function)", () => {
  for (const act of ["relu", "sigmoid"] as const)
    for (const K of [1000, 10000]) {
      it(`${act} K = ${K}`, () => {
        const t = transitions({ activation: act, K });
        expect(t.status).toBe("ok");
        expect(t.kind).toBe("discontinuous");
        const { alphaS, alphaC, alphaInst, tolerances: tol } = t;
        // >= 7 significant digits each
        for (const x of [tol.alphaS!, tol.alphaC!, tol.alphaInst!]) expect(x).toBeLessThan(5e-8);
        // the order the theory gives (alpha_c may equal alpha_s within its tolerance)
        expect(alphaS!).toBeLessThanOrEqual(alphaC!);
        expect(alphaC!).toBeLessThan(alphaInst!);
        const L = landau(act, K);
        const spec = t.branches.alphaS.find((b) => b.label === "specialized")!;
        const pF = Math.sqrt(K) * (spec.R - spec.S);
        // upper end of the well: dG/dp > 0 there (3 pF, inside the domain p < sqrt(K))
        const pTop = Math.min(3 * pF, 0.9 * Math.sqrt(K));
        // k = 10 tolerances; the Landau check resolves dG/dp to ~1e-12 (its own rounding), which at
        // alpha_s needs |alpha - alpha_s| >~ 1e-13 relative: floor 1e-13
        const off = (x: number) => Math.max(10 * x, 1e-13);
        // alpha_s: min over p of dG/dp changes sign (a fold of the specialised minimum)
        const below = minDG((p) => L.dG(alphaS! * (1 - off(tol.alphaS!)), p), 0.5 * pF, 1.5 * pF);
        const above = minDG((p) => L.dG(alphaS! * (1 + off(tol.alphaS!)), p), 0.5 * pF, 1.5 * pF);
        expect(below.value, "no specialised minimum just below alpha_s").toBeGreaterThan(0);
        expect(above.value, "a specialised minimum just above alpha_s").toBeLessThan(0);
        // alpha_c: G(p*) - G(0) changes sign (below: no specialised minimum at all, or a higher one)
        const aCb = alphaC! * (1 - off(tol.alphaC!)), aCa = alphaC! * (1 + off(tol.alphaC!));
        const wb = minDG((p) => L.dG(aCb, p), 0.5 * pF, 1.5 * pF);
        if (wb.value < 0) expect(landauDrop((p) => L.dG(aCb, p), wb.p, pTop), "R = S global below alpha_c").toBeGreaterThan(0);
        const wa = minDG((p) => L.dG(aCa, p), 0.5 * pF, 1.5 * pF);
        expect(wa.value).toBeLessThan(0);
        expect(landauDrop((p) => L.dG(aCa, p), wa.p, pTop), "specialised global above alpha_c").toBeLessThan(0);
        // alpha_inst: d^2G/dp^2 at p = 0 from odd differences of dG/dp at p0 = 0.01 and 0.02,
        // Richardson-extrapolated (error O(p0^4) ~ 1e-8 of the quartic coefficient; dG/dp's rounding
        // ~1e-16 alpha sqrt(K) becomes ~1e-9 after dividing by p0): floor 1e-7 relative in alpha
        const offI = Math.max(10 * tol.alphaInst!, 1e-7), p0 = 0.01;
        const D = (a: number, p: number) => (L.dG(a, p) - L.dG(a, -p)) / (2 * p);
        const curv = (a: number) => (4 * D(a, p0) - D(a, 2 * p0)) / 3;
        expect(curv(alphaInst! * (1 - offI)), "R = S stable below alpha_inst").toBeGreaterThan(0);
        expect(curv(alphaInst! * (1 + offI)), "R = S unstable above alpha_inst").toBeLessThan(0);
        // the timing target (under 2 s) is measured in bench/targets.ts, not asserted here
      });
    }
});
