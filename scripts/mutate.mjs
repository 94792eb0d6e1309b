// Mutation check (npm run mutate; not part of npm test): applies each formula mutation of
// scripts/mutations.mjs, one at a time, to a copy of the package in a temporary directory,
// rebuilds the WebAssembly core when the mutation is in assembly/, runs the test files the
// mutation names (vitest, stopping at the first failure) and writes docs/mutation-report.md.
// A mutation is killed when a test fails, survives when all pass; survivors that the list does
// not explain as equivalent make the command exit with status 1.
//
//   node scripts/mutate.mjs [--only id,id] [--list] [--keep]
//
// The copy holds assembly/, src/, test/, bin/, dist/, build/ and the configuration files, with
// node_modules linked, so the worktree itself is never modified. Mutated cores (the release core
// and the test build) are built at optimizeLevel 1 without converge (~3x faster than the release
// build; the same IEEE arithmetic), and the unmutated cores are rebuilt that way too and must pass
// every named test file first.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { mutations } from "./mutations.mjs";

const root = resolve(new URL("..", import.meta.url).pathname);
const args = process.argv.slice(2);
const only = args.includes("--only") ? new Set(args[args.indexOf("--only") + 1].split(",")) : null;
const selected = mutations.filter((m) => !only || only.has(m.id));

// every mutation must name existing tests and match exactly once
for (const m of mutations) {
  const text = readFileSync(join(root, m.file), "utf8");
  const n = text.split(m.find).length - 1;
  if (n !== 1) throw new Error(`mutation ${m.id}: the text to replace occurs ${n} times in ${m.file} (must be once)`);
  for (const t of m.tests) if (!existsSync(join(root, t))) throw new Error(`mutation ${m.id}: no test file ${t}`);
}
if (new Set(mutations.map((m) => m.id)).size !== mutations.length) throw new Error("mutation ids must be unique");
if (args.includes("--list")) {
  for (const m of mutations) console.log(`${m.id.padEnd(32)} ${m.file}: ${m.why}`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "scm-mutate-"));
for (const dir of ["assembly", "src", "test", "bin", "dist", "build", "scripts"]) cpSync(join(root, dir), join(work, dir), { recursive: true });
for (const f of ["package.json", "asconfig.json", "tsconfig.json", "vitest.config.ts"]) cpSync(join(root, f), join(work, f));
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
// the release core and, where there is one, the test build (release kernels plus test-only
// exports, assembly/test.ts): the release options, optimised once (no converge) at level 1
const asconfig = JSON.parse(readFileSync(join(root, "asconfig.json"), "utf8"));
const cores = [{ entry: "assembly/index.ts", target: "release", wasm: "build/release.wasm" }];
if (existsSync(join(root, "assembly/test.ts")) && asconfig.targets.test) cores.push({ entry: "assembly/test.ts", target: "test", wasm: "build/test.wasm" });
for (const c of cores) asconfig.targets[`mutate-${c.target}`] = { ...asconfig.targets[c.target], outFile: c.wasm, optimizeLevel: 1, converge: false };
writeFileSync(join(work, "asconfig.mutate.json"), JSON.stringify(asconfig, null, 2));

function run(cmd, argv, timeoutMs) {
  const t0 = Date.now();
  const p = spawnSync(cmd, argv, { cwd: work, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { ...p, seconds: (Date.now() - t0) / 1000, timedOut: p.error?.code === "ETIMEDOUT" };
}
function build() {
  let seconds = 0;
  for (const c of cores) {
    const p = run(join(work, "node_modules/.bin/asc"), [c.entry, "--config", "asconfig.mutate.json", "--target", `mutate-${c.target}`], 600_000);
    if (p.status !== 0) throw new Error(`asc failed:\n${p.stderr}`);
    seconds += p.seconds;
  }
  return seconds;
}
/** Runs the test files; returns {passed, failed test names, seconds}. */
function test(files, timeoutMs = 600_000) {
  const out = join(work, "vitest-report.json");
  rmSync(out, { force: true });
  const p = run(join(work, "node_modules/.bin/vitest"), ["run", ...files, "--bail", "1", "--reporter", "json", "--outputFile", out], timeoutMs);
  let failed = [];
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8"));
    failed = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "failed").map((a) => `${f.name.replace(work + "/", "")} > ${a.fullName}`));
    if (failed.length === 0) failed = r.testResults.filter((f) => f.status === "failed").map((f) => `${f.name.replace(work + "/", "")}: ${String(f.message).split("\n")[0]}`);
  }
  return { passed: p.status === 0 && !p.timedOut, timedOut: p.timedOut, failed, seconds: p.seconds };
}

