// `scm sgd`: finite-d online SGD simulations (THEORY section 3).
import type { Progress } from "../core/control";
import { parseArgs } from "node:util";
import { simulate, type SimulationResult } from "../index";
import { sgdOptionArgs, simulationOptionsFromArgs } from "../text/options";
import { emit, outputOf, settingHelp, type Io } from "./ode";
import { formatVerified, type Format } from "./output";
import { simulationJson } from "../text/json";

export const sgdHelp = `scm sgd: online SGD of the teacher-student soft committee machine at finite input
dimension d (THEORY.md section 3): many seeded runs, their mean and standard deviation.
Without any of --K --M --T --Q0 --R0 it simulates the reference setting of [E] Fig. 1.

${settingHelp}

Learning and sampling
  --eta X                        learning rate > 0 (default 1)
  --alpha-max X                  last sample (default 100)
  --samples N                    evenly spaced samples, 0 and alpha-max included (default 101)
  --alpha-points a,b,c           explicit sample points (instead of the two above)
  Samples are rounded to whole SGD steps: alpha = steps * batch / d.

Simulation
  --d N                          input dimension (>= K + M; default 1000)
  --runs N                       independent runs (default 10); run r is seeded from (--seed, r)
  --seed N                       base seed, integer in [0, 2^53) (default 1)
  --batch B                      mini-batch size (default 1): each step adds (eta/d) sum of the B
                                 per-example gradients; alpha counts examples, so the d -> infinity
                                 ODE is the same as for B = 1
  --threads N                    worker threads (default: one per core); results do not depend on it
  --test-inputs P                also a Monte-Carlo test error on P fresh inputs per sample
  --divergence-bound X           a run is reported diverged once some Q_ii exceeds X (default 1e6)
  --matching final|each|none     relabelling of student units before averaging (default final): final =
                                 each run in the assignment it ends in from where it settled there, before
                                 that as at its first sample; each = matched at every sample; none = own labels

Output
  --format json|csv|table        stdout format (default table); json keys: alpha, eg, Q, R (each
                                 {mean, std}), egTest (with --test-inputs), runs (with --per-run),
                                 status, message, stats, options
  --per-run                      json: include every run's trajectory (students matched to teachers)
  --out FILE                     write there instead of stdout (repeatable; format from .json/.csv/.txt)
  --every N                      table: print every N-th sample only

Student units are matched to teachers (student i <-> teacher i) by the permutation maximising the
summed cosine of their overlaps with the teachers (docs/theory.md section 3.5); json lists how many runs
end in each assignment. Tables print each mean with the digits its standard error supports. Exit code 0 when the runs finished (whatever their status), 2 on invalid input.`;

/** Options of scm sgd: those of scm ode without the ODE numerics, plus the simulation's. */
export const sgdArgs = {
  ...sgdOptionArgs,
  format: { type: "string" }, out: { type: "string", multiple: true }, every: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

export { simulationOptionsFromArgs } from "../text/options";

/** A progress bar on stderr when it is a terminal; nothing otherwise. */
export function progressBar(io: Io, label: string): ((p: Progress) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  return ({ done, total, unit }) => {
    const width = 30, filled = Math.round((width * done) / total);
    io.stderr(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${unit}${done === total ? "\n" : ""}`);
  };
}

function unitColumns(K: number, M: number): { name: string; get: (Q: number[][], R: number[][]) => number }[] {
  const c: { name: string; get: (Q: number[][], R: number[][]) => number }[] = [];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) c.push({ name: `Q_${i + 1}${k + 1}`, get: (Q) => Q[i][k] });
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) c.push({ name: `R_${i + 1}${n + 1}`, get: (_, R) => R[i][n] });
  return c;
}

export { simulationJson } from "../text/json";

export function simulationCsv(r: SimulationResult): string {
  const { K, M } = r.options;
  const cols = unitColumns(K, M);
  const header = ["alpha", "eg_mean", "eg_std", ...(r.egTest ? ["egTest_mean", "egTest_std"] : []), ...cols.flatMap((c) => [`${c.name}_mean`, `${c.name}_std`])];
  const lines = [header.join(",")];
  for (let s = 0; s < r.eg.mean.length; s++) {
    const row = [r.alpha[s], r.eg.mean[s], r.eg.std[s], ...(r.egTest ? [r.egTest.mean[s], r.egTest.std[s]] : [])];
    for (const c of cols) row.push(c.get(r.Q.mean[s], r.R.mean[s]), c.get(r.Q.std[s], r.R.std[s]));
    lines.push(row.map(String).join(","));
  }
  return lines.join("\n") + "\n";
}

/** mean +- std, the mean rounded to the digits its standard error std / sqrt(n) supports. */
export function meanPlusMinus(mean: number, std: number, n: number): string {
  const se = std / Math.sqrt(Math.max(n, 1));
  return `${formatVerified(mean, se > 0 ? se : undefined, 6)} ± ${std === 0 ? "0" : std.toPrecision(2)}`;
}

export function simulationTable(r: SimulationResult, every: number): string {
  const { K, M } = r.options;
  const n = r.stats.runs - r.stats.divergedRuns;
  const cols = unitColumns(K, M);
  const header = ["alpha", "eg", ...(r.egTest ? ["egTest"] : []), ...cols.map((c) => c.name)];
  const rows: string[][] = [];
  for (let s = 0; s < r.eg.mean.length; s++) {
    if (s % every !== 0 && s !== r.eg.mean.length - 1) continue;
    rows.push([
      String(+r.alpha[s].toPrecision(10)),
      meanPlusMinus(r.eg.mean[s], r.eg.std[s], n),
      ...(r.egTest ? [meanPlusMinus(r.egTest.mean[s], r.egTest.std[s], n)] : []),
      ...cols.map((c) => meanPlusMinus(c.get(r.Q.mean[s], r.R.mean[s]), c.get(r.Q.std[s], r.R.std[s]), n)),
    ]);
  }
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(width[j])).join("  ");
  return `# mean ± standard deviation over ${n} runs; means to the digits of their standard error\n` + [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function renderSimulation(r: SimulationResult, format: Format, every: number): string {
  if (format === "json") return simulationJson(r) + "\n";
  if (format === "csv") return simulationCsv(r);
  return simulationTable(r, every);
}

export async function runSgd(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: sgdArgs, allowPositionals: false, strict: true });
  if (values.help) {
    io.stdout(sgdHelp + "\n");
    return 0;
  }
  const options = simulationOptionsFromArgs(values);
  const { format, every } = outputOf(values);
  const r = await simulate({ ...options, onProgress: progressBar(io, "sgd") });
  emit(io, values.out, format, (f) => renderSimulation(r, f, every));
  io.stderr(`status: ${r.status}: ${r.message} (${r.stats.threads} threads, ${(r.stats.stepsPerSecond / 1e3).toFixed(0)}k steps/s, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}
