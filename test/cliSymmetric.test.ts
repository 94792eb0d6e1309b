// The built CLI's large-network commands (scm ode-symmetric, scm plateau, scm eta-limits): JSON equal
// to the API's, printed digits checked against independent, more accurate routes (a tight adaptive
// integration, the plateau reached by the flow itself, the full ODE's own perfect-learning
// stability limit), CSV and figures, errors naming the flag; and the schema's declarations of these
// commands accept exactly what the API accepts.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { etaLimits, integrateSymmetric, OrderParameterSystem, plateau } from "./helpers";
import { perfectStabilityLimit as fullPerfectStabilityLimit } from "../src/fixedpoints/regimes";
import { isOptionError, type OptionError } from "../src/core/errors";
import { checkOption } from "../src/options/check";
import { commandByName } from "../src/options/commands";
import { resolveIntegrateSymmetricOptions } from "../src/symmetric/options";
import { resolvePlateauOptions } from "../src/symmetric/plateau";
import { resolveEtaLimitsOptions } from "../src/symmetric/etaLimits";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "scm-symmetric-"));
const withoutTime = <T extends { stats: { wallTimeMs: number } }>(r: T) => ({ ...r, stats: { ...r.stats, wallTimeMs: 0 } });

/** The unit of the last printed digit of a number ("0.00254834" -> 1e-8, "1.268" -> 1e-3, "3.7640e-8" -> 1e-12). */
function lastDigitUnit(text: string): number {
  const x = Number(text);
  const digits = text.replace(/e.*$/, "").replace(/^-/, "").replace(".", "").replace(/^0+/, "").length;
  return 10 ** (Math.floor(Math.log10(Math.abs(x))) - digits + 1);
}

/**
 * A printed cell against an accurate value: "<x" means |value| < x; a number must lie within 1.5
 * units of its last digit of the value (the digit's unit is at least the error estimate, and the
 * rounding adds half a unit). Returns the significant digits printed (0 for "<x", "unresolved").
 */
function checkCell(text: string, accurate: number, what: string): number {
  if (text === "unresolved") return 0;
  if (text.startsWith("<")) {
    expect(Math.abs(accurate), `${what}: printed ${text}`).toBeLessThan(Number(text.slice(1)));
    return 0;
  }
  if (text === "0") {
    expect(accurate, what).toBe(0);
    return 0;
  }
  const u = lastDigitUnit(text);
  expect(Math.abs(Number(text) - accurate), `${what}: printed ${text}, accurate ${accurate}`).toBeLessThanOrEqual(1.5 * u);
  return Math.round(Math.log10(Math.abs(Number(text)) / u)) + 1;
}

