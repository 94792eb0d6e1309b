// scm sweep: grid expansion (lists, ranges, "|" lists of matrices), the JSON-lines file (resume,
// recovery from a half-written line), results equal to `scm ode` / `scm sgd` per point, and
// independence from the number of worker threads.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson, expandGrid, expandOption, parseRange } from "../src/text/grid";
import { progressBarText, progressText } from "../src/text/progress";
import { integrateSymmetric, plateau } from "./helpers";

const BARS = ["T", "Q0", "R0", "v", "vStar", "alphas"];

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "scm-sweep-"));
type Line = { command: string; options: Record<string, unknown>; result?: Record<string, unknown> & { stats: Record<string, unknown> }; error?: string };
const readLines = (path: string): Line[] => readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));

/** A result without its timings (the only fields that differ between two identical runs). */
function untimed(r: Line["result"]): unknown {
  const { wallTimeMs: _w, stepsPerSecond: _s, threads: _t, ...stats } = r!.stats;
  const { threads: _o, ...options } = r!.options as Record<string, unknown>;
  return { ...r, stats, options };
}
const byKey = (lines: Line[]) => new Map(lines.map((l) => [canonicalJson([l.command, l.options]), l]));

describe("grid expansion", () => {
  it("lists, ranges (inclusive, descending, not landing on stop) and lists of ranges", () => {
    expect(expandOption("eta", "0.5,1,1.2", false)).toEqual(["0.5", "1", "1.2"]);
    expect(parseRange("K", "2:4:1")).toEqual([2, 3, 4]);
    expect(parseRange("K", "4:2:-1")).toEqual([4, 3, 2]);
    expect(parseRange("x", "0:1:0.3")).toEqual([0, 0.3, 0.6, 0.9]);
    expect(parseRange("x", "5:5:1")).toEqual([5]);
    expect(expandOption("eta", "0.1, 0.5:1:0.25", false)).toEqual(["0.1", "0.5", "0.75", "1"]);
  });
  it("float steps without drift: every point is the double nearest its decimal", () => {
    // the literals are parsed independently by the JS engine
    expect(parseRange("eta", "0.1:0.3:0.1")).toEqual([0.1, 0.2, 0.3]);
    // long ranges against exact decimal arithmetic (BigInt on the digits, then one rounding by
    // Number() of the decimal string): start + k step and accumulation both drift away from
    // these (counted below, so the comparison can fail), parseRange must not
    const decimal = (t: string) => {
      const [m, e] = t.toLowerCase().split("e");
      const [i, f = ""] = m.replace("-", "").split(".");
      return { n: BigInt((m.startsWith("-") ? "-" : "") + i + f), exp: f.length - Number(e ?? 0) };
    };
    const format = (n: bigint, exp: number) => {
      const neg = n < 0n, digits = (neg ? -n : n).toString().padStart(exp + 1, "0");
      return (neg ? "-" : "") + (exp > 0 ? digits.slice(0, -exp) + "." + digits.slice(-exp) : digits + "0".repeat(-exp));
    };
    let drifted = 0;
    for (const [start, stop, step] of [["0", "10", "0.1"], ["-2.5", "2.5", "0.05"], ["1e-3", "0.2", "1e-3"], ["0.3", "1.7", "0.07"]]) {
      const [a, b, h] = [decimal(start), decimal(stop), decimal(step)];
      const exp = Math.max(a.exp, b.exp, h.exp);
      const up = (x: { n: bigint; exp: number }) => x.n * 10n ** BigInt(exp - x.exp);
      const count = Number((up(b) - up(a)) / up(h)) + 1;
      const want = Array.from({ length: count }, (_, k) => Number(format(up(a) + BigInt(k) * up(h), exp)));
      expect(parseRange("eta", `${start}:${stop}:${step}`)).toEqual(want);
      let acc = Number(start);
      want.forEach((x, k) => {
        if (Number(start) + k * Number(step) !== x || acc !== x) drifted++;
        acc += Number(step);
      });
    }
    expect(drifted).toBeGreaterThan(50);
    const tenths = parseRange("eta", "0:1:0.1");
    expect(tenths).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(parseRange("eta", "1e-3:5e-3:1e-3")).toEqual([0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(parseRange("eta", "-0.3:0.3:0.15")).toEqual([-0.3, -0.15, 0, 0.15, 0.3]);
    expect(expandOption("eta", "0.7:0.9:0.1", false)).toEqual(["0.7", "0.8", "0.9"]);
  });
  it("matrices and vectors keep their commas; their lists use |", () => {
    expect(expandOption("T", "1,0;0,2", true)).toEqual(["1,0;0,2"]);
    expect(expandOption("Q0", "0.1*eye|diag:0.1,0.2|1,0;0,1", true)).toEqual(["0.1*eye", "diag:0.1,0.2", "1,0;0,1"]);
    const g = expandGrid({ T: "eye|diag:1,2", eta: "0.5,1", activation: "erf", "per-run": true }, BARS);
    expect(g).toEqual([
      { T: "eye", eta: "0.5", activation: "erf", "per-run": true },
      { T: "eye", eta: "1", activation: "erf", "per-run": true },
      { T: "diag:1,2", eta: "0.5", activation: "erf", "per-run": true },
      { T: "diag:1,2", eta: "1", activation: "erf", "per-run": true },
    ]);
    expect(expandGrid({ eta: "1:3:1", K: "2,3", samples: "3" }, BARS).length).toBe(6);
  });
  it("bad ranges and lists: messages name the option and say what is accepted", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parseRange("eta", "0.1:0.3:0"), /eta has a range "0.1:0.3:0" with step 0/],
      [() => parseRange("eta", "1:0:0.1"), /eta has a range "1:0:0.1" whose step 0.1 does not lead from 1 to 0/],
      [() => parseRange("eta", "1:2"), /eta must be a value, a list a,b,c or a range; "1:2" is not a range: a range is start:stop:step/],
      [() => parseRange("eta", "a:2:1"), /start "a" is not a finite number/],
      [() => parseRange("eta", "0:1:1e-6"), /eta has a range "0:1:1e-6" of 1000001 points; at most 100000/],
      [() => expandOption("eta", "0.5,,1", false), /eta has an empty entry in "0.5,,1"/],
      [() => expandOption("Q0", "eye||zeros", true), /separate the values of a list of matrices or vectors with "\|"/],
      [() => expandGrid({ a: "1:400:1", b: "1:400:1" }, []), /a spans a grid of 160000 points with the other lists; at most 100000 \(--a: 400, --b: 400\)/],
    ];
    for (const [f, msg] of cases) expect(f).toThrow(msg);
  });
  it("progress text with the time left (the sweep reports points done of the total)", () => {
    const p = (done: number, remainingSeconds: number | null) => ({ label: "sweep ode", done, total: 4, unit: "points", fraction: done / 4, remainingSeconds });
    expect(progressText(p(0, null), 0)).toBe("sweep ode: 0% (points 0 of 4), 0.0 s");
    expect(progressText(p(1, 6), 2)).toBe("sweep ode: 25% (points 1 of 4), 2.0 s, about 6.0 s left");
    expect(progressText(p(3, 30), 90)).toMatch(/75% \(points 3 of 4\), 1\.5 min, about 30 s left$/);
    expect(progressText(null, 2.04)).toBe("working, 2.0 s");
    expect(progressBarText(0.25, 8)).toBe("[##......]");
  });
});

