// Sweeps on batch schedulers and their phase diagrams: shard assignment (a published hash), shards
// merged equal to the unsharded sweep, version stamps refused on resume and merge, conflicting
// results refused, SGD points split by runs and aggregated equal to simulateSync bit for bit, and
// the quantities and files of scm sweep plot checked against the lines they come from.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aggregateRuns, simulateRunRange, simulateSync } from "./helpers";
import { keyHash, parseShard, shardOf } from "../src/sweep/key";
import { alphaReach, heatmap, plateauLength } from "../src/sweep/heatmap";
import { canonicalJson } from "../src/text/grid";
import { decodeRun, encodeRun } from "../src/sweep/points";
import { untimed, type SweepLine } from "../src/sweep/line";
import { VERSION_STAMP } from "../src/sweep/version";

const scm = (...args: string[]) => spawnSync(process.execPath, ["bin/scm.js", ...args], { encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "scm-sweeptools-"));
const readLines = (path: string): SweepLine[] => readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
/** Lines keyed by point, timings removed (the only fields two computations of a point may differ in). */
const byPoint = (lines: SweepLine[]) => new Map(lines.map((l) => [canonicalJson([l.command, l.options]), canonicalJson(untimed(l))]));

describe("point keys and shards", () => {
  it("keyHash is FNV-1a 32 (published test vectors)", () => {
    // the FNV reference vectors: "" -> offset basis, "a", "foobar"
    expect(keyHash("")).toBe(0x811c9dc5);
    expect(keyHash("a")).toBe(0xe40c292c);
    expect(keyHash("foobar")).toBe(0xbf9cf968);
    expect(shardOf("foobar", 7)).toBe((0xbf9cf968 % 7) + 1);
  });
  it("--remote and its options are checked before any work", () => {
    const out = join(tmp(), "x.jsonl");
    const cases: [string[], RegExp][] = [
      [["--remote", "ftp://example.org"], /--remote has "ftp:\/\/example.org": only http:\/\/ and https:\/\/ URLs/],
      [["--remote", "http://127.0.0.1:1/?x=1"], /a base URL without \?query/],
      [["--remote", "not a url"], /which is not a URL/],
      [["--concurrency", "4"], /--concurrency applies to --remote endpoints: give --remote URL,... too/],
      [["--remote", "http://127.0.0.1:1", "--retries", "-1"], /--retries must be an integer >= 0/],
    ];
    for (const [args, msg] of cases) {
      const p = scm("sweep", "ode", "--eta", "0.5,1", ...args, "--out", out);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toMatch(msg);
    }
  });
  it("--shard I/N is checked", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    for (const bad of ["0/3", "4/3", "1/0", "a/3", "1-3", ""]) expect(() => parseShard(bad), bad).toThrow(/shard must be I\/N/);
    const p = scm("sweep", "ode", "--eta", "0.5,1", "--shard", "3/2", "--out", join(tmp(), "x.jsonl"));
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--shard must be I\/N with 1 <= I <= N/);
  });
});

const grid = ["--eta", "0.5,0.75,1,1.25", "--K", "2,3", "--Q0", "0.2*eye", "--R0", "zeros", "--alpha-max", "2", "--samples", "3"];

