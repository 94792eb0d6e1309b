// The built CLI: scm equilibrium and scm transitions (formats, plot, errors, help).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { equilibrium, transitions } from "./helpers";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });

describe("scm equilibrium and scm transitions", () => {
  it("equilibrium --format json: alpha and branches {label, R, S, C, eg, freeEnergy} (null where absent), equal to the API", () => {
    const p = scm("equilibrium", "--activation", "sigmoid", "--K", "3", "--alpha-max", "40", "--samples", "9", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.alpha.length).toBe(9);
    const r = equilibrium({ activation: "sigmoid", K: 3, alphaMax: 40, samples: 9 });
    expect(j.branches.length).toBe(r.branches.length);
    for (const [k, b] of j.branches.entries()) {
      for (const key of ["label", "R", "S", "C", "eg", "freeEnergy"]) expect(b).toHaveProperty(key);
      expect(b.R).toEqual(r.branches[k].R);
      expect(b.R.length).toBe(9);
    }
    expect(j.branches.some((b: { R: (number | null)[] }) => b.R.includes(null))).toBe(true);
  });
  it("equilibrium --plot draws the four panels; csv to a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-"));
    const svg = join(dir, "eq.svg"), csv = join(dir, "eq.csv");
    const p = scm("equilibrium", "--K", "2", "--alpha-max", "10", "--samples", "11", "--plot", svg, "--out", csv);
    expect(p.status, p.stderr).toBe(0);
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    for (const label of ["ε_g", "unspecialized", "specialized"]) expect(text).toContain(label);
    expect(readFileSync(csv, "utf8").split("\n")[0]).toMatch(/^alpha,unspecialized0_R,/);
  });
  it("transitions --format json: alphaS, alphaC, alphaInst, definitions, kind, branches; equal to the API", () => {
    const p = scm("transitions", "--activation", "relu", "--K", "3", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    for (const k of ["alphaS", "alphaC", "alphaInst", "definitions", "kind", "branches"]) expect(j).toHaveProperty(k);
    for (const k of ["alphaS", "alphaC", "alphaInst"]) expect(j.definitions[k]).toMatch(/alpha|minimum/);
    const t = transitions({ activation: "relu", K: 3 });
    expect(j.alphaC).toBe(t.alphaC);
    expect(j.kind).toBe("discontinuous");
    expect(j.branches.alphaC.length).toBe(2);
    const k1 = JSON.parse(scm("transitions", "--K", "1", "--format", "json").stdout);
    expect(k1.alphaS).toBeNull();
  });
  it("invalid input: exit code 2, message names the option", () => {
    const cases: [string[], RegExp][] = [
      [["equilibrium", "--activation", "tanh"], /--activation must be one of relu, sigmoid; got "tanh"/],
      [["equilibrium", "--K", "0"], /--K must be an integer >= 1 and <= 1e6; got 0/],
      [["equilibrium", "--plot", "x.png"], /--plot x.png: figures are written as SVG: the name must end in .svg, not .png/],
      [["transitions", "--K", "abc"], /--K must be a comma-separated list of at least 1 of integers >= 1 and <= 1e6; got "abc"/],
    ];
    for (const [args, msg] of cases) {
      const p = scm(...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toMatch(msg);
      expect(p.stdout).toBe("");
    }
  });
  it("--help documents the options", () => {
    const e = scm("equilibrium", "--help").stdout;
    for (const o of ["--activation", "--K", "--alpha-max", "--samples", "--alpha-points", "--plot", "--format"]) expect(e).toContain(o);
    expect(scm("transitions", "--help").stdout).toContain("alphaInst");
    expect(scm("--help").stdout).toMatch(/transitions/);
  });
});
