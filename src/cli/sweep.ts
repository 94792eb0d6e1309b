// `scm sweep <command> <options> --out FILE`: a command over a parameter grid, the points spread
// over worker threads, one JSON line per point appended to FILE; rerunning skips the points
// already there. Node only (files, worker_threads).
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { CliError, parseNumber } from "./args";
import type { Io } from "./ode";
import { sweepCommands } from "./sweepCommands";
import type { SweepReply } from "./sweep.worker";
import { BAR_LIST_OPTIONS, canonicalJson, expandGrid } from "../text/grid";

export const sweepHelp = `scm sweep: run a command over a grid of parameters, points in parallel, results as JSON lines

Usage: scm sweep <command> <options of the command> --out FILE [--workers N]
  e.g. scm sweep ode --eta 0.5,1,1.2 --K 2:4:1 --Q0 0.2*eye --R0 zeros --alpha-max 50 --out runs.jsonl

Commands
${Object.entries(sweepCommands).map(([n, c]) => `  ${n.padEnd(12)}${c.summary}`).join("\n")}
  Options are those of the command (scm <command> --help) without its output options
  (--format, --out, --every; sgd also without --threads: the points run in parallel instead).

Grid
  Every option given as a list or a range spans an axis; the grid is their cartesian product
  (the option given last varies fastest).
  --eta 0.5,1,1.2              a list
  --eta 0.1:0.3:0.1            a range start:stop:step, stop included when a whole number of steps
                               away (computed in decimal: exactly 0.1, 0.2, 0.3); steps may be < 0
  --eta 0.1,0.5:1:0.25         lists may contain ranges
  --Q0 "0.1*eye|diag:0.1,0.2"  matrices and vectors (${BAR_LIST_OPTIONS.join(", ")}) contain commas
                               themselves: lists of them are separated by "|", no ranges
  Flags (--per-run) are never swept. At most 100000 points.

Output
  --out FILE        JSON-lines file, one line per point, appended as each point finishes:
                    {"command", "options" (the API's options, keys sorted), "result" (the command's
                    --format json object)} or, for a point that failed, "error" instead of "result"
  --workers N       worker threads (default: one per core); results do not depend on it
  Rerunning the same command skips the points already in FILE (same command and options); a
  half-written last line left by an interrupted run is removed before appending. A progress bar
  with an ETA goes to stderr when it is a terminal. Exit code 0 when every point has a result,
  1 when some point failed (its line holds the error), 2 on invalid input.`;

const sweepArgs = { out: { type: "string" }, workers: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/** The key of a point: its command and its options, canonically. */
export const pointKey = (command: string, options: object) => `${command} ${canonicalJson(options)}`;

/**
 * Keys of the points already in `path`. A trailing partial line (an interrupted write) is cut
 * off the file so that the next line starts cleanly; returns how many bytes were removed.
 */
export function readDone(path: string): { keys: Set<string>; truncated: number } {
  const keys = new Set<string>();
  if (!existsSync(path)) return { keys, truncated: 0 };
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(0x0a) + 1; // bytes up to and including the last newline
  if (end < buf.length) truncateSync(path, end);
  const lines = buf.subarray(0, end).toString("utf8").split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let o: { command?: unknown; options?: unknown };
    try {
      o = JSON.parse(line);
    } catch {
      throw new CliError(`--out ${path}: line ${i + 1} is not JSON; is it a sweep output file?`);
    }
    if (typeof o.command !== "string" || o.options === null || typeof o.options !== "object") throw new CliError(`--out ${path}: line ${i + 1} has no command and options; is it a sweep output file?`);
    keys.add(pointKey(o.command, o.options));
  });
  return { keys, truncated: buf.length - end };
}

