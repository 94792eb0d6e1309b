// Learning-rate schedules through the front-ends (the built CLI, the edge handler, scm sweep): each
// is a thin layer over the API, so each must give the API's numbers for the same options, bit for
// bit, and refuse bad input naming the option as the user wrote it. (The numbers themselves are
// checked against independent methods in schedules.test.ts and optimalSchedule.test.ts.)
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHandler } from "../src/edge/handler";
import { integrate, optimalSchedule, simulateSync } from "./helpers";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "scm-schedules-"));

/** A small optimal-schedule problem (a second or two). */
const SMALL = { alphaMax: 12, intervals: 3, step: 0.1, maxIterations: 5 };
const SMALL_ARGS = ["--alpha-max", "12", "--intervals", "3", "--step", "0.1", "--max-iterations", "5"];

describe("scm ode and scm sgd with --eta-schedule", () => {
  it("ode: eta per sample and eps_g equal integrate() with the schedule; each form changes the curve", () => {
    const seen = new Set<number>();
    for (const schedule of ["inverse:1.2,10", "power:1.5,5,0.5", "piecewise:0:1.5,7.5:0.4", "greedy"]) {
      const p = scm("ode", "--eta-schedule", schedule, "--eta-max", "1.8", "--alpha-max", "30", "--samples", "7", "--format", "json");
      expect(p.status, p.stderr).toBe(0);
      const j = JSON.parse(p.stdout);
      const r = integrate({ learningRateSchedule: schedule, etaMax: 1.8, alphaMax: 30, samples: 7 });
      expect(j.eta, schedule).toEqual(Array.from(r.eta));
      expect(j.eg, schedule).toEqual(Array.from(r.eg));
      expect(j.options.learningRateSchedule).toBe(schedule);
      seen.add(j.eg[6]);
    }
    expect(seen.size).toBe(4);
  });
  it("the table and csv carry the rate per sample", () => {
    const p = scm("ode", "--eta-schedule", "inverse:1.2,10", "--alpha-max", "30", "--samples", "4", "--format", "csv");
    expect(p.status, p.stderr).toBe(0);
    const [header, ...lines] = p.stdout.trim().split("\n");
    const col = header.split(",").indexOf("eta");
    expect(col).toBeGreaterThan(0);
    const r = integrate({ learningRateSchedule: "inverse:1.2,10", alphaMax: 30, samples: 4 });
    // 1.2 / (1 + alpha / 10) at alpha = 0, 10, 20, 30
    expect(lines.map((l) => Number(l.split(",")[col]))).toEqual(Array.from(r.eta));
    expect(Array.from(r.eta)).toEqual([1.2, 0.6, 0.4, 0.3].map((x, i) => (i === 0 ? x : 1.2 / (1 + (10 * i) / 10))));
  });
  it("sgd: the schedule reaches the kernel (JSON equal to simulateSync, different from the constant rate)", () => {
    const args = ["--d", "100", "--runs", "2", "--alpha-max", "2", "--samples", "3", "--seed", "4", "--format", "json"];
    const p = scm("sgd", ...args, "--eta-schedule", "piecewise:0:1.5,1:0.3");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const r = simulateSync({ d: 100, runs: 2, alphaMax: 2, samples: 3, seed: 4, learningRateSchedule: "piecewise:0:1.5,1:0.3" });
    const c = simulateSync({ d: 100, runs: 2, alphaMax: 2, samples: 3, seed: 4, learningRate: 1.5 });
    expect(j.eg.mean).toEqual(Array.from(r.eg.mean));
    expect(j.eta.mean).toEqual(Array.from(r.eta.mean));
    expect(j.eta.mean).toEqual([1.5, 0.3, 0.3]);
    expect(r.eg.mean[2]).not.toBe(c.eg.mean[2]);
  });
  it("bad schedules: the option as written, what is accepted, exit code 2, nothing on stdout", () => {
    const cases: [string[], RegExp][] = [
      [["ode", "--eta-schedule", "piecewise:1:1"], /^scm: error: --eta-schedule must be a learning-rate schedule: constant, inverse:ETA0,A0 .* got "piecewise:1:1": the first break A1 must be 0/],
      [["ode", "--eta-schedule", "bogus:1"], /--eta-schedule must be .* got "bogus:1": unknown kind "bogus"/],
      [["ode", "--eta", "0.5", "--eta-schedule", "inverse:1,10"], /^scm: error: --eta is set by the schedule "inverse:1,10"; give either a constant rate or a schedule/],
      [["sgd", "--eta-schedule", "power:1,0,1"], /--eta-schedule must be/],
    ];
    for (const [args, msg] of cases) {
      const p = scm(...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stdout).toBe("");
      expect(p.stderr, args.join(" ")).toMatch(msg);
    }
  });
});

