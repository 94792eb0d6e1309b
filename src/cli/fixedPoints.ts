// `scm fixed-points`, `scm continue`, `scm eta-regimes`, `scm eta-sweep` (THEORY 4).
import { parseArgs } from "node:util";
import { continueFixedPoint, etaSweep, fixedPoints, learningRateRegimes, type BranchResult, type IntegrateOptions, type RegimesResult } from "../index";
import { CliError, parseList, parseMatrix, expandMatrix, parseNumber } from "./args";
import { emit, formatOf, odeArgs, odeOptionsFromArgs, settingHelp, type Io } from "./ode";
import { branchSvg, sweepSvg } from "./figures";
import { etaRegimesOptionsFromArgs, settingFromArgs } from "../text/regimes";
import type { TextValues } from "../text/options";
import { fixedPointRow, regimeRows } from "../report/fixedPoints";

const settingOf = (values: Record<string, unknown>) => settingFromArgs(values as TextValues);
const numerics = `Numerics of the right-hand side
  --method exact|hermite, --hermite-order N   as scm ode (default exact)`;
const common = { ...odeArgs, plot: { type: "string" } } as const;
const svgPath = (p: string | undefined) => {
  if (p !== undefined && !p.endsWith(".svg")) throw new CliError(`--plot must name an .svg file; got ${JSON.stringify(p)}`);
  return p;
};
const fmt = (x: number, d = 10) => (Number.isFinite(x) ? String(+x.toPrecision(d)) : String(x));
const table = (header: string[], rows: string[][]) => {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (c: string[]) => c.map((x, j) => x.padStart(w[j])).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
};

export const fixedPointsHelp = `scm fixed-points: fixed points of the order-parameter ODE, F(u; eta) = 0 (THEORY.md 4), by
Newton's method from perfect learning, the unspecialised ansatz and seeded random starts; each with
its residual max |F|, eps_g, the Jacobian's eigenvalues and stability. Without --K --M --T --Q0 --R0:
the reference setting of [E].

${settingHelp}
  (--Q0/--R0 only define the setting's shape here)

  --eta X                        learning rate (default 1)
  --symmetric                    search only the unspecialised subspace (Q_ii = q, Q_ik = c, R_in = r_n)
  --multi-start N                seeded random starts (default 24), --seed S (default 1)
  --guess-Q MATRIX --guess-R MATRIX   an extra starting point
${numerics}
  --format json|table            json: {fixedPoints: [{Q, R, eg, eigenvalues: [{re, im}], stability,
                                 unstableDirections, residual, jacobianError, ...}], learningRate, stats}
  --out FILE`;

export function runFixedPoints(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: { ...common, symmetric: { type: "boolean" }, "multi-start": { type: "string" }, seed: { type: "string" }, "guess-Q": { type: "string" }, "guess-R": { type: "string" } }, strict: true });
  if (values.help) return io.stdout(fixedPointsHelp + "\n"), 0;
  const { setting, ode } = settingOf(values);
  const gq = parseMatrix("guess-Q", values["guess-Q"]), gr = parseMatrix("guess-R", values["guess-R"]);
  if (!!gq !== !!gr) throw new CliError("--guess-Q and --guess-R go together");
  const K = setting.K ?? 2, M = setting.M ?? 2;
  const r = fixedPoints({
    ...setting, learningRate: ode.learningRate, symmetric: values.symmetric === true,
    multiStart: parseNumber("multi-start", values["multi-start"], { integer: true }), seed: parseNumber("seed", values.seed, { integer: true }),
    guesses: gq && gr ? [{ Q: expandMatrix("guess-Q", gq, K, K), R: expandMatrix("guess-R", gr, K, M) }] : undefined,
  });
  const format = formatOf("format", values.format, "table");
  emit(io, values.out, format, (f) => {
    if (f === "json") return JSON.stringify(r) + "\n";
    const rows = r.fixedPoints.map((p) => {
      const x = fixedPointRow(p);
      return [x.stability, x.eg, x.residual, x.Q, x.R, x.eigenvalues];
    });
    return `# eta = ${r.learningRate}; values printed to the digits they are known to (eigenvalues: the Jacobian entries' estimated error times the dimension; "?" when that exceeds 1)\n` + table(["stability", "eg", "residual", "Q", "R", "eigenvalues"], rows);
  });
  io.stderr(`${r.fixedPoints.length} fixed points from ${r.starts} starts (${r.failed} did not converge), ${r.stats.wallTimeMs.toFixed(0)} ms\n`);
  return 0;
}

