// `scm sweep <command> <options> --out FILE`: a command over a parameter grid, the points spread
// over worker threads (or sent to edge deployments with --remote, src/cli/sweepRemote.ts), one
// JSON line per point appended to FILE; rerunning skips the points already there; --shard I/N
// runs one task's share of the grid. `scm sweep merge` and `scm sweep plot` read such files.
// Node only (files, worker_threads).
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
import { parseShard, pointKey, shardOf } from "../sweep/key";
import { lineText, parseLine } from "../sweep/line";
import { sameStamp, stampText, VERSION_STAMP } from "../sweep/version";
import { connectEndpoints, parseRemote, RemoteSweep, SECRET_VARIABLE, type Outcome } from "./sweepRemote";
import { runMerge } from "./sweepMerge";
import { runSweepPlot } from "./sweepPlot";
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

export { pointKey };

/**
 * Keys of the points already in `path`. A trailing partial line (an interrupted write) is cut
 * off the file so that the next line starts cleanly; returns how many bytes were removed. A file
 * whose points were computed by another build (version stamp) is refused: its numbers could differ.
 */
export function readDone(path: string): { keys: Set<string>; truncated: number } {
  const keys = new Set<string>();
  if (!existsSync(path)) return { keys, truncated: 0 };
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(0x0a) + 1; // bytes up to and including the last newline
  if (end < buf.length) truncateSync(path, end);
  const lines = buf.subarray(0, end).toString("utf8").split("\n");
  lines.forEach((text, i) => {
    if (text.trim() === "") return;
    const r = parseLine(text);
    if ("problem" in r) throw new OptionError({ option: "out", value: path, accepted: "a JSON-lines file of this sweep", reason: `${path}: line ${i + 1} ${r.problem}; is it a sweep output file?` });
    if (!sameStamp(r.line.version, VERSION_STAMP))
      throw new OptionError({ option: "out", value: path, accepted: `a sweep file of this build (${stampText(VERSION_STAMP)})`, reason: `${path}: line ${i + 1} was computed by ${r.line.version ? `soft-committee ${stampText(r.line.version)}` : "a build without version stamps"}, this is ${stampText(VERSION_STAMP)}; its numbers could differ: write to another file` });
    keys.add(r.key);
  });
  return { keys, truncated: buf.length - end };
}

interface Point { key: string; command: string; options: object }

/** Worker threads running points one at a time, started as needed; run() resolves with each point's reply. */
interface Job { request: Omit<SweepRequest, "id">; resolve: (r: SweepReply) => void; reject: (e: unknown) => void }

class LocalPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly current = new Map<Worker, Job>();
  private failure: unknown;
  private nextId = 0;

  constructor(private readonly threads: number, private readonly maxWork: number) {}

  run(command: string, options: object): Promise<SweepReply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ request: { command, options, maxWork: this.maxWork }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w && this.workers.length < this.threads) w = this.spawn();
      if (!w) return;
      const job = this.queue.shift()!;
      this.current.set(w, job);
      w.postMessage({ id: this.nextId++, ...job.request } satisfies SweepRequest);
    }
  }

  private spawn(): Worker {
    const w = new Worker(new URL("./sweep.worker.node.js", import.meta.url));
    this.workers.push(w);
    w.on("message", (reply: SweepReply) => {
      const job = this.current.get(w);
      this.current.delete(w);
      this.idle.push(w);
      job?.resolve(reply);
      this.pump();
    });
    w.on("error", (err) => {
      this.failure = err;
      for (const job of [...this.current.values(), ...this.queue.splice(0)]) job.reject(err);
      this.current.clear();
      this.close();
    });
    return w;
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

const replyText = (reply: SweepReply) => ("result" in reply ? { result: reply.result } : { error: `${reply.name}: ${reply.error}` });

export async function runSweep(argv: readonly string[], io: Io, onContext: (c: Pick<Context, "nameOf" | "specOf">) => void): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "merge") return runMerge(rest, io, onContext);
  if (name === "plot") return runSweepPlot(rest, io, onContext);
  const sweep = sweepByCommand(name);
  if (!sweep) {
    const near = closest(name, [...SWEEPS.map((s) => s.command), "merge", "plot"]);
    throw new UsageError(`scm sweep: unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ""}; sweepable commands: ${SWEEPS.map((s) => s.command).join(", ")} (and scm sweep merge, scm sweep plot)`);
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
  const shardText = ctx.given<string>("shard");
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const remoteText = ctx.given<string>("remote");
  const urls = remoteText === undefined ? undefined : parseRemote(remoteText);
  for (const flag of ["concurrency", "timeout", "retries"]) {
    if (urls === undefined && ctx.has(flag)) throw new OptionError({ option: flag, value: ctx.given(flag), accepted: "with --remote only", related: ["remote"], reason: "applies to remote endpoints: give --remote URL,... too" });
  }

  // every point parsed and checked before anything runs
  const texts: TextValues = {};
  for (const o of sweep.options) if (args.texts[o.name] !== undefined && !ownNames.has(o.name)) texts[o.name] = o.type === "boolean" ? (parseText(o, args.texts[o.name] as string) as boolean) : (args.texts[o.name] as string);
  const grid = expandGrid(texts, sweep.options.filter((o) => barList(o.type)).map((o) => o.name), ctx.nameOf);
  const command = sweepCommands[name];
  const points: Point[] = grid.map((point) => {
    const values: Record<string, unknown> = {};
    for (const o of sweep.options) {
      const t = point[o.name];
      if (t !== undefined) values[o.name] = typeof t === "boolean" ? t : parseText(o, t);
    }
    const options = command.parse(values);
    return { key: pointKey(name, options), command: name, options };
  });
  const unique = [...new Map(points.map((p) => [p.key, p])).values()];
  const mine = shard ? unique.filter((p) => shardOf(p.key, shard.count) === shard.index) : unique;

  mkdirSync(dirname(out), { recursive: true });
  const { keys, truncated } = readDone(out);
  if (!existsSync(out)) appendFileSync(out, ""); // a shard with no point still leaves its (empty) file for merge
  if (truncated > 0) io.stderr(`sweep: removed a partial last line (${truncated} bytes, an interrupted write) from ${out}\n`);
  const todo = mine.filter((p) => !keys.has(p.key));
  const threads = Math.max(1, Math.min(threadsWanted ?? availableParallelism(), todo.length));
  const secret = process.env[SECRET_VARIABLE] || undefined;
  const endpoints = urls && todo.length > 0 ? await connectEndpoints(urls, secret, ctx.get<number>("timeout") * 1000, (s) => io.stderr(s)) : undefined;
  const concurrency = ctx.given<number>("concurrency") ?? 2 * (endpoints?.length ?? 1);
  const where = endpoints ? `${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"} (${concurrency} requests at once)` : `${threads} worker${threads === 1 ? "" : "s"}`;
  const share = shard ? `, shard ${shard.index}/${shard.count}: ${mine.length} of them` : "";
  io.stderr(`sweep ${name}: ${grid.length} points${unique.length < grid.length ? ` (${unique.length} distinct)` : ""}${share}, ${mine.length - todo.length} already in ${out}, ${todo.length} to run on ${where}\n`);
  if (todo.length === 0) return 0;

  const t0 = performance.now();
  let done = 0, errors = 0;
  const report = () => {
    const elapsed = (performance.now() - t0) / 1e3;
    const rate = done > 0 && elapsed > 0 ? `, ${+(done / elapsed).toPrecision(3)} points/s` : "";
    io.progress({ label: `sweep ${name}${rate}`, done, total: todo.length, unit: "points", fraction: done / todo.length, remainingSeconds: done > 0 ? (elapsed / done) * (todo.length - done) : null });
  };
  const written = new Set<string>();
  const write = (p: Point, outcome: Outcome, note?: string) => {
    if (written.has(p.key)) return; // a retried request answered twice: the point is written once
    written.add(p.key);
    appendFileSync(out, lineText({ command: name, options: p.options, version: VERSION_STAMP, note, ...outcome }) + "\n"); // one write of a whole line: never half a point
    if ("error" in outcome) {
      errors++;
      io.stderr(`sweep: point ${canonicalJson(p.options)} failed: ${outcome.error}\n`);
    }
    done++;
    report();
  };
  report();
  const pool = new LocalPool(threads, ctx.get<number>("maxWork"));
  let lost = 0, summary = "";
  try {
    if (endpoints) {
      const remote = new RemoteSweep(endpoints, { concurrency, timeoutMs: ctx.get<number>("timeout") * 1000, retries: ctx.get<number>("retries"), secret, maxWork: ctx.get<number>("maxWork") }, {
        write,
        runLocal: async (p) => replyText(await pool.run(name, p.options)),
        message: (s) => io.stderr(s),
      });
      const stats = await remote.run(todo);
      lost = stats.lost.length;
      summary = ` (${stats.requests} requests, ${stats.retries} retries${stats.split ? `, ${stats.split} points split by runs` : ""}${stats.local ? `, ${stats.local} points computed locally` : ""})`;
    } else {
      await Promise.all(todo.map(async (p) => write(p, replyText(await pool.run(name, p.options)))));
    }
  } finally {
    pool.close();
  }
  const missing = lost > 0 ? `, ${lost} not computed (rerun the same command to compute them)` : "";
  io.stderr(`sweep ${name}: ${done - errors} points done, ${errors} failed${missing}, in ${((performance.now() - t0) / 1e3).toFixed(1)} s${summary}; wrote ${out}\n`);
  return errors > 0 || lost > 0 ? 1 : 0;
}
