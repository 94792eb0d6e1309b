// Commands that `scm sweep` can run over a grid: how a point's parsed option values become the
// API's options (validated up front in the main thread) and how one point runs (in a worker
// thread) to the JSON text of its result, the same JSON as the command's --format json. The
// options a point takes come from the schema (src/options/commands.ts, SWEEPS); adding a command
// takes one entry there and one here. No fs or process here: worker threads import this file too.
import { integrate, learningRateRegimes, simulateSync, transitions } from "../api";
import { checkModel } from "../equilibrium/freeEnergy";
import { resultJson, simulationJson } from "../text/json";
import { odeOptions } from "./ode";
import { SGD_OPTIONS, simulationOptions } from "./sgd";
import { etaRegimesOptions } from "./fixedPoints";

export interface SweepCommand {
  /** Parsed option values (API names) -> the API's options (plain data: sent to a worker and keys the point). */
  parse(values: Record<string, unknown>): object;
  /** Runs one point; returns its result as JSON text. */
  run(options: never): string | Promise<string>;
}

export const sweepCommands: Record<string, SweepCommand> = {
  ode: {
    parse: odeOptions,
    run: (o: Parameters<typeof integrate>[0]) => resultJson(integrate(o)),
  },
  sgd: {
    // every point runs in one worker thread: the points, not the runs, are spread over threads
    parse: (v) => simulationOptions(v, SGD_OPTIONS.filter((n) => n !== "threads")),
    run: (o: Parameters<typeof simulateSync>[0]) => simulationJson(simulateSync(o)),
  },
  "eta-regimes": {
    parse: etaRegimesOptions,
    run: (o: Parameters<typeof learningRateRegimes>[0]) => JSON.stringify(learningRateRegimes(o)),
  },
  transitions: {
    parse: (v) => checkModel(v.activation ?? "relu", v.K ?? 2),
    run: (o: Parameters<typeof transitions>[0]) => JSON.stringify(transitions(o)),
  },
};
