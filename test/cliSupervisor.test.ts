// The CLI's front-end pieces against the RunControl contract (src/core/control.ts), with fake
// workers and a fake slow API function that reports progress as the contract says: the progress
// line (terminal bar, plain lines), Ctrl-C (exit 130, one line, no partial file), a worker that
// runs out of memory, whole-or-nothing file writes, and the page worker's forwarding of progress.
import { describe, expect, it } from "vitest";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Progress, RunControl } from "../src/core/control";
import { AbortError, OptionError, WorkLimitError } from "../src/core/errors";
import { ProgressDisplay } from "../src/cli/progress";
import { supervise, type Terminal, type WorkerLike } from "../src/cli/supervise";
import { checkFile, checkFolder, formatOfPath, OutputError, removeTemporaries, TEMP_SUFFIX, writeWhole } from "../src/cli/files";
import { describeError } from "../src/cli/run";
import type { WorkerMessage } from "../src/cli/worker";
import { handleRequest } from "../src/web/run";
import type { ViewDefinition, WorkerReply } from "../src/web/view";
import { formField } from "../src/options/form";
import { learningRate } from "../src/options/catalog/learning";
import { progressListener } from "../src/text/progress";

/** A fake API function honouring RunControl: `chunks` chunks of work, progress after each, AbortSignal checked between them. */
async function slowComputation(o: { chunks: number } & RunControl, tick: () => Promise<void>): Promise<{ status: string; done: number }> {
  const t0 = 0;
  for (let i = 1; i <= o.chunks; i++) {
    if (o.signal?.aborted) throw new AbortError();
    await tick();
    o.onProgress?.({ label: "fake", done: i, total: o.chunks, unit: "chunks", fraction: i / o.chunks, remainingSeconds: (o.chunks - i) * 0.1 + t0 });
  }
  return { status: "completed", done: o.chunks };
}

/** A clock and a terminal whose timers the test advances by hand. */
function fakeTerminal(isTTY: boolean) {
  let now = 0;
  const timers: { every: number; next: number; f: () => void }[] = [];
  let interrupt: (() => void) | undefined;
  const out = { stdout: "", stderr: "" };
  const term: Terminal = {
    stdout: (s) => void (out.stdout += s),
    stderr: { write: (s) => void (out.stderr += s), isTTY, now: () => now },
    onInterrupt(f) {
      interrupt = f;
      return () => (interrupt = undefined);
    },
    every(ms, f) {
      const t = { every: ms, next: now + ms, f };
      timers.push(t);
      return () => {
        if (timers.includes(t)) timers.splice(timers.indexOf(t), 1);
      };
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const t = timers.filter((x) => x.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!t) break;
      now = t.next;
      t.next += t.every;
      t.f();
    }
    now = end;
  };
  return { term, out, advance, interrupt: () => interrupt?.() };
}

class FakeWorker extends EventEmitter implements WorkerLike {
  terminated = false;
  post(m: WorkerMessage) {
    this.emit("message", m);
  }
  async terminate() {
    this.terminated = true;
    queueMicrotask(() => this.emit("exit", 1));
    return 1;
  }
}

