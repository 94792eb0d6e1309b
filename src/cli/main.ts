// The `scm` command line (Node only: the one place that touches fs and process).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { integrate } from "../index";
import { useNodeWorkers } from "../simulation/platform.node";
import { CliError } from "./args";
import { odeHelp, renderOde, runOde, type Io } from "./ode";
import { runSgd, sgdHelp } from "./sgd";
import { compareHelp, runCompare } from "./compare";
import { figure1Help, runFigure1 } from "./figure1";
import { runSweep, sweepHelp } from "./sweep";
import { continueHelp, etaRegimesHelp, etaSweepHelp, fixedPointsHelp, runContinue, runEtaRegimes, runEtaSweep, runFixedPoints } from "./fixedPoints";
import { optimalLrDemoHelp, optimalLrHelp, runOptimalLr, runOptimalLrDemo } from "./optimalLr";
import { popgradCheckHelp, popgradHelp, runPopgrad, runPopgradCheck } from "./popgrad";
import { equilibriumHelp, runEquilibrium, runTransitions, transitionsHelp } from "./equilibrium";

useNodeWorkers();

const mainHelp = `scm: statistical physics of learning in soft committee machines

Usage: scm <command> [options]     (scm <command> --help for its options)

Commands
  figure1     the main job (npm start): [E] Fig. 1, the ODE next to 10 SGD runs at d = 1000 for the
              reference setting; a table on stdout, figure and data in output/
  reference   integrate the reference setting of THEORY.md section 1, print a table with verified
              digits and write the full result as JSON and CSV (default folder: output/)
  ode         typical learning curve of online SGD from the order-parameter ODE
  sgd         finite-d online SGD simulations: mean and spread of many seeded runs
  compare     ODE and simulation on one alpha grid, deviation in standard errors, --plot FILE.svg
  sweep       a command (ode, sgd, eta-regimes, transitions) over a grid of parameters (lists, start:stop:step ranges) on
              worker threads, one JSON line per point, resumable: scm sweep ode --eta 0.5,1 --out runs.jsonl
  fixed-points  fixed points of the ODE with residuals, eigenvalues and stability (--symmetric)
  continue    continuation of a fixed point (default: the plateau) in eta or T_nm, folds, --plot
  eta-regimes the learning-rate thresholds of THEORY 4 (non-monotonic eps_g, fold, divergence,
              perfect-learning stability) to 1e-7 in eta
  eta-sweep   learning curves for several learning rates, --plot FILE.svg
  optimal-lr  the exact optimal step of [L] for one batch of a single-layer network (JSON in)
  optimal-lr-demo  training with the optimal step against fixed rates, --plot FILE.svg
  popgrad     population gradient flow of a two-layer ReLU net on [T]'s symmetric subspace:
              critical points, trajectories, --plot FILE.svg (vector field, [T] Fig. 8)
  popgrad-check  closed-form population gradient against sampled estimates ([T] Fig. 7), --plot
  equilibrium every local minimum of the free energy of [O] over alpha, per branch, --plot FILE.svg
  transitions alpha_s, alpha_c, alpha_inst and the kind of the specialisation transition of [O]`;

const referenceHelp = `scm reference: integrate the reference setting of [E] Fig. 1 (relu, K = M = 2,
T = diag(1,2), Q0 = diag(0.1,0.2), R0 = 1e-3*eye, eta = 1, exact averages, RK4 with step 0.01,
alpha = 0..300 in 301 samples), print every 30th sample with the digits confirmed by a
half-step rerun, and write <out-dir>/reference.json and <out-dir>/reference.csv.

  --out-dir DIR   folder for the files (default output)`;

const io: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
  writeFile: (path, data) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  },
};

function runReference(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { "out-dir": { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help) {
    io.stdout(referenceHelp + "\n");
    return 0;
  }
  const dir = values["out-dir"] ?? "output";
  const r = integrate({});
  io.stdout(`Reference setting of THEORY.md section 1 (relu, K = M = 2, eta = 1, exact averages, RK4, step 0.01)\n`);
  io.stdout(renderOde(r, "table", { every: 30, withErrors: true }));
  io.writeFile(`${dir}/reference.json`, renderOde(r, "json", { withErrors: false }));
  io.writeFile(`${dir}/reference.csv`, renderOde(r, "csv", { withErrors: false }));
  io.stderr(`status: ${r.status}: ${r.message} (${r.stats.steps} steps, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  io.stderr(`wrote ${dir}/reference.json and ${dir}/reference.csv (${r.alpha.length} samples, full precision)\n`);
  return r.status === "completed" ? 0 : 1;
}

const commands: Record<string, { run: (argv: string[]) => number | Promise<number>; help: string }> = {
  figure1: { run: (argv) => runFigure1(argv, io), help: figure1Help },
  reference: { run: runReference, help: referenceHelp },
  ode: { run: (argv) => runOde(argv, io), help: odeHelp },
  sgd: { run: (argv) => runSgd(argv, io), help: sgdHelp },
  compare: { run: (argv) => runCompare(argv, io), help: compareHelp },
  sweep: { run: (argv) => runSweep(argv, io), help: sweepHelp },
  "fixed-points": { run: (argv) => runFixedPoints(argv, io), help: fixedPointsHelp },
  continue: { run: (argv) => runContinue(argv, io), help: continueHelp },
  "eta-regimes": { run: (argv) => runEtaRegimes(argv, io), help: etaRegimesHelp },
  "eta-sweep": { run: (argv) => runEtaSweep(argv, io), help: etaSweepHelp },
  "optimal-lr": { run: (argv) => runOptimalLr(argv, io), help: optimalLrHelp },
  "optimal-lr-demo": { run: (argv) => runOptimalLrDemo(argv, io), help: optimalLrDemoHelp },
  popgrad: { run: (argv) => runPopgrad(argv, io), help: popgradHelp },
  "popgrad-check": { run: (argv) => runPopgradCheck(argv, io), help: popgradCheckHelp },
  equilibrium: { run: (argv) => runEquilibrium(argv, io), help: equilibriumHelp },
  transitions: { run: (argv) => runTransitions(argv, io), help: transitionsHelp },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(mainHelp + "\n");
    return command === undefined ? 2 : 0;
  }
  const c = commands[command];
  if (!c) throw new CliError(`unknown command ${JSON.stringify(command)}; commands: ${Object.keys(commands).join(", ")} (scm --help)`);
  return c.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const known = err instanceof CliError || err instanceof RangeError || err instanceof TypeError;
  const e = err as Error & { code?: string };
  if (known || (e.code && e.code.startsWith("ERR_PARSE_ARGS"))) {
    process.stderr.write(`scm: error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
