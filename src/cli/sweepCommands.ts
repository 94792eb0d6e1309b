// Commands that `scm sweep` can run over a grid. Each entry says which options it takes (CLI
// spelling), how their text becomes the API's options (validated up front in the main thread)
// and how one point runs (in a worker thread) to the JSON text of its result: the same JSON as
// the command's --format json. Adding a command takes one entry, e.g.
//   "eta-regimes": { summary: "...", options: etaRegimesArgs, parse: etaRegimesOptionsFromArgs,
//                    run: (o) => JSON.stringify(learningRateRegimes(o)) },
// No fs or process here: worker threads import this file too.
import { integrate, learningRateRegimes, simulateSync, transitions } from "../api";
import { parseNumber } from "../text/args";
import { checkModel } from "../equilibrium/freeEnergy";
import { etaRegimesOptionArgs, etaRegimesOptionsFromArgs } from "../text/regimes";
import { resultJson, simulationJson } from "../text/json";
import { odeOptionArgs, odeOptionsFromArgs, sgdOptionArgs, simulationOptionsFromArgs, type TextValues } from "../text/options";

export interface SweepCommand {
  /** One line for `scm sweep --help`. */
  summary: string;
  /** The options a point takes (node:util parseArgs table, CLI spelling, no output options). */
  options: Record<string, { type: "string" | "boolean" }>;
  /** Options whose single value contains commas besides the defaults (T, Q0, R0, v, ...): lists of them use "|". */
  barLists?: readonly string[];
  /** Option text -> the API's options (plain data: it is sent to a worker and keys the point). */
  parse(values: TextValues): object;
  /** Runs one point; returns its result as JSON text. */
  run(options: never): string | Promise<string>;
}

const { threads: _threads, ...sgdPointArgs } = sgdOptionArgs;

export const sweepCommands: Record<string, SweepCommand> = {
  ode: {
    summary: "order-parameter ODE (result: the JSON of scm ode --format json)",
    options: odeOptionArgs,
    parse: odeOptionsFromArgs,
    run: (o: Parameters<typeof integrate>[0]) => resultJson(integrate(o)),
  },
  sgd: {
    summary: "finite-d SGD runs, each point in one worker thread (result: the JSON of scm sgd --format json)",
    options: sgdPointArgs,
    parse: simulationOptionsFromArgs,
    run: (o: Parameters<typeof simulateSync>[0]) => simulationJson(simulateSync(o)),
  },
  "eta-regimes": {
    summary: "learning-rate thresholds of THEORY 4 (result: the JSON of scm eta-regimes --format json)",
    options: etaRegimesOptionArgs,
    parse: etaRegimesOptionsFromArgs,
    run: (o: Parameters<typeof learningRateRegimes>[0]) => JSON.stringify(learningRateRegimes(o)),
  },
  transitions: {
    summary: "alpha_s, alpha_c, alpha_inst of [O] (result: the JSON of scm transitions --format json for one K)",
    options: { activation: { type: "string" }, K: { type: "string" } },
    parse: (v: TextValues) => checkModel((v.activation as string | undefined) ?? "relu", parseNumber("K", v.K as string | undefined, { integer: true }) ?? 2),
    run: (o: Parameters<typeof transitions>[0]) => JSON.stringify(transitions(o)),
  },
};