const t0 = Date.now();
console.log(`working copy ${work}; ${selected.length} mutations`);
const baseBuild = build();
const baselineWasm = cores.map((c) => readFileSync(join(work, c.wasm)));
const allFiles = [...new Set(selected.flatMap((m) => m.tests))];
const base = test(allFiles);
if (!base.passed) throw new Error(`the unmutated package fails its tests in the copy (${base.failed.join("; ")})`);
console.log(`baseline: core built in ${baseBuild.toFixed(0)} s, ${allFiles.length} test files pass in ${base.seconds.toFixed(0)} s`);

const results = [];
for (const m of selected) {
  const path = join(work, m.file);
  const original = readFileSync(path, "utf8");
  writeFileSync(path, original.replace(m.find, () => m.replace));
  let buildSeconds = 0, r;
  try {
    if (m.file.startsWith("assembly/")) buildSeconds = build();
    r = test(m.tests);
  } catch (e) {
    r = { passed: false, timedOut: false, failed: [`build failed: ${String(e.message).split("\n").slice(0, 3).join(" ")}`], seconds: 0, invalid: true };
  } finally {
    writeFileSync(path, original);
    if (m.file.startsWith("assembly/")) cores.forEach((c, k) => writeFileSync(join(work, c.wasm), baselineWasm[k]));
  }
  const status = r.invalid ? "invalid" : r.passed ? (m.equivalent ? "equivalent" : "SURVIVED") : r.timedOut ? "killed (timeout)" : "killed";
  results.push({ ...m, status, by: r.failed[0] ?? "", seconds: buildSeconds + r.seconds });
  console.log(`${status.padEnd(17)} ${m.id} (${(buildSeconds + r.seconds).toFixed(0)} s)${r.failed[0] ? ": " + r.failed[0] : ""}`);
}
const minutes = (Date.now() - t0) / 60000;
if (!args.includes("--keep")) rmSync(work, { recursive: true, force: true });

const count = (s) => results.filter((r) => r.status.startsWith(s)).length;
const esc = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s) => "`" + esc(s.trim()).replace(/`/g, "'") + "`";
const md = `# Mutation report

Written by \`npm run mutate\` ([scripts/mutate.mjs](../scripts/mutate.mjs), mutations listed in [scripts/mutations.mjs](../scripts/mutations.mjs)) on
${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), load average ${loadavg()[0].toFixed(1)} at the end,
${minutes.toFixed(1)} minutes in all${only ? ` (only: ${[...only].join(", ")})` : ""}.

Each mutation is one realistic mistake in a formula, applied alone to a copy of the package; the
WebAssembly core is rebuilt when the mutation is in assembly/, and the test files named for it run
until the first failure. **${results.length} mutations: ${count("killed")} killed, ${count("equivalent")} equivalent, ${count("SURVIVED")} survived${count("invalid") ? `, ${count("invalid")} invalid (did not build)` : ""}.**

| mutation | file | change | why it matters | result | first failing test | s |
|---|---|---|---|---|---|---|
${results.map((r) => `| ${r.id} | ${r.file} | ${code(r.find)} → ${code(r.replace)} | ${esc(r.why)}${r.equivalent ? ` (equivalent: ${esc(r.equivalent)})` : ""} | ${r.status} | ${esc(r.by)} | ${r.seconds.toFixed(0)} |`).join("\n")}
`;
const reportPath = join(root, "docs/mutation-report.md");
if (!only) writeFileSync(reportPath, md);
else console.log(md);
console.log(`${results.length} mutations: ${count("killed")} killed, ${count("equivalent")} equivalent, ${count("SURVIVED")} survived (${minutes.toFixed(1)} min)${only ? "" : "; wrote docs/mutation-report.md"}`);
process.exit(count("SURVIVED") + count("invalid") > 0 ? 1 : 0);