describe("progress on stderr (ProgressDisplay)", () => {
  it("nothing in the first second; then a bar redrawn in place on a terminal", () => {
    let now = 0, text = "";
    const d = new ProgressDisplay({ write: (s) => (text += s), isTTY: true, now: () => now }, "scm ode");
    d.update({ label: "ODE", done: 30, total: 300, unit: "alpha", fraction: 0.1, remainingSeconds: 9 });
    now = 900;
    d.tick();
    expect(text).toBe("");
    now = 1600;
    d.tick();
    expect(text).toBe("\r\x1b[Kscm ode: [##......................] ODE: 10% (alpha 30 of 300), 1.6 s, about 9.0 s left");
    d.message("status: done\n");
    expect(text.endsWith("\r\x1b[Kstatus: done\n")).toBe(true);
    d.stop();
  });
  it("a plain line every 5 s when stderr is not a terminal; without a report, the elapsed time from 2 s on", () => {
    let now = 0;
    const lines: string[] = [];
    const d = new ProgressDisplay({ write: (s) => lines.push(s), isTTY: false, now: () => now }, "scm popgrad");
    for (now = 0; now <= 12000; now += 200) d.tick();
    expect(lines).toEqual(["scm popgrad: working, 2.0 s (Ctrl-C stops)\n", "scm popgrad: working, 7.0 s (Ctrl-C stops)\n", "scm popgrad: working, 12 s (Ctrl-C stops)\n"]);
  });
  it("a report between 1 and 2 s is shown at once; without one nothing before 2 s", () => {
    let now = 0;
    const lines: string[] = [];
    const d = new ProgressDisplay({ write: (s) => lines.push(s), isTTY: false, now: () => now }, "scm ode");
    for (now = 0; now <= 1800; now += 200) d.tick();
    expect(lines).toEqual([]);
    d.update({ label: "ODE", done: 0, total: 300, unit: "alpha", fraction: 0, remainingSeconds: 60 });
    now = 2000;
    d.tick();
    expect(lines).toEqual(["scm ode: [........................] ODE: 0% (alpha 0 of 300), 2.0 s, about 1.0 min left\n"]);
  });
});

describe("the CLI's main thread with a fake worker (supervise)", () => {
  it("forwards output; progress reports of a slow API function appear within 2 s; exit code of the worker", async () => {
    const { term, out, advance } = fakeTerminal(false);
    const w = new FakeWorker();
    const done = supervise(["ode"], w, term);
    const onProgress = progressListener("ODE", "alpha", (p) => w.post({ type: "progress", progress: p }));
    await slowComputation({ chunks: 10, onProgress }, async () => advance(300));
    w.post({ type: "stdout", text: "alpha eg\n" });
    w.post({ type: "stderr", text: "status: completed\n" });
    w.post({ type: "exit", code: 0 });
    expect(await done).toBe(0);
    expect(out.stdout).toBe("alpha eg\n");
    // the first progress line after 1 s of the 3 s run, with the reported fraction
    expect(out.stderr).toMatch(/^scm ode: \[#+\.*\] fake: (3|4)0% \(chunks \d of 10\), 1\.[02] s/);
    expect(out.stderr.endsWith("status: completed\n")).toBe(true);
  });
  it("Ctrl-C: the worker is stopped at once, one line, exit 130, no temporary file left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-int-"));
    const { term, out, advance, interrupt } = fakeTerminal(true);
    const w = new FakeWorker();
    // an unfinished write of --out (its temporary file) when Ctrl-C arrives
    writeFileSync(join(dir, `.curve.json${TEMP_SUFFIX}`), "{\"alpha\": [0, 1");
    const done = supervise(["ode", "--out", join(dir, "curve.json")], w, term);
    advance(2500); // no report at all: the elapsed-time line
    expect(out.stderr).toMatch(/scm ode: working, 2\.\d s \(Ctrl-C stops\)$/);
    interrupt();
    expect(await done).toBe(130);
    expect(w.terminated).toBe(true);
    expect(out.stderr.endsWith("\r\x1b[Kscm: interrupted\n")).toBe(true);
    expect(out.stderr.split("\n").filter(Boolean).length).toBe(1); // the bar line was cleared, one line printed
    expect(readdirSync(dir)).toEqual([]);
    // messages after the interruption are not shown
    w.post({ type: "stdout", text: "late" });
    expect(out.stdout).toBe("");
  });
  it("a worker out of memory: one line, exit 1", async () => {
    const { term, out } = fakeTerminal(false);
    const w = new FakeWorker();
    const done = supervise(["popgrad"], w, term);
    w.emit("error", Object.assign(new Error("worker ran out of memory"), { code: "ERR_WORKER_OUT_OF_MEMORY" }));
    expect(await done).toBe(1);
    expect(out.stderr).toBe("scm: error: out of memory: the computation needs more than the JavaScript heap allows; lower the sizes (K, d, samples, grid)\n");
  });
});

