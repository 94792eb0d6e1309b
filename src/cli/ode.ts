// `scm ode`: the order-parameter ODE of online SGD (THEORY section 1).
import { parseArgs } from "node:util";
import { integrate, type OdeResult } from "../index";
import { integrationErrorEstimate } from "../online/errorEstimate";
import { CliError, parseNumber } from "./args";
import { odeOptionArgs, odeOptionsFromArgs } from "../text/options";
import { resultCsv, resultJson, resultTable, type Format } from "./output";

export const settingHelp = `Setting
  --activation relu|erf|linear   activation of all hidden units (default relu)
  --teacher-activation relu|erf|linear
                                 activation of the teacher's units only (default: --activation);
                                 a different one is a student/teacher mismatch (method exact only)
  --K N, --M N                   student and teacher hidden units (1..100; default from the matrices, else 2)
  --T MATRIX                     teacher overlaps, M x M (default eye)
  --Q0 MATRIX                    initial student overlaps, K x K (required outside the reference setting)
  --R0 MATRIX                    initial student-teacher overlaps, K x M (required outside the reference setting)
  --v a,b,...  --v-star a,b,...  second-layer weights of student / teacher (default all 1)
  MATRIX is "1,0;0,2" (rows separated by ';'), "diag:1,2", "eye", "0.1*eye" or "zeros".
  The initial C = [[Q0, R0], [R0^T, T]] must be symmetric positive definite.`;

export const odeHelp = `scm ode: typical learning curve of online SGD in a teacher-student soft committee machine
(order-parameter ODE; THEORY.md section 1). Without any of --K --M --T --Q0 --R0 it integrates
the reference setting of [E] Fig. 1: relu, K = M = 2, T = diag(1,2), Q0 = diag(0.1,0.2), R0 = 1e-3*eye.

${settingHelp}

Learning and sampling
  --eta X                        learning rate > 0 (default 1)
  --alpha-max X                  last sample (default 300)
  --samples N                    evenly spaced samples, 0 and alpha-max included (2..1e7; default 301)
  --alpha-points a,b,c           explicit, strictly increasing sample points (instead of the two above)

Numerics
  --method exact|hermite         exact Gaussian averages (default) or the truncated Hermite series (relu only)
  --hermite-order N              truncation order of the Hermite series (default 10)
  --integrator euler|rk4|adaptive  fixed-step Euler, fixed-step RK4 (default), Dormand-Prince 5(4)
  --step X                       fixed step, or first step of the adaptive integrator (default 0.01)
  --rtol X, --atol X             adaptive tolerances (default 1e-9, 1e-12)
  --max-steps N                  stop with status max-steps after N steps (default 1e7)
  --divergence-bound X           status diverged once some Q_ii exceeds X (default 1e6)
  --convergence-tolerance X      status converged once max |du/dalpha| < X (default 0: never)

Output
  --format json|csv|table        stdout format (default table); json keys: alpha, eg, Q, R, status,
                                 message, stats, options (plus hermite, warnings)
  --out FILE                     write there instead of stdout (repeatable; format from .json/.csv/.txt)
  --every N                      table: print every N-th sample only
  --error-estimate               table: integrate again with half the step and print only the digits
                                 that agree (on by default for tables; --no-error-estimate to skip)

Data goes to stdout (or --out), status and warnings to stderr. Exit code 0 when a curve was
computed (whatever its status), 2 on invalid input.`;

export { odeOptionsFromArgs } from "../text/options";

export const odeArgs = {
  ...odeOptionArgs,
  format: { type: "string" }, out: { type: "string", multiple: true }, every: { type: "string" },
  "error-estimate": { type: "boolean" }, "no-error-estimate": { type: "boolean" }, help: { type: "boolean", short: "h" },
} as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stderrIsTTY?: boolean;
  writeFile: (path: string, data: string) => void;
}

export function formatOf(option: string, text: string | undefined, fallback: Format): Format {
  if (text === undefined) return fallback;
  if (text === "json" || text === "csv" || text === "table") return text;
  throw new CliError(`--${option} must be one of json, csv, table; got ${JSON.stringify(text)}`);
}

export function formatFromPath(path: string, fallback: Format): Format {
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".csv")) return "csv";
  if (path.endsWith(".txt")) return "table";
  return fallback;
}

/** --format and --every, and writing the rendering to each --out file (or stdout). */
export function outputOf(values: { format?: string; every?: string }): { format: Format; every: number } {
  const format = formatOf("format", values.format, "table");
  const every = parseNumber("every", values.every, { integer: true }) ?? 1;
  if (every < 1) throw new CliError(`--every must be an integer >= 1; got ${every}`);
  return { format, every };
}
export function emit(io: Io, outs: string[] | undefined, format: Format, render: (f: Format) => string): void {
  if (!outs || outs.length === 0) io.stdout(render(format));
  for (const path of outs ?? []) io.writeFile(path, render(formatFromPath(path, format)));
}

export function renderOde(r: OdeResult, format: Format, opts: { every?: number; withErrors: boolean }): string {
  if (format === "json") return resultJson(r) + "\n";
  if (format === "csv") return resultCsv(r);
  let errors: ((s: number) => number[] | undefined) | undefined;
  let note = "";
  if (opts.withErrors && r.alpha.length > 0) {
    const est = integrationErrorEstimate(r);
    // eps_g past the first sample not confirmed to 10%: near a perfect student the averages'
    // rounding sets a floor (~1e-13..1e-12: the state is resolved to ~1e-14) that reruns can share,
    // so later agreement is no evidence
    let lastEg = -1;
    while (lastEg + 1 < est.eg.length && est.eg[lastEg + 1] < 0.1 * Math.abs(r.eg[lastEg + 1])) lastEg++;
    errors = (s) => {
      if (s >= est.eg.length) return undefined;
      const { K, M } = r.options;
      const v = [0, s <= lastEg ? est.eg[s] : NaN];
      for (let i = 0; i < K; i++) for (let k = i; k < K; k++) v.push(est.Q[s][i][k]);
      for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) v.push(est.R[s][i][n]);
      // rounding of the printed value itself: never claim below 1e-15 relative
      return v;
    };
    note = `# digits shown agree with the ${est.method}; "<x" means |value| below the error estimate; eps_g "unresolved" past the first sample not confirmed to 10%\n`;
  }
  return note + resultTable(r, { every: opts.every, errors });
}

export function runOde(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: odeArgs, allowPositionals: false, strict: true });
  if (values.help) {
    io.stdout(odeHelp + "\n");
    return 0;
  }
  const options = odeOptionsFromArgs(values);
  const { format, every } = outputOf(values);
  const withErrors = values["no-error-estimate"] ? false : true;
  const r = integrate(options);
  emit(io, values.out, format, (f) => renderOde(r, f, { every, withErrors }));
  io.stderr(`status: ${r.status}: ${r.message} (${r.stats.steps} steps, ${r.stats.rhsEvaluations} right-hand sides, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  return 0;
}
