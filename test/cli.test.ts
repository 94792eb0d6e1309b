// The built CLI (dist/cli.js through bin/scm.js): formats, files, errors and exit codes.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { integrate, simulateSync } from "./helpers";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });

describe("scm ode", () => {
  it("--format json prints one object with the documented keys, equal to the API's result", () => {
    const p = scm("ode", "--alpha-max", "20", "--samples", "3", "--format", "json");
    expect(p.status).toBe(0);
    const j = JSON.parse(p.stdout);
    for (const k of ["alpha", "eg", "Q", "R", "status", "message", "stats", "options"]) expect(j).toHaveProperty(k);
    const r = integrate({ alphaMax: 20, samples: 3 });
    expect(j.eg).toEqual(Array.from(r.eg));
    expect(j.Q).toEqual(r.Q);
    expect(j.options.integrator).toBe("rk4");
    expect(p.stderr).toMatch(/status: completed/);
  });
  it("matrices as '1,0;0,2', 'diag:..', 'eye', 'c*eye', 'zeros'; csv to a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-"));
    const out = join(dir, "curve.csv");
    const p = scm("ode", "--activation", "erf", "--K", "3", "--M", "2", "--T", "diag:1,1.5", "--Q0", "0.2*eye", "--R0", "zeros", "--eta", "0.5", "--alpha-points", "0,1,5", "--integrator", "euler", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("alpha,eg,Q_11,Q_12,Q_13,Q_22,Q_23,Q_33,R_11,R_12,R_21,R_22,R_31,R_32");
    expect(lines.length).toBe(4);
    const r = integrate({ activation: "erf", T: [[1, 0], [0, 1.5]], Q0: [[0.2, 0, 0], [0, 0.2, 0], [0, 0, 0.2]], R0: [[0, 0], [0, 0], [0, 0]], learningRate: 0.5, alphas: [0, 1, 5], integrator: "euler" });
    expect(Number(lines[3].split(",")[1])).toBe(r.eg[2]);
  });
  it("every integrator and method is passed through: the API's numbers for the same options, bit for bit", () => {
    // (the numerics themselves are checked against independent methods in online.test.ts,
    // outputWeights.test.ts and hermite.test.ts; a value captured once from the code is no check)
    const runs: [string[], Parameters<typeof integrate>[0]][] = [
      [["--integrator", "euler", "--step", "0.005"], { integrator: "euler", step: 0.005 }],
      [["--integrator", "rk4"], { integrator: "rk4" }],
      [["--integrator", "adaptive"], { integrator: "adaptive" }],
      [["--method", "hermite", "--hermite-order", "9"], { method: "hermite", hermiteOrder: 9 }],
    ];
    const seen: number[] = [];
    for (const [args, o] of runs) {
      const p = scm("ode", "--alpha-max", "60", "--samples", "3", "--format", "json", ...args);
      expect(p.status, p.stderr).toBe(0);
      const j = JSON.parse(p.stdout);
      expect(j.status).toBe("completed");
      const r = integrate({ alphaMax: 60, samples: 3, ...o });
      expect(j.eg, args.join(" ")).toEqual(Array.from(r.eg));
      expect(j.Q).toEqual(r.Q);
      seen.push(j.eg[2]);
    }
    // each option changed the result (an ignored option would repeat the default rk4 curve)
    expect(new Set(seen).size).toBe(runs.length);
  });
  it("invalid input: message names the option and range, exit code 2, nothing on stdout", () => {
    const cases: [string[], RegExp][] = [
      [["--eta=-1"], /^scm: error: --eta must be a finite number > 0; got -1\n$/],
      [["--eta", "-1"], /^scm: error: --eta must be a finite number > 0; got -1\n$/],
      [["--learning-rate", "0"], /^scm: error: --learning-rate must be a finite number > 0; got 0\n$/],
      [["--eta", "abc"], /--eta must be a finite number > 0; got "abc"/],
      [["--Q0", "1,0;0", "--R0", "zeros"], /--Q0 must have rows of equal length; got "1,0;0": row 2 has 1 entries but row 1 has 2/],
      [["--Q0", "eye", "--R0", "1,x"], /--R0 must be a matrix \(.*\); got "1,x": entry \(1,2\) is "x", not a finite number/],
      [["--K", "2", "--Q0", "eye", "--R0", "eye", "--T", "eye"], /--R0 must keep C0 = \[\[Q0, R0\], \[R0\^T, T\]\] positive definite/],
      [["--hermite-order", "1000", "--method", "hermite"], /--hermite-order must be an integer >= 1 and <= 100; got 1000/],
      [["--format", "xml"], /--format must be one of table, json, csv; got "xml"/],
      [["--bogus", "1"], /unknown option --bogus/],
      [["--alpha-maxx", "3"], /unknown option --alpha-maxx; did you mean --alpha-max\?/],
    ];
    for (const [args, msg] of cases) {
      const p = scm("ode", ...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toMatch(msg);
      expect(p.stdout).toBe("");
    }
  });
  it("--help documents every option", () => {
    const p = scm("ode", "--help");
    expect(p.status).toBe(0);
    for (const o of ["--activation", "--K", "--M", "--T", "--Q0", "--R0", "--eta", "--alpha-max", "--alpha-points", "--samples", "--method", "--hermite-order", "--integrator", "--step", "--rtol", "--atol", "--format", "--out"]) expect(p.stdout).toContain(o);
    expect(scm("--help").stdout).toMatch(/ode/);
  });
});

