// scm sweep on two local workerd endpoints (--remote) against worker threads (--workers 2):
// throughput of ODE points, and the overhead per point measured on points that compute almost
// nothing; the requests per second (the CLI's own count: batches of points, POST /points). Each
// configuration runs the same grid into a fresh file through the built CLI, interleaved, repeated;
// medians and ratios (the machine is shared and noisy).
//   npm run bench:sweeps        (node scripts/bench.mjs bench/sweeps.ts)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startWorkerd } from "../test/workerd";

const REPEATS = Number(process.env.REPEATS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "scm-bench-sweeps-"));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
/** A difference with its sign (against --workers 2). */
const signed = (x: number, digits: number) => `${x < 0 ? "\u2212" : "+"}${Math.abs(x).toFixed(digits)}`;

const [a, b] = await Promise.all([startWorkerd(), startWorkerd()]);
const remote = `${a.url},${b.url}`;

interface Grid { name: string; args: string[]; points: number }
const grids: Grid[] = [
  // 96 ODE points of about 0.08 s of estimated work each (reference setting, alpha up to 30):
  // enough that the endpoints' warm-up is not the whole story
  { name: "ODE points (alpha-max 30)", args: ["sweep", "ode", "--eta", "0.5:1.45:0.01", "--alpha-max", "30", "--samples", "31"], points: 96 },
  // points that compute almost nothing: what is left is the cost of handling a point; two sizes
  // separate the cost per point (the slope) from the cost per sweep (connecting, starting threads)
  { name: "empty points (alpha-max 0.01)", args: ["sweep", "ode", "--eta", "0.01:2:0.01", "--alpha-max", "0.01", "--samples", "2"], points: 200 },
  { name: "empty points (alpha-max 0.01)", args: ["sweep", "ode", "--eta", "0.0025:2:0.0025", "--alpha-max", "0.01", "--samples", "2"], points: 800 },
];
interface Config { name: string; args: (remote: string) => string[]; fresh?: boolean }
const configs: Config[] = [
  { name: "--workers 2", args: () => ["--workers", "2"] },
  { name: "--remote (2 endpoints) --concurrency 2", args: (r) => ["--remote", r, "--concurrency", "2"] },
  { name: "--remote (2 endpoints) --concurrency 4 (the default)", args: (r) => ["--remote", r, "--concurrency", "4"] },
  // endpoints started just before (not timed): their WebAssembly not yet tiered up, as the worker threads' is not
  { name: "--remote, endpoints just started", args: (r) => ["--remote", r, "--concurrency", "4"], fresh: true },
];

let run = 0;
/** Wall time (ms) of the sweep and the requests it sent (remote only). */
async function time(g: Grid, c: Config): Promise<{ ms: number; requests: number }> {
  const out = join(dir, `r${run++}.jsonl`);
  const fresh = c.fresh ? await Promise.all([startWorkerd(), startWorkerd()]) : [];
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ["bin/scm.js", ...g.args, ...c.args(c.fresh ? fresh.map((w) => w.url).join(",") : remote), "--out", out], { encoding: "utf8" });
  const ms = performance.now() - t0;
  await Promise.all(fresh.map((w) => w.kill()));
  if (p.status !== 0) throw new Error(`${g.name} ${c.name}: exit ${p.status}: ${p.stderr}`);
  const lines = readFileSync(out, "utf8").trim().split("\n").length;
  if (lines !== g.points) throw new Error(`${g.name} ${c.name}: ${lines} lines, not ${g.points}`);
  return { ms, requests: Number(/\((\d+) requests, \d+ retries/.exec(p.stderr)?.[1] ?? 0) };
}

const load0 = loadavg()[0];
const rows: string[] = [];
/** Median ms (CLI start subtracted) by grid size and configuration. */
const medians = new Map<number, number[]>();
// the CLI's own start (process, worker thread, help-free parse): measured once per grid with a sweep that has nothing to do
for (const g of grids) {
  const done = join(dir, `done-${g.points}.jsonl`);
  spawnSync(process.execPath, ["bin/scm.js", ...g.args, "--workers", "2", "--out", done]);
  const starts: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["bin/scm.js", ...g.args, "--out", done]);
    starts.push(performance.now() - t0);
  }
  const start = median(starts);
  const times = configs.map(() => [] as number[]);
  const requests = configs.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++)
    for (const [i, c] of configs.entries()) {
      const t = await time(g, c);
      times[i].push(t.ms);
      requests[i].push(t.requests);
    }
  const local = median(times[0]) - start;
  medians.set(g.points, times.map((t) => median(t)));
  rows.push(`| ${g.name} | ${g.points} | CLI start ${(start / 1000).toFixed(2)} s | | | |`);
  configs.forEach((c, i) => {
    const ms = median(times[i]) - start;
    const n = median(requests[i]);
    const perRequest = n > 0 ? `${n} (${(n / (ms / 1000)).toFixed(0)}/s)` : "";
    const extra = i === 0 ? "" : `, ${signed((ms - local) / g.points, 2)} ms/point`;
    rows.push(`| | | ${c.name} | ${(g.points / (ms / 1000)).toFixed(1)} points/s, ${(ms / g.points).toFixed(2)} ms/point${extra} | ${perRequest} | ${(local / ms).toFixed(2)} |`);
  });
}
await Promise.all([a.kill(), b.kill()]);
// cost per point: the slope between the two empty grids; per sweep: what is left of the smaller
// one (the CLI's start included: measured apart it is too noisy to subtract from a short sweep)
const [small, large] = [medians.get(200)!, medians.get(800)!];
const slope = configs.map((_, i) => (large[i] - small[i]) / 600);
const fixed = configs.map((_, i) => small[i] - 200 * slope[i]);
const costs = configs.map((c, i) => `| ${c.name} | ${slope[i].toFixed(3)} ms${i === 0 ? "" : ` (${signed(slope[i] - slope[0], 3)} ms)`} | ${fixed[i].toFixed(0)} ms${i === 0 ? "" : ` (${signed(fixed[i] - fixed[0], 0)} ms)`} |`);

const text = `## scm sweep: two local workerd endpoints against two worker threads

\`npm run bench:sweeps\` (bench/sweeps.ts), ${REPEATS} interleaved repeats, medians; the CLI's start (a sweep with nothing left to do) subtracted; load average ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (2 cores, shared).
Throughput ratio: points per second against \`--workers 2\` (above 1: faster; the ms/point in the throughput column are signed differences to it); requests: the CLI's count (whole points go in batches, POST /points), median, and per second.

| grid | points | configuration | throughput | requests | ratio to --workers 2 |
|---|---|---|---|---|---|
${rows.join("\n")}

The cost of handling a point and of a sweep, from the empty points: per point the slope between 200 and 800 points, per sweep the rest of the 200-point time (the CLI's start, connecting to the endpoints or starting worker threads); in parentheses the difference to \`--workers 2\`.

| configuration | per point | per sweep |
|---|---|---|
${costs.join("\n")}
`;
console.log(text);
// --write replaces this section of bench/RESULTS-sweeps.md and keeps the others (earlier measurements)
if (process.argv.includes("--write")) {
  const path = "bench/RESULTS-sweeps.md";
  const old = existsSync(path) ? readFileSync(path, "utf8") : "# Sweep benchmarks\n\n";
  const start = old.indexOf("## scm sweep: two local workerd endpoints");
  const end = start < 0 ? -1 : old.indexOf("\n## ", start + 1);
  writeFileSync(path, start < 0 ? `${old.trimEnd()}\n\n${text}` : `${old.slice(0, start)}${text}${end < 0 ? "" : old.slice(end)}`);
}
