// The hostile battery of the command line: invocations as a new user might type them (negative
// numbers, NaN and Infinity as text, huge and empty values, wrong shapes, unknown and repeated
// flags, unwritable outputs, computations far too large), hand-written and generated
// (fast-check, fixed seed). Each must exit within 10 s or show progress within 2 s and then stop
// cleanly on SIGINT; never a stack trace; no NaN; every error one line naming the flag as typed
// and what it accepts (test/battery/invoke.ts). Runs the built CLI, two invocations at a time.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../src/options/commands";
import { flagsOf, type OptionSpec } from "../src/options/option";
import { parseText } from "../src/options/text";
import { invoke, limited, problems, type Expect, type Outcome } from "./battery/invoke";

const dir = mkdtempSync(join(tmpdir(), "scm-battery-"));
const f = (name: string) => join(dir, name);
writeFileSync(f("x.pdf"), "a file, not a folder");
mkdirSync(f("afolder"));
const batch = JSON.stringify({ W: [[0.3, -0.2, 0.1]], b: [0.05], X: [[1, 0.5, -0.3], [0.2, -1, 0.4]], Y: [[0.4], [-0.1]] });

const ok: Expect = { kind: "ok" };
const err = (names: string, accepts?: RegExp, code?: number): Expect => ({ kind: "error", names, accepts, code });
const any = (extra: Partial<Expect> = {}): Expect => ({ kind: "any", ...extra });

type Case = [string[], Expect, { stdin?: string }?];

