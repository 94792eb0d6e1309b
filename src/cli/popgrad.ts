// `scm popgrad`: the symmetric reduction of the population gradient flow of a two-layer ReLU
// network ([T] Theorem 7, THEORY.md section 7): critical points, trajectories, vector field.
import { parseArgs } from "node:util";
import { sampledGradientCheck } from "../index";
import { CliError, parseList, parseNumber } from "./args";
import { emit, formatOf, type Io } from "./ode";
import { criticalPointRows, DEFAULT_STARTS, popgradCsv, popgradJson, popgradRun, trajectoryRows, type PopgradRun } from "../report/popgrad";

export const popgradHelp = `scm popgrad: gradient flow of the population loss of a two-layer ReLU network on the symmetric
subspace of [T] Theorem 7 (THEORY.md section 7): orthonormal teacher w*_j = e_j, students
w_j = x e_j + y sum_{k != j} e_k, a 2-D flow (dx/dt, dy/dt) for any K.

  --K N                    units of teacher and student (>= 2, default 2)
  --starts "x,y;x,y;..."   trajectories from these points (default: eight starts around the plane)
  --t-max T                integrate each trajectory to T (default 100)
  --x-range a,b            vector-field window (default -0.8,1.6)
  --y-range a,b            (default -0.8,1.6)
  --grid N                 arrows per axis (default 21)
  --format json|csv|table  stdout format (default table: critical points and where each trajectory
                           ends); csv: the trajectories (start, t, x, y, loss); json: criticalPoints,
                           trajectories, field
  --out FILE               write there instead of stdout (format from .json/.csv/.txt)
  --plot FILE.svg          vector field with trajectories and critical points, as in [T] Fig. 8

Critical points are every zero of the field (the origin, every w_j = 0, is singular and excluded):
Newton from the closed-form saddle on x = y, from (1, 0) and from a grid over the disc
x^2 + (K-1) y^2 <= 1 + (K-1)/pi that provably holds all of them. Their type is that of the 2-D
flow; "full space" classifies the point in all K x K weights (d = K) by the eigenvalues of the
Hessian of J (central differences of the closed-form gradient, ~1e-10 relative): a 2-D attractor
can be a saddle there. Coordinates are printed with the digits supported by residual / smallest
|eigenvalue| (at most 10).`;

const args = {
  K: { type: "string" }, starts: { type: "string" }, "t-max": { type: "string" }, "x-range": { type: "string" },
  "y-range": { type: "string" }, grid: { type: "string" }, format: { type: "string" }, out: { type: "string", multiple: true },
  plot: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

export { DEFAULT_STARTS, type PopgradRun };

function parseStarts(text: string | undefined): [number, number][] {
  if (text === undefined) return DEFAULT_STARTS;
  return text.split(";").map((p, i) => {
    const v = parseList("starts", p)!;
    if (v.length !== 2) throw new CliError(`--starts: point ${i + 1} must be "x,y"; got ${JSON.stringify(p)}`);
    return [v[0], v[1]];
  });
}

function parseRange(option: string, text: string | undefined, def: [number, number]): [number, number] {
  const v = parseList(option, text);
  if (!v) return def;
  if (v.length !== 2 || !(v[1] > v[0])) throw new CliError(`--${option} must be "min,max" with max > min; got ${JSON.stringify(text)}`);
  return [v[0], v[1]];
}

export async function runPopgrad(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: args, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(popgradHelp + "\n");
    return 0;
  }
  const format = formatOf("format", values.format, "table");
  if (values.plot !== undefined && !values.plot.endsWith(".svg")) throw new CliError(`--plot must name an .svg file; got ${JSON.stringify(values.plot)}`);
  const K = parseNumber("K", values.K, { integer: true }) ?? 2;
  const tMax = parseNumber("t-max", values["t-max"]) ?? 100;
  const xRange = parseRange("x-range", values["x-range"], [-0.8, 1.6]);
  const yRange = parseRange("y-range", values["y-range"], [-0.8, 1.6]);
  const grid = parseNumber("grid", values.grid, { integer: true }) ?? 21;
  const starts = parseStarts(values.starts);
  const run = popgradRun({ K, starts, tMax, xRange, yRange, grid });
  const render = (f: string) => {
    if (f === "json") return popgradJson(run);
    if (f === "csv") return popgradCsv(run);
    const cp = criticalPointRows(run);
    const table = (header: string[], rows: string[][]) => {
      const width = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
      const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
      return [line(header), ...rows.map(line)].join("\n");
    };
    const tr = trajectoryRows(run);
    return `# critical points of the reduced flow, K = ${K} (origin excluded: singular)\n` + table(["x", "y", "type (2-D)", "loss", "residual", "full space (min Hessian eigenvalue)"], cp) + "\n\n" +
      `# trajectories (adaptive Dormand-Prince, rtol 1e-10)\n` + table(["start", "t", "x", "y", "loss", "status"], tr) + "\n";
  };
  emit(io, values.out, format, render);
  if (values.plot) {
    const { popgradSvg } = await import("./popgradPlot");
    io.writeFile(values.plot, await popgradSvg(run));
    io.stderr(`wrote ${values.plot}\n`);
  }
  return 0;
}