describe("errors as one line naming the flag (describeError)", () => {
  const nameOf = (n: string) => ({ alphaMax: "--alpha-max", samples: "--samples", learningRate: "--eta" })[n] ?? n;
  it("a work estimate over --max-work names the flags to change and --max-work", () => {
    const err = new WorkLimitError({ seconds: 3600, memoryBytes: 1e6, breakdown: "3e7 RK4 steps x 4 right-hand sides x 30 us", drivers: ["alphaMax", "samples"] }, 600, "time", "too much");
    const d = describeError(err, { nameOf, specOf: () => undefined });
    expect(d.code).toBe(2);
    expect(d.line).toBe("refused before starting: this is estimated at 60 min of computation, more than --max-work 600 s (3e7 RK4 steps x 4 right-hand sides x 30 us); lower --alpha-max, --samples or raise --max-work");
  });
  it("memory over the limit; an abort; an option error; a file", () => {
    const mem = new WorkLimitError({ seconds: 1, memoryBytes: 8 * 2 ** 30, breakdown: "d x (K + M) weights", drivers: ["learningRate"] }, 3 * 2 ** 30, "memory", "m");
    expect(describeError(mem, { nameOf, specOf: () => undefined }).line).toBe("refused before starting: this needs about 8 GiB of memory, more than the 3 GiB available (d x (K + M) weights); lower --eta");
    expect(describeError(new AbortError()).code).toBe(130);
    expect(describeError(new OptionError({ option: "learningRate", value: 0, accepted: "a finite number > 0" }), { nameOf, specOf: () => undefined }).line).toBe("--eta must be a finite number > 0; got 0");
    expect(describeError(new OutputError("--out", "x.pdf", "the format follows the extension")).line).toBe("--out x.pdf: the format follows the extension");
    expect(describeError(new Error("boom")).code).toBe(70);
  });
});

describe("output files: checked before any work, written whole", () => {
  const dir = mkdtempSync(join(tmpdir(), "scm-files-"));
  it("unwritable places are refused naming the flag", () => {
    writeFileSync(join(dir, "x.pdf"), "not a folder");
    const cases: [() => void, RegExp][] = [
      [() => checkFile("--out", join(dir, "x.pdf", "y.csv")), /^--out .*x\.pdf\/y\.csv: .*x\.pdf is not a folder$/],
      [() => checkFolder("--out-dir", "/dev/null/x"), /^--out-dir \/dev\/null\/x: \/dev\/null is not a folder$/],
      [() => checkFile("--out", dir), /is a folder; give a file name/],
      [() => formatOfPath("--out", "x.pdf", "table", ["table", "json", "csv"]), /^--out x\.pdf: the format follows the extension, and \.pdf is not one of \.json \(json\), \.csv \(csv\), \.txt \(table\)/],
      [() => formatOfPath("--out", "x.csv", "table", ["table", "json"]), /\.csv is not one of \.json \(json\), \.txt \(table\)/],
    ];
    for (const [f, msg] of cases) expect(f).toThrow(msg);
    expect(formatOfPath("--out", "x.JSON", "table", ["table", "json"])).toBe("json");
    expect(formatOfPath("--out", "curve", "csv", ["table", "json", "csv"])).toBe("csv");
  });
  it("a failed write leaves the previous file intact and no temporary file", () => {
    const target = join(dir, "keep.txt");
    writeFileSync(target, "old");
    writeWhole("--out", target, "new");
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(() => writeWhole("--out", "/dev/full", "x".repeat(1 << 16))).toThrow(/^--out \/dev\/full: cannot write: no space left on the device \(ENOSPC\)$/);
    expect(readdirSync(dir).filter((n) => n.endsWith(TEMP_SUFFIX))).toEqual([]);
    writeFileSync(join(dir, `.a${TEMP_SUFFIX}`), "partial");
    removeTemporaries([dir]);
    expect(existsSync(join(dir, `.a${TEMP_SUFFIX}`))).toBe(false);
    expect(readFileSync(target, "utf8")).toBe("new");
  });
});

