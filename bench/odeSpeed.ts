// Cost per forward-Euler step of the full ODE, K = M = 2, 4, 10, 20, relu and erf, in one run:
//  - the current core (build/release.wasm),
//  - the previous core: assembly/ at commit ODE_SPEED_PREVIOUS (default d94c57a, the last one
//    before the row-wise erf kernels), compiled once with the release settings into build/,
//  - plain TypeScript (bench/plain/: the same algorithms, without SIMD),
//  - when its executable exists (NN2PP_DIR, default /tmp/nn2pp; never part of this repository),
//    the public C++ integrator of Goldt et al. 2019 (scmpp_ode.exe, erf only), whole processes:
//    the cost per step is the difference of two runs of different lengths over their difference
//    in steps, so start-up and output cancel.
// Times are CPU times (user + system: process.cpuUsage() here, /usr/bin/time for the C++ process), which
// a shared machine inflates far less than wall-clock times; without /usr/bin/time all times are wall-clock.
// Rounds interleave every cell (ODE_SPEED_ROUNDS, default 3); figures are medians over rounds.
// Writes the section <!-- ode-speed:begin --> ... <!-- ode-speed:end --> of bench/RESULTS.md.
// Run with `npm run bench:ode-speed`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import wasmBytes from "../build/release.wasm";
import * as plain from "./plain/index";

const PREVIOUS = process.env.ODE_SPEED_PREVIOUS ?? "d94c57a";
const PEER_DIR = process.env.NN2PP_DIR ?? "/tmp/nn2pp";
const ROUNDS = Number(process.env.ODE_SPEED_ROUNDS ?? 3);
const SCALE = Number(process.env.ODE_SPEED_SCALE ?? 1); // fewer steps for a quick look
const ONLY = process.env.ODE_SPEED_ONLY; // e.g. "erf 10": only the rows whose key starts so (RESULTS.md is then left alone)
const STEP = 0.01;
const ETA = 0.1;

const timeExe = "/usr/bin/time";
const cpuClock = existsSync(timeExe);
/** Milliseconds of CPU time of this process (or wall-clock time, see above). */
const now = () => {
  if (!cpuClock) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ------------------------------------------------------------------ cores
type Raw = { memory: WebAssembly.Memory } & Record<string, (...a: number[]) => number>;
const instantiate = (bytes: Uint8Array): Raw => new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {}).exports as unknown as Raw;

function previousBytes(): Uint8Array | null {
  const out = `build/previous-${PREVIOUS}.wasm`;
  if (!existsSync(out)) {
    const dir = mkdtempSync(join(tmpdir(), "scm-previous-"));
    try {
      execFileSync("sh", ["-c", `git archive ${PREVIOUS} assembly asconfig.json | tar -x -C "${dir}"`]);
      execFileSync(process.execPath, ["node_modules/assemblyscript/bin/asc.js", join(dir, "assembly/index.ts"), "--config", join(dir, "asconfig.json"), "--target", "release", "--outFile", out], { stdio: ["ignore", "ignore", "inherit"] });
    } catch (e) {
      console.log(`previous core (${PREVIOUS}) not built: ${(e as Error).message}`);
      return null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return readFileSync(out);
}

// ------------------------------------------------------------------ settings
interface Setting { K: number; M: number; T: number[][]; Q0: number[][]; R0: number[][] }
/** The state of bench/run.ts's 1e5-step runs: T = diag(1 + n/M), small distinct overlaps. */
function benchState(K: number): Setting {
  const M = K;
  const T = Array.from({ length: M }, (_, n) => Array.from({ length: M }, (_, m) => (n === m ? 1 + n / M : 0)));
  const Q0 = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.2 : 0.01)));
  const R0 = Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => 1e-3 * Math.cos(1 + i + 2 * n)));
  return { K, M, T, Q0, R0 };
}
/** The C++ integrator's own start (--init 1): T = I, Q = I, R ~ 1e-9, v = 1 (its noise of 1e-9 left out). */
function peerState(K: number): Setting {
  const M = K;
  const I = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (i === k ? 1 : 0)));
  const R0 = Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => 1e-9 * Math.cos(1 + i + 2 * n)));
  return { K, M, T: I(M), Q0: I(K), R0 };
}

/** Milliseconds per Euler step of `steps` steps on a raw core (layout and loading excluded). */
function wasmPerStep(x: Raw, s: Setting, act: number, steps: number): number {
  const { K, M } = s;
  if (x.layout(K, M, 2, 0) === 0) throw new Error("layout failed");
  const f = new Float64Array(x.memory.buffer);
  const t = x.ptrT() >> 3;
  for (let n = 0; n < M; n++) for (let m = 0; m < M; m++) f[t + n * M + m] = s.T[n][m];
  f.fill(1, x.ptrV() >> 3, (x.ptrV() >> 3) + K);
  f.fill(1, x.ptrVs() >> 3, (x.ptrVs() >> 3) + M);
  let p = x.ptrU() >> 3;
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) f[p++] = s.Q0[i][k];
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) f[p++] = s.R0[i][n];
  f[x.ptrAlphas() >> 3] = 0;
  f[(x.ptrAlphas() >> 3) + 1] = steps * STEP;
  x.configureModel(act, 0, 10, ETA, 0);
  const t0 = now();
  let code = x.runBegin(0, STEP, 1e-9, 1e-12, 1e9, 2, 0, 1e6);
  while (code === 6) code = x.runContinue(0);
  const ms = now() - t0;
  if (code !== 0) throw new Error(`status ${code}`);
  return ms / x.statSteps();
}