/** "[####......] 12/40 points, 3.2 s, ETA 9.4 s" */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  const width = 30, filled = total === 0 ? width : Math.round((width * done) / total);
  const s = (ms: number) => (ms < 60e3 ? `${(ms / 1e3).toFixed(1)} s` : ms < 3600e3 ? `${(ms / 60e3).toFixed(1)} min` : `${(ms / 3600e3).toFixed(1)} h`);
  const eta = done === 0 ? "ETA ?" : done === total ? "done" : `ETA ${s((elapsedMs / done) * (total - done))}`;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} points, ${s(elapsedMs)}, ${eta}`;
}

interface Point { key: string; line: string; options: object }

/** Runs `points` on a pool of `threads` workers; `onDone` gets each point's line as it finishes. */
function runPool(command: string, points: Point[], threads: number, onDone: (p: Point, reply: SweepReply) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0, finished = 0, failed = false;
    const workers: Worker[] = [];
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const feed = (w: Worker) => {
      if (next >= points.length) return;
      const id = next++;
      w.postMessage({ id, command, options: points[id].options });
    };
    for (let t = 0; t < threads; t++) {
      const w = new Worker(new URL("./sweep.worker.node.js", import.meta.url));
      workers.push(w);
      w.on("message", (reply: SweepReply) => {
        if (failed) return;
        try {
          onDone(points[reply.id], reply);
        } catch (err) {
          failed = true;
          stopAll();
          reject(err);
          return;
        }
        if (++finished === points.length) {
          stopAll();
          resolve();
        } else feed(w);
      });
      w.on("error", (err) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(err);
      });
      feed(w);
    }
  });
}

export async function runSweep(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    io.stdout(sweepHelp + "\n");
    return name === undefined ? 2 : 0;
  }
  const command = sweepCommands[name];
  if (!command) throw new CliError(`scm sweep: unknown command ${JSON.stringify(name)}; sweepable commands: ${Object.keys(sweepCommands).join(", ")}`);
  const { values } = parseArgs({ args: rest, options: { ...command.options, ...sweepArgs }, allowPositionals: false, strict: true });
  if (values.help) {
    io.stdout(sweepHelp + "\n");
    return 0;
  }
  const { out, workers, help: _h, ...pointValues } = values as Record<string, string | boolean | undefined>;
  if (typeof out !== "string" || out === "") throw new CliError("--out FILE is required (the JSON-lines file the points are appended to)", "out");
  const threadsWanted = parseNumber("workers", workers as string | undefined, { integer: true });
  if (threadsWanted !== undefined && !(threadsWanted >= 1 && threadsWanted <= 256)) throw new CliError(`--workers must be an integer in [1, 256]; got ${threadsWanted}`, "workers");

  // every point parsed (and so checked) before anything runs
  const grid = expandGrid(pointValues, [...BAR_LIST_OPTIONS, ...(command.barLists ?? [])]);
  const points = grid.map((v) => {
    const options = command.parse(v);
    const key = pointKey(name, options);
    return { key, options, line: `{"command":${JSON.stringify(name)},"options":${canonicalJson(options)}` };
  });
  const unique = [...new Map(points.map((p) => [p.key, p])).values()];

  mkdirSync(dirname(out), { recursive: true });
  const { keys, truncated } = readDone(out);
  if (truncated > 0) io.stderr(`sweep: removed a partial last line (${truncated} bytes, an interrupted write) from ${out}\n`);
  const todo = unique.filter((p) => !keys.has(p.key));
  const threads = Math.max(1, Math.min(threadsWanted ?? availableParallelism(), todo.length));
  io.stderr(`sweep ${name}: ${grid.length} points${unique.length < grid.length ? ` (${unique.length} distinct)` : ""}, ${unique.length - todo.length} already in ${out}, ${todo.length} to run on ${threads} worker${threads === 1 ? "" : "s"}\n`);
  if (todo.length === 0) return 0;

  const t0 = performance.now();
  let done = 0, errors = 0;
  const bar = io.stderrIsTTY ? () => io.stderr(`\r${progressLine(done, todo.length, performance.now() - t0)}${done === todo.length ? "\n" : ""}`) : () => {};
  bar();
  await runPool(name, todo, threads, (p, reply) => {
    const tail = "result" in reply ? `,"result":${reply.result}}` : `,"error":${JSON.stringify(`${reply.name}: ${reply.error}`)}}`;
    appendFileSync(out, p.line + tail + "\n"); // one write of a whole line: never half a point
    if ("error" in reply) {
      errors++;
      io.stderr(`${io.stderrIsTTY ? "\n" : ""}sweep: point ${canonicalJson(p.options)} failed: ${reply.name}: ${reply.error}\n`);
    }
    done++;
    bar();
  });
  io.stderr(`sweep ${name}: ${todo.length - errors} points done, ${errors} failed, in ${((performance.now() - t0) / 1e3).toFixed(1)} s; wrote ${out}\n`);
  return errors > 0 ? 1 : 0;
}
