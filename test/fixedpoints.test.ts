// Fixed points, continuation and learning-rate regimes (docs/theory.md section 4), each checked against an
// independent method: closed forms (normal-form fold), ODE integration, permutation symmetry,
// finite differences at other steps, Newton at the sides of a reported threshold.
import { describe, expect, it } from "vitest";
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition, solve } from "ml-matrix";
import { bisectThreshold, centralJacobian, continueBranch, continueFixedPoint, etaSweep, fixedPoints, integrate, learningRateRegimes, OrderParameterSystem } from "./helpers";
import { symmetricReduction } from "../src/fixedpoints/symmetric";
import { solveFixedPoint } from "../src/fixedpoints/fixedPoints";
import { eigenvectorFor } from "../src/fixedpoints/stability";

const ref = new OrderParameterSystem({});
const T = [[1, 0], [0, 2]];

/**
 * The fold by a method that shares nothing with the continuation: the plateau branch
 * parametrised by q = Q_11 (natural parameter) instead of arclength, eta(q) from Newton on the
 * other three symmetric coordinates and eta (finite-difference Jacobian, central, h = 1e-6), and
 * the fold as the maximum of eta(q) by golden-section search. eta(q) ~ eta_f - 0.06 (q - q_f)^2
 * and is known to ~1e-15, so the maximum is located to ~1e-14 in eta (measured agreement with
 * the continuation: 4e-16). The continuation's fold is only the starting guess.
 */
function foldByNaturalParameter(guess: { value: number; Q: number[][]; R: number[][] }): number {
  const lift = (y: number[]) => Float64Array.of(y[0], y[1], y[0], y[2], y[3], y[2], y[3]);
  const G = (y: number[], eta: number) => { const f = ref.rhs(lift(y), eta); return [f[0], f[1], f[3], f[4]]; };
  const y0 = [guess.Q[0][0], guess.Q[0][1], guess.R[0][0], guess.R[0][1]];
  let xs = [y0[1], y0[2], y0[3], guess.value]; // unknowns: c, r1, r2, eta at fixed q
  const etaAt = (q: number): number => {
    const res = (x: number[]) => G([q, x[0], x[1], x[2]], x[3]);
    let x = [...xs];
    for (let it = 0; it < 30; it++) {
      const g = res(x);
      const J = [0, 1, 2, 3].map((j) => {
        const hj = 1e-6 * Math.max(1, Math.abs(x[j]));
        const up = res(x.map((v, i) => (i === j ? v + hj : v))), dn = res(x.map((v, i) => (i === j ? v - hj : v)));
        return up.map((v, i) => (v - dn[i]) / (2 * hj)); // column j
      });
      const dx = solve(new Matrix(g.map((_, i) => J.map((col) => col[i]))), Matrix.columnVector(g.map((v) => -v))).to1DArray();
      x = x.map((v, i) => v + dx[i]);
      if (Math.max(...dx.map(Math.abs)) < 1e-14) break;
    }
    expect(Math.max(...res(x).map(Math.abs))).toBeLessThan(1e-13);
    xs = x;
    return x[3];
  };
  let a = y0[0] - 0.01, b = y0[0] + 0.01;
  const gr = (Math.sqrt(5) - 1) / 2;
  let c = b - gr * (b - a), d = a + gr * (b - a), fc = etaAt(c), fd = etaAt(d);
  for (let i = 0; i < 60; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - gr * (b - a);
      fc = etaAt(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + gr * (b - a);
      fd = etaAt(d);
    }
  }
  return Math.max(fc, fd);
}
let foldMemo: number | undefined;
/** The fold of the reference setting's plateau branch by foldByNaturalParameter (computed once). */
function independentFold(guess: () => { value: number; Q: number[][]; R: number[][] }): number {
  if (foldMemo === undefined) foldMemo = foldByNaturalParameter(guess());
  return foldMemo;
}