describe("scm ode-symmetric", () => {
  it("--format json equals integrateSymmetric() (K = 1000; keys alpha, eg, Q, C, R, S, status, message, stats, options)", () => {
    const p = scm("ode-symmetric", "--activation", "erf", "--K", "1000", "--eta", "5e-4", "--R0", "0.002", "--S0", "1e-5", "--alpha-max", "20", "--samples", "5", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const r = integrateSymmetric({ activation: "erf", K: 1000, learningRate: 5e-4, R0: 0.002, S0: 1e-5, alphaMax: 20, samples: 5 });
    expect(Object.keys(j)).toEqual(["alpha", "eg", "Q", "C", "R", "S", "status", "message", "stats", "options"]);
    for (const k of ["alpha", "eg", "Q", "C", "R", "S"] as const) expect(j[k]).toEqual(Array.from(r[k])); // exact doubles
    expect(j.options).toEqual(JSON.parse(JSON.stringify(r.options)));
    expect(j.stats.rhsEvaluations).toBe(r.stats.rhsEvaluations);
  });
  it("the table prints only digits that a tight adaptive integration confirms (coarse RK4 steps limit them)", () => {
    // RK4 with step 2 has errors ~1e-4 .. 1e-7 here: the half-step rerun must cut the digits to
    // those a Dormand-Prince run at rtol 1e-12 (an independent integrator) agrees with
    const args = ["--activation", "erf", "--K", "10", "--eta", "0.2", "--alpha-max", "400", "--samples", "5", "--step", "2"];
    const p = scm("ode-symmetric", ...args);
    expect(p.status, p.stderr).toBe(0);
    const lines = p.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^# digits shown agree with the Richardson estimate from a run with step 1;/);
    expect(lines[1].trim().split(/\s+/)).toEqual(["alpha", "eg", "Q", "C", "R", "S"]);
    const accurate = integrateSymmetric({ activation: "erf", K: 10, learningRate: 0.2, alphaMax: 400, samples: 5, integrator: "adaptive", rtol: 1e-12, atol: 1e-15 });
    const printed: number[] = [];
    lines.slice(2).forEach((line, s) => {
      const cells = line.trim().split(/\s+/);
      expect(Number(cells[0])).toBe(accurate.alpha[s]);
      (["eg", "Q", "C", "R", "S"] as const).forEach((k, j) => printed.push(checkCell(cells[j + 1], accurate[k][s], `${k} at alpha ${cells[0]}`)));
    });
    expect(printed.filter((d) => d > 0 && d < 6).length, "some values limited below 6 digits").toBeGreaterThan(0);
    expect(printed.filter((d) => d >= 3).length, "most values keep 3 digits or more").toBeGreaterThanOrEqual(15);
  });
  it("--format csv holds every sample at full precision; --plot draws Q, R, (K-1) C, (K-1) S and eps_g", () => {
    const svg = join(dir, "sym.svg"), csv = join(dir, "sym.csv");
    const p = scm("ode-symmetric", "--K", "50", "--eta", "0.01", "--alpha-max", "10", "--samples", "11", "--out", csv, "--plot", svg);
    expect(p.status, p.stderr).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0]).toBe("alpha,eg,Q,C,R,S");
    const r = integrateSymmetric({ K: 50, learningRate: 0.01, alphaMax: 10, samples: 11 });
    lines.slice(1).forEach((l, s) => expect(l.split(",").map(Number)).toEqual([r.alpha[s], r.eg[s], r.Q[s], r.C[s], r.R[s], r.S[s]]));
    const text = readFileSync(svg, "utf8");
    expect(text.startsWith("<svg")).toBe(true);
    for (const label of ["Q (Q_ii)", "R (R_ii)", "(K−1) C", "(K−1) S", "ε_g", "K = M = 50"]) expect(text).toContain(label);
  });
});