function plainPerStep(s: Setting, act: "relu" | "erf", steps: number, rows: boolean): number {
  plain.setErfRowsPlain(rows);
  const t0 = now();
  const r = plain.integratePlain({ activation: act, ...s, eta: ETA, alphas: [0, steps * STEP], integrator: "euler", step: STEP, rtol: 1e-9, atol: 1e-12, maxSteps: 1e9 });
  const ms = now() - t0;
  plain.setErfRowsPlain(true);
  if (r.status !== 0) throw new Error(`plain status ${r.status}`);
  return ms / r.steps;
}

// ------------------------------------------------------------------ the C++ peer
const peerExe = join(PEER_DIR, "scmpp_ode.exe");
const havePeer = existsSync(peerExe);
/** One whole process to alpha; returns wall milliseconds and the Euler steps it took (its last printed time / dt). */
function peerRun(K: number, alpha: number, dir: string): { ms: number; steps: number } {
  const args = ["--g", "1", "--K", String(K), "--M", String(K), "--lr", String(ETA), "--dt", String(STEP), "--steps", String(alpha), "--quiet"];
  const t0 = performance.now();
  // /usr/bin/time appends "user system" (seconds) to stderr
  const r = cpuClock
    ? spawnSync(timeExe, ["-f", "%U %S", peerExe, ...args], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(peerExe, args, { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
  let ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`peer exit ${r.status}: ${r.stderr}`);
  if (cpuClock) {
    const [user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
    ms = (user + sys) * 1000;
  }
  const last = r.stdout.trim().split("\n").pop() ?? "";
  return { ms, steps: Math.round(parseFloat(last.split(",")[0]) / STEP) };
}
/** Milliseconds per step: two runs (alpha 1, and alphaLong), difference over difference. */
function peerPerStep(K: number, alphaLong: number): number {
  const dir = mkdtempSync(join(tmpdir(), "scm-peer-"));
  try {
    const a = peerRun(K, 1, dir), b = peerRun(K, alphaLong, dir);
    return (b.ms - a.ms) / (b.steps - a.steps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ cells
type Act = "relu" | "erf";
const CODE: Record<Act, number> = { relu: 0, erf: 1 };
// steps per measurement, about 0.2-0.5 s each on an idle core
const STEPS: Record<Act, Record<number, number>> = {
  erf: { 2: 100000, 4: 20000, 10: 2000, 20: 200 },
  relu: { 2: 30000, 4: 1000, 10: 20, 20: 2 },
};
const PEER_ALPHA: Record<number, number> = { 2: 2000, 4: 200, 10: 20, 20: 12 };
const KS = [2, 4, 10, 20];

const current = instantiate(wasmBytes as Uint8Array);
const prevBytes = previousBytes();
const previous = prevBytes ? instantiate(prevBytes) : null;

type Cell = { current: number[]; previous: number[]; plain: number[]; plainPrevious: number[]; peer: number[] };
const cells = new Map<string, Cell>();
const cell = (key: string) => cells.get(key) ?? (cells.set(key, { current: [], previous: [], plain: [], plainPrevious: [], peer: [] }), cells.get(key)!);
const rowsOf: { key: string; act: Act; K: number; state: "bench" | "peer" }[] = [];
for (const act of ["erf", "relu"] as Act[]) for (const K of KS) rowsOf.push({ key: `${act} ${K}`, act, K, state: "bench" });
rowsOf.push({ key: "erf 10 peer", act: "erf", K: 10, state: "peer" });
if (ONLY) rowsOf.splice(0, rowsOf.length, ...rowsOf.filter((r) => r.key.startsWith(ONLY)));

const loadStart = loadavg()[0];
for (let round = 0; round < ROUNDS; round++) {
  for (const r of rowsOf) {
    const s = r.state === "peer" ? peerState(r.K) : benchState(r.K);
    const steps = Math.max(2, Math.round(SCALE * STEPS[r.act][r.K]));
    const c = cell(r.key);
    c.current.push(wasmPerStep(current, s, CODE[r.act], steps));
    if (previous) c.previous.push(wasmPerStep(previous, s, CODE[r.act], steps));
    const plainSteps = Math.max(1, Math.round(steps / (r.act === "relu" ? 3 : 2)));
    c.plain.push(plainPerStep(s, r.act, plainSteps, true));
    if (r.act === "erf" && round === 0) c.plainPrevious.push(plainPerStep(s, r.act, plainSteps, false));
    if (havePeer && r.act === "erf" && (r.state === "peer" || r.K !== 10)) {
      const peer = peerPerStep(r.K, PEER_ALPHA[r.K]);
      c.peer.push(peer);
      if (r.K === 10 && !ONLY) cell("erf 10").peer.push(peer); // the same peer figure for both states at K = 10
    }
    console.log(`round ${round + 1}/${ROUNDS} ${r.key}${r.state === "peer" ? "" : " (bench state)"}: current ${(c.current.at(-1)! * 1e3).toFixed(2)} us` +
      (previous ? `, previous ${(c.previous.at(-1)! * 1e3).toFixed(2)} us` : "") + `, plain ${(c.plain.at(-1)! * 1e3).toFixed(2)} us` +
      (c.peer.length ? `, peer ${(c.peer.at(-1)! * 1e3).toFixed(2)} us` : ""));
  }
}
const loadEnd = loadavg()[0];

// ------------------------------------------------------------------ report
const median = (a: number[]) => {
  if (a.length === 0) return NaN;
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[(b.length - 1) / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
const us = (ms: number) => (Number.isNaN(ms) ? "-" : ms * 1e3 >= 1000 ? `${(ms).toFixed(2)} ms` : `${(ms * 1e3).toFixed(2)} us`);
const ratio = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? "-" : `${(a / b).toFixed(2)}x`);
const lines: string[] = [];
for (const r of rowsOf) {
  const c = cells.get(r.key)!;
  const cur = median(c.current), prev = median(c.previous), pl = median(c.plain), plPrev = median(c.plainPrevious), peer = median(c.peer);
  const what = `${r.act}, K = M = ${r.K}${r.state === "peer" ? ", the C++ integrator's start (T = I, Q = I, R ~ 1e-9)" : ""}`;
  lines.push(`| ${what} | ${us(cur)} | ${us(prev)} | ${ratio(cur, prev)} | ${us(pl)} | ${ratio(pl, cur)} | ${us(plPrev)} | ${us(peer)} | ${ratio(cur, peer)} |`);
}
const section = `<!-- ode-speed:begin -->
## Full ODE: cost per forward-Euler step (issue 16)

Measured by \`npm run bench:ode-speed\` (bench/odeSpeed.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version},
load average ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end (the machine was shared: compare ratios, which are
measured in the same rounds). Medians over ${ROUNDS} interleaved rounds of ${cpuClock ? "CPU time (user + system) per step" : "wall-clock time per step"}; eta = ${ETA}, step ${STEP}, v = v* = 1; unless stated, the state
of bench/run.ts (T = diag(1 + n/M), Q0 = 0.2 on / 0.01 off the diagonal, R0 ~ 1e-3). "previous": the core of commit ${PREVIOUS}
compiled with the same settings${previous ? "" : " (not available in this run)"}; "plain TS": bench/plain/ (the same algorithm, no SIMD;
"plain TS, previous algorithm": the per-average erf loops); "C++": the public C++ integrator of Goldt et al. 2019 (erf only;
whole processes, start-up cancelled by differencing two run lengths; at K = M = 10 its figure is measured from its own start
and shown in both K = 10 rows; ${havePeer ? "present in this run" : "absent in this run"}). The relu path is unchanged, so its "new / previous" is a control.

| what | WebAssembly | previous | new / previous | plain TS | plain TS / WASM | plain TS, previous algorithm | C++ | ours / C++ |
|---|---|---|---|---|---|---|---|---|
${lines.join("\n")}

What makes the erf path faster (assembly/ode/erfRows.ts, assembly/gauss/asin2.ts): per pair (i, k) the determinant
l4 and its square root once; per (i, k, c) the determinant l1 once (the per-average code computed it twice per average);
per (i, c) the 1/sqrt(l3) of I3 once; two I4 per f64x2 instruction with NativeMath's asin ported lane by lane (two lane
pairs in flight, the asin's square root and second division skipped when every |x| < 0.5, SIMD constants loaded from
memory). Every expression keeps the per-average code's operands and association and the sums keep their order, so the
results are the previous core's bit for bit (test/erfRows.test.ts compares with Object.is: random states, correlations of
exactly +-1, whole Euler and RK4 trajectories, the SIMD asin at every branch boundary). Worker threads were not needed for
the target and are not used. "plain TS, previous algorithm" is measured in the first round only.
<!-- ode-speed:end -->`;
if (ONLY) {
  console.log(lines.join("\n"));
  process.exit(0);
}
const file = "bench/RESULTS.md";
const old = existsSync(file) ? readFileSync(file, "utf8") : "";
const b = old.indexOf("<!-- ode-speed:begin -->"), e = old.indexOf("<!-- ode-speed:end -->");
writeFileSync(file, b >= 0 && e > b ? old.slice(0, b) + section + old.slice(e + "<!-- ode-speed:end -->".length) : old.trimEnd() + "\n\n" + section + "\n");
console.log(section);
