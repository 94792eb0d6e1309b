// The summed count of an `npm test` log: its last "N passed, N failed" line (printed by
// scripts/test.mjs after every runner); a log without one (npm ci or the runner script itself
// failed) counts as one failure. Exit code non-zero on any failure.
import { readFileSync } from "node:fs";

const [logPath, statusText] = process.argv.slice(2);
const text = readFileSync(logPath, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
const last = [...text.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
let passed = last ? +last[1] : 0;
let failed = last ? +last[2] : 1;
if (Number(statusText) !== 0 && failed === 0) failed = 1; // a failure the count did not see
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