describe("the page's worker forwards the contract's progress and places option errors (handleRequest)", () => {
  const view: ViewDefinition<{ chunks: number; eta: number }, { status: string; done: number }> = {
    id: "fake", title: "fake", description: "a slow computation", fields: [formField(learningRate, { group: "Fake" })],
    parse: () => ({ chunks: 4, eta: 1 }),
    async compute(p, ctx) {
      if (p.eta <= 0) throw new OptionError({ option: "learningRate", value: p.eta, accepted: "a finite number > 0" });
      return slowComputation({ chunks: p.chunks, onProgress: ctx.listener("fake work", "chunks") }, async () => {});
    },
    figure: () => ({}), table: () => ({ caption: "", header: [], rows: [] }), summary: () => "", csv: () => "", json: () => "",
  };
  it("every progress report reaches the page, then the result", async () => {
    const replies: WorkerReply[] = [];
    await handleRequest([view], { id: 7, view: "fake", params: { chunks: 4, eta: 1 } }, (m) => replies.push(m));
    const progress = replies.filter((m) => m.type === "progress").map((m) => (m as { progress: Progress }).progress);
    expect(progress.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(progress[0]).toMatchObject({ label: "fake", unit: "chunks", done: 1, total: 4 });
    expect(replies.at(-1)).toEqual({ id: 7, type: "result", result: { status: "completed", done: 4 } });
  });
  it("an option error of the API comes back at the field of its option, with the reason only", async () => {
    const replies: WorkerReply[] = [];
    await handleRequest([view], { id: 8, view: "fake", params: { chunks: 4, eta: 0 } }, (m) => replies.push(m));
    expect(replies).toEqual([{ id: 8, type: "error", name: "FieldError", field: "eta", message: "must be a finite number > 0; got 0" }]);
  });
});

describe("the edge against the contract (a fake endpoint)", async () => {
  const { createHandler } = await import("../src/edge/handler");
  const { learningRate: eta } = await import("../src/options/catalog/learning");
  const seen: RunControl[] = [];
  /** A fake API call honouring RunControl: refuses beyond 100 s of estimate, truncates at maxWork. */
  const fakeApi = (o: { work: number } & RunControl) => {
    seen.push({ maxWork: o.maxWork, workLimitAction: o.workLimitAction });
    const estimate = { seconds: o.work, memoryBytes: 0, breakdown: `${o.work} units x 1 s`, drivers: ["learningRate"] };
    if (o.work > 100) throw new WorkLimitError(estimate, o.maxWork!, "time", `estimated ${o.work} s exceeds ${o.maxWork} s`);
    return o.work > o.maxWork! && o.workLimitAction === "truncate" ? { status: "max-work", done: o.maxWork } : { status: "completed", done: o.work };
  };
  const handler = createHandler({
    limits: { maxWork: 0.5 },
    endpoints: [{ path: "/fake", description: "a fake", options: [eta], example: "/fake?eta=2", answer: (q, _l, control) => new Response(JSON.stringify(fakeApi({ work: q.values.learningRate as number, ...control }))) }],
  });
  const get = async (path: string) => {
    const r = await handler.fetch(new Request(`http://edge.test${path}`));
    return { status: r.status, body: JSON.parse(await r.text()) };
  };
  it("passes maxWork (the handler's limit) and workLimitAction truncate; the part computed comes back with status max-work", async () => {
    expect(await get("/fake?eta=0.25")).toEqual({ status: 200, body: { status: "completed", done: 0.25 } });
    expect(await get("/fake?eta=2")).toEqual({ status: 200, body: { status: "max-work", done: 0.5 } });
    expect(seen.at(-1)).toEqual({ maxWork: 0.5, workLimitAction: "truncate" });
  });
  it("a refusal is a 400 naming the parameter as written, with the estimate", async () => {
    const r = await get("/fake?learningRate=1000");
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe("learningRate");
    expect(r.body.error).toBe("refused: estimated 1000 s exceeds 0.5 s (1000 units x 1 s) (this endpoint's work limit: 0.5 s of computation per request); lower learningRate or use the CLI or the Node API");
    expect(r.body.estimate.seconds).toBe(1000);
  });
});