describe("Jacobian", () => {
  it("central Richardson Jacobian matches a closed form to its error estimate", () => {
    // F(x, y) = (sin x * y, exp(x) - y^3): J known exactly
    const f = (u: Float64Array) => Float64Array.of(Math.sin(u[0]) * u[1], Math.exp(u[0]) - u[1] ** 3);
    const u = Float64Array.of(0.7, 1.3);
    const j = centralJacobian(f, u);
    const exact = [[Math.cos(0.7) * 1.3, Math.sin(0.7)], [Math.exp(0.7), -3 * 1.69]];
    const err = Math.max(...j.J.flatMap((r, i) => r.map((x, k) => Math.abs(x - exact[i][k]))));
    expect(err).toBeLessThan(1e-11); // h^4 truncation (~1e-12) and rounding 1e-16/h
    expect(j.errorEstimate).toBeLessThan(1e-9);
  });
  it("at the plateau the ODE Jacobian agrees with plain central differences at a different step", () => {
    const r = fixedPoints({ learningRate: 1, symmetric: true, multiStart: 0 });
    const p = r.fixedPoints[0];
    const plain = centralJacobian((u) => ref.rhs(u, 1), Float64Array.from(p.u), 2e-6); // independent step
    const diff = Math.max(...p.jacobian.flatMap((row, i) => row.map((x, k) => Math.abs(x - plain.J[i][k]))));
    // plain central difference at h = 2e-6: truncation ~h^2 = 4e-12, rounding ~1e-16/h = 5e-11
    expect(diff).toBeLessThan(1e-9);
    expect(p.jacobianError).toBeLessThan(1e-10);
  });
});

