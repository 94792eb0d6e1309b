// A learning-rate schedule handed to a core instance (assembly/ode/schedule.ts): the pieces of a
// piecewise schedule go into the workspace after layout() (before simLayout()), the kind and its
// numbers into configureSchedule() after configureModel() (which resets it to constant).
import type { CoreInstance } from "../core/engine";
import { OptionError } from "../core/errors";
import { parseSchedule, type LearningRateSchedule } from "../options/schedule";

/** The core's schedule codes (assembly/ode/schedule.ts). */
export const SCHEDULE_CODE = { constant: 0, inverse: 1, power: 2, piecewise: 3, greedy: 4 } as const;

/** The schedule's text parsed (it was checked when the options were resolved). */
export const scheduleOf = (text: string): LearningRateSchedule => parseSchedule("learningRateSchedule", text);

/** Writes the pieces of a piecewise schedule into the instance (call after layout(), before simLayout()). */
export function layoutSchedule(e: CoreInstance, s: LearningRateSchedule): void {
  if (s.kind !== "piecewise") return;
  const x = e.exports;
  if (x.scheduleLayout(s.breaks.length) === 0)
    throw new OptionError({ option: "learningRateSchedule", value: s.breaks.length, accepted: "a piecewise schedule that fits in WebAssembly memory", reason: `has ${s.breaks.length} pieces, more than WebAssembly memory holds` });
  const f = e.f64;
  f.set(s.breaks, x.scheduleBreaksPtr() >> 3);
  f.set(s.values, x.scheduleValuesPtr() >> 3);
}

/**
 * Selects the schedule for the instance's next runs (after configureModel()). alphaOffset: the
 * schedule's alpha where the run starts (a restarted trajectory keeps the schedule's clock).
 */
export function configureSchedule(e: CoreInstance, s: LearningRateSchedule, etaMax: number, alphaOffset = 0): void {
  const x = e.exports;
  switch (s.kind) {
    case "constant":
      return;
    case "inverse":
      x.configureSchedule(SCHEDULE_CODE.inverse, s.eta0, s.a0, 0, etaMax, alphaOffset, 0);
      return;
    case "power":
      x.configureSchedule(SCHEDULE_CODE.power, s.eta0, s.a0, s.beta, etaMax, alphaOffset, 0);
      return;
    case "piecewise":
      x.configureSchedule(SCHEDULE_CODE.piecewise, 0, 0, 0, etaMax, alphaOffset, s.breaks.length);
      return;
    case "greedy":
      x.configureSchedule(SCHEDULE_CODE.greedy, 0, 0, 0, etaMax, alphaOffset, 0);
  }
}