export const continueHelp = `scm continue: pseudo-arclength continuation of a fixed point in eta (or a teacher overlap), with
folds (saddle-nodes) located to ~1e-10; by default the unspecialised plateau of the setting's
initial condition, in the symmetric subspace ([E] Fig. 2b).

${settingHelp}

  --eta X                        where the branch starts (default 0.5)
  --parameter eta|T:n,m          continuation parameter (default eta; T:1,2 is the overlap T_12 = T_21)
  --min X --max X                parameter range (default eta in [0.001, 10])
  --step X                       first arclength step (default 0.02)
  --full                         continue in the full space instead of the symmetric subspace (needs --guess-Q/R)
  --guess-Q MATRIX --guess-R MATRIX   starting point (default: the plateau)
  --direction 1|-1               initial direction of the parameter (default 1)
${numerics}
  --format json|csv|table        json: {parameter, values, Q, R, eg, stability, eigenvalues, folds: [{value, Q,
                                 R, eg, smallestSingularValue, eigenvalues}], status, message}
  --out FILE, --plot FILE.svg    the branch's Q, R and eps_g against the parameter`;

function renderBranch(b: BranchResult, f: string): string {
  if (f === "json") return JSON.stringify({ ...b, values: Array.from(b.values), eg: Array.from(b.eg) }) + "\n";
  const K = b.Q[0].length, M = b.R[0][0].length;
  const names = [b.parameter, "eg", "stability"];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) names.push(`Q_${i + 1}${k + 1}`);
  for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) names.push(`R_${i + 1}${n + 1}`);
  const rows = Array.from(b.values, (p, s) => {
    const r = [p, b.eg[s]].map((x) => (f === "csv" ? String(x) : fmt(x, 10)));
    r.push(b.stability[s] ?? "");
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) r.push(f === "csv" ? String(b.Q[s][i][k]) : fmt(b.Q[s][i][k], 8));
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) r.push(f === "csv" ? String(b.R[s][i][n]) : fmt(b.R[s][i][n], 8));
    return r;
  });
  if (f === "csv") return [names.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
  return `# ${b.message}\n` + b.folds.map((x) => `# fold: ${b.parameter} = ${fmt(x.value, 10)}, eg = ${fmt(x.eg, 8)}, smallest singular value ${x.smallestSingularValue.toExponential(1)}\n`).join("") + table(names, rows);
}