describe("scm sgd and scm compare", () => {
  it("sgd --format json: alpha, eg, Q, R each {mean, std}, runs with --per-run, equal to the API", async () => {
    const p = scm("sgd", "--d", "200", "--runs", "3", "--seed", "4", "--alpha-max", "2", "--samples", "3", "--threads", "2", "--per-run", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    for (const k of ["alpha", "eg", "Q", "R", "runs", "status", "stats", "options"]) expect(j).toHaveProperty(k);
    for (const k of ["eg", "Q", "R"]) expect(Object.keys(j[k]).sort()).toEqual(["mean", "std"]);
    expect(j.runs.length).toBe(3);
    const r = simulateSync({ d: 200, runs: 3, seed: 4, alphaMax: 2, samples: 3 });
    expect(j.eg.mean).toEqual(Array.from(r.eg.mean));
    expect(j.Q.std).toEqual(r.Q.std);
  });
  it("sgd rejects ODE numerics and bad simulation options with exit code 2", () => {
    const a = scm("sgd", "--method", "hermite");
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/method/);
    const b = scm("sgd", "--batch", "0");
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--batch must be an integer >= 1 and <= 1e6; got 0/);
    expect(b.stdout).toBe("");
  });
  it("compare: table, csv file and the three-panel SVG figure", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-"));
    const svg = join(dir, "fig.svg"), csv = join(dir, "c.csv");
    const p = scm("compare", "--d", "200", "--runs", "3", "--alpha-max", "4", "--samples", "5", "--plot", svg, "--out", csv, "--restart-alpha", "2");
    expect(p.status, p.stderr).toBe(0);
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    for (const label of ["Q11", "R12", "ε_g", "ODE"]) expect(text).toContain(label);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0].split(",").slice(0, 5)).toEqual(["alpha", "eg_ode", "eg_mean", "eg_std", "eg_dev"]);
    expect(lines.length).toBe(6);
    expect(scm("compare", "--plot", join(dir, "x.png")).status).toBe(2);
  });
  it("--help documents the simulation options", () => {
    const p = scm("sgd", "--help");
    for (const o of ["--d", "--runs", "--seed", "--batch", "--threads", "--per-run", "--test-inputs", "--format"]) expect(p.stdout).toContain(o);
    expect(scm("compare", "--help").stdout).toContain("--plot");
  });
});

describe("scm figure1 (npm start)", () => {
  it("prints the table and writes figure1.svg, .json, .csv (small d and runs for the test)", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-"));
    const p = scm("figure1", "--d", "60", "--runs", "2", "--out-dir", dir);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout.trim().split("\n").length).toBe(2 + 16); // title, header, alpha = 0, 20, ..., 300
    const j = JSON.parse(readFileSync(join(dir, "figure1.json"), "utf8"));
    expect(j.alpha.length).toBe(301);
    expect(j.simulation.stats.runs).toBe(2);
    expect(readFileSync(join(dir, "figure1.svg"), "utf8").startsWith("<svg")).toBe(true);
    expect(readFileSync(join(dir, "figure1.csv"), "utf8").split("\n")[0]).toMatch(/^alpha,eg_ode,eg_mean/);
  }, 60_000);
});

describe("scm fixed-points, continue, eta-regimes, eta-sweep", () => {
  it("fixed-points --format json prints fixedPoints with Q, R, eg, eigenvalues {re, im}, stability, residual", () => {
    const p = scm("fixed-points", "--multi-start", "2", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.fixedPoints.length).toBeGreaterThanOrEqual(3);
    for (const f of j.fixedPoints) {
      for (const k of ["Q", "R", "eg", "eigenvalues", "stability", "residual"]) expect(f).toHaveProperty(k);
      expect(Object.keys(f.eigenvalues[0]).sort()).toEqual(["im", "re"]);
      expect(f.residual).toBeLessThan(1e-12);
    }
    const s = JSON.parse(scm("fixed-points", "--symmetric", "--multi-start", "2", "--format", "json").stdout);
    for (const f of s.fixedPoints) expect(f.symmetric).toBe(true);
  });
  it("eta-regimes --format json: the four keys, each {value, bracket, definition}", () => {
    const p = scm("eta-regimes", "--precision", "1e-4", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    for (const k of ["etaNonmonotonic", "etaFold", "etaDivergence", "etaPerfectStable"]) {
      for (const f of ["value", "bracket", "definition"]) expect(j[k]).toHaveProperty(f);
      expect(j[k].bracket[0]).toBeLessThanOrEqual(j[k].value);
      expect(j[k].bracket[1]).toBeGreaterThanOrEqual(j[k].value);
    }
  });
  it("continue --plot writes an SVG; eta-sweep csv; errors exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-"));
    const svg = join(dir, "b.svg");
    const p = scm("continue", "--plot", svg, "--format", "csv");
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout.split("\n")[0]).toBe("eta,eg,stability,Q_11,Q_12,Q_22,R_11,R_12,R_21,R_22");
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    const s = scm("eta-sweep", "--etas", "0.5,1", "--alpha-max", "10", "--samples", "3", "--format", "csv");
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout.split("\n")[0]).toBe("alpha,eg(eta=0.5),eg(eta=1)");
    const bad = scm("eta-regimes", "--precision", "2");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--precision must be a finite number >= 1e-12 and <= 0.1; got 2/);
    const h = scm("eta-regimes", "--help");
    expect(h.stdout).toMatch(/etaNonmonotonic/);
  });
});
