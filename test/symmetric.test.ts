// The site-symmetric ODE and its Jacobian blocks (docs/theory.md section 11) against the full
// ODE: the same trajectory from a site-symmetric start (the full ODE's right-hand side is a
// different code path: K^2 (K + M)^2 averages on the whole covariance, no class counting), and
// the block eigenvalues against the dense Jacobian of the full ODE.
import { describe, expect, it } from "vitest";
import { centralJacobian, integrate, integrateSymmetric, OrderParameterSystem, type Activation, matrix, spectrumDistance } from "./helpers";
import { eigenvaluesOf, symmetryBlocks } from "../src/symmetric/blocks";
import { resolveSymmetricSetting } from "../src/symmetric/options";
import { boundaryJacobian } from "../src/fixedpoints/jacobian";
import type { Eigenvalue } from "../src/fixedpoints/stability";


describe("integrateSymmetric equals the full ODE started in the same site-symmetric state", () => {
  // Same integrator and steps (RK4, step 0.1 to alpha = 10: 400 right-hand sides), so the two
  // trajectories differ only by the rounding of the two right-hand sides. Observed: <= 2e-14
  // relative to each quantity's largest value on the trajectory; a wrong count or a missing class
  // changes the rates by O(1e-2) relative (e.g. K - 2 for K - 1 in one class moves Q(10) by ~1e-2).
  type Case = { act: Activation; teacher?: Activation; K: number; v: number; vStar: number; t: number };
  const cases: Case[] = [];
  for (const act of ["erf", "relu", "linear"] as const) {
    cases.push({ act, K: 2, v: 1, vStar: 1, t: 1 }, { act, K: 3, v: 1, vStar: 1, t: 1.3 }, { act, K: 4, v: 0.5, vStar: 0.8, t: 1 }, { act, K: 6, v: 0.4, vStar: 0.5, t: 1.2 });
  }
  // student/teacher mismatch (the averages with a teacher factor go through the mixed kernels)
  for (const [act, teacher] of [["erf", "relu"], ["relu", "linear"], ["linear", "erf"], ["erf", "linear"]] as const) cases.push({ act, teacher, K: 3, v: 0.7, vStar: 1, t: 1 });
  cases.push({ act: "relu", teacher: "erf", K: 2, v: 1, vStar: 0.9, t: 1 });
  for (const c of cases) {
    for (const eta of [0.1, 1]) {
      it(`${c.act}${c.teacher ? "/" + c.teacher : ""}, K = ${c.K}, v = ${c.v}, v* = ${c.vStar}, t = ${c.t}, eta = ${eta}`, () => {
        const [Q0, C0, R0, S0] = [0.4, 0.1, 0.2, 0.05];
        const common = { activation: c.act, teacherActivation: c.teacher ?? c.act, learningRate: eta, alphaMax: 10, samples: 11, step: 0.1 };
        const full = integrate({ ...common, T: matrix(c.K, c.t, 0), Q0: matrix(c.K, Q0, C0), R0: matrix(c.K, R0, S0), v: new Array(c.K).fill(c.v), vStar: new Array(c.K).fill(c.vStar) });
        const sym = integrateSymmetric({ ...common, K: c.K, T: c.t, v: c.v, vStar: c.vStar, Q0, C0, R0, S0 });
        expect(sym.status).toBe(full.status);
        expect(sym.alpha.length).toBe(full.alpha.length);
        expect(sym.alpha.length).toBeGreaterThan(1);
        const series = {
          Q: [sym.Q, full.Q.map((q) => q[0][0])], C: [sym.C, full.Q.map((q) => q[0][1])],
          R: [sym.R, full.R.map((r) => r[0][0])], S: [sym.S, full.R.map((r) => r[1][0])], eg: [sym.eg, Array.from(full.eg)],
        } as const;
        for (const [name, [a, b]] of Object.entries(series)) {
          const scale = Math.max(...Array.from(b, Math.abs));
          for (let s = 0; s < a.length; s++) expect(Math.abs(a[s] - b[s]), `${name} at alpha = ${sym.alpha[s]}`).toBeLessThanOrEqual(1e-10 * scale);
        }
        // the full trajectory stays site-symmetric (a check of the comparison itself)
        const last = full.Q.length - 1;
        expect(Math.abs(full.Q[last][c.K - 1][c.K - 1] - full.Q[last][0][0])).toBeLessThan(1e-12 * Math.abs(full.Q[last][0][0]) + 1e-300);
      });
    }
  }
});