const odeGrid = ["--activation", "erf", "--K", "2:3:1", "--Q0", "0.2*eye", "--R0", "zeros", "--eta", "0.5,1.5", "--alpha-max", "4", "--samples", "3"];

describe("scm sweep (built CLI)", () => {
  it("ode: one line per point, each equal to scm ode --format json for that point", () => {
    const out = join(tmp(), "runs.jsonl");
    const p = scm("sweep", "ode", ...odeGrid, "--workers", "2", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/4 points, 0 already in .*, 4 to run on 2 workers/);
    const lines = readLines(out);
    expect(lines.length).toBe(4);
    expect(new Set(lines.map((l) => `${l.options.K} ${l.options.learningRate}`))).toEqual(new Set(["2 0.5", "2 1.5", "3 0.5", "3 1.5"]));
    for (const [K, eta] of [["3", "1.5"], ["2", "0.5"]]) {
      const single = scm("ode", "--activation", "erf", "--K", K, "--Q0", "0.2*eye", "--R0", "zeros", "--eta", eta, "--alpha-max", "4", "--samples", "3", "--format", "json");
      expect(single.status, single.stderr).toBe(0);
      const line = lines.find((l) => String(l.options.K) === K && String(l.options.learningRate) === eta)!;
      expect(untimed(line.result)).toEqual(untimed(JSON.parse(single.stdout)));
    }
  });
  it("sgd: results equal scm sgd --format json; workers 1 and 2 give identical files up to order", () => {
    const dir = tmp();
    const args = ["sweep", "sgd", "--d", "100", "--runs", "2", "--alpha-max", "1", "--samples", "3", "--seed", "1:3:1", "--eta", "0.5,1"];
    const a = scm(...args, "--workers", "1", "--out", join(dir, "w1.jsonl"));
    const b = scm(...args, "--workers", "2", "--out", join(dir, "w2.jsonl"));
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const [w1, w2] = [byKey(readLines(join(dir, "w1.jsonl"))), byKey(readLines(join(dir, "w2.jsonl")))];
    expect(w1.size).toBe(6);
    expect([...w2.keys()].sort()).toEqual([...w1.keys()].sort());
    for (const [k, l] of w1) expect(untimed(l.result)).toEqual(untimed(w2.get(k)!.result));
    const single = scm("sgd", "--d", "100", "--runs", "2", "--alpha-max", "1", "--samples", "3", "--seed", "2", "--eta", "1", "--format", "json");
    const line = [...w1.values()].find((l) => l.options.seed === 2 && l.options.learningRate === 1)!;
    expect(untimed(line.result)).toEqual(untimed(JSON.parse(single.stdout)));
  });
  it("eta-regimes: each line equals scm eta-regimes --format json for its point (timings aside)", () => {
    const out = join(tmp(), "regimes.jsonl");
    const p = scm("sweep", "eta-regimes", "--precision", "1e-3,1e-4", "--workers", "2", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    const noTimes = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(noTimes) : x !== null && typeof x === "object" ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== "wallTimeMs").map(([k, v]) => [k, noTimes(v)])) : x;
    const lines = readLines(out);
    expect(lines.length).toBe(2);
    for (const prec of ["1e-3", "1e-4"]) {
      const single = scm("eta-regimes", "--precision", prec, "--format", "json");
      const line = lines.find((l) => l.options.precision === Number(prec))!;
      expect(noTimes(line.result)).toEqual(noTimes(JSON.parse(single.stdout)));
    }
  });
  it("transitions: a K range gives one line per K, equal to scm transitions --format json; bad activation rejected up front", () => {
    const out = join(tmp(), "tr.jsonl");
    const p = scm("sweep", "transitions", "--activation", "relu,sigmoid", "--K", "2:3:1", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    const lines = readLines(out);
    expect(lines.length).toBe(4);
    const noTimes = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(noTimes) : x !== null && typeof x === "object" ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== "wallTimeMs").map(([k, v]) => [k, noTimes(v)])) : x;
    const single = scm("transitions", "--activation", "sigmoid", "--K", "3", "--format", "json");
    const line = lines.find((l) => l.options.activation === "sigmoid" && l.options.K === 3)!;
    expect(noTimes(line.result)).toEqual(noTimes(JSON.parse(single.stdout)));
    const bad = scm("sweep", "transitions", "--activation", "relu,tanh", "--out", join(tmp(), "x.jsonl"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/activation/);
  });
  it("ode-symmetric and plateau: T, Q0, v are numbers there (ranges span them); each line equals the command's --format json", () => {
    const out = join(tmp(), "sym.jsonl");
    const p = scm("sweep", "ode-symmetric", "--K", "10,1e5", "--eta", "1e-3", "--T", "1:2:1", "--alpha-max", "2", "--samples", "3", "--out", out);
    expect(p.status, p.stderr).toBe(0);
    const lines = readLines(out);
    // lines in the order the workers finish them
    const points = lines.map((l) => [l.options.K as number, l.options.T as number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(points).toEqual([[10, 1], [10, 2], [1e5, 1], [1e5, 2]]);
    const single = JSON.parse(scm("ode-symmetric", "--K", "1e5", "--eta", "1e-3", "--T", "2", "--alpha-max", "2", "--samples", "3", "--format", "json").stdout);
    expect(untimed(lines.find((l) => l.options.K === 1e5 && l.options.T === 2)!.result)).toEqual(untimed(single));
    const pl = join(tmp(), "plateau.jsonl");
    expect(scm("sweep", "plateau", "--K", "10", "--eta", "0.1,0.2", "--out", pl).status).toBe(0);
    const plateaus = readLines(pl);
    const one = JSON.parse(scm("plateau", "--K", "10", "--eta", "0.2", "--format", "json").stdout);
    expect(untimed(plateaus.find((l) => l.options.learningRate === 0.2)!.result)).toEqual(untimed(one));
  });
  it("sweep plot of ode-symmetric (final eps_g) and plateau (escape rate, predicted plateau length): the grid holds the API's values", () => {
    const dir = tmp();
    const sym = join(dir, "sym.jsonl");
    expect(scm("sweep", "ode-symmetric", "--K", "10,1000", "--eta", "1e-3,2e-3", "--alpha-max", "5", "--samples", "3", "--out", sym).status).toBe(0);
    expect(scm("sweep", "plot", sym, "--x", "eta", "--y", "K", "--z", "eg", "--out", join(dir, "eg.csv")).status).toBe(0);
    const eg = readFileSync(join(dir, "eg.csv"), "utf8").trim().split("\n").map((r) => r.split(","));
    expect(eg[0]).toEqual(["K \\ learningRate", "0.001", "0.002"]);
    for (const [K, row] of [[10, 1], [1000, 2]] as const)
      for (const [eta, col] of [[1e-3, 1], [2e-3, 2]] as const) {
        const r = integrateSymmetric({ K, learningRate: eta, alphaMax: 5, samples: 3 });
        expect(Number(eg[row][col])).toBe(r.eg[2]);
      }
    const pl = join(dir, "plateau.jsonl");
    expect(scm("sweep", "plateau", "--K", "5,10", "--eta", "0.1,0.2", "--delta", "1e-6", "--no-escape-constant", "--out", pl).status).toBe(0);
    for (const z of ["escape-rate", "predicted-plateau-length"]) {
      const p = scm("sweep", "plot", pl, "--x", "eta", "--y", "K", "--z", z, "--out", join(dir, `${z}.csv`));
      expect(p.status, p.stderr).toBe(0);
      const grid = readFileSync(join(dir, `${z}.csv`), "utf8").trim().split("\n").map((r) => r.split(","));
      for (const [K, row] of [[5, 1], [10, 2]] as const)
        for (const [eta, col] of [[0.1, 1], [0.2, 2]] as const) {
          const ref = plateau({ K, learningRate: eta, delta: 1e-6, escapeConstant: false });
          const want = z === "escape-rate" ? ref.escapeRate! : Math.log(1e6) / ref.escapeRate!;
          // the CSV holds the lines' doubles; ln(1e6) vs ln(1/1e-6) may differ in the last bit
          expect(Math.abs(Number(grid[row][col]) / want - 1), `${z} at K = ${K}, eta = ${eta}`).toBeLessThan(1e-14);
        }
    }
    // a quantity of another command is refused naming --z
    const wrong = scm("sweep", "plot", pl, "--x", "eta", "--y", "K", "--z", "eg", "--out", join(dir, "x.csv"));
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/eg is not in results of plateau; quantities of plateau: status, escape-rate, predicted-plateau-length/);
  });
  it("resume: rerunning skips the points already in the file; a larger grid runs only the new ones", () => {
    const out = join(tmp(), "runs.jsonl");
    expect(scm("sweep", "ode", "--eta", "0.5,1", "--alpha-max", "2", "--samples", "3", "--out", out).status).toBe(0);
    const again = scm("sweep", "ode", "--eta", "0.5,1", "--alpha-max", "2", "--samples", "3", "--out", out);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/2 points, 2 already in .*, 0 to run/);
    // "1.0" and "0.50" are the same options: the key is the parsed options, not their text
    const more = scm("sweep", "ode", "--eta", "0.50,1.0,1.5", "--alpha-max", "2", "--samples", "3", "--out", out);
    expect(more.stderr).toMatch(/3 points, 2 already in .*, 1 to run/);
    const lines = readLines(out);
    expect(lines.map((l) => l.options.learningRate).sort()).toEqual([0.5, 1, 1.5]);
  });
  it("a half-written last line (interrupted run) is removed and its point rerun; the file stays valid", () => {
    const out = join(tmp(), "runs.jsonl");
    const grid = ["sweep", "ode", "--eta", "0.5,1,1.5", "--alpha-max", "2", "--samples", "3", "--out", out];
    expect(scm(...grid).status).toBe(0);
    const complete = readFileSync(out, "utf8").split("\n").filter((l) => l !== "");
    // simulate a kill during the third write: two whole lines, then part of the third
    writeFileSync(out, complete[0] + "\n" + complete[1] + "\n");
    appendFileSync(out, complete[2].slice(0, 120));
    const resumed = scm(...grid);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/removed a partial last line \(120 bytes/);
    expect(resumed.stderr).toMatch(/3 points, 2 already in .*, 1 to run/);
    const lines = readLines(out); // throws if any line is not JSON
    expect(lines.length).toBe(3);
    expect(byKey(lines).get(canonicalJson(["ode", JSON.parse(complete[2]).options]))!.result!.eg).toEqual(JSON.parse(complete[2]).result.eg);
  });
  it("errors: bad ranges, unknown command, missing --out exit 2; a failing point is a line with its error and exit 1", () => {
    const cases: [string[], RegExp][] = [
      [["sweep", "ode", "--eta", "1:0:0.5", "--out", "x.jsonl"], /--eta has a range "1:0:0.5" whose step 0.5 does not lead from 1 to 0/],
      [["sweep", "ode", "--K", "2:4", "--out", "x.jsonl"], /--K must be a value, a list a,b,c or a range; "2:4" is not a range/],
      [["sweep", "ode", "--K", "2:3:0.5", "--Q0", "eye", "--R0", "zeros", "--out", "x.jsonl"], /--K must be an integer >= 1 and <= 100; got "2.5"/],
      [["sweep", "ode", "--eta", "1"], /--out FILE is required/],
      [["sweep", "fly", "--out", "x.jsonl"], /unknown command "fly"; sweepable commands: ode, sgd/],
      [["sweep", "sgd", "--threads", "2", "--out", "x.jsonl"], /unknown option --threads/],
    ];
    for (const [args, msg] of cases) {
      const p = scm(...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toMatch(msg);
    }
    const out = join(tmp(), "bad.jsonl");
    // Q0 = 1 with R0 = 1.2 and T = 1: C0 is not positive definite for that point only
    const p = scm("sweep", "ode", "--K", "1", "--M", "1", "--T", "1", "--Q0", "1", "--R0", "0.5|1.2", "--alpha-max", "1", "--samples", "2", "--out", out);
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/failed: OptionError: R0 must keep C0 = .*positive definite/);
    const lines = readLines(out);
    expect(lines.filter((l) => l.error).length).toBe(1);
    expect(lines.filter((l) => l.result).length).toBe(1);
  });
  it("--help lists the commands and the grid rules", () => {
    const p = scm("sweep", "--help");
    expect(p.status).toBe(0);
    for (const s of ["ode", "sgd", "start:stop:step", '"|"', "--workers", "--out"]) expect(p.stdout).toContain(s);
  });
});
