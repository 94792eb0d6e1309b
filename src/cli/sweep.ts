// `scm sweep <command> <options> --out FILE`: a command over a parameter grid, the points spread
// over worker threads, one JSON line per point appended to FILE; rerunning skips the points
// already there. Node only (files, worker_threads).
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import { dirname } from "node:path";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { OptionError } from "../core/errors";
import { commandByName, SWEEPS, sweepByCommand } from "../options/commands";
import { commandHelp } from "../options/help";
import { parseText } from "../options/text";
import { closest, emptyArgs, tokenize, UsageError } from "../options/tokenize";
import { canonicalJson, expandGrid, type TextValues } from "../text/grid";
import { Context, flagName, specIn, type Io } from "./context";
import { sweepCommands } from "./sweepCommands";
import type { SweepReply, SweepRequest } from "./sweep.worker";

/** Options whose single value contains commas: lists of them are separated by "|". */
const barList = (type: string) => type === "matrix" || type === "vector" || type === "list" || type === "pairs" || type === "interval";

export function sweepHelp(): string {
  const spec = commandByName("sweep")!;
  const list = SWEEPS.map((s) => `  ${s.command.padEnd(14)}${s.summary}`).join("\n");
  return commandHelp(spec, `Commands (scm sweep <command> --help lists the options of its points)\n${list}`);
}

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
      throw new OptionError({ option: "out", value: path, accepted: "a JSON-lines file of this sweep", reason: `${path}: line ${i + 1} is not JSON; is it a sweep output file?` });
    }
    if (typeof o.command !== "string" || o.options === null || typeof o.options !== "object") throw new OptionError({ option: "out", value: path, accepted: "a JSON-lines file of this sweep", reason: `${path}: line ${i + 1} has no command and options; is it a sweep output file?` });
    keys.add(pointKey(o.command, o.options));
  });
  return { keys, truncated: buf.length - end };
}

interface Point { key: string; line: string; options: object }

/** Runs `points` on a pool of `threads` workers; `onDone` gets each point's line as it finishes. */
function runPool(command: string, points: Point[], threads: number, maxWork: number, onDone: (p: Point, reply: SweepReply) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0, finished = 0, failed = false;
    const workers: Worker[] = [];
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const feed = (w: Worker) => {
      if (next >= points.length) return;
      const id = next++;
      w.postMessage({ id, command, options: points[id].options, maxWork } satisfies SweepRequest);
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

export async function runSweep(argv: readonly string[], io: Io, onContext: (c: Pick<Context, "nameOf" | "specOf">) => void): Promise<number> {
  const [name, ...rest] = argv;
  const sweep = sweepByCommand(name);
  if (!sweep) {
    const near = closest(name, SWEEPS.map((s) => s.command));
    throw new UsageError(`scm sweep: unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ""}; sweepable commands: ${SWEEPS.map((s) => s.command).join(", ")}`);
  }
  const own = commandByName("sweep")!;
  const spec = { ...own, name: `sweep ${name}`, options: [...sweep.options, ...own.options] };
  const args = emptyArgs();
  onContext({ nameOf: (api) => flagName(spec, args, api), specOf: (api) => specIn(spec, api) });
  tokenize(rest, spec.options, { context: `scm sweep ${name}`, parse: false }, args);
  if (args.help) {
    io.stdout(commandHelp({ ...spec, description: own.description, notes: own.notes }));
    return 0;
  }
  // the sweep's own options are single values; a point's options are texts spanning axes
  const ownNames = new Set(own.options.map((o) => o.name));
  for (const o of own.options) if (args.texts[o.name] !== undefined) args.values[o.name] = parseText(o, args.texts[o.name] as string);
  const ctx = new Context(spec, args, io);
  onContext(ctx);
  const out = ctx.given<string>("out");
  if (out === undefined) throw new OptionError({ option: "out", value: undefined, accepted: "a file name", reason: "FILE is required (the JSON-lines file the points are appended to)" });
  const threadsWanted = ctx.given<number>("workers");

  // every point parsed and checked before anything runs
  const texts: TextValues = {};
  for (const o of sweep.options) if (args.texts[o.name] !== undefined && !ownNames.has(o.name)) texts[o.name] = o.type === "boolean" ? (parseText(o, args.texts[o.name] as string) as boolean) : (args.texts[o.name] as string);
  const grid = expandGrid(texts, sweep.options.filter((o) => barList(o.type)).map((o) => o.name), ctx.nameOf);
  const command = sweepCommands[name];
  const points = grid.map((point) => {
    const values: Record<string, unknown> = {};
    for (const o of sweep.options) {
      const t = point[o.name];
      if (t !== undefined) values[o.name] = typeof t === "boolean" ? t : parseText(o, t);
    }
    const options = command.parse(values);
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
  const report = () => {
    const fraction = done / todo.length, elapsed = (performance.now() - t0) / 1e3;
    io.progress({ label: `sweep ${name}`, done, total: todo.length, unit: "points", fraction, remainingSeconds: done > 0 ? (elapsed / done) * (todo.length - done) : null });
  };
  report();
  await runPool(name, todo, threads, ctx.get<number>("maxWork"), (p, reply) => {
    const tail = "result" in reply ? `,"result":${reply.result}}` : `,"error":${JSON.stringify(`${reply.name}: ${reply.error}`)}}`;
    appendFileSync(out, p.line + tail + "\n"); // one write of a whole line: never half a point
    if ("error" in reply) {
      errors++;
      io.stderr(`sweep: point ${canonicalJson(p.options)} failed: ${reply.name}: ${reply.error}\n`);
    }
    done++;
    report();
  });
  io.stderr(`sweep ${name}: ${todo.length - errors} points done, ${errors} failed, in ${((performance.now() - t0) / 1e3).toFixed(1)} s; wrote ${out}\n`);
  return errors > 0 ? 1 : 0;
}

