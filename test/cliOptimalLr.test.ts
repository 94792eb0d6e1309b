// The built CLI's scm optimal-lr and scm optimal-lr-demo: formats, files, exit codes, messages.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { optimalLearningRate, trainSingleLayer } from "./helpers";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });
const batch = { W: [[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]], b: [0.1, -0.1], X: [[1, 0.5, -1], [0.2, -0.3, 0.7], [-1.1, 0.4, 0.3], [0.6, 0.6, 0.6]], Y: [[0.4, 0.1], [0, 0.9], [0.2, 0], [1, 0.3]], activation: "leakyRelu", slope: 0.1 };

describe("scm optimal-lr", () => {
  it("--json and --batch FILE give the API's result; the table shows agreeing digits", () => {
    const api = optimalLearningRate(batch as never);
    const p = scm("optimal-lr", "--json", JSON.stringify(batch), "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.learningRate).toBe(api.learningRate);
    expect(j.exact).toBe(api.exact);
    expect(j.agreement.learningRate).toBeLessThan(1e-12 * api.learningRate!);
    const dir = mkdtempSync(join(tmpdir(), "scm-olr-"));
    writeFileSync(join(dir, "b.json"), JSON.stringify(batch));
    const t = scm("optimal-lr", "--batch", join(dir, "b.json"));
    expect(t.status, t.stderr).toBe(0);
    const shown = /learningRate\s+(\S+)/.exec(t.stdout)![1];
    // printed digits are a prefix-rounding of the value: at most 12 significant, and within their last place
    expect(shown.replace(/[-.]|e.*$/g, "").replace(/^0+/, "").length).toBeLessThanOrEqual(12);
    expect(Math.abs(Number(shown) - api.learningRate!)).toBeLessThan(1e-9 * api.learningRate!);
    expect(t.stdout).toMatch(/exact\s+(yes|no)/);
  });
  it("exit 1 with 'not defined' when the denominator vanishes; exit 2 with the message on bad input", () => {
    const dead = { W: [[-1, -1]], b: [-5], X: [[0.1, 0.2]], Y: [[1]] };
    const p = scm("optimal-lr", "--json", JSON.stringify(dead));
    expect(p.status).toBe(1);
    expect(p.stdout).toMatch(/learningRate\s+not defined/);
    const cases: [string[], RegExp][] = [
      [["--json", "{"], /not valid JSON/],
      [["--json", JSON.stringify({ ...batch, X: [[1, 2]] })], /the batch's X must be 1 x 3; row 0 has 2 entries/],
      [["--json", JSON.stringify(batch), "--method", "slow"], /--method must be one of auto, gram, gradient; got "slow"/],
      [["--json", JSON.stringify(batch), "--slope", "x"], /--slope must be a finite number; got "x"/],
      [[], /--batch is required: give the batch with --batch FILE.json \(- for stdin\) or --json TEXT/],
      [["--batch", "/nonexistent.json"], /--batch cannot read "\/nonexistent.json": no such file/],
    ];
    for (const [args, msg] of cases) {
      const q = scm("optimal-lr", ...args);
      expect(q.status, args.join(" ")).toBe(2);
      expect(q.stderr).toMatch(msg);
      expect(q.stdout).toBe("");
    }
    expect(scm("optimal-lr", "--help").stdout).toMatch(/Usage: scm optimal-lr --batch FILE.json/);
    expect(scm("--help").stdout).toMatch(/optimal-lr-demo/);
  });
});

describe("scm optimal-lr-demo", () => {
  it("json equals trainSingleLayer for each run; csv has a column per run; --plot writes an SVG", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-demo-"));
    const svg = join(dir, "demo.svg"), csv = join(dir, "demo.csv");
    const p = scm("optimal-lr-demo", "--steps", "15", "--n0", "6", "--n1", "2", "--rates", "0.1,0.5", "--seed", "4", "--format", "json", "--plot", svg);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.map((r: { label: string }) => r.label)).toEqual(["optimal", "η = 0.1", "η = 0.5"]);
    const api = trainSingleLayer({ steps: 15, n0: 6, n1: 2, seed: 4, learningRate: 0.5 });
    expect(j[2].testLoss).toEqual(Array.from(api.testLoss));
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    const c = scm("optimal-lr-demo", "--steps", "5", "--rates", "0.1", "--out", csv);
    expect(c.status, c.stderr).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0]).toBe("step,testLoss[optimal],testLoss[eta=0.1],optimalRate");
    expect(lines.length).toBe(7);
    const bad = scm("optimal-lr-demo", "--batch-size", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--batch-size must be an integer >= 1 and <= 1e6; got 0/);
  });
});
