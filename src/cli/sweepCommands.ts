// Commands that `scm sweep` can run over a grid: how a point's parsed option values become the
// API's options (validated up front in the main thread). How a point runs is shared with the
// edge (src/sweep/points.ts). The options a point takes come from the schema
// (src/options/commands.ts, SWEEPS); adding a command takes one entry there, one here and one in
// POINT_RUNNERS. No fs or process here: worker threads import this file too.
import { resolveIntegrateSymmetricOptions } from "../symmetric/options";
import { resolvePlateauOptions } from "../symmetric/plateau";
import { apiValues } from "./symmetric";
import { checkModel } from "../equilibrium/freeEnergy";
import { odeOptions } from "./ode";
import { SGD_OPTIONS, simulationOptions } from "./sgd";
import { etaRegimesOptions } from "./fixedPoints";

export interface SweepCommand {
  /** Parsed option values (API names) -> the API's options (plain data: sent to a worker and keys the point). */
  parse(values: Record<string, unknown>): object;
}

export const sweepCommands: Record<string, SweepCommand> = {
  ode: { parse: odeOptions },
  // every point runs in one worker thread: the points, not the runs, are spread over threads
  sgd: { parse: (v) => simulationOptions(v, SGD_OPTIONS.filter((n) => n !== "threads")) },
  "eta-regimes": { parse: etaRegimesOptions },
  transitions: { parse: (v) => checkModel(v.activation ?? "relu", v.K ?? 2) },
  "ode-symmetric": {
    // checked whole (the overlaps' validity, the divergence bound) before any point runs
    parse: (v) => {
      const o = apiValues("ode-symmetric", v);
      resolveIntegrateSymmetricOptions(o);
      return o;
    },
  },
  plateau: {
    parse: (v) => {
      const o = apiValues("plateau", v);
      resolvePlateauOptions(o);
      return o;
    },
  },
};
