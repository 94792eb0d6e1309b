// `npm test`: every runner, each one even when an earlier one failed, then the summed count as the
// last line: "N passed, N failed". A step that fails (build, type check) counts as one failure; a
// runner that does not report its count, a vitest file that fails to import, or a runner whose exit
// code says failure while its count says none, each count as one failure too.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");
const tmp = mkdtempSync(join(tmpdir(), "scm-test-"));
const vitestJson = join(tmp, "vitest.json");
const TIMEOUT_MS = 15 * 60e3;

/** Runs a command, its output shown as it comes and kept for counting. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
    let out = "";
    const keep = (d, stream) => {
      out += d;
      stream.write(d);
    };
    child.stdout.on("data", (d) => keep(d, process.stdout));
    child.stderr.on("data", (d) => keep(d, process.stderr));
    const timer = setTimeout(() => {
      out += `\n(runner stopped after ${TIMEOUT_MS / 60e3} minutes)\n`;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: 127, out: `${out}\n${e.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), out: strip(out) });
    });
  });
}

/** Pass/fail of a step without a test count. */
const step = ({ code }) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, note: `exit code ${code}` });

/** as-pect: "[Tests]: 8 / 8" (passed / total) per run. */
function aspect({ code, out }) {
  const runs = [...out.matchAll(/\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/g)];
  if (runs.length === 0) return { passed: 0, failed: 1, note: "no count reported" };
  const passed = runs.reduce((s, m) => s + +m[1], 0);
  const failed = runs.reduce((s, m) => s + +m[2] - +m[1], 0);
  return code !== 0 && failed === 0 ? { passed, failed: 1, note: `exit code ${code}` } : { passed, failed };
}

/** vitest: its JSON report; a file that failed without a failed test (an import error) counts once. */
function vitest({ code }) {
  let r;
  try {
    r = JSON.parse(readFileSync(vitestJson, "utf8"));
  } catch {
    return { passed: 0, failed: 1, note: "no JSON report" };
  }
  const broken = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"));
  const failed = r.numFailedTests + broken.length;
  const note = [broken.length ? `${broken.length} file(s) failed to run: ${broken.map((f) => f.name.replace(process.cwd() + "/", "")).join(", ")}` : "", r.numPendingTests ? `${r.numPendingTests} skipped` : ""].filter(Boolean).join("; ");
  if (code !== 0 && failed === 0) return { passed: r.numPassedTests, failed: 1, note: `exit code ${code}` };
  return { passed: r.numPassedTests, failed, note };
}

/** The browser runners print their own "N passed, N failed" line. */
function ownCount({ code, out }) {
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  if (!m) return { passed: 0, failed: 1, note: "no count reported" };
  const passed = +m[1], failed = +m[2];
  return code !== 0 && failed === 0 ? { passed, failed: 1, note: `exit code ${code}` } : { passed, failed };
}

const node = process.execPath;
const RUNNERS = [
  { name: "build", cmd: "npm", args: ["run", "build"], count: step },
  { name: "type check", cmd: node, args: ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"], count: step },
  { name: "as-pect (kernel specs)", cmd: node, args: ["node_modules/@as-pect/cli/bin/asp.js", "--config", "as-pect.config.js"], count: aspect },
  { name: "vitest", cmd: node, args: ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], count: vitest },
  { name: "browser: Node vs Chromium bit for bit", cmd: node, args: ["test/browser/run.mjs"], count: ownCount },
  { name: "browser: web page", cmd: node, args: ["test/browser/web.mjs"], count: ownCount },
  { name: "browser: the page for teaching (layout, presentation, progress, stale marks, explain)", cmd: node, args: ["test/browser/teaching.mjs"], count: ownCount },
];

const results = [];
for (const r of RUNNERS) {
  process.stdout.write(`\n=== ${r.name} ===\n`);
  const t0 = Date.now();
  const outcome = await run(r.cmd, r.args);
  results.push({ name: r.name, seconds: (Date.now() - t0) / 1000, ...r.count(outcome) });
}
rmSync(tmp, { recursive: true, force: true });

process.stdout.write("\n=== summary ===\n");
for (const r of results) process.stdout.write(`${r.failed ? "FAIL" : "ok  "} ${r.name}: ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(0)} s)${r.note ? `; ${r.note}` : ""}\n`);
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