describe("scm optimal-schedule", () => {
  const api = optimalSchedule(SMALL);
  it("--format json equals optimalSchedule() (timings aside); the table prints no digit beyond the discretisation error", () => {
    const p = scm("optimal-schedule", ...SMALL_ARGS, "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.eta).toEqual(api.eta);
    for (const k of ["optimal", "greedy", "constant"] as const) {
      expect(j[k].value, k).toBe(api[k].value);
      expect(j[k].curve.eg, k).toEqual(Array.from(api[k].curve.eg));
    }
    expect(j.gains).toEqual(api.gains);
    expect(p.stderr).toMatch(/status: completed/);
    const t = scm("optimal-schedule", ...SMALL_ARGS);
    expect(t.status, t.stderr).toBe(0);
    const rows = t.stdout.split("\n");
    for (const [label, o] of [["optimal", api.optimal], ["greedy", api.greedy]] as const) {
      const cells = rows.find((r) => r.trim().startsWith(label))!.trim().split(/\s+/);
      const printed = cells[1];
      const decimals = printed.includes(".") ? printed.split(".")[1].length : 0;
      // the printed value is the API's rounded, and its last digit is above the discretisation error
      expect(Math.abs(Number(printed) - o.value), label).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-15);
      expect(10 ** -decimals, label).toBeGreaterThanOrEqual(o.discretisationError);
    }
    // every interval's optimal rate is listed
    expect(rows.filter((r) => /^\s+\[[\d.]+, [\d.]+\)\s+[\d.]+$/.test(r)).length).toBe(3);
  });
  it("--plot writes an SVG with both panels; --format csv has the three schedules' eps_g and eta", () => {
    const dir = tmp();
    const p = scm("optimal-schedule", ...SMALL_ARGS, "--format", "csv", "--out", join(dir, "s.csv"), "--plot", join(dir, "s.svg"));
    expect(p.status, p.stderr).toBe(0);
    const svg = readFileSync(join(dir, "s.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("η(α)");
    const lines = readFileSync(join(dir, "s.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("alpha,eg_optimal,eta_optimal,eg_greedy,eta_greedy,eg_constant,eta_constant");
    expect(lines.length).toBe(1 + api.optimal.curve.alpha.length);
    const last = lines[lines.length - 1].split(",").map(Number);
    expect(last[1]).toBe(api.optimal.curve.eg[api.optimal.curve.eg.length - 1]);
  });
  it("bad input: named as written, with the accepted range; exit code 2", () => {
    const cases: [string[], RegExp][] = [
      [["--intervals", "0"], /^scm: error: --intervals must be an integer >= 1/],
      [["--objective", "mean"], /^scm: error: --objective must be one of final, integral/],
      [["--eta-max", "0"], /^scm: error: --eta-max must be a finite number > 0; got 0/],
      [["--alpha-max", "20", "--intervals", "4", "--step", "10"], /^scm: error: --step must be at most the length of an interval, --alpha-max \/ --intervals = 5; got 10/],
    ];
    for (const [args, msg] of cases) {
      const p = scm("optimal-schedule", ...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stdout).toBe("");
      expect(p.stderr, args.join(" ")).toMatch(msg);
    }
  });
});

describe("edge /ode with eta-schedule", () => {
  const handler = createHandler();
  const get = async (path: string) => {
    const res = await handler.fetch(new Request(`http://edge.test${path}`));
    return { status: res.status, body: await res.json() };
  };
  it("equals integrate() with the schedule (eta per sample and eps_g), both spellings", async () => {
    for (const q of ["eta-schedule=inverse:1.2,10", "learningRateSchedule=greedy&eta-max=1.5"]) {
      const r = await get(`/ode?${q}&alphaMax=20&samples=5`);
      expect(r.status, q).toBe(200);
      const o = q.startsWith("eta") ? { learningRateSchedule: "inverse:1.2,10" } : { learningRateSchedule: "greedy", etaMax: 1.5 };
      const n = integrate({ ...o, alphaMax: 20, samples: 5, maxSteps: r.body.options.maxSteps });
      expect(r.body.eta, q).toEqual(Array.from(n.eta));
      expect(r.body.eg, q).toEqual(Array.from(n.eg));
    }
  });
  it("400 naming the parameter for a bad schedule", async () => {
    const r = await get("/ode?eta-schedule=power:1,2");
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe("eta-schedule");
    expect(r.body.error).toMatch(/^eta-schedule must be a learning-rate schedule: .* got "power:1,2"/);
  });
});

describe("scm sweep over schedules", () => {
  it("ode over two schedules (\"|\"-separated) and optimal-schedule over two objectives: each line equals the single command", () => {
    const dir = tmp();
    const out = join(dir, "ode.jsonl");
    const p = scm("sweep", "ode", "--eta-schedule", "inverse:1,10|piecewise:0:1.2,5:0.5", "--alpha-max", "10", "--samples", "3", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.options.learningRateSchedule).sort()).toEqual(["inverse:1,10", "piecewise:0:1.2,5:0.5"]);
    for (const l of lines) expect(l.result.eg).toEqual(Array.from(integrate({ learningRateSchedule: l.options.learningRateSchedule, alphaMax: 10, samples: 3 }).eg));
    const out2 = join(dir, "opt.jsonl");
    const q = scm("sweep", "optimal-schedule", ...SMALL_ARGS, "--objective", "final,integral", "--workers", "2", "--out", out2);
    expect(q.status, q.stderr).toBe(0);
    const opt = readFileSync(out2, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(opt.map((l) => l.options.objective).sort()).toEqual(["final", "integral"]);
    for (const l of opt) {
      const r = optimalSchedule({ ...SMALL, objective: l.options.objective });
      expect(l.result.eta, l.options.objective).toEqual(r.eta);
      expect(l.result.optimal.value).toBe(r.optimal.value);
    }
  });
});