export async function runContinue(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...common, parameter: { type: "string" }, min: { type: "string" }, max: { type: "string" }, full: { type: "boolean" }, "guess-Q": { type: "string" }, "guess-R": { type: "string" }, direction: { type: "string" } }, strict: true });
  if (values.help) return io.stdout(continueHelp + "\n"), 0;
  const { setting, ode } = settingOf(values);
  let parameter: "eta" | [number, number] = "eta";
  if (values.parameter !== undefined && values.parameter !== "eta") {
    const m = /^T:(\d+),(\d+)$/.exec(values.parameter);
    if (!m) throw new CliError(`--parameter must be eta or T:n,m (1-based); got ${JSON.stringify(values.parameter)}`);
    parameter = [Number(m[1]) - 1, Number(m[2]) - 1];
  }
  const gq = parseMatrix("guess-Q", values["guess-Q"]), gr = parseMatrix("guess-R", values["guess-R"]);
  const K = setting.K ?? 2, M = setting.M ?? 2;
  const direction = parseNumber("direction", values.direction, { integer: true });
  const plot = svgPath(values.plot);
  const b = continueFixedPoint({
    ...setting, learningRate: ode.learningRate, parameter, symmetric: values.full !== true,
    min: parseNumber("min", values.min), max: parseNumber("max", values.max), step: ode.step,
    start: gq && gr ? { Q: expandMatrix("guess-Q", gq, K, K), R: expandMatrix("guess-R", gr, K, M) } : undefined,
    direction: direction as 1 | -1 | undefined,
  });
  const format = formatOf("format", values.format, "table");
  emit(io, values.out, format, (f) => renderBranch(b, f));
  if (plot) {
    io.writeFile(plot, await branchSvg(b));
    io.stderr(`wrote ${plot}\n`);
  }
  io.stderr(`${b.status}: ${b.message} (${b.stats.points} points, ${b.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}

export const etaRegimesHelp = `scm eta-regimes: the learning-rate thresholds of THEORY.md 4 for a setting and initial condition,
each by bisection / continuation to an absolute precision in eta (default 1e-7), with its
definition and bracket: etaNonmonotonic, etaFold, etaDivergence, etaPerfectStable.

${settingHelp}

  --precision X                  absolute precision on eta (default 1e-7)
  --integrator euler|rk4|adaptive, --step X, --rtol X, --atol X   trajectory numerics (default adaptive, 1e-10, 1e-12)
  --convergence-tolerance X      perfect learning reached once max |du/dalpha| < X (default 1e-9)
  --divergence-bound X           diverged once some Q_ii > X (default 1e6)
${numerics}
  --format json|table            json: {etaNonmonotonic, etaFold, etaDivergence, etaPerfectStable: each
                                 {value, bracket, definition, method, message, accuracy}, settings, stats}
  --out FILE`;

export function renderRegimes(r: RegimesResult, f: string): string {
  if (f === "json") return JSON.stringify(r) + "\n";
  // digits: the bracket width (and the stated accuracy) limit what is printed; the last
  // digit's unit is at least that uncertainty (ceil: 4.8e-7 prints to 1e-6, not 1e-7)
  return table(["threshold", "value", "bracket", "definition"], regimeRows(r));
}

export function runEtaRegimes(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: { ...common, precision: { type: "string" } }, strict: true });
  if (values.help) return io.stdout(etaRegimesHelp + "\n"), 0;
  const r = learningRateRegimes(etaRegimesOptionsFromArgs(values as TextValues));
  const format = formatOf("format", values.format, "table");
  emit(io, values.out, format, (f) => renderRegimes(r, f));
  io.stderr(`thresholds in ${r.stats.wallTimeMs.toFixed(0)} ms (trajectories: ${r.settings.integrator}, rtol ${r.settings.rtol}, atol ${r.settings.atol})\n`);
  return 0;
}

export const etaSweepHelp = `scm eta-sweep: learning curves eps_g(alpha) of the ODE for several learning rates ([E] Fig. 2a).

${settingHelp}

  --etas a,b,c                   learning rates (default 0.5,1,1.2,1.25)
  sampling and numerics as scm ode (--alpha-max --samples --alpha-points --method --integrator --step ...)
  --format json|csv|table        json: {learningRates, curves: [{eta, alpha, eg, status, message}]}
  --out FILE, --plot FILE.svg    eps_g against alpha, one curve per eta (log axis)`;

export async function runEtaSweep(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...common, etas: { type: "string" } }, strict: true });
  if (values.help) return io.stdout(etaSweepHelp + "\n"), 0;
  const { ode } = settingOf(values);
  const { learningRate: _l, ...rest } = ode;
  const plot = svgPath(values.plot);
  const r = etaSweep({ ...rest, learningRates: parseList("etas", values.etas) ?? [0.5, 1, 1.2, 1.25] });
  const format = formatOf("format", values.format, "table");
  const every = parseNumber("every", values.every, { integer: true }) ?? (format === "table" ? 10 : 1);
  emit(io, values.out, format, (f) => {
    if (f === "json") return JSON.stringify({ learningRates: r.learningRates, curves: r.curves.map((c, j) => ({ eta: r.learningRates[j], alpha: Array.from(c.alpha), eg: Array.from(c.eg), status: c.status, message: c.message })) }) + "\n";
    const n = Math.max(...r.curves.map((c) => c.alpha.length));
    const longest = r.curves.find((c) => c.alpha.length === n)!;
    const rows: string[][] = [];
    for (let s = 0; s < n; s++) {
      if (f === "table" && s % every !== 0 && s !== n - 1) continue;
      rows.push([f === "csv" ? String(longest.alpha[s]) : fmt(longest.alpha[s]), ...r.curves.map((c) => (s < c.eg.length ? (f === "csv" ? String(c.eg[s]) : c.eg[s].toPrecision(6)) : ""))]);
    }
    const header = ["alpha", ...r.learningRates.map((e) => `eg(eta=${e})`)];
    return f === "csv" ? [header.join(","), ...rows.map((x) => x.join(","))].join("\n") + "\n" : table(header, rows);
  });
  if (plot) {
    io.writeFile(plot, await sweepSvg(r));
    io.stderr(`wrote ${plot}\n`);
  }
  io.stderr(r.curves.map((c, j) => `eta = ${r.learningRates[j]}: ${c.status}`).join("; ") + ` (${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  return 0;
}
