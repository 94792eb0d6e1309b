// Where and how results are written (CLI only): formats, files, figures, table density.
import { option, variant } from "../option";
import { FORMATS } from "../values";

export const format = option({
  name: "format", flag: "format", type: "enum", values: FORMATS, group: "output", default: "table", cliOnly: true, sweep: false,
  help: "stdout format",
});

/** Commands whose results have no CSV form. */
export const formatJsonTable = variant(format, { values: ["table", "json"] });

export const out = option({
  name: "out", flag: "out", type: "path", group: "output", repeatable: true, cliOnly: true, sweep: false,
  help: "write there instead of stdout, format from the extension (.json, .csv, .txt; none: --format); repeatable",
});

export const every = option({
  name: "every", flag: "every", type: "integer", range: { min: 1, max: 1e9 }, group: "output", default: 1, cliOnly: true, sweep: false,
  help: "table: print every N-th sample only (and the last)",
});

export const errorEstimate = option({
  name: "errorEstimate", flag: "error-estimate", type: "boolean", negatable: true, group: "output", default: true, cliOnly: true, sweep: false,
  help: "table: integrate again with half the step and print only the digits that agree",
});

export const plot = option({
  name: "plot", flag: "plot", type: "path", group: "output", cliOnly: true, sweep: false, placeholder: "FILE.svg",
  help: "draw the figure to this SVG file",
});

export const outDir = option({
  name: "outDir", flag: "out-dir", type: "path", group: "output", default: "output", cliOnly: true, sweep: false, placeholder: "DIR",
  help: "folder for the files",
});

export const sweepOut = option({
  name: "out", flag: "out", type: "path", group: "sweep", cliOnly: true, sweep: false, placeholder: "FILE.jsonl",
  help: "JSON-lines file the points are appended to, one line per point (required)",
});

export const workers = option({
  name: "workers", flag: "workers", type: "integer", range: { min: 1, max: 256 }, group: "sweep", defaultText: "one per core", cliOnly: true, sweep: false,
  help: "worker threads; results do not depend on it",
});
