// Equilibrium theory of [O] (docs/theory.md section 5) against independent facts: K = 1 closed forms, random-student
// values, finite differences, brute-force grids, and the defining properties of alpha_s, alpha_c,
// alpha_inst checked with equilibrium() (multistart + continuation), not with the code that found them.
import { describe, expect, it } from "vitest";
import { equilibrium, freeEnergy, fullFreeEnergy, siteSymmetricParameters, siteSymmetryCheck, transitions } from "./helpers";
import { denseSpectrum, siteSymmetryCheckDense, symmetryBlockSpectrum } from "../src/equilibrium/siteSymmetry";
import { Reduced } from "../src/equilibrium/coordinates";

const acts = ["relu", "sigmoid"] as const;

/** Central differences of beta f in (R, S, C). */
function fdGradHess(act: (typeof acts)[number], K: number, alpha: number, x: number[], h: number) {
  const F = (y: number[]) => freeEnergy({ activation: act, K, alpha, R: y[0], S: y[1], C: y[2] }).freeEnergy!;
  const G = (y: number[]) => freeEnergy({ activation: act, K, alpha, R: y[0], S: y[1], C: y[2] }).gradient!;
  const g = [0, 1, 2].map((i) => {
    const p = [...x], m = [...x];
    p[i] += h;
    m[i] -= h;
    return (F(p) - F(m)) / (2 * h);
  });
  const H = [0, 1, 2].map((i) => {
    const p = [...x], m = [...x];
    p[i] += h;
    m[i] -= h;
    const gp = G(p), gm = G(m);
    return [0, 1, 2].map((j) => (gp[j] - gm[j]) / (2 * h));
  });
  return { g, H };
}