describe("fixedPoints", () => {
  const r = fixedPoints({ learningRate: 1, multiStart: 8, seed: 3 });
  it("finds perfect learning (both assignments) with ~0 residual and eps_g = 0, stable at eta = 1", () => {
    const perfect = r.fixedPoints.filter((p) => p.eg < 1e-12);
    expect(perfect.length).toBe(2);
    for (const p of perfect) {
      expect(p.residual).toBeLessThan(1e-14);
      expect(p.stability).toBe("stable");
    }
  });
  it("every reported fixed point has max |F| <= 1e-12 (recomputed through the public right-hand side)", () => {
    for (const p of r.fixedPoints) expect(Math.max(...ref.rhs(p.u, 1).map(Math.abs))).toBeLessThan(1e-12);
  });
  it("the plateau is a saddle with one unstable direction, stable inside the symmetric subspace", () => {
    const plateau = r.fixedPoints.find((p) => p.symmetric && p.eg > 0.1)!;
    expect(plateau.stability).toBe("saddle");
    expect(plateau.unstableDirections).toBe(1);
    expect(plateau.symmetricEigenvalues!.every((l) => l.re < 0)).toBe(true);
  });
  it("permuting the student units maps fixed points to fixed points", () => {
    for (const p of r.fixedPoints) {
      const Q = [[p.Q[1][1], p.Q[1][0]], [p.Q[0][1], p.Q[0][0]]];
      const R = [p.R[1], p.R[0]];
      expect(Math.max(...ref.rhs(ref.pack(Q, R), 1).map(Math.abs))).toBeLessThan(1e-12);
    }
  });
  it("integrating from the stable fixed point stays there; from the saddle +- eps * unstable eigenvector leaves it", () => {
    const perfect = r.fixedPoints.find((p) => p.eg < 1e-12)!;
    // integrate() wants a positive definite C0; at perfect learning C is singular, so the resident trajectory
    const stay = ref.trajectory(ref.pack(perfect.Q, perfect.R), 1, { integrator: "rk4", step: 0.01, rtol: 1e-10, atol: 1e-12, maxSteps: 1e6, alphaMax: 50, convergenceTolerance: 0, divergenceBound: 1e6 });
    expect(stay.status).toBe("completed");
    expect(Math.max(...Array.from(stay.u, (x, i) => Math.abs(x - perfect.u[i])))).toBeLessThan(1e-9);
    const saddle = r.fixedPoints.find((p) => p.stability === "saddle")!;
    const lambda = saddle.eigenvalues[0].re;
    const v = eigenvectorFor(saddle.jacobian, lambda);
    for (const sign of [1, -1]) {
      const u0 = saddle.u.map((x, i) => x + sign * 1e-6 * v[i]);
      const { Q, R } = ref.unpack(u0);
      const run = integrate({ T, Q0: Q, R0: R, alphaMax: 150, samples: 151, integrator: "adaptive" });
      // the distance grows like e^(lambda alpha) until it is O(1)
      const d = (s: number) => Math.max(...ref.pack(run.Q[s], run.R[s]).map((x, i) => Math.abs(x - saddle.u[i])));
      expect(d(60)).toBeGreaterThan(1e-6 * Math.exp(lambda * 60) * 0.1);
      expect(d(run.alpha.length - 1)).toBeGreaterThan(0.05);
    }
  });
  it("the plateau saddle at eta = 1 is where the symmetric trajectory settles (RK4 on the reduced field)", () => {
    // Independent of Newton: integrate the ODE restricted to the symmetric subspace (Q_11 = Q_22 = q,
    // Q_12 = c, R_1n = R_2n = r_n; invariant, and the plateau attracts inside it: symmetric
    // eigenvalues <= -0.30) from q = 0.15, c = 0, r = 1e-3 with RK4 (step 0.05) to alpha = 150, where
    // the distance has decayed by e^-45. The reported saddle must agree to 1e-10 in every entry and
    // in eps_g (the eps_g of this plateau is printed by the page and the README: 0.228863).
    const plateau = r.fixedPoints.find((p) => p.stability === "saddle" && p.symmetric)!;
    const lift = (y: number[]) => Float64Array.of(y[0], y[1], y[0], y[2], y[3], y[2], y[3]);
    const G = (y: number[]) => { const f = ref.rhs(lift(y), 1); return [f[0], f[1], f[3], f[4]]; };
    let y = [0.15, 0, 1e-3, 1e-3];
    const h = 0.05;
    for (let n = 0; n < 3000; n++) {
      const k1 = G(y), k2 = G(y.map((x, i) => x + (h / 2) * k1[i])), k3 = G(y.map((x, i) => x + (h / 2) * k2[i])), k4 = G(y.map((x, i) => x + h * k3[i]));
      y = y.map((x, i) => x + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }
    expect(Math.max(...G(y).map(Math.abs))).toBeLessThan(1e-12);
    expect(Math.max(...Array.from(lift(y), (x, i) => Math.abs(x - plateau.u[i])))).toBeLessThan(1e-10);
    const eg = ref.eg(lift(y));
    expect(Math.abs(plateau.eg - eg)).toBeLessThan(1e-10);
  });
  it("one fixed point with eigenvalues from one guess (its time, target < 50 ms, in bench/targets.ts)", () => {
    const one = fixedPoints({ learningRate: 1, symmetric: true, multiStart: 0, builtInStarts: false, guesses: [{ Q: [[1.3, 0.5], [0.5, 1.3]], R: [[0.45, 1], [0.45, 1]] }] });
    expect(one.fixedPoints.length).toBe(1);
  });
  it("rejects bad options with the option's name", () => {
    expect(() => fixedPoints({ multiStart: -1 })).toThrow(/multiStart must be an integer >= 0/);
    expect(() => fixedPoints({ learningRate: 0 })).toThrow(/learningRate must be a finite number > 0/);
    expect(() => fixedPoints({ guesses: [{ Q: [[1]], R: [[1, 0], [0, 1]] }] })).toThrow(/guesses\[0\]\.Q must have 2 rows/);
  });
});

describe("identical students (docs/theory.md section 4)", () => {
  it("the reference setting has a fixed point with identical student vectors, and it repels", () => {
    const r = fixedPoints({ learningRate: 1, multiStart: 0 });
    const p = r.fixedPoints.find((f) => Math.abs(f.Q[0][1] - f.Q[0][0]) < 1e-12 && Math.abs(f.Q[1][1] - f.Q[0][0]) < 1e-12);
    expect(p, "identical-students fixed point").toBeDefined();
    expect(p!.residual).toBeLessThan(1e-12);
    for (let n = 0; n < 2; n++) expect(Math.abs(p!.R[0][n] - p!.R[1][n])).toBeLessThan(1e-12);
    // independent of the Jacobian (not differentiable across this singular point): students
    // w +- 1e-2 u (u orthogonal to w and the teachers) leave it; eps_g falls far below its value
    const q = p!.Q[0][0], e2 = 1e-4;
    const run = integrate({
      learningRate: 1, T: [[1, 0], [0, 2]], Q0: [[q + e2, q - e2], [q - e2, q + e2]], R0: p!.R,
      alphaMax: 400, samples: 2, integrator: "adaptive",
    });
    expect(run.eg[1]).toBeLessThan(0.01 * p!.eg);
  });
});

describe("perfect learning", () => {
  it("exists for every eta (F = 0 exactly) and its Jacobian agrees with a one-sided difference and with the Jacobian at half the step", () => {
    for (const eta of [0.3, 1, 1.25]) {
      const u = ref.pack(T, T);
      expect(Math.max(...ref.rhs(u, eta).map(Math.abs))).toBeLessThan(1e-15);
    }
    // an independent estimate: J applied to a valid direction d (moving student 1 inside the span, and adding an
    // orthogonal component) equals (F(u(t)) - F(u*)) / t as t -> 0, checked at t = 1e-4 against J d
    const r = fixedPoints({ learningRate: 1, multiStart: 0 });
    const p = r.fixedPoints.find((x) => x.eg < 1e-12 && x.Q[0][0] === 1)!;
    const t = 1e-4;
    // orthogonal direction: Q_11 += t (student 1 gains a component orthogonal to everything)
    const u = Float64Array.from(p.u);
    const up = Float64Array.from(u); up[0] += t;
    const fd = ref.rhs(up, 1).map((x) => x / t);
    const Jd = p.jacobian.map((row) => row[0]);
    // the one-sided difference carries the t^(1/2) term (|c| ~ 0.1 here): agreement to ~1e-3 * 3
    expect(Math.max(...Jd.map((x, i) => Math.abs(x - fd[i])))).toBeLessThan(3e-3);
    // and the eigenvalues match those of the Jacobian built with half the base step, within its error estimate
    const r2 = fixedPoints({ learningRate: 1, multiStart: 0, jacobianStep: 5e-4 });
    const p2 = r2.fixedPoints.find((x) => x.eg < 1e-12 && x.Q[0][0] === 1)!;
    p.eigenvalues.forEach((l, i) => expect(Math.abs(l.re - p2.eigenvalues[i].re)).toBeLessThan(1e-3));
  });
});

describe("continuation", () => {
  it("finds the fold of the normal form dx/dt = eta - x^2 at eta = 0 to 1e-12", () => {
    const c = continueBranch({ n: 1, G: (x, p) => Float64Array.of(p - x[0] * x[0]) }, [1], 1, { direction: -1, ds: 0.1 });
    expect(c.folds.length).toBe(1);
    expect(Math.abs(c.folds[0].p)).toBeLessThan(1e-12);
    expect(Math.abs(c.folds[0].x[0])).toBeLessThan(1e-6); // x ~ sqrt(p error)
  });
  it("finds a known fold in a 2-d system (x' = eta - x^2 - y^2 + x y, y' = x - 2 y): eta_fold = 0 on the branch through the origin", () => {
    // on y = x/2: eta = x^2 (1 + 1/4 - 1/2) = 0.75 x^2, fold at x = 0, eta = 0
    const c = continueBranch({ n: 2, G: (x, p) => Float64Array.of(p - x[0] ** 2 - x[1] ** 2 + x[0] * x[1], x[0] - 2 * x[1]) }, [1, 0.5], 0.75, { direction: -1, ds: 0.05 });
    expect(Math.abs(c.folds[0].p)).toBeLessThan(1e-12);
  });
  const b = continueFixedPoint({ learningRate: 0.5, stability: false });
  const fold = b.folds[0];
  it("the plateau branch's fold equals the maximum of eta along the branch parametrised by Q_11; the reduced Jacobian is singular there", () => {
    // tolerance 1e-11: the continuation's own accuracy estimate (smallest singular value ~5e-11
    // in eta); regula falsi stopped early or a tangent sign test off by one step would move it by
    // >= 1e-8 (the branch's points are ~1e-2 apart in eta)
    expect(Math.abs(fold.value - independentFold(() => fold))).toBeLessThan(1e-11);
    // independent: plain central differences of the reduced field at the fold (h = 1e-6)
    const red = symmetricReduction(ref);
    const y = red.project(ref.pack(fold.Q, fold.R));
    const J = centralJacobian((z) => red.rhs(z, fold.value), y, 1e-6).J;
    const sv = new SingularValueDecomposition(new Matrix(J)).diagonal;
    // the fold's Jacobian error (~1e-10 from h = 1e-6 differences) bounds the smallest singular value;
    // the others are O(0.1)
    expect(Math.min(...sv)).toBeLessThan(1e-8);
    expect(sv.filter((s) => s > 1e-2).length).toBe(sv.length - 1);
  });
  it("two plateau fixed points exist just below the fold, none just above (Newton and integration)", () => {
    const red = symmetricReduction(ref);
    const uf = ref.pack(fold.Q, fold.R);
    // below: the branch and its partner are x_f -+ c sqrt(eta_f - eta) apart along the null vector
    const below = fold.value - 1e-4;
    const yF = red.project(uf);
    const J = centralJacobian((z) => red.rhs(z, fold.value), yF, 1e-4).J;
    const evd = new EigenvalueDecomposition(new Matrix(J));
    const k = evd.realEigenvalues.map(Math.abs).indexOf(Math.min(...evd.realEigenvalues.map(Math.abs)));
    const v = evd.eigenvectorMatrix.getColumn(k);
    const found = [1, -1].map((s) => solveFixedPoint(ref, red.lift(yF.map((x, i) => x + s * 0.02 * v[i])), below, 1e-13, red));
    expect(found[0]).not.toBeNull();
    expect(found[1]).not.toBeNull();
    expect(Math.max(...found[0]!.u.map((x, i) => Math.abs(x - found[1]!.u[i])))).toBeGreaterThan(1e-3);
    // above: Newton from the fold point fails, and the symmetric trajectory does not settle near it
    expect(solveFixedPoint(ref, uf, fold.value + 1e-4, 1e-13, red)).toBeNull();
    const run = ref.trajectory(uf, fold.value + 1e-3, { integrator: "adaptive", step: 0.01, rtol: 1e-10, atol: 1e-12, maxSteps: 1e6, alphaMax: 3000, convergenceTolerance: 1e-10, divergenceBound: 1e6 });
    expect(run.status).not.toBe("converged");
  });
});

describe("learningRateRegimes (reference setting)", () => {
  const r = learningRateRegimes({});
  const u0 = ref.pack([[0.1, 0], [0, 0.2]], [[1e-3, 0], [0, 1e-3]]);
  const traj = (eta: number, monitor: boolean, rtol = 1e-10) => ref.trajectory(u0, eta, { integrator: "adaptive", step: 0.01, rtol, atol: 1e-12, maxSteps: 1e7, alphaMax: 1e6, convergenceTolerance: 1e-9, divergenceBound: 1e6 }, monitor ? { egFloor: 1e-8, slopeTolerance: 1e-9, maxStep: 0 } : undefined);
  it("all four thresholds to 1e-7, each with value, bracket and definition (time: bench/targets.ts)", () => {
    // the bisections stop at width <= precision, the value is the bracket's midpoint; the fold's
    // bracket is value -+ precision, where its defining property was checked (a bisection that
    // stopped at twice its precision, width 1.2e-7 > 1e-7 here, fails)
    for (const k of ["etaNonmonotonic", "etaDivergence", "etaPerfectStable"] as const) {
      const t = r[k]!;
      expect(t.bracket![1] - t.bracket![0], k).toBeLessThanOrEqual(1e-7);
      expect(t.bracket![1] - t.bracket![0], k).toBeGreaterThan(0);
      expect(t.value, k).toBe(0.5 * (t.bracket![0] + t.bracket![1]));
    }
    expect(r.etaFold!.bracket).toEqual([r.etaFold!.value! - 1e-7, r.etaFold!.value! + 1e-7]);
    for (const k of ["etaNonmonotonic", "etaFold", "etaDivergence", "etaPerfectStable"] as const) expect(r[k]!.definition.length).toBeGreaterThan(20);
    // ordering seen in [E]: non-monotonic curves first, then the fold, then divergence
    expect(r.etaNonmonotonic!.value!).toBeLessThan(r.etaFold!.value!);
    expect(r.etaFold!.value!).toBeLessThan(r.etaDivergence!.value!);
  });
  it("etaNonmonotonic: eps_g monotonic at value - 2 precision, rises at value + 2 precision; same with rtol 1e-12 and with RK4", () => {
    const v = r.etaNonmonotonic!.value!;
    expect(traj(v - 2e-7, true).status).toBe("converged");
    expect(traj(v + 2e-7, true).status).toBe("eg-rise");
    // step independence: tighter tolerance decides the same at +-1e-6
    expect(traj(v - 1e-6, true, 1e-12).status).toBe("converged");
    expect(traj(v + 1e-6, true, 1e-12).status).toBe("eg-rise");
    // and a fixed-step RK4 run (h = 0.01) sees the rise within 1e-5 (stopping at the rise keeps it short)
    const rk4 = (eta: number) => ref.trajectory(u0, eta, { integrator: "rk4", step: 0.01, rtol: 1e-10, atol: 1e-12, maxSteps: 1e7, alphaMax: 20, convergenceTolerance: 1e-9, divergenceBound: 1e6 }, { egFloor: 1e-8, slopeTolerance: 1e-9, maxStep: 0 });
    expect(rk4(v + 1e-5).status).toBe("eg-rise");
    expect(rk4(v - 1e-5).status).toBe("completed"); // no rise up to alpha = 20 (the rise sits near alpha = 4)
  });
  it("etaNonmonotonic: the rise is real (eps_g sampled by integrate() increases at v + 1e-4, not at v - 1e-4)", () => {
    const v = r.etaNonmonotonic!.value!;
    const rise = (eta: number) => {
      const c = integrate({ learningRate: eta, alphaMax: 12, samples: 12001 });
      let m = -Infinity;
      for (let s = 1; s < c.eg.length; s++) m = Math.max(m, c.eg[s] - c.eg[s - 1]);
      return m;
    };
    expect(rise(v + 1e-4)).toBeGreaterThan(0);
    expect(rise(v - 1e-4)).toBeLessThan(0);
  });
  it("etaDivergence: converges at value - 2 precision, diverges at value + 2 precision; same with rtol 1e-12", () => {
    const v = r.etaDivergence!.value!;
    expect(traj(v - 2e-7, false).status).toBe("converged");
    expect(traj(v + 2e-7, false).status).toBe("diverged");
    expect(traj(v - 1e-6, false, 1e-12).status).toBe("converged");
    expect(traj(v + 1e-6, false, 1e-12).status).toBe("diverged");
  });
  it("etaFold: the maximum of eta along the plateau branch (independent of the continuation), to 1e-11", () => {
    expect(Math.abs(r.etaFold!.value! - independentFold(() => continueFixedPoint({ learningRate: 0.5, stability: false }).folds[0]))).toBeLessThan(1e-11);
    expect(r.etaFold!.message).toMatch(/checked: Newton converges/);
  });
  it("etaPerfectStable: stable below, unstable above (eigenvalues), and trajectories near u* decay / grow at -+ 1%", () => {
    const v = r.etaPerfectStable!.value!;
    // the Jacobian's error (~2e-5 per entry at the singular point, see README) limits this to ~1e-4
    expect(r.etaPerfectStable!.accuracy!).toBeLessThan(2e-4);
    // independent: integrate from a small valid perturbation of u* (student 1 gains an orthogonal component)
    const u = ref.pack(T, T);
    u[0] += 1e-6; // Q_11 += 1e-6: valid (C stays semidefinite)
    const dist = (eta: number) => {
      const o = ref.trajectory(u, eta, { integrator: "adaptive", step: 0.01, rtol: 1e-10, atol: 1e-14, maxSteps: 1e6, alphaMax: 2000, convergenceTolerance: 0, divergenceBound: 1e6 });
      return Math.max(...o.u.map((x, i) => Math.abs(x - ref.pack(T, T)[i])));
    };
    expect(dist(v * 0.99)).toBeLessThan(1e-7);
    expect(dist(v * 1.01)).toBeGreaterThan(1e-5);
  });
});

describe("helpers", () => {
  it("bisectThreshold finds a known threshold to the requested precision", () => {
    const b = bisectThreshold((x) => x > Math.PI / 3, 1, 1e-9)!;
    expect(b.lo).toBeLessThanOrEqual(Math.PI / 3);
    expect(b.hi).toBeGreaterThan(Math.PI / 3);
    expect(b.hi - b.lo).toBeLessThanOrEqual(1e-9);
  });
  it("etaSweep returns one integrate() curve per learning rate", () => {
    const s = etaSweep({ learningRates: [0.5, 1.5], alphaMax: 40, samples: 5 });
    expect(s.curves.length).toBe(2);
    expect(Array.from(s.curves[0].eg)).toEqual(Array.from(integrate({ learningRate: 0.5, alphaMax: 40, samples: 5 }).eg));
    expect(s.curves[1].status).toBe("diverged");
    expect(() => etaSweep({ learningRates: [1, -1] })).toThrow(/learningRates\[1\] must be a finite number > 0; got -1/);
  });
});