describe("scm sweep --shard and scm sweep merge", () => {
  it("shards 1/3, 2/3, 3/3 cover the grid once; merged they equal the unsharded sweep", () => {
    const dir = tmp();
    const whole = scm("sweep", "ode", ...grid, "--workers", "2", "--out", join(dir, "all.jsonl"));
    expect(whole.status, whole.stderr).toBe(0);
    const sizes: number[] = [];
    for (const i of [1, 2, 3]) {
      const p = scm("sweep", "ode", ...grid, "--workers", "1", "--shard", `${i}/3`, "--out", join(dir, `s${i}.jsonl`));
      expect(p.status, p.stderr).toBe(0);
      sizes.push(readLines(join(dir, `s${i}.jsonl`)).length);
    }
    expect(sizes.reduce((a, b) => a + b)).toBe(8); // no point in two shards, none left out
    const m = scm("sweep", "merge", join(dir, "s1.jsonl"), join(dir, "s2.jsonl"), join(dir, "s3.jsonl"), join(dir, "s2.jsonl"), "--out", join(dir, "merged.jsonl"));
    expect(m.status, m.stderr).toBe(0);
    expect(m.stderr).toMatch(/8 points \(\d+ duplicate lines? kept once\)/);
    const merged = readLines(join(dir, "merged.jsonl"));
    expect(merged.every((l) => l.version!.core === VERSION_STAMP.core && l.version!.package === VERSION_STAMP.package)).toBe(true);
    expect(byPoint(merged)).toEqual(byPoint(readLines(join(dir, "all.jsonl"))));
  });
  it("lines of another build are refused by resume and by merge; a point with two results is refused", () => {
    const dir = tmp();
    const out = join(dir, "a.jsonl");
    expect(scm("sweep", "ode", "--eta", "0.5,1", "--alpha-max", "1", "--samples", "2", "--out", out).status).toBe(0);
    const [l1, l2] = readFileSync(out, "utf8").split("\n");
    const other = join(dir, "other.jsonl");
    writeFileSync(other, l1.replace(`"core":"${VERSION_STAMP.core}"`, `"core":"0000000000000000"`) + "\n");
    const resume = scm("sweep", "ode", "--eta", "0.5,1", "--alpha-max", "1", "--samples", "2", "--out", other);
    expect(resume.status).toBe(2);
    expect(resume.stderr).toMatch(/line 1 was computed by soft-committee 0\.1\.0\+0000000000000000, this is .*: write to another file/);
    const merge = scm("sweep", "merge", out, other, "--out", join(dir, "m.jsonl"));
    expect(merge.status).toBe(2);
    expect(merge.stderr).toMatch(/other\.jsonl:1 was computed by soft-committee 0\.1\.0\+0000000000000000, .*a\.jsonl:1 by 0\.1\.0\+/);
    const changed = join(dir, "changed.jsonl");
    const line = JSON.parse(l2);
    line.result.eg[1] = line.result.eg[1] * (1 + 1e-15) + 1e-16; // one number off in its last bits
    writeFileSync(changed, JSON.stringify(line) + "\n");
    const conflict = scm("sweep", "merge", out, changed, "--out", join(dir, "m.jsonl"));
    expect(conflict.status).toBe(2);
    expect(conflict.stderr).toMatch(/hold different results for the same point/);
  });
});

describe("SGD points split by runs", () => {
  it("runs computed in pieces and aggregated equal simulateSync bit for bit (through the wire encoding)", () => {
    const o = { d: 60, runs: 5, seed: 3, alphaMax: 2, samples: 4, testInputs: 50, perRun: true, learningRate: 0.8 };
    const whole = simulateSync(o);
    // pieces out of order, each through base64 and back as the edge and the client exchange them
    const pieces = [simulateRunRange(o, { firstRun: 3, count: 2 }), simulateRunRange(o, { firstRun: 0, count: 3 })].flat().map((r) => decodeRun(JSON.parse(JSON.stringify(encodeRun(r)))));
    const split = aggregateRuns(o, pieces, whole.stats.wallTimeMs);
    expect(split.eg.mean).toEqual(whole.eg.mean); // toEqual on Float64Arrays: every element exactly
    expect(split.eg.std).toEqual(whole.eg.std);
    expect(split.egTest).toEqual(whole.egTest);
    expect(split.Q).toEqual(whole.Q);
    expect(split.R).toEqual(whole.R);
    expect(split.runs).toEqual(whole.runs);
    expect(split.assignments).toEqual(whole.assignments);
    expect({ ...split.options }).toEqual({ ...whole.options });
    expect(() => aggregateRuns(o, pieces.slice(1))).toThrow(/must hold runs 0 .. 4 each once/);
    expect(() => simulateRunRange(o, { firstRun: 4, count: 2 })).toThrow(/count/);
    // a range is never truncated: over maxWork it is refused
    expect(() => simulateRunRange({ ...o, maxWork: 1e-9, workLimitAction: "truncate" }, { firstRun: 0, count: 1 })).toThrow(/exceeds maxWork/);
  });
});