describe("freeEnergy: closed forms and finite differences", () => {
  it("random student R = S = C = 0: eps_g = 1/2 - 1/(2 pi) (ReLU), 1/3 (sigmoid), for any K", () => {
    for (const K of [1, 2, 3, 10, 1000, 100000]) {
      // the (K-1)-weighted terms cancel exactly at 0: agreement to rounding
      expect(Math.abs(freeEnergy({ activation: "relu", K, alpha: 1, R: 0, S: 0, C: 0 }).eg! - (0.5 - 1 / (2 * Math.PI)))).toBeLessThan(1e-15);
      expect(Math.abs(freeEnergy({ activation: "sigmoid", K, alpha: 1, R: 0, S: 0, C: 0 }).eg! - 1 / 3)).toBeLessThan(1e-15);
    }
  });
  it("eps_g equals the sum form of docs/theory.md section 5 (ReLU f(x) terms; sigmoid asin terms)", () => {
    const f = (x: number) => x / 4 + (Math.sqrt(1 - x * x) + x * Math.asin(x)) / (2 * Math.PI);
    for (const [K, R, S, C] of [[2, 0.5, 0.1, 0.2], [5, 0.7, -0.05, 0.03], [30, 0.3, 0.01, -0.01]]) {
      const relu = (1 / (2 * K)) * (K + (K * (K - 1)) / (2 * Math.PI) - 2 * K * f(R) + K * (K - 1) * f(C) - 2 * K * (K - 1) * f(S));
      const sig = 1 / 3 + ((K - 1) / Math.PI) * (Math.asin(C / 2) - 2 * Math.asin(S / 2)) - (2 / Math.PI) * Math.asin(R / 2);
      // regrouped ReLU form: same value to rounding of O(K) terms
      expect(Math.abs(freeEnergy({ activation: "relu", K, alpha: 1, R, S, C }).eg! - relu)).toBeLessThan(1e-14 * K);
      expect(Math.abs(freeEnergy({ activation: "sigmoid", K, alpha: 1, R, S, C }).eg! - sig)).toBeLessThan(1e-14 * K);
    }
  });
  it("K = 1: s = 1/2 ln(1 - R^2) and eps_g of docs/theory.md section 5", () => {
    for (const R of [-0.5, 0.1, 0.9]) {
      const r = freeEnergy({ activation: "relu", K: 1, alpha: 2, R });
      expect(Math.abs(r.entropy! - 0.5 * Math.log(1 - R * R))).toBeLessThan(1e-15);
      expect(Math.abs(r.eg! - ((2 - R) / 4 - (Math.sqrt(1 - R * R) + R * Math.asin(R)) / (2 * Math.PI)))).toBeLessThan(1e-15);
      const s = freeEnergy({ activation: "sigmoid", K: 1, alpha: 2, R });
      expect(Math.abs(s.eg! - (1 / 3 - (2 / Math.PI) * Math.asin(R / 2)))).toBeLessThan(1e-15);
    }
  });
  it("gradient and Hessian in (R, S, C) agree with central differences", () => {
    const pts: [number, number[]][] = [[2, [0.4, 0.1, 0.05]], [3, [0.6, 0.1, -0.1]], [10, [0.3, 0.05, 0.02]], [50, [0.5, 0.01, 0.001]]];
    for (const act of acts)
      for (const [K, x] of pts) {
        const r = freeEnergy({ activation: act, K, alpha: 3.7, R: x[0], S: x[1], C: x[2] });
        expect(r.inDomain).toBe(true);
        // h = 1e-6: truncation ~h^2 * third derivative, rounding ~1e-16 |F| / h; relative 1e-6 leaves
        // margin, except at K = 50 where the third S-derivative of ln b carries (K-1)^3 / b^3: 1e-5 there
        const { g, H } = fdGradHess(act, K, 3.7, x, 1e-6);
        const tolH = K >= 50 ? 1e-5 : 1e-6;
        const scale = Math.max(...r.gradient!.map(Math.abs), 1);
        r.gradient!.forEach((gi, i) => expect(Math.abs(gi - g[i]) / scale, `${act} K=${K} g${i}`).toBeLessThan(1e-6));
        const hs = Math.max(...r.hessian!.flat().map(Math.abs));
        r.hessian!.forEach((row, i) => row.forEach((hij, j) => expect(Math.abs(hij - H[i][j]) / hs, `${act} K=${K} H${i}${j}`).toBeLessThan(tolH)));
      }
  });
  it("the scaled coordinates of the solvers give the same beta f and gradient (g_x = J^T g_u)", () => {
    for (const act of acts)
      for (const [K, R, S, C] of [[2, 0.4, 0.1, 0.05], [7, 0.2, 0.05, 0.01], [10000, 0.5, 1e-5, 1e-5]]) {
        const red = new Reduced({ activation: act, K });
        const u = red.fromRSC(R, S, C);
        const g = new Float64Array(3), H = new Float64Array(9);
        const e = red.eval(1.3, u, g, H);
        const r = freeEnergy({ activation: act, K, alpha: 1.3, R, S, C });
        expect(Math.abs(e.F - r.freeEnergy!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.freeEnergy!)));
        const J = red.jacobianFromRSC();
        for (let k = 0; k < 3; k++) {
          const gx = J[0][k] * g[0] + J[1][k] * g[1] + J[2][k] * g[2];
          expect(Math.abs(gx - r.gradient![k])).toBeLessThan(1e-9 * Math.max(1, Math.abs(r.gradient![k])));
        }
      }
  });
  it("outside the domain: says so, no NaN; bad options throw naming the option", () => {
    const r = freeEnergy({ activation: "relu", K: 2, alpha: 1, R: 0.9, S: 0.9, C: 0 });
    expect(r.inDomain).toBe(false);
    expect(r.message).toMatch(/outside the domain.*b = .* <= 0/);
    expect(r.freeEnergy).toBeNull();
    expect(() => freeEnergy({ activation: "tanh" as never, K: 2, alpha: 1, R: 0 })).toThrow(/activation must be one of relu, sigmoid; got "tanh"/);
    expect(() => freeEnergy({ activation: "relu", K: 0, alpha: 1, R: 0 })).toThrow(RangeError);
    expect(() => freeEnergy({ activation: "relu", K: 2, alpha: -1, R: 0 })).toThrow(/alpha must be a finite number >= 0; got -1/);
    expect(() => equilibrium({ activation: "relu", K: 2, samples: 1 })).toThrow(/samples must be an integer >= 2/);
  });
});

