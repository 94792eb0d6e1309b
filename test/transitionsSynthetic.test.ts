// The transition solvers on synthetic Landau free energies with known answers, injected through the
// FreeEnergyModel interface (u = (p, m, c), R - S = p / sqrt(K) as in the physical coordinates):
//   first order:  F = r p^2/2 - w p^3/3 + p^4/4 + (m - mu - g p^2)^2/2 + c^2/2,  r = kappa (alpha_i - alpha)
//     stationary p (r - w p + p^2) = 0: the p > 0 minimum p+ = (w + sqrt(w^2 - 4r))/2 exists for
//     r < w^2/4 (alpha_s = alpha_i - w^2/(4 kappa)); F(p+) = F(0) at r = 2 w^2/9, p+ = 2w/3
//     (alpha_c = alpha_i - 2 w^2/(9 kappa), jump in R - S = 2w/(3 sqrt K)); p = 0 loses stability at r = 0.
//   continuous:   F = r p^2/2 + p^4/4 + p^6/12 + (m - mu)^2/2 + c^2/2: p^2 = (-1 + sqrt(1 - 2r))... ~ (alpha - alpha_c),
//     |R - S| ~ (alpha - alpha_c)^(1/2), alpha_s = alpha_c = alpha_inst.
import { describe, expect, it } from "vitest";
import { transitionsOf } from "../src/equilibrium/transitions";
import type { FreeEnergyModel } from "../src/equilibrium/freeEnergyModel";
import { hessianDerivative } from "../src/equilibrium/folds";

const K = 2;
const SQK = Math.sqrt(K);

/** A Landau model: phi(alpha, p) and its p-derivatives; m and c harmonic (m coupled to p^2 by gamma). */
function landauModel(phi: (alpha: number, p: number) => [number, number, number], gamma: number): FreeEnergyModel {
  const mu = (alpha: number) => 0.1 + 0.01 * alpha;
  const rsc = new Float64Array(3);
  return {
    n: 3,
    K,
    inDomain: (u) => Math.abs(u[0]) < 3 && Math.abs(u[1]) < 3 && Math.abs(u[2]) < 3,
    value(alpha, u) {
      if (!this.inDomain(u)) return Infinity;
      const q = u[1] - mu(alpha) - gamma * u[0] * u[0];
      return phi(alpha, u[0])[0] + 0.5 * q * q + 0.5 * u[2] * u[2];
    },
    eval(alpha, u, g, H) {
      const p = u[0];
      const [f, f1, f2] = phi(alpha, p);
      const q = u[1] - mu(alpha) - gamma * p * p;
      // d q/dp = -2 gamma p, d2 q/dp2 = -2 gamma, d q/dm = 1
      g[0] = f1 + q * (-2 * gamma * p);
      g[1] = q;
      g[2] = u[2];
      H.fill(0);
      H[0] = f2 + 4 * gamma * gamma * p * p - 2 * gamma * q;
      H[1] = H[3] = -2 * gamma * p;
      H[4] = 1;
      H[8] = 1;
      const F = f + 0.5 * q * q + 0.5 * u[2] * u[2];
      return { F, eg: F };
    },
    toRSC(u) {
      const d = u[0] / SQK;
      const S = (u[1] - d) / K;
      rsc[0] = d + S;
      rsc[1] = S;
      rsc[2] = u[2] / (K - 1);
      return rsc;
    },
  };
}

