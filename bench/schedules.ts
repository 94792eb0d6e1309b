// Benchmarks of learning-rate schedules (issue 17), in one process: the optimal schedule of the
// reference setting (alpha_end = 100, J = 50; target < 20 s, judged on CPU time: single-threaded
// work on a shared machine), its gradient by the discrete adjoint against central differences of
// the objective (2 J trajectories) and against one trajectory, greedy and annealed trajectories
// against the constant-rate one, SGD with a schedule against SGD at a constant rate, and the
// constant-rate reference trajectory of this build against a previous build's (set SCM_PREVIOUS to
// that build's dist/index.node.js; the two alternate in this process). Writes
// bench/RESULTS-schedules.md and docs/optimal-schedule.svg.
//   npm run bench:schedules
//   SCM_PREVIOUS=/path/to/previous/dist/index.node.js SCM_PREVIOUS_LABEL="commit abc1234" npm run bench:schedules
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import wasmBytes from "../build/release.wasm";
import { integrate, optimalSchedule, scheduleObjective, simulateSync, useCore } from "../src/index";
import { scheduleSpec } from "../src/report/schedules";
import { renderSvg } from "../src/cli/optimalLrPlot";

useCore(wasmBytes as Uint8Array);
const load0 = loadavg()[0];

/** Median wall and CPU (user + system) times of `repeats` calls (ms). */
function time(fn: () => unknown, repeats = 3): { wall: number; cpu: number } {
  const w: number[] = [], c: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    w.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    c.push((dc.user + dc.system) / 1000);
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { wall: med(w), cpu: med(c) };
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const rows: string[][] = [];
const row = (what: string, a: { wall: number; cpu: number }, b: { wall: number; cpu: number } | null, bName: string, note = "") => {
  rows.push([what, `${fmt(a.wall)} (CPU ${fmt(a.cpu)})`, b === null ? "-" : `${fmt(b.wall)} (CPU ${fmt(b.cpu)}, ${bName})`, b === null ? "-" : `${(b.cpu / a.cpu).toFixed(2)}x`, note]);
  console.log(what, fmt(a.wall), `CPU ${fmt(a.cpu)}`, b === null ? "" : `${bName} CPU ${fmt(b.cpu)} ratio ${(b.cpu / a.cpu).toFixed(2)}`, note);
};

// ---- the optimal schedule of the reference setting (the README's figure)
let ref!: ReturnType<typeof optimalSchedule>;
const tRef = time(() => (ref = optimalSchedule({ alphaMax: 100, intervals: 50 })), 1);
const gains = `eps_g(100): optimal ${ref.optimal.value.toPrecision(4)}, best constant (eta = ${ref.constant.learningRate!.toPrecision(4)}) ${ref.constant.value.toPrecision(4)}, greedy ${ref.greedy.value.toPrecision(4)}; gains ${ref.gains.overConstant.toPrecision(3)}x over the best constant rate, ${ref.gains.overGreedy.toPrecision(3)}x over greedy; ${ref.iterations} iterations from ${ref.start}, projected gradient of ln Phi ${ref.gradientNorm.toExponential(1)}; ${ref.stats.gradientEvaluations} gradients, ${ref.stats.objectiveEvaluations} objective evaluations, ${(ref.stats.rhsEvaluations / 1e6).toFixed(2)}e6 right-hand sides`;
row(`optimalSchedule, reference setting, alpha_end = 100, J = 50, RK4 step 0.05 (target < 20 s: ${tRef.cpu < 20000 ? "met" : "MISSED"} on CPU time)`, tRef, null, "", gains);
writeFileSync("docs/optimal-schedule.svg", await renderSvg(scheduleSpec(ref)));

// ---- one gradient: the discrete adjoint against central differences of Phi (2 J trajectories)
const J = 50;
const eta = ref.eta;
const base = { alphaMax: 100, step: 0.05 };
const tAdj = time(() => scheduleObjective({ ...base, eta, gradient: true }), 3);
const tFwd = time(() => scheduleObjective({ ...base, eta, gradient: false }), 3);
const tFd = time(() => {
  for (let j = 0; j < J; j++) {
    const hj = 1e-6 * eta[j];
    const up = eta.slice(), down = eta.slice();
    up[j] += hj;
    down[j] -= hj;
    scheduleObjective({ ...base, eta: up, gradient: false });
    scheduleObjective({ ...base, eta: down, gradient: false });
  }
}, 1);
const adj = scheduleObjective({ ...base, eta, gradient: true });
row("gradient of eps_g(100) in 50 rates: discrete adjoint vs central differences (100 trajectories)", tAdj, tFd, "central differences", `${adj.rhsEvaluations} right-hand sides per adjoint gradient (forward + backward, J^T mu by central differences in each of D = 7 coordinates)`);
row("gradient by the discrete adjoint vs Phi alone (one forward trajectory)", tFwd, tAdj, "adjoint gradient", "the ratio is what a gradient costs in trajectories");

// ---- schedules against the constant rate, ODE (reference setting, RK4 step 0.01, alpha 0..300)
const ode = { alphaMax: 300, samples: 301 };
const tConst = time(() => integrate({ ...ode, learningRate: 1 }), 3);
const tInv = time(() => integrate({ ...ode, learningRateSchedule: "inverse:1,50" }), 3);
const tGreedy = time(() => integrate({ ...ode, learningRateSchedule: "greedy", etaMax: 2 }), 3);
row("ODE: schedule inverse:1,50 vs constant eta = 1 (reference, RK4, alpha 0..300)", tInv, tConst, "constant");
row("ODE: greedy schedule vs constant eta = 1 (reference, RK4, alpha 0..300)", tConst, tGreedy, "greedy", "the greedy rate costs its parts F1, F2 and grad eps_g at every stage");

// ---- SGD: a schedule per step against the constant rate
const sgd = { d: 500, runs: 1, seed: 3, alphaMax: 200, samples: 5, threads: 1 };
const tSgdC = time(() => simulateSync({ ...sgd, learningRate: 1 }), 3);
const tSgdS = time(() => simulateSync({ ...sgd, learningRateSchedule: "inverse:1,50" }), 3);
row("SGD: schedule inverse:1,50 vs constant eta = 1 (d = 500, 1e5 steps)", tSgdS, tSgdC, "constant");

// ---- the constant-rate reference trajectory against a previous build (same results bit for bit: test/schedules.test.ts)
const previous = process.env.SCM_PREVIOUS;
let previousNote = "no previous build given (SCM_PREVIOUS)";
if (previous && existsSync(previous)) {
  const prev = await import(pathToFileURL(previous).href);
  await prev.ready?.();
  const now: { wall: number; cpu: number }[] = [], then: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < 5; r++) {
    now.push(time(() => integrate({}), 1));
    then.push(time(() => prev.integrate({}), 1));
  }
  const med = (v: { wall: number; cpu: number }[]) => ({ wall: v.map((x) => x.wall).sort((a, b) => a - b)[2], cpu: v.map((x) => x.cpu).sort((a, b) => a - b)[2] });
  const egNow = integrate({}).eg, egThen = prev.integrate({}).eg;
  const same = egNow.length === egThen.length && Array.from(egNow).every((x, s) => Object.is(x, egThen[s]));
  previousNote = `Previous build: ${process.env.SCM_PREVIOUS_LABEL ?? "the one SCM_PREVIOUS names"}`;
  row("reference trajectory integrate({}), constant eta = 1: this build vs the previous one (alternated, 5 each)", med(now), med(then), "previous build", `eps_g identical bit for bit: ${same}`);
}

const load1 = loadavg()[0];
const table = ["| what | this | other | other / this (CPU) | note |", "|---|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const md = `# Learning-rate schedules and optimal schedules (issue 17)

Measured by \`npm run bench:schedules\` (bench/schedules.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, ${cpus().length} cores,
Node ${process.version}, load average ${load0.toFixed(1)} at the start and ${load1.toFixed(1)} at the end (other work shared the
machine: wall times are inflated by that; CPU times less so, and ratios are of CPU times measured back to back). ${previousNote}.

${table}

Figure: docs/optimal-schedule.svg (eps_g along the optimal, greedy and best constant schedules, and the schedules).
`;
writeFileSync("bench/RESULTS-schedules.md", md);
console.log("wrote bench/RESULTS-schedules.md and docs/optimal-schedule.svg");