const HAND: Case[] = [
  // help, commands
  [["--help"], ok], [["help", "ode"], ok], [["ode", "--help"], ok], [["sweep", "--help"], ok], [["sweep", "ode", "--help"], ok], [[], { kind: "usage" }],
  [["fly"], err('"fly"', /unknown command/)], [["od"], err('"od"', /did you mean ode\?/)], [["sweep"], { kind: "usage" }], [["sweep", "fly", "--out", f("s0.jsonl")], err('"fly"', /sweepable commands: ode/)],
  // the examples: negative values, names as typed, cross-option rules before any work
  [["ode", "--eta", "-1"], err("--eta", /> 0; got -1/)], [["ode", "--eta=-1"], err("--eta", /> 0/)], [["ode", "--learning-rate", "0"], err("--learning-rate", /> 0; got 0/)],
  [["popgrad", "--x-range", "-1,2", "--grid", "5", "--t-max", "1"], ok], [["popgrad", "--x-range=-1,2", "--y-range", "-2,-1", "--grid", "4", "--t-max", "0.5"], ok],
  [["popgrad", "--x-range", "2,-1"], err("--x-range", /max > min/)], [["popgrad", "--grid", "0"], err("--grid", /integer >= 2 and <= 2000; got 0/)],
  [["continue", "--parameter", "T:3,3"], err("--parameter", /1 <= n, m <= 2 \(1-based/)], [["continue", "--parameter", "T:0,1"], err("--parameter", /1-based/)], [["continue", "--parameter", "T1,2"], err("--parameter", /eta, or T:n,m/)],
  [["compare", "--restart-alpha", "1e9"], err("--restart-alpha", /within the run.*<= its last sample 100/)], [["compare", "--restart-alpha", "-1"], err("--restart-alpha", />= 0/)],
  [["ode", "--out", "/dev/full", "--alpha-max", "1", "--samples", "2"], err("--out", /cannot write: no space left/, 1)],
  [["ode", "--out", f("x.pdf/y.csv")], err("--out", /x\.pdf is not a folder/)], [["reference", "--out-dir", "/dev/null/x"], err("--out-dir", /not a folder/)],
  [["figure1", "--out-dir", "/dev/null/x"], err("--out-dir", /not a folder/)], [["ode", "--out", f("x.pdf")], err("--out", /\.pdf is not one of \.json \(json\), \.csv \(csv\), \.txt \(table\)/)],
  [["ode", "--out", f("afolder")], err("--out", /is a folder/)], [["compare", "--plot", f("c.png")], err("--plot", /SVG/)], [["optimal-lr", "--json", batch, "--out", f("o.csv")], err("--out", /\.csv is not one of \.json \(json\), \.txt \(table\)/)],
  [["ode", "--alpha-max", "1", "--samples", "2", "--out", f("new/sub/curve.csv")], ok], [["ode", "--alpha-max", "1", "--samples", "2", "--out", f("a.json"), "--out", f("a.csv"), "--out", f("a.txt")], ok],
  [["equilibrium", "--K", "2", "--alpha-max", "2", "--samples", "3", "--plot", f("eq/fig.svg")], ok],
  // flags
  [["ode", "--bogus", "1"], err("--bogus", /unknown option/)], [["ode", "--alpha-maxx", "3"], err("--alpha-maxx", /did you mean --alpha-max\?/)], [["ode", "--eta", "1", "--eta", "2"], err("--eta", /more than once/)],
  [["ode", "--eta"], err("--eta", /needs a value/)], [["ode", "--eta", "--samples", "3"], err("--eta", /needs a value \(X\); got the flag --samples/)], [["ode", "5"], err('"5"', /unexpected argument/)],
  [["ode", "-e", "1"], err('"-e"', /two dashes/)], [["ode", "--per-run"], err("--per-run", /unknown option/)], [["sgd", "--per-run=maybe"], err("--per-run", /true or false/)],
  [["ode", "--no-error-estimate=1"], err("--no-error-estimate", /takes no value/)], [["sgd", "--threads", "0"], err("--threads", />= 1 and <= 256/)], [["sgd", "--threads", "300"], err("--threads", /<= 256/)],
  [["ode", "--K", "2", "--k", "3"], err("--k", /did you mean --K\?/)], [["ode", "--Eta", "1"], err("--Eta", /did you mean --eta\?/)],
  // values
  [["ode", "--eta", "NaN"], err("--eta", /> 0; got "NaN"/)], [["ode", "--eta", "Infinity"], err("--eta", /finite/)], [["ode", "--eta", "-Infinity"], err("--eta", /finite/)], [["ode", "--eta", "1e999"], err("--eta", /finite/)],
  [["ode", "--eta", ""], err("--eta", /got ""/)], [["ode", "--eta", "abc"], err("--eta", /got "abc"/)], [["ode", "--eta", "1,2"], err("--eta", /got "1,2"/)], [["ode", "--samples", "1.5"], err("--samples", /integer/)],
  [["ode", "--samples", "1"], err("--samples", />= 2/)], [["ode", "--samples", "1e8"], err("--samples", /<= 1e7/)], [["ode", "--K", "0", "--Q0", "eye", "--R0", "zeros"], err("--K", />= 1 and <= 100/)],
  [["ode", "--K", "101", "--Q0", "eye", "--R0", "zeros"], err("--K", /<= 100/)], [["ode", "--K", "3", "--Q0", "diag:1,2", "--R0", "zeros"], err("--Q0", /must be 3 x 3/)], [["ode", "--Q0", "eye"], err("--R0", /is required/)],
  [["ode", "--T", "1,2;2,1", "--Q0", "eye", "--R0", "zeros"], err("--T", /positive definite/)], [["ode", "--Q0", "1,0.5;0,1", "--R0", "zeros"], err("--Q0", /symmetric/)],
  [["ode", "--K", "2", "--Q0", "eye", "--R0", "eye", "--T", "eye"], err("--R0", /must keep C0/)], [["ode", "--Q0", "1,0;0", "--R0", "zeros"], err("--Q0", /rows of equal length/)],
  [["ode", "--Q0", "1,x;0,1", "--R0", "zeros"], err("--Q0", /entry \(1,2\) is "x"/)], [["ode", "--Q0", "NaN*eye", "--R0", "zeros"], err("--Q0", /not a finite number/)],
  [["ode", "--v", "1,2,3"], err("--v", /2 entries/)], [["ode", "--v-star", "a,b"], err("--v-star", /got "a,b"/)], [["ode", "--activation", "tanh"], err("--activation", /one of relu, erf, linear/)],
  [["ode", "--teacher-activation", "sigmoid"], err("--teacher-activation", /one of relu, erf, linear/)], [["ode", "--method", "hermite", "--activation", "erf"], err("--method", /relu" only/)],
  [["ode", "--method", "hermite", "--teacher-activation", "erf"], err("--method", /--teacher-activation equal to --activation/)], [["ode", "--hermite-order", "1000", "--method", "hermite"], err("--hermite-order", /<= 100/)],
  [["ode", "--integrator", "leapfrog"], err("--integrator", /one of euler, rk4, adaptive/)], [["ode", "--step", "0"], err("--step", /> 0/)], [["ode", "--step", "-0.1"], err("--step", /> 0/)], [["ode", "--rtol", "2"], err("--rtol", /<= 1/)],
  [["ode", "--divergence-bound", "0.1"], err("--divergence-bound", /largest initial Q_ii of --Q0/)], [["ode", "--alpha-points", "0,1", "--samples", "3"], err("--alpha-points", /together with --samples/)],
  [["ode", "--alpha-points", "0,2,1"], err("--alpha-points", /entry 3 must be > the previous point/)], [["ode", "--alphas", "-1,2"], err("--alphas", /entry 1 must be a finite number >= 0; got -1/)],
  [["ode", "--alpha-points", ""], err("--alpha-points", /got ""/)], [["ode", "--max-steps", "0"], err("--max-steps", />= 1/)], [["ode", "--format", "xml"], err("--format", /one of table, json, csv/)], [["ode", "--every", "0"], err("--every", />= 1/)],
  [["sgd", "--d", "3"], err("--d", /integer >= 4/)], [["sgd", "--runs", "0"], err("--runs", />= 1/)], [["sgd", "--seed", "-1"], err("--seed", />= 0/)], [["sgd", "--batch", "0"], err("--batch", />= 1/)],
  [["sgd", "--alpha-points", "0,0.0001", "--d", "100"], err("--alpha-points", /at least one step/)], [["sgd", "--samples", "1e6", "--alpha-max", "1", "--d", "50"], err("--samples", /less than one step/)],
  [["compare", "--runs", "1"], err("--runs", /integer >= 2/)], [["fixed-points", "--guess-Q", "eye"], err("--guess-R", /required with --guess-Q/)], [["fixed-points", "--multi-start", "-1"], err("--multi-start", />= 0/)],
  [["fixed-points", "--seed", "1e10"], err("--seed", /<= 4294967295/)], [["eta-regimes", "--precision", "2"], err("--precision", /<= 0.1/)], [["eta-regimes", "--eta", "1"], err("--eta", /unknown option/)],
  [["eta-sweep", "--etas", "0.5,-1"], err("--etas", /entry 2 must be a finite number > 0; got -1/)], [["eta-sweep", "--etas", ""], err("--etas", /got ""/)],
  [["optimal-lr"], err("--batch", /is required/)], [["optimal-lr", "--json", "{"], err("--json", /not valid JSON/)], [["optimal-lr", "--json", JSON.stringify({ W: [[1, 2]], X: [[1]], Y: [[1]] })], err("X", /the batch's X must be 1 x 2/)],
  [["optimal-lr", "--batch", "/nonexistent.json"], err("--batch", /no such file/)], [["optimal-lr", "--batch", f("afolder")], err("--batch", /folder/)], [["optimal-lr", "--json", batch, "--slope", "0.1"], err("--slope", /applies only to --activation "leakyRelu": it must not be given with --activation "relu"/)],
  [["optimal-lr", "--batch", "-"], ok, { stdin: batch }], [["optimal-lr", "--json", batch, "--format", "json"], ok], [["optimal-lr-demo", "--batch-size", "0"], err("--batch-size", />= 1/)], [["optimal-lr-demo", "--rates", "0.1,-1"], err("--rates", /entry 2/)],
  [["popgrad", "--K", "1"], err("--K", />= 2/)], [["popgrad", "--starts", "1,2,3"], err("--starts", /point 1/)], [["popgrad", "--t-max", "-1"], err("--t-max", /> 0/)], [["popgrad-check", "--N", "0"], err("--N", /entry 1 must be an integer >= 1/)],
  [["popgrad-check", "--angles", "0"], err("--angles", />= 1/)], [["equilibrium", "--activation", "erf"], err("--activation", /one of relu, sigmoid/)], [["equilibrium", "--K", "0"], err("--K", />= 1/)], [["equilibrium", "--samples", "1"], err("--samples", />= 2/)],
  [["equilibrium", "--site-symmetry", "--K", "40"], err("--site-symmetry", /K <= 30/)], [["transitions", "--K", "abc"], err("--K", /got "abc"/)], [["transitions", "--K", "2,0"], err("--K", /entry 2 must be an integer >= 1/)],
  // sweeps
  [["sweep", "ode", "--eta", "1:0:0.5", "--out", f("s1.jsonl")], err("--eta", /does not lead from 1 to 0/)], [["sweep", "ode", "--K", "2:4", "--out", f("s2.jsonl")], err("--K", /is not a range/)],
  [["sweep", "ode", "--eta", "1"], err("--out", /is required/)], [["sweep", "sgd", "--threads", "2", "--out", f("s3.jsonl")], err("--threads", /unknown option/)], [["sweep", "ode", "--eta", "1", "--eta", "2", "--out", f("s4.jsonl")], err("--eta", /more than once/)],
  [["sweep", "ode", "--eta", "0,1", "--out", f("s5.jsonl")], err("--eta", /> 0; got 0/)], [["sweep", "ode", "--eta", "0.5,1", "--alpha-max", "1", "--samples", "2", "--out", f("s6.jsonl")], ok],
  [["sweep", "ode", "--eta", "0.5", "--out", f("x.pdf/s.jsonl")], err("--out", /not a folder/)],
  // far too large for a few seconds: a refusal, or progress within 2 s and a clean stop on Ctrl-C
  [["popgrad", "--K", "10000"], any({ names: "--K" })], [["fixed-points", "--K", "8", "--Q0", "0.1*eye", "--R0", "zeros"], any()], [["ode", "--alpha-max", "1e12"], any({ names: "--alpha-max" })],
  [["sgd", "--d", "1e7"], any({ names: "--d" })], [["ode", "--samples", "1e7"], any({ names: "--samples" })], [["ode", "--K", "100", "--M", "100", "--Q0", "0.1*eye", "--R0", "zeros", "--alpha-max", "1"], any()],
  [["ode", "--alpha-max", "1e6", "--out", f("long.json")], any({ absent: [f("long.json")], clean: [dir] })], [["equilibrium", "--K", "10", "--samples", "20000", "--plot", f("eq-long.svg")], any({ absent: [f("eq-long.svg")], clean: [dir] })],
  [["sweep", "ode", "--eta", "0.1:2:0.1", "--alpha-max", "1e5", "--out", f("sweep-long.jsonl")], any({ clean: [dir] })], [["compare", "--d", "1e6", "--runs", "1000"], any()], [["eta-regimes", "--K", "6", "--Q0", "0.2*eye", "--R0", "zeros"], any()],
  // quick and valid
  [["ode", "--alpha-max", "1", "--samples", "2"], ok], [["ode", "--alpha-max", "1", "--samples", "2", "--format", "json"], ok], [["sgd", "--d", "50", "--runs", "2", "--alpha-max", "0.5", "--samples", "2"], ok],
  [["transitions", "--K", "2"], ok], [["popgrad-check", "--N", "10", "--angles", "2", "--trials", "2"], ok], [["equilibrium", "--K", "2", "--alpha-max", "2", "--samples", "3"], ok],
  [["optimal-lr-demo", "--steps", "2", "--rates", "0.1", "--test-size", "10"], ok], [["ode", "--K", "1", "--M", "1", "--T", "1", "--Q0", "0.5", "--R0", "0.1", "--alpha-max", "1", "--samples", "2"], ok],
  [["ode", "--eta=0.5", "--integrator", "adaptive", "--alpha-max", "1", "--samples", "3", "--no-error-estimate"], ok], [["ode", "--alphas", "0,0.5,1", "--format", "csv"], ok],
  // large networks: numbers where the full ODE takes matrices, lists of activations, K up to 1e6
  [["ode-symmetric", "--T", "eye"], err("--T", /finite number > 0; got "eye"/)], [["ode-symmetric", "--Q0", "0.2*eye"], err("--Q0", /got "0.2\*eye"/)], [["ode-symmetric", "--K", "0"], err("--K", />= 1 and <= 1e6; got 0/)],
  [["ode-symmetric", "--K", "1e7"], err("--K", /<= 1e6/)], [["ode-symmetric", "--C0", "0.5"], err("--C0", /valid overlap matrix/)], [["ode-symmetric", "--divergence-bound", "0.1"], err("--divergence-bound", /> 0.2/)],
  [["ode-symmetric", "--alpha-points", "0,1", "--samples", "3"], err("--alpha-points", /together with --samples/)], [["ode-symmetric", "--v-star", "1,1"], err("--v-star", /got "1,1"/)], [["ode-symmetric", "--plot", f("s.png")], err("--plot", /SVG/)],
  [["plateau", "--K", "1"], err("--K", />= 2/)], [["plateau", "--delta", "0"], err("--delta", /> 0 and <= 0.1/)], [["plateau", "--format", "csv"], err("--format", /one of table, json/)], [["plateau", "--escape-constant=maybe"], err("--escape-constant", /true or false/)],
  [["eta-limits", "--activation", "erf,,relu"], err("--activation", /entry 2 must be one of/)], [["eta-limits", "--K", "2,1e7"], err("--K", /entry 2 must be an integer >= 2 and <= 1e6/)], [["eta-limits", "--precision", "0"], err("--precision", />= 1e-8/)],
  [["sweep", "ode-symmetric", "--K", "10,100", "--C0", "0.5", "--out", f("s7.jsonl")], err("--C0", /valid overlap matrix/)], [["sweep", "plateau", "--K", "1:3:1", "--out", f("s8.jsonl")], err("--K", />= 2/)],
  [["ode-symmetric", "--K", "1000000", "--eta", "1e-6", "--alpha-max", "2", "--samples", "3", "--format", "json"], ok], [["plateau", "--K", "1000", "--eta", "1e-3", "--format", "json"], ok],
  [["eta-limits", "--K", "5", "--no-escape", "--activation", "erf,relu"], ok], [["sweep", "ode-symmetric", "--K", "10,1e4", "--eta", "1e-3", "--alpha-max", "1", "--samples", "2", "--out", f("s9.jsonl")], ok],
  [["ode-symmetric", "--activation", "relu", "--K", "1000", "--eta", "1e-3", "--alpha-max", "1e5", "--out", f("sym-long.json")], any({ absent: [f("sym-long.json")], clean: [dir] })], [["eta-limits", "--activation", "relu", "--precision", "1e-8"], any()],
  [["plateau", "--activation", "erf", "--K", "100", "--eta", "0.0105", "--delta", "1e-6"], any()],
];

// ---- generated: every numeric option of every command with hostile text ----

const numeric = COMMANDS.filter((c) => c.name !== "sweep").flatMap((c) => c.options.filter((o) => o.type === "number" || o.type === "integer" || o.type === "list").map((o) => [c.name, o] as [string, OptionSpec]));
const hostileText = fc.oneof(
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "", " ", "abc", "1,,2", "0x", "--", "-", "1e", ".", "1..2", "+-1", "١"),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -1e12, max: 1e12 }).map(String),
  fc.constantFrom("-1", "0", "-0", "1e300", "-1e300", "2.5", "4294967296", "1e-320"),
);
/** A generated invocation: the command, the flag as typed (its name or an alias), the text, with "=" or as the next argument. */
const generated = fc.sample(
  fc.record({ pick: fc.nat(numeric.length - 1), text: hostileText, alias: fc.nat(3), eq: fc.boolean() }),
  { seed: 20240613, numRuns: 45 },
).map(({ pick, text, alias, eq }): Case | null => {
  const [command, spec] = numeric[pick];
  const flags = flagsOf(spec);
  const typed = `--${flags[alias % flags.length]}`;
  let valid = true;
  try {
    parseText(spec, text);
  } catch {
    valid = false;
  }
  // a valid value may start any amount of work: then only the generic rules apply
  // optimal-lr needs its batch; then the option under test is the only question
  const head = command === "optimal-lr" ? [command, "--json", batch] : [command];
  const args = eq || text.startsWith("--") ? [...head, `${typed}=${text}`] : [...head, typed, text];
  return [args, valid ? any({ names: typed }) : err(typed)];
}).filter((c): c is Case => c !== null);

/** Typos of flags (a letter dropped, doubled or swapped): refused, naming the typo. */
const typos = fc.sample(fc.record({ c: fc.nat(COMMANDS.length - 1), o: fc.nat(40), at: fc.nat(20), kind: fc.nat(2) }), { seed: 7, numRuns: 25 }).map(({ c, o, at, kind }): Case => {
  const command = COMMANDS[c];
  const flag = command.options[o % command.options.length].flag;
  const i = at % flag.length;
  const typo = kind === 0 ? flag.slice(0, i) + flag.slice(i + 1) + "x" : kind === 1 ? flag + flag[i] : `${flag}-${flag}`;
  const known = command.options.flatMap(flagsOf);
  const head = command.name === "sweep" ? ["sweep", "ode"] : [command.name];
  return known.includes(typo) ? [[...head, "--help"], ok] : [[...head, `--${typo}`, "1"], err(`--${typo}`, /unknown option/)];
});

/** Matrices of random shapes and entries for a random K, M: computed (tiny runs) or refused naming a matrix or size flag. */
const cell = fc.oneof(fc.constantFrom("0", "0.1", "1", "-1", "x", "NaN", "", "1e999"), fc.double({ min: -2, max: 2, noNaN: true }).map((x) => x.toFixed(2)));
const matrixText = fc.oneof(
  fc.constantFrom("eye", "zeros", "0.1*eye", "-1*eye", "diag:0.1,0.2", "diag:1", "diag:", "x*eye", "1,0;0"),
  fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((rows) => rows.map((r) => r.join(",")).join(";")),
);
const shapes = fc.sample(fc.record({ K: fc.integer({ min: 1, max: 3 }), M: fc.integer({ min: 1, max: 3 }), T: matrixText, Q0: matrixText, R0: matrixText }), { seed: 99, numRuns: 20 }).map(({ K, M, T, Q0, R0 }): Case => [
  ["ode", "--K", String(K), "--M", String(M), "--T", T, "--Q0", Q0, "--R0", R0, "--alpha-max", "0.5", "--samples", "2", "--no-error-estimate"],
  any({ accepts: /--(T|Q0|R0|K|M)\b/ }),
]);

const CASES: Case[] = [...HAND, ...generated, ...typos, ...shapes];
let outcomes: Outcome[] = [];

describe(`CLI battery: ${CASES.length} invocations`, () => {
  beforeAll(async () => {
    if (!existsSync("dist/cli.js")) throw new Error("dist/cli.js missing: run npm run build first");
    outcomes = await limited(2, CASES.map(([args, e, o]) => () => invoke(args, { ...o, interrupt: e.kind === "any" })));
    // SCM_BATTERY_TIMES=file: the wall time of every invocation (to keep the battery short)
    if (process.env.SCM_BATTERY_TIMES) writeFileSync(process.env.SCM_BATTERY_TIMES, outcomes.map((o) => `${o.ms}\t${o.interrupted ? "interrupted" : o.code}\t${o.args.join(" ").slice(0, 100)}`).sort((a, b) => parseInt(b) - parseInt(a)).join("\n"));
  }, 600_000);
  it("at least 150 invocations", () => expect(CASES.length).toBeGreaterThanOrEqual(150));
  it.each(CASES.map((c, i) => [c[0].map((a) => (a.length > 40 ? a.slice(0, 37) + "..." : a)).join(" "), i] as const))("scm %s", (_name, i) => {
    const o = outcomes[i];
    const [, e] = CASES[i];
    const found = problems(o, e);
    // "any" with a name: an error, when there is one, names that flag; a matrix case names one of its flags
    if (e.kind === "any" && e.accepts && o.code === 2 && !e.accepts.test(o.stderr)) found.push(`error names none of the flags: ${o.stderr.trim()}`);
    expect(found, `${o.args.join(" ")}\n${o.stderr}`).toEqual([]);
  });
  it("files asked for are whole: the CSV written to a new folder, the three formats, the figure", () => {
    expect(readFileSync(f("new/sub/curve.csv"), "utf8").trim().split("\n")).toHaveLength(3);
    expect(JSON.parse(readFileSync(f("a.json"), "utf8")).alpha).toEqual([0, 1]);
    expect(readFileSync(f("a.csv"), "utf8").split("\n")[0]).toMatch(/^alpha,eg,/);
    expect(readFileSync(f("eq/fig.svg"), "utf8")).toMatch(/^<svg/);
    // an interrupted sweep leaves only whole lines
    const lines = existsSync(f("sweep-long.jsonl")) ? readFileSync(f("sweep-long.jsonl"), "utf8").split("\n").filter(Boolean) : [];
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });
});