describe("transitions on synthetic Landau free energies with known answers", () => {
  it("first order: alpha_s, alpha_c, alpha_inst and the jump", () => {
    const alphaI = 5, w = 0.6, kappa = 1.3;
    const phi = (alpha: number, p: number): [number, number, number] => {
      const r = kappa * (alphaI - alpha);
      return [(r * p * p) / 2 - (w * p ** 3) / 3 + p ** 4 / 4, r * p - w * p * p + p ** 3, r - 2 * w * p + 3 * p * p];
    };
    const t = transitionsOf(landauModel(phi, 0.2), { activation: "relu", alphaScanMax: 1e3, startsPerAxis: 4 });
    const known = { alphaS: alphaI - (w * w) / (4 * kappa), alphaC: alphaI - (2 * w * w) / (9 * kappa), alphaInst: alphaI };
    expect(t.status).toBe("ok");
    expect(t.kind).toBe("discontinuous");
    for (const k of ["alphaS", "alphaC", "alphaInst"] as const) {
      const tol = t.tolerances[k]!;
      // the value to the accuracy transitions() states (twice it: the statement is an estimate), and
      // that accuracy is itself meaningful (better than 1e-9 here)
      expect(tol).toBeLessThan(1e-9);
      expect(Math.abs(t[k]! - known[k]), `${k} = ${t[k]} vs ${known[k]} (tol ${tol})`).toBeLessThanOrEqual(2 * tol * known[k] + 4e-16 * known[k]);
    }
    // jump in R - S at alpha_c: 2w/(3 sqrt K); the minima converge to rounding, alpha_c to ~1e-14: 1e-8
    expect(Math.abs(t.jump! - (2 * w) / (3 * SQK))).toBeLessThan(1e-8);
    expect(t.instability!.replacedBy).toContain("antiSpecialized");
  });

  it("continuous: alpha_s = alpha_c = alpha_inst and the exponent 1/2", () => {
    const alphaC = 3.7, kappa = 0.8;
    const phi = (alpha: number, p: number): [number, number, number] => {
      const r = kappa * (alphaC - alpha);
      return [(r * p * p) / 2 + p ** 4 / 4 + p ** 6 / 12, r * p + p ** 3 + p ** 5 / 2, r + 3 * p * p + 2.5 * p ** 4];
    };
    const t = transitionsOf(landauModel(phi, 0), { activation: "relu", alphaScanMax: 1e3, startsPerAxis: 4 });
    expect(t.kind).toBe("continuous");
    expect(t.alphaS).toBe(t.alphaC);
    expect(t.alphaC).toBe(t.alphaInst);
    expect(Math.abs(t.alphaC! - alphaC)).toBeLessThanOrEqual(2 * t.tolerances.alphaC! * alphaC + 4e-16 * alphaC);
    // p^2 = -1 + sqrt(1 + 2 kappa (alpha - alpha_c)) = kappa dalpha (1 - kappa dalpha / 2 + ...): over
    // dalpha / alpha_c in [1e-6, 1e-3] the log-log slope is 1/2 - O(kappa alpha_c 1e-3 / 4) ~ 0.4993
    expect(Math.abs(t.exponent!.value - 0.5)).toBeLessThan(2e-3);
  });
});

describe("third derivatives of the solvers (central differences of the analytic Hessian)", () => {
  it("equal the closed form on the Landau model (with the p-m coupling)", () => {
    const w = 0.6, gamma = 0.2, alpha = 4.2;
    const phi = (a: number, p: number): [number, number, number] => {
      const r = 1.3 * (5 - a);
      return [(r * p * p) / 2 - (w * p ** 3) / 3 + p ** 4 / 4, r * p - w * p * p + p ** 3, r - 2 * w * p + 3 * p * p];
    };
    const fe = landauModel(phi, gamma);
    for (const [p, m, c] of [[0.3, 0.2, -0.1], [-0.7, 1.1, 0.5]])
      for (const d of [[1, 0, 0], [0, 1, 0], [0.6, -0.8, 0.3]]) {
        const T = hessianDerivative(fe, alpha, [p, m, c], d)!;
        // closed form: H_pp = phi'' + 4 g^2 p^2 - 2 g q (q = m - mu - g p^2, dq/dp = -2 g p, dq/dm = 1),
        // H_pm = -2 g p, the others constant
        const dHpp = (-2 * w + 6 * p + 8 * gamma * gamma * p + 4 * gamma * gamma * p) * d[0] - 2 * gamma * d[1];
        const dHpm = -2 * gamma * d[0];
        const expected = [dHpp, dHpm, 0, dHpm, 0, 0, 0, 0, 0];
        // central differences with h = 1e-6: truncation h^2 * fourth derivative (~6) ~ 1e-11, rounding
        // ~1e-16 |H| / h ~ 1e-10: 1e-8 absolute
        expected.forEach((e, i) => expect(Math.abs(T[i] - e), `T[${i}] at p=${p} along ${d}`).toBeLessThan(1e-8));
      }
  });
});