describe("site symmetry: all K^2 + K(K-1)/2 order parameters", () => {
  it("full beta f equals the site-symmetric one; its gradient and Hessian agree with finite differences", () => {
    for (const act of acts)
      for (const K of [2, 3]) {
        const model = { activation: act, K };
        const th = siteSymmetricParameters(K, 0.5, 0.1, 0.05);
        const full = fullFreeEnergy(model, 2.5, th)!;
        const red = freeEnergy({ activation: act, K, alpha: 2.5, R: 0.5, S: 0.1, C: 0.05 }).freeEnergy!;
        expect(Math.abs(full.F - red)).toBeLessThan(1e-13);
        // a generic (not site-symmetric) point
        const x = Array.from(th, (v, i) => v + 0.03 * Math.sin(1.7 * i + 0.3));
        const n = x.length, h = 1e-5;
        for (let a = 0; a < n; a++) {
          const p = [...x], m = [...x];
          p[a] += h;
          m[a] -= h;
          const fp = fullFreeEnergy(model, 2.5, p)!, fm = fullFreeEnergy(model, 2.5, m)!;
          const f0 = fullFreeEnergy(model, 2.5, x)!;
          // central differences, h = 1e-5: truncation ~1e-10, rounding ~1e-11
          expect(Math.abs((fp.F - fm.F) / (2 * h) - f0.gradient[a])).toBeLessThan(1e-7);
          for (let b = 0; b < n; b++) expect(Math.abs((fp.gradient[b] - fm.gradient[b]) / (2 * h) - f0.hessian[a * n + b]), `${act} K=${K} H[${a}][${b}]`).toBeLessThan(1e-6);
        }
      }
  });
});

describe("K = 1 closed forms: stationarity alpha(R) and eps_g ~ 1/(2 alpha)", () => {
  const alphaRelu = (R: number) => (4 * Math.PI * R) / ((1 - R * R) * (Math.PI + 2 * Math.asin(R)));
  const alphaSig = (R: number) => (Math.PI * R * Math.sqrt(4 - R * R)) / (2 * (1 - R * R));
  it.each(acts)("%s: the minimum at alpha(R) sits at R", (act) => {
    const Rs = [0.1, 0.5, 0.9, 0.99];
    const alphas = Rs.map(act === "relu" ? alphaRelu : alphaSig);
    const r = equilibrium({ activation: act, K: 1, alphas });
    expect(r.branches.length).toBe(1);
    // Newton to rounding; the closed form is exact: 1e-10 absolute
    Rs.forEach((R, i) => expect(Math.abs(r.branches[0].R[i]! - R)).toBeLessThan(1e-10));
    const big = equilibrium({ activation: act, K: 1, alphas: [1e3, 1e4] });
    // eps_g = 1/(2 alpha) + O(alpha^-2): within 2 % at alpha = 1e3, 0.3 % at 1e4
    expect(Math.abs(big.branches[0].eg[0]! * 2e3 - 1)).toBeLessThan(0.02);
    expect(Math.abs(big.branches[0].eg[1]! * 2e4 - 1)).toBeLessThan(0.003);
  });
});