describe("scm plateau", () => {
  it("--format json: fixedPoint, eigenvalues, escapeRate, plateauLength equal plateau(); block dimensions add up to the full ODE's", () => {
    const p = scm("plateau", "--K", "10", "--eta", "0.2", "--delta", "1e-6", "--no-escape-constant", "--format", "json");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const r = plateau({ K: 10, learningRate: 0.2, delta: 1e-6, escapeConstant: false });
    expect(withoutTime(j)).toEqual(JSON.parse(JSON.stringify(withoutTime(r))));
    for (const k of ["fixedPoint", "eigenvalues", "escapeRate", "plateauLength", "plateauLengthLeading"]) expect(j).toHaveProperty(k);
    // sum over the irreducible representations of size x multiplicity = K(K+1)/2 + K^2 order parameters
    expect(j.eigenvalues.reduce((s: number, b: { size: number; multiplicity: number }) => s + b.size * b.multiplicity, 0)).toBe(55 + 100);
  });
  it("the table: one row per block (representation, partition, size, multiplicity, eigenvalues); the fixed point's digits are those of the plateau the flow itself reaches", () => {
    const p = scm("plateau", "--K", "10", "--eta", "0.2", "--delta", "1e-6", "--no-escape-constant");
    expect(p.status, p.stderr).toBe(0);
    const lines = p.stdout.trim().split("\n");
    const head = lines.findIndex((l) => /^representation\s+partition\s+size\s+multiplicity\s+eigenvalues$/.test(l.trim()));
    expect(head).toBeGreaterThan(0);
    const rows = lines.slice(head + 1).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([["trivial", "[10]", "4", "1"], ["standard", "[9,1]", "5", "9"], ["[K-2,2]", "[8,2]", "2", "35"], ["[K-2,1,1]", "[8,1,1]", "1", "36"]]);
    // independent of Newton: the site-symmetric ODE started in R = S stays there and settles on
    // the plateau (slowest rate inside the subspace ~0.0065: alpha = 8000 leaves ~1e-22)
    const flow = integrateSymmetric({ K: 10, learningRate: 0.2, Q0: 0.2, C0: 0, R0: 0, S0: 0, alphas: [0, 8000], integrator: "adaptive", rtol: 1e-12, atol: 1e-16 });
    const value = (name: string) => /^# [^:]+: (\S+)/.exec(lines.find((l) => l.startsWith(`# ${name}: `))!)![1];
    const digits = [checkCell(value("Q"), flow.Q[1], "Q"), checkCell(value("C"), flow.C[1], "C"), checkCell(value("R = S"), flow.R[1], "R"), checkCell(value("ε_g"), flow.eg[1], "eps_g")];
    expect(Math.min(...digits)).toBeGreaterThanOrEqual(6);
    // the escape rate and ln(1/delta)/lambda printed are the API's (Richardson-extrapolated Jacobian), rounded
    const r = plateau({ K: 10, learningRate: 0.2 });
    expect(checkCell(value("escape rate λ"), r.escapeRate!, "escape rate")).toBeGreaterThanOrEqual(5);
    checkCell(value("ln(1/δ)/λ"), Math.log(1e6) / r.escapeRate!, "ln(1/delta)/lambda");
  });
  it("no plateau above the fold: exit code 1 with the reason; K = 1 refused naming --K", () => {
    const p = scm("plateau", "--K", "10", "--eta", "2");
    expect(p.status).toBe(1);
    expect(p.stdout).toMatch(/^# not-found: no plateau found at learning rate 2/m);
    const k = scm("plateau", "--K", "1");
    expect(k.status).toBe(2);
    expect(k.stderr).toBe("scm: error: --K must be an integer >= 2 and <= 1e6; got 1\n");
  });
});

describe("scm eta-limits", () => {
  it("--format json equals etaLimits(); several activations give an array, --format csv a column per activation, --plot one figure", () => {
    const svg = join(dir, "limits.svg");
    const p = scm("eta-limits", "--K", "2,10", "--activation", "erf,relu", "--escape=false", "--format", "json", "--plot", svg);
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j).toHaveLength(2);
    for (const [i, activation] of (["erf", "relu"] as const).entries()) expect(withoutTime(j[i])).toEqual(JSON.parse(JSON.stringify(withoutTime(etaLimits({ activation, K: [2, 10], escape: false })))));
    const text = readFileSync(svg, "utf8");
    for (const label of ["perfect learning stable below (erf)", "perfect learning stable below (relu)"]) expect(text).toContain(label);
    const csv = scm("eta-limits", "--K", "2", "--activation", "relu,erf", "--no-escape", "--format", "csv").stdout.trim().split("\n");
    expect(csv[0]).toMatch(/^activation,teacherActivation,K,etaPerfectStable,/);
    expect(csv.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(["relu,relu,2", "erf,erf,2"]);
  });
  it("etaPerfectStable: the full ODE's own stability limit lies within perfectAccuracy, and the table prints no digit finer", () => {
    // the full ODE's limit: its dense Jacobian in all K^2 + K(K+1)/2 coordinates and its own
    // bisection (src/fixedpoints), a different route from the S_K blocks of the reduced ODEs
    const p = scm("eta-limits", "--K", "2", "--activation", "relu,erf", "--no-escape");
    expect(p.status, p.stderr).toBe(0);
    const printed = p.stdout.split("\n").filter((l) => /^\s*2\s/.test(l)).map((l) => l.trim().split(/\s{2,}/)[1]);
    expect(printed).toHaveLength(2);
    for (const [i, activation] of (["relu", "erf"] as const).entries()) {
      const row = etaLimits({ activation, K: [2], escape: false }).rows[0];
      const sys = new OrderParameterSystem({ activation, T: [[1, 0], [0, 1]], Q0: [[0.5, 0], [0, 0.5]], R0: [[0.1, 0], [0, 0.1]] });
      const full = fullPerfectStabilityLimit(sys, 0.1, 1e-9);
      // the full route's own uncertainty: its boundary Jacobian's, ~5e-7 (README); 1e-6 allowed
      expect(Math.abs(row.etaPerfectStable! - full.value!), activation).toBeLessThanOrEqual(row.perfectAccuracy! + 1e-6);
      // and the accuracy is no blanket: well below the value's own size
      expect(row.perfectAccuracy!).toBeLessThan(1e-3 * row.etaPerfectStable!);
      checkCell(printed[i], full.value!, `etaPerfectStable ${activation}`);
      expect(lastDigitUnit(printed[i])).toBeGreaterThanOrEqual(row.perfectAccuracy! / 10);
    }
  });
  it("invalid input names the flag: an unknown activation in the list, K below 2, --precision out of range", () => {
    const cases: [string[], string][] = [
      [["eta-limits", "--activation", "erf,tanh"], "--activation entry 2 must be one of relu, erf, linear; got \"tanh\""],
      [["eta-limits", "--activation", ""], "--activation must be one or more (comma-separated) of relu, erf, linear; got \"\""],
      [["eta-limits", "--K", "1,10"], "--K entry 1 must be an integer >= 2 and <= 1e6; got 1"],
      [["eta-limits", "--precision", "1"], "--precision must be a finite number >= 1e-8 and <= 0.1; got 1"],
      [["ode-symmetric", "--T", "eye"], "--T must be a finite number > 0; got \"eye\""],
      [["ode-symmetric", "--K", "2e6"], "--K must be an integer >= 1 and <= 1e6; got 2000000"],
      [["ode-symmetric", "--v", "1,2"], "--v must be a finite number; got \"1,2\""],
    ];
    for (const [args, message] of cases) {
      const p = scm(...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toBe(`scm: error: ${message}\n`);
      expect(p.stdout).toBe("");
    }
  });
});

describe("one acceptance rule: the schema's declarations of these commands and the API", () => {
  const resolve: Record<string, (o: Record<string, unknown>) => unknown> = {
    "ode-symmetric": (o) => resolveIntegrateSymmetricOptions(o),
    plateau: (o) => resolvePlateauOptions(o),
    "eta-limits": (o) => resolveEtaLimitsOptions({ escape: false, ...o }),
  };
  // options checked against other options by the API (a value the declaration accepts can still be
  // refused there, naming the rule): the divergence bound must exceed Q0, the overlaps must be valid
  const crossRule = (e: OptionError, name: string) => e.option !== name || e.related.length > 0 || name === "divergenceBound";
  for (const command of Object.keys(resolve)) {
    const numeric = commandByName(command)!.options.filter((o) => (o.type === "number" || o.type === "integer") && o.group !== "output" && o.group !== "control");
    it(`${command}: ${numeric.length} numeric options accepted or refused alike`, () => {
      const values = fc.oneof(fc.double(), fc.integer({ min: -1e7, max: 1e7 }), fc.constantFrom(0, -0, 1, -1, 0.05, 0.1, 0.5, 2, 1e-9, 1e6, 1e7, 2 ** 31, NaN, Infinity));
      fc.assert(fc.property(fc.constantFrom(...numeric), values, (spec, x) => {
        let schema = true;
        try {
          checkOption(spec, x);
        } catch {
          schema = false;
        }
        try {
          resolve[command]({ [spec.name]: x });
          expect(schema, `${command} --${spec.flag} ${x}: the API accepts, the declaration refuses`).toBe(true);
        } catch (e) {
          expect(isOptionError(e), String(e)).toBe(true);
          if (schema) expect(crossRule(e as OptionError, spec.name), `${command} --${spec.flag} ${x}: the declaration accepts, the API refuses: ${(e as Error).message}`).toBe(true);
          else expect((e as OptionError).option).toBe(spec.name);
        }
      }), { seed: 16, numRuns: 400 });
    });
  }
});
