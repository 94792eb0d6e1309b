// Sums the test counts of every runner in an `npm test` log; prints "N passed, N failed".
import { readFileSync } from "node:fs";

const [logPath, statusText] = process.argv.slice(2);
const text = readFileSync(logPath, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0, failed = 0;

// as-pect: "[Tests]: 8 / 8" (passed / total), one per run
for (const m of text.matchAll(/\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/g)) {
  passed += +m[1];
  failed += +m[2] - +m[1];
}
// vitest: "Tests  2 failed | 42 passed (44)"
for (const m of text.matchAll(/^\s*Tests\s+(.*)\((\d+)\)\s*$/gm)) {
  const f = /(\d+) failed/.exec(m[1]);
  const p = /(\d+) passed/.exec(m[1]);
  failed += f ? +f[1] : 0;
  passed += p ? +p[1] : 0;
}
// browser runner: its own "N passed, N failed" line
for (const m of text.matchAll(/^(\d+) passed, (\d+) failed$/gm)) {
  passed += +m[1];
  failed += +m[2];
}
const status = Number(statusText);
if (status !== 0 && failed === 0) failed = 1; // a runner crashed or a build step failed
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