describe("equilibrium(): minima, brute force, continuity", () => {
  const cases = [["relu", 3, 9], ["sigmoid", 3, 45], ["relu", 2, 9]] as const;
  for (const [act, K, amax] of cases) {
    const r = equilibrium({ activation: act, K, alphaMax: amax, samples: 61 });
    it(`${act} K = ${K}: every minimum has zero gradient (finite differences) and a positive-definite Hessian`, () => {
      for (const b of r.branches)
        r.alpha.forEach((a, i) => {
          if (b.R[i] === null) return;
          const x = [b.R[i]!, b.S[i]!, b.C[i]!];
          const { g, H } = fdGradHess(act, K, a, x, 1e-6);
          // |dF/dx| ~ 1e-16 |F| / h ~ 1e-9 from rounding of the differences at h = 1e-6
          for (const gi of g) expect(Math.abs(gi), `${b.label} alpha=${a}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(b.freeEnergy[i]!)));
          // Cholesky of the finite-difference Hessian succeeds (positive definite)
          const L = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
          for (let j = 0; j < 3; j++) {
            let d = H[j][j];
            for (let k = 0; k < j; k++) d -= L[j][k] ** 2;
            expect(d, `${b.label} alpha=${a} pivot ${j}`).toBeGreaterThan(0);
            L[j][j] = Math.sqrt(d);
            for (let m = j + 1; m < 3; m++) {
              let s = H[m][j];
              for (let k = 0; k < j; k++) s -= L[m][k] * L[j][k];
              L[m][j] = s / L[j][j];
            }
          }
          expect(b.hessianEigenvalues[i]![0]).toBeGreaterThan(0);
        });
    });
    it(`${act} K = ${K}: a dense grid over (R, S, C) finds no point below the global minimum`, () => {
      for (const i of [10, 30, 45, 60]) {
        const a = r.alpha[i];
        const gmin = r.branches[r.global[i]].freeEnergy[i]!;
        // 60^3 grid over R, S in (-1, 1), C in (-1/(K-1), 1): spacing 0.033; a grid point next to
        // the minimum is above it by ~H/2 * 0.017^2 per direction, so the grid cannot go below
        let lo = Infinity;
        const n = 60;
        for (let p = 0; p < n; p++)
          for (let q = 0; q < n; q++)
            for (let s = 0; s < n; s++) {
              const R = -1 + (2 * (p + 0.5)) / n, S = -1 + (2 * (q + 0.5)) / n, C = -1 / (K - 1) + ((1 + 1 / (K - 1)) * (s + 0.5)) / n;
              const f = freeEnergy({ activation: act, K, alpha: a, R, S, C }).freeEnergy;
              if (f !== null && f < lo) lo = f;
            }
        // the reported global minimum is below every grid point (rounding margin 1e-12)
        expect(gmin, `alpha ${a}`).toBeLessThanOrEqual(lo + 1e-12);
        // and the grid gets within its resolution of it (it is the global one, not merely a local one)
        expect(lo - gmin).toBeLessThan(0.05);
      }
    });
    it(`${act} K = ${K}: branches are continuous in alpha`, () => {
      const step = r.alpha[1] - r.alpha[0];
      for (const b of r.branches)
        for (let i = 1; i < r.alpha.length; i++) {
          if (b.R[i] === null || b.R[i - 1] === null) continue;
          // |dR/dalpha| etc. stay below ~1 per unit alpha except near a fold (sqrt singularity):
          // allow 0.25 per grid step
          for (const k of ["R", "S", "C"] as const) expect(Math.abs(b[k][i]! - b[k][i - 1]!), `${b.label} ${k} at ${r.alpha[i]}`).toBeLessThan(Math.max(0.25, 2 * step));
        }
    });
  }
  it("sigmoid K = 3: the site-symmetry check runs and the stable minima have zero full gradient", () => {
    const r = equilibrium({ activation: "sigmoid", K: 3, alphas: [10, 40], siteSymmetry: true });
    expect(r.siteSymmetryChecked).toBe(true);
    for (const b of r.branches)
      b.siteSymmetry.forEach((s) => {
        if (!s) return;
        expect(s.parameters).toBe(12);
        // the site-symmetric stationary point is stationary in all 12 directions (symmetry)
        expect(s.maxGradient).toBeLessThan(1e-8);
      });
  });
});

describe("transitions(): defining properties checked with equilibrium()", () => {
  const globalLabel = (act: "relu" | "sigmoid", K: number, a: number) => {
    const r = equilibrium({ activation: act, K, alphas: [a] });
    return r.branches[r.global[0]].label;
  };
  const labelsAt = (act: "relu" | "sigmoid", K: number, alphas: number[]) => {
    const r = equilibrium({ activation: act, K, alphas });
    return alphas.map((_, i) => r.branches.filter((b) => b.R[i] !== null).map((b) => b.label));
  };
  for (const [act, K] of [["relu", 3], ["sigmoid", 3], ["sigmoid", 5], ["relu", 10]] as const) {
    it(`${act} K = ${K}: discontinuous; equal free energies at alpha_c, fold at alpha_s, instability at alpha_inst`, () => {
      const t = transitions({ activation: act, K });
      expect(t.status).toBe("ok");
      expect(t.kind).toBe("discontinuous");
      expect(t.alphaS!).toBeLessThan(t.alphaC!);
      expect(t.alphaC!).toBeLessThan(t.alphaInst!);
      // at alpha_c the two lowest minima have equal beta f (Brent to 1e-14 in alpha; the slope of
      // the difference is O(K eps_g), so 1e-9 relative is generous)
      const [a, b] = t.branches.alphaC;
      expect(Math.abs(a.freeEnergy - b.freeEnergy)).toBeLessThan(1e-9 * Math.abs(a.freeEnergy));
      expect(t.jump!).toBeGreaterThan(1e-3);
      // the global minimum changes label across alpha_c (1e-6 relative on either side)
      expect(globalLabel(act, K, t.alphaC! * (1 - 1e-6))).toBe("unspecialized");
      expect(globalLabel(act, K, t.alphaC! * (1 + 1e-6))).toBe("specialized");
      // fold: a specialised minimum just above alpha_s, none just below (backward continuation from
      // the upper point included)
      const [below, above] = labelsAt(act, K, [t.alphaS! * (1 - 1e-6), t.alphaS! * (1 + 1e-6)]);
      expect(above).toContain("specialized");
      expect(below).not.toContain("specialized");
      // alpha_inst: the R = S minimum exists just below, not just above
      const [ib, ia] = labelsAt(act, K, [t.alphaInst! * (1 - 1e-6), t.alphaInst! * (1 + 1e-6)]);
      expect(ib).toContain("unspecialized");
      expect(ia).not.toContain("unspecialized");
    });
  }
  for (const act of acts) {
    it(`${act} K = 2: continuous, |R - S| ~ (alpha - alpha_c)^(1/2)`, () => {
      const t = transitions({ activation: act, K: 2 });
      expect(t.kind).toBe("continuous");
      expect(t.alphaS).toBe(t.alphaC);
      expect(t.alphaC).toBe(t.alphaInst);
      // the fit over alpha - alpha_c in alpha_c [1e-6, 1e-3]: a square root to 1 %
      expect(Math.abs(t.exponent!.value - 0.5)).toBeLessThan(0.01);
      const [ib, ia] = labelsAt(act, 2, [t.alphaC! * (1 - 1e-5), t.alphaC! * (1 + 1e-5)]);
      expect(ib).toEqual(["unspecialized"]);
      expect(ia).toContain("specialized");
      expect(ia).not.toContain("unspecialized");
    });
  }
  it("K = 1 has no transition; large K runs to a result", () => {
    expect(transitions({ activation: "relu", K: 1 }).kind).toBe("none");
    const t = transitions({ activation: "sigmoid", K: 1000 });
    expect(t.status).toBe("ok");
    expect(t.alphaS!).toBeLessThan(t.alphaC!);
  });
});

describe("site symmetry: the Hessian's spectrum from its S_K symmetry blocks", () => {
  it("block eigenvalues (with the irreps' dimensions as multiplicities) equal the dense spectrum, K = 2..5", () => {
    let checked = 0;
    for (const act of acts)
      for (const K of [2, 3, 4, 5])
        for (const [alpha, R, S, C] of [[2.5, 0.5, 0.1, 0.05], [40, 0.7, -0.1, 0.1], [7, 0.1, 0.1, 0.2]]) {
          // any site-symmetric point (stationary or not): the symmetry is that of the point
          const model = { activation: act, K };
          const full = fullFreeEnergy(model, alpha, siteSymmetricParameters(K, R, S, C));
          if (!full) continue;
          checked++;
          const n = full.gradient.length;
          const dense = denseSpectrum(full.hessian, n);
          const blocks = symmetryBlockSpectrum(K, full.hessian).flatMap((e) => Array.from({ length: e.multiplicity }, () => e.value)).sort((x, y) => x - y);
          expect(blocks.length).toBe(n);
          const top = Math.max(...dense.map(Math.abs));
          // both to rounding of a 5..35-dimensional symmetric eigenproblem: 1e-11 of the largest eigenvalue
          dense.forEach((d, i) => expect(Math.abs(blocks[i] - d), `${act} K=${K} alpha=${alpha} #${i}`).toBeLessThan(1e-11 * top));
          // the summaries agree
          const a = siteSymmetryCheck(model, alpha, R, S, C)!, b = siteSymmetryCheckDense(model, alpha, R, S, C)!;
          expect(a.negative).toBe(b.negative);
          expect(a.stable).toBe(b.stable);
        }
    expect(checked).toBe(24);
  });
});
