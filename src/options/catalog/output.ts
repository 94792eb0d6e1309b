// Where and how results are written (CLI only): formats, files, figures, table density.
import { option, variant } from "../option";
import { FORMATS } from "../values";
import { DEFAULT_FLATNESS, PLOT_QUANTITY_NAMES } from "../../sweep/heatmap";

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

export const shard = option({
  name: "shard", flag: "shard", type: "text", group: "sweep", cliOnly: true, sweep: false, placeholder: "I/N",
  help: "run only task I of a job array of N: the points whose key (command and options) hashes to I; the N tasks cover the grid once (merge their files with scm sweep merge)",
});

export const remote = option({
  name: "remote", flag: "remote", type: "text", group: "sweep", cliOnly: true, sweep: false, placeholder: "URL[,URL...]",
  help: "send the points to these deployments of the edge entry (in batches, POST /points, each point saved as its answer line arrives) instead of worker threads; the secret, if any, from the environment variable SCM_EDGE_SECRET",
});

export const concurrency = option({
  name: "concurrency", flag: "concurrency", type: "integer", range: { min: 1, max: 1024 }, group: "sweep", defaultText: "2 per endpoint", cliOnly: true, sweep: false,
  help: "requests in flight at once with --remote",
});

export const timeout = option({
  name: "timeout", flag: "timeout", type: "number", range: { min: 0, minExclusive: true }, group: "sweep", default: 60, unit: "s", cliOnly: true, sweep: false, placeholder: "SECONDS",
  help: "deadline of each remote answer: a request whose next point has not arrived within it is abandoned and its unanswered points retried",
});

export const retries = option({
  name: "retries", flag: "retries", type: "integer", range: { min: 0, max: 100 }, group: "sweep", default: 6, cliOnly: true, sweep: false,
  help: "retries of a point whose remote request failed or timed out (on another endpoint when there is one, after an exponential back-off)",
});

// ---- scm sweep merge, scm sweep plot

export const mergeOut = option({
  name: "out", flag: "out", type: "path", group: "sweep", cliOnly: true, sweep: false, placeholder: "FILE.jsonl",
  help: "the merged file (written whole; may be one of the inputs)",
});

export const plotX = option({
  name: "x", flag: "x", type: "text", group: "sweep", cliOnly: true, sweep: false, placeholder: "OPTION",
  help: "the swept option along the horizontal axis (its flag or API name, e.g. eta)",
});

export const plotY = option({
  name: "y", flag: "y", type: "text", group: "sweep", cliOnly: true, sweep: false, placeholder: "OPTION",
  help: "the swept option along the vertical axis",
});

export const plotZ = option({
  name: "z", flag: "z", type: "enum", values: PLOT_QUANTITY_NAMES, group: "sweep", cliOnly: true, sweep: false,
  help: "the quantity shown by colour (see below)",
});

export const plotThreshold = option({
  name: "threshold", flag: "threshold", type: "number", range: { min: 0, minExclusive: true }, group: "sweep", cliOnly: true, sweep: false,
  help: "the eps_g level of --z alpha-reach",
});

export const plotFlatness = option({
  name: "flatness", flag: "flatness", type: "number", range: { min: 0, minExclusive: true }, group: "sweep", default: DEFAULT_FLATNESS, cliOnly: true, sweep: false,
  help: "--z plateau-length: largest relative change of eps_g per unit alpha on the plateau",
});

export const plotAt = option({
  name: "at", flag: "at", type: "text", group: "sweep", repeatable: true, cliOnly: true, sweep: false, placeholder: "OPTION=VALUE",
  help: "fix another option that varies in the file (repeatable)",
});

export const plotOut = option({
  name: "out", flag: "out", type: "path", group: "sweep", repeatable: true, cliOnly: true, sweep: false, placeholder: "FILE.svg|.png|.csv",
  help: "write the heatmap (.svg, .png) or the grid (.csv) there; repeatable",
});
