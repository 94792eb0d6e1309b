// The built CLI's scm popgrad: formats, figure, exit codes.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampledGradientCheck, symmetricCriticalPoints, symmetricDynamics } from "./helpers";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });

describe("scm popgrad", () => {
  it("json: the API's critical points and trajectories; table lists the saddle; --plot writes an SVG", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-pg-"));
    const svg = join(dir, "field.svg");
    const p = scm("popgrad", "--K", "3", "--starts", "0.5,0.2;0.3,0.3", "--t-max", "50", "--grid", "9", "--format", "json", "--plot", svg);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.criticalPoints).toEqual(JSON.parse(JSON.stringify(symmetricCriticalPoints({ K: 3 }))));
    const api = symmetricDynamics({ K: 3, x0: 0.5, y0: 0.2, tMax: 50, samples: 401 });
    expect(j.trajectories[0].x).toEqual(Array.from(api.x));
    expect(j.field.x.length).toBe(81);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    const t = scm("popgrad", "--K", "2", "--starts", "0.5,0.2");
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/saddle/);
    expect(t.stdout).toMatch(/0\.5341549/); // the closed-form saddle on x = y for K = 2
  });
  it("bad input: exit 2 and the message on stderr", () => {
    const cases: [string[], RegExp][] = [
      [["--K", "1"], /--K must be an integer >= 2 and <= 10000; got 1/],
      [["--starts", "1,2,3"], /--starts must be points "x,y" separated by ";"; got "1,2,3" \(point 1 is "1,2,3", not "x,y"\)/],
      [["--x-range", "1,0"], /--x-range must be \[min, max\] with max > min; got \[1,0\]/],
      [["--plot", "f.png"], /--plot f.png: figures are written as SVG/],
    ];
    for (const [args, msg] of cases) {
      const q = scm("popgrad", ...args);
      expect(q.status, args.join(" ")).toBe(2);
      expect(q.stderr).toMatch(msg);
      expect(q.stdout).toBe("");
    }
  });
});

describe("scm popgrad-check", () => {
  it("json equals sampledGradientCheck with the same options; --plot writes an SVG; bad --N exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-pgc-"));
    const svg = join(dir, "check.svg");
    const p = scm("popgrad-check", "--N", "50,500", "--angles", "3", "--trials", "4", "--d", "4", "--seed", "9", "--format", "json", "--plot", svg);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const api = sampledGradientCheck({ N: [50, 500], angles: [0, Math.PI / 3, (2 * Math.PI) / 3], trials: 4, d: 4, seed: 9 });
    expect(j.relativeRmsError).toEqual(api.relativeRmsError.map((v) => Array.from(v)));
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    const bad = scm("popgrad-check", "--N", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--N entry 1 must be an integer >= 1 and <= 1e8; got 0/);
  });
});