export const popgradCheckHelp = `scm popgrad-check: [T] Fig. 7, the closed form Fbar(e, w) = E[x x^T 1(e.x > 0) 1(w.x > 0)] w
(THEORY.md section 7) against estimates from N sampled Gaussian inputs: relative RMS error over
--trials estimates, against the angle between e and w and against N, next to its exact expectation
sqrt((E|s|^2 - |Fbar|^2) / N) / |Fbar| with E|s|^2 = |w|^2 (d + 2)/pi ((pi - theta)/2 + sin(2 theta)/4).

  --d N                    input dimension (default 10)
  --N a,b,c                sample sizes (default 10,100,1000,10000)
  --angles K               number of angles in [0, pi) (default 12)
  --trials T               estimates per point (default 20)
  --seed N                 seed, integer in [0, 2^53) (default 1)
  --format json|csv|table  stdout format (default table)
  --out FILE               write there instead of stdout
  --plot FILE.svg          relative RMS error against angle, one curve per N (log scale), dashed: expectation

Sampled RMS values carry a relative standard error of roughly 1/sqrt(2 trials); the table prints 3 digits.`;

const checkArgs = {
  d: { type: "string" }, N: { type: "string" }, angles: { type: "string" }, trials: { type: "string" }, seed: { type: "string" },
  format: { type: "string" }, out: { type: "string", multiple: true }, plot: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

export async function runPopgradCheck(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: checkArgs, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(popgradCheckHelp + "\n");
    return 0;
  }
  const format = formatOf("format", values.format, "table");
  if (values.plot !== undefined && !values.plot.endsWith(".svg")) throw new CliError(`--plot must name an .svg file; got ${JSON.stringify(values.plot)}`);
  const nAngles = parseNumber("angles", values.angles, { integer: true }) ?? 12;
  if (nAngles < 1) throw new CliError(`--angles must be an integer >= 1; got ${nAngles}`);
  const d = parseNumber("d", values.d, { integer: true });
  const trials = parseNumber("trials", values.trials, { integer: true });
  const seed = parseNumber("seed", values.seed, { integer: true });
  const r = sampledGradientCheck({
    angles: Array.from({ length: nAngles }, (_, a) => (Math.PI * a) / nAngles),
    ...(values.N !== undefined ? { N: parseList("N", values.N) } : {}),
    ...(d !== undefined ? { d } : {}), ...(trials !== undefined ? { trials } : {}), ...(seed !== undefined ? { seed } : {}),
  });
  const render = (f: string) => {
    if (f === "json") return JSON.stringify({ angles: Array.from(r.angles), N: r.N, relativeRmsError: r.relativeRmsError.map((v) => Array.from(v)), predictedRelativeRmsError: r.predictedRelativeRmsError.map((v) => Array.from(v)), options: r.options, stats: r.stats }) + "\n";
    const lines: string[] = [];
    if (f === "csv") {
      lines.push("N,angle,relativeRmsError,predicted");
      r.N.forEach((N, n) => r.angles.forEach((a, k) => lines.push([N, a, r.relativeRmsError[n][k], r.predictedRelativeRmsError[n][k]].join(","))));
      return lines.join("\n") + "\n";
    }
    const header = ["angle", ...r.N.map((N) => `N=${N}`), ...r.N.map((N) => `expected N=${N}`)];
    const rows = Array.from(r.angles, (a, k) => [a.toFixed(4), ...r.N.map((_, n) => r.relativeRmsError[n][k].toPrecision(3)), ...r.N.map((_, n) => r.predictedRelativeRmsError[n][k].toPrecision(3))]);
    const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
    const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
    return `# relative RMS error of ${r.options.trials} sampled estimates of Fbar(e, w), d = ${r.options.d}, seed ${r.options.seed}\n` + [line(header), ...rows.map(line)].join("\n") + "\n";
  };
  emit(io, values.out, format, render);
  if (values.plot) {
    const { sampledCheckSvg } = await import("./popgradPlot");
    io.writeFile(values.plot, await sampledCheckSvg(r));
    io.stderr(`wrote ${values.plot}\n`);
  }
  return 0;
}
