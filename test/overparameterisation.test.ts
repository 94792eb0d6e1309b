// overparameterisation() (docs/theory.md section 9): each point of the figure against something
// independent of the integration that produced it: the stationary eps_g of the linear network in
// closed form, and the stable fixed point that Newton's method finds on the same right-hand side.
// The CLI's JSON, CSV and figure against the API.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedPoints, overparameterisation } from "./helpers";
import { OptionError } from "../src/core/errors";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });

describe("overparameterisation(): points against independent values", () => {
  it("linear, first layer only: eps_g = eta K sigma^2 / (2 (2 - eta K)) for every L (it grows with L)", () => {
    // v = 1, so V = sum v_i^2 = K = M + L in the linear network's stationary error (section 9's
    // closed form, derived in test/training.test.ts). Reached to ~5e-6 relative by alpha = 1000; a
    // dropped or halved noise term, or K replaced by M, changes the values by > 25 %.
    const eta = 0.2, sigma = 0.3;
    const r = overparameterisation({ activations: ["linear"], L: [0, 1, 2, 3], learningRate: eta, noise: sigma, alphaMax: 1000 });
    expect(r.status).toBe("completed");
    const first = r.points.filter((p) => p.layers === "first");
    expect(first.map((p) => [p.L, p.K])).toEqual([[0, 2], [1, 3], [2, 4], [3, 5]]);
    for (const p of first) {
      const exact = (eta * p.K * sigma ** 2) / (2 * (2 - eta * p.K));
      expect(Math.abs(p.eg / exact - 1), `L = ${p.L}`).toBeLessThan(2e-5);
      expect(p.egNoisy).toBe(p.eg + sigma ** 2 / 2);
      expect(p.v).toEqual(new Array(p.K).fill(1));
    }
  });

  it("erf, L = 0: both variants end at the stable fixed point found by Newton's method (eta 0.5, sigma 0.1)", () => {
    // the ODE's last state (converged, or at alpha = 1e4) against fixedPoints() of the same setting:
    // measured agreement 7e-7 (first layer) and 3e-6 (both layers) relative; eps_g there is of order
    // eta sigma^2, so a halved noise term moves it by ~50 %.
    const r = overparameterisation({ activations: ["erf"], L: [0] });
    expect(r.points.map((p) => p.layers)).toEqual(["first", "both"]);
    const I = [[1, 0], [0, 1]];
    for (const p of r.points) {
      const f = fixedPoints({ activation: "erf", K: 2, M: 2, T: I, Q0: [[0.5, 0], [0, 0.5]], R0: [[0, 0], [0, 0]], learningRate: 0.5, noise: 0.1, trainSecondLayer: p.layers === "both", v: [1, 1], multiStart: 4 });
      const stable = f.fixedPoints.filter((q) => q.stability === "stable");
      expect(stable.length, p.layers).toBeGreaterThan(0);
      expect(Math.abs(p.eg / stable[0].eg - 1), p.layers).toBeLessThan(2e-5);
      expect(p.eg).toBeGreaterThan(1e-3);
    }
  });

  it("refuses bad options before any work, naming them", () => {
    const bad = (o: object, option: string) => {
      try {
        overparameterisation(o);
        throw new Error("accepted");
      } catch (e) {
        expect(e, JSON.stringify(o)).toBeInstanceOf(OptionError);
        expect((e as OptionError).option).toBe(option);
      }
    };
    bad({ L: [0, -1] }, "L");
    bad({ noise: -0.1 }, "noise");
    bad({ activations: ["tanh"] }, "activations");
    bad({ simulate: true, simulationAlpha: 2e4 }, "simulationAlpha");
  });
});

describe("scm overparameterisation", () => {
  it("JSON, CSV and the figure describe the API's points", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-op-"));
    const args = ["--activations", "linear", "--L", "0,1", "--eta", "0.2", "--noise", "0.3", "--alpha-max", "200"];
    const j = scm("overparameterisation", ...args, "--out", join(dir, "p.json"), "--out", join(dir, "p.csv"), "--plot", join(dir, "p.svg"));
    expect(j.status, j.stderr).toBe(0);
    const r = JSON.parse(readFileSync(join(dir, "p.json"), "utf8"));
    const api = overparameterisation({ activations: ["linear"], L: [0, 1], learningRate: 0.2, noise: 0.3, alphaMax: 200 });
    expect(r.points.map((p: { eg: number }) => p.eg)).toEqual(api.points.map((p) => p.eg));
    const csv = readFileSync(join(dir, "p.csv"), "utf8").trim().split("\n");
    expect(csv[0].split(",").slice(0, 5)).toEqual(["activation", "layers", "L", "K", "eg"]);
    expect(csv.slice(1).map((l) => Number(l.split(",")[4]))).toEqual(api.points.map((p) => p.eg));
    const svg = readFileSync(join(dir, "p.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("first layer only");
    expect(svg).toContain("both layers");
  });
});
