// How long a computation may run (RunControl of src/core/control.ts).
import { DEFAULT_MAX_WORK_SECONDS } from "../../core/control";
import { option } from "../option";

export const maxWork = option({
  name: "maxWork", flag: "max-work", type: "number", range: { min: 0, minExclusive: true }, group: "control", default: DEFAULT_MAX_WORK_SECONDS, unit: "s",
  cliOnly: true, sweep: false, placeholder: "SECONDS",
  help: "refuse computations estimated to take longer than this (single-thread seconds)",
});