describe("phase-diagram quantities", () => {
  it("alpha-reach interpolates linearly between the samples around the crossing", () => {
    // eg from 0.5 to 0.25 between alpha 1 and 2: the level 0.4 is 0.1 / 0.25 of the way
    expect(alphaReach([0, 1, 2], [1, 0.5, 0.25], 0.4)).toBe(1.4);
    expect(alphaReach([0, 1, 2], [1, 0.5, 0.25], 1)).toBe(0);
    expect(alphaReach([0, 1, 2], [1, 0.5, 0.25], 0.1)).toBeNull();
  });
  it("plateau-length is the longest flat stretch of the curve", () => {
    // a curve built with a plateau on alpha in [3, 7] (relative change 1e-4 per unit alpha) between
    // two decays of 10% per unit alpha, then converged to zero (not a plateau)
    const alpha = Array.from({ length: 16 }, (_, i) => i);
    const eg = alpha.map((a) => (a <= 3 ? 0.9 ** a : a <= 7 ? 0.9 ** 3 * (1 - 1e-4 * (a - 3)) : a < 12 ? 0.9 ** 3 * (1 - 4e-4) * 0.9 ** (a - 7) : 0));
    expect(plateauLength(alpha, eg)).toBe(4);
    expect(plateauLength(alpha, eg, 1e-5)).toBe(0); // flatness below the plateau's slope: none
    expect(plateauLength(alpha, eg, 0.2)).toBe(11); // everything down to the zeros is "flat" at 20%
  });
  it("heatmap cells: missing points blank; an option varying within a cell must be fixed", () => {
    const line = (eta: number, K: number, alphaMax: number, eg: number): SweepLine => ({ command: "ode", options: { learningRate: eta, K, alphaMax, Q0: Array.from({ length: K }, () => new Array(K).fill(0)) }, result: { alpha: [0, alphaMax], eg: [1, eg], status: "completed" } });
    const lines = [line(0.5, 2, 10, 0.1), line(1, 2, 10, 0.2), line(0.5, 3, 10, 0.3), line(0.5, 2, 20, 0.05)];
    expect(() => heatmap(lines, { x: "learningRate", y: "K", z: "eg" })).toThrow(/also varies alphaMax \(10, 20\)/);
    const h = heatmap(lines, { x: "learningRate", y: "K", z: "eg", at: { alphaMax: 10 } }); // Q0 varies with K only: allowed
    expect(h.xs).toEqual(["0.5", "1"]);
    expect(h.ys).toEqual(["2", "3"]);
    expect(h.cells.map((c) => c.z)).toEqual([0.1, 0.2, 0.3, null]);
  });
});

describe("scm sweep plot (built CLI)", () => {
  it("CSV grid equals the lines' final eps_g; SVG has one cell per grid point; PNG is a PNG of the figure", () => {
    const dir = tmp();
    const file = join(dir, "g.jsonl");
    expect(scm("sweep", "ode", "--eta", "0.5,1,1.5", "--K", "2,3", "--Q0", "0.2*eye", "--R0", "zeros", "--alpha-max", "2", "--samples", "3", "--workers", "2", "--out", file).status).toBe(0);
    const p = scm("sweep", "plot", file, "--x", "eta", "--y", "K", "--z", "eg", "--out", join(dir, "m.csv"), "--out", join(dir, "m.svg"), "--out", join(dir, "m.png"));
    expect(p.status, p.stderr).toBe(0);
    const csv = readFileSync(join(dir, "m.csv"), "utf8").trim().split("\n").map((r) => r.split(","));
    expect(csv[0]).toEqual(["K \\ learningRate", "0.5", "1", "1.5"]);
    for (const l of readLines(file)) {
      const row = csv.find((r) => r[0] === String(l.options.K))!;
      const eg = l.result!.eg as number[];
      expect(Number(row[csv[0].indexOf(String(l.options.learningRate))])).toBe(eg[eg.length - 1]);
    }
    const svg = readFileSync(join(dir, "m.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    // one rect per (eta, K), labelled with its values (what a reader hovering it sees)
    const cells = [...svg.matchAll(/aria-label="η: ([^;]+); K: (\d+); final ε_g: ([^"]+)" role="graphics-symbol" aria-roledescription="rect mark"/g)];
    expect(cells.length).toBe(6);
    for (const [, eta, K, eg] of cells) {
      const row = csv.find((r) => r[0] === K)!;
      const value = Number(row[csv[0].indexOf(eta)]);
      expect(Math.abs(Number(eg) - value)).toBeLessThanOrEqual(5e-12 * Math.abs(value)); // vega's label keeps 12 significant digits
    }
    const png = readFileSync(join(dir, "m.png"));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const [sw, sh] = [Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)![1]), Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)![1])];
    expect([w, h]).toEqual([Math.round(2 * sw), Math.round(2 * sh)]); // the SVG rasterised at 2x
    const bad = scm("sweep", "plot", file, "--x", "eta", "--y", "bogus", "--z", "eg");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--y "bogus" is not an option of ode; varying in .*: K, Q0, R0, eta/);
  });
});