describe("block eigenvalues equal the dense Jacobian's eigenvalues of the full ODE", () => {
  // The dense Jacobian: central differences with Richardson extrapolation on the full ODE (all
  // K(K+1)/2 + K^2 coordinates; error estimates ~1e-12). Blocks: reduced ODEs with 0, 1, 2
  // labels singled out. Each block eigenvalue counted with the dimension of its representation
  // must reproduce the whole spectrum; observed agreement ~1e-12 (a wrong block or multiplicity
  // leaves eigenvalues unmatched by O(1e-2)).
  const states: { act: Activation; y: [number, number, number, number]; eta: number }[] = [
    { act: "erf", y: [0.5, 0.1, 0.3, 0.05], eta: 0.7 },
    { act: "relu", y: [0.5, 0.1, 0.3, 0.05], eta: 0.7 },
  ];
  for (const s of states) {
    for (const K of [2, 3, 4, 5, 6]) {
      if (s.act === "relu" && K === 6) continue;
      it(`${s.act}, K = ${K}, (Q, C, R, S) = (${s.y.join(", ")}), eta = ${s.eta}`, () => {
        const [Q, C, R, S] = s.y;
        const sys = new OrderParameterSystem({ activation: s.act, T: matrix(K, 1, 0), Q0: matrix(K, Q, C), R0: matrix(K, R, S) });
        const u = sys.pack(matrix(K, Q, C), matrix(K, R, S));
        const dense = centralJacobian((x) => sys.rhs(x, s.eta), u, 1e-3);
        const b = symmetryBlocks(resolveSymmetricSetting({ activation: s.act, K }), s.y, s.eta);
        const fromBlocks = b.blocks.flatMap((bl) => bl.eigenvalues.flatMap((e) => new Array<Eigenvalue>(bl.multiplicity).fill(e)));
        expect(fromBlocks.length).toBe(sys.D);
        expect(spectrumDistance(fromBlocks, eigenvaluesOf(dense.J))).toBeLessThan(1e-9);
      });
    }
  }
});

describe("statuses", () => {
  it("a trajectory that grows without bound stops with status 'diverged', finite output and the alpha where it was detected", () => {
    // relu, K = 100, eta = 1: the student norms explode within the first steps (eta K >> 1)
    const r = integrateSymmetric({ activation: "relu", K: 100, learningRate: 1, alphaMax: 100, samples: 101 });
    expect(r.status).toBe("diverged");
    expect(r.stats.alphaReached).toBeLessThan(1);
    for (const a of [r.eg, r.Q, r.C, r.R, r.S]) for (const x of a) expect(Number.isFinite(x)).toBe(true);
    expect(r.message).toMatch(/diverged at alpha/);
  });
  it("convergenceTolerance stops at perfect learning with status 'converged' (erf, K = 50, from a specialised start)", () => {
    const r = integrateSymmetric({ activation: "erf", K: 50, learningRate: 1 / 50, Q0: 0.8, C0: 0, R0: 0.8, S0: 0, alphaMax: 1e5, samples: 11, integrator: "adaptive", convergenceTolerance: 1e-12 });
    expect(r.status).toBe("converged");
    const last = r.alpha.length - 1;
    expect(Math.abs(r.Q[last] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(r.R[last] - 1)).toBeLessThan(1e-8);
    // eps_g is quadratic in the distance to perfect learning (rates ~1e-12 leave ~1e-9 of eps_g(0) ~ 1)
    expect(r.eg[last]).toBeLessThan(1e-8 * r.eg[0]);
  });
});
