// The main thread of `scm`: runs the command in a worker thread (src/cli/worker.ts) and meanwhile
// draws its progress on stderr and answers Ctrl-C at once (the worker may be inside a long
// WebAssembly call that never yields): the worker is stopped, temporary files of unfinished writes
// are removed, one line is printed and the exit code is 130. Finished files are whole: every file
// is written to a temporary name and renamed (src/cli/files.ts).
import type { Progress } from "../core/control";
import { commandByName } from "../options/commands";
import { tokenize } from "../options/tokenize";
import { dirname } from "node:path";
import { removeTemporaries } from "./files";
import { ProgressDisplay, type ProgressSink, type ProgressTiming } from "./progress";
import type { WorkerMessage } from "./worker";

/** What the supervisor needs of a worker thread (node:worker_threads' Worker, or a fake in tests). */
export interface WorkerLike {
  on(event: "message", f: (m: WorkerMessage) => void): unknown;
  on(event: "error", f: (e: Error) => void): unknown;
  on(event: "exit", f: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface Terminal {
  stdout(s: string): void;
  stderr: ProgressSink;
  /** Registers the interrupt handler (SIGINT); returns a function that removes it. */
  onInterrupt(f: () => void): () => void;
  /** Starts a repeating timer; returns a function that stops it. */
  every(ms: number, f: () => void): () => void;
}

/** Folders that may hold this command's temporary files (those of --out, --plot, --out-dir). */
export function outputFolders(argv: readonly string[]): string[] {
  const [name, ...rest] = argv;
  const spec = commandByName(name ?? "");
  if (!spec) return [];
  try {
    const args = tokenize(rest, spec.options, { context: `scm ${name}`, parse: false, positionals: name === "sweep" ? 1 : 0 });
    const folders: string[] = [];
    for (const o of spec.options) {
      const t = args.texts[o.name];
      if (o.type !== "path" || t === undefined) continue;
      for (const p of Array.isArray(t) ? t : [t]) folders.push(o.name === "outDir" ? p : dirname(p));
    }
    if (spec.options.some((o) => o.name === "outDir") && args.texts.outDir === undefined) folders.push("output");
    return folders;
  } catch {
    return [];
  }
}

/** Runs the command in `worker` until it exits or is interrupted; resolves to the exit code. */
export function supervise(argv: readonly string[], worker: WorkerLike, term: Terminal, timing?: ProgressTiming): Promise<number> {
  const display = new ProgressDisplay(term.stderr, `scm ${argv[0] ?? ""}`.trim(), timing);
  return new Promise((resolve) => {
    let finished = false;
    let reported: number | undefined;
    const stopTimer = term.every(200, () => display.tick());
    const finish = (code: number, line?: string) => {
      if (finished) return;
      finished = true;
      stopTimer();
      removeInterrupt();
      display.stop();
      if (line) term.stderr.write(line);
      resolve(code);
    };
    let interrupted = false;
    const removeInterrupt = term.onInterrupt(() => {
      if (finished || interrupted || reported !== undefined) return;
      interrupted = true;
      stopTimer();
      display.stop();
      void worker.terminate().then(() => {
        removeTemporaries(outputFolders(argv));
        finish(130, "scm: interrupted\n");
      });
    });
    worker.on("message", (m) => {
      if (finished) return;
      if (m.type === "stdout") term.stdout(m.text);
      else if (m.type === "stderr") display.message(m.text);
      else if (m.type === "progress") display.update(m.progress as Progress);
      else if (m.type === "exit") {
        reported = m.code;
        // done: no progress line after the command's last words
        stopTimer();
        display.stop();
        void worker.terminate().then(() => finish(m.code));
      }
    });
    let crashed = false;
    worker.on("error", (e) => {
      if (interrupted) return;
      crashed = true;
      const code = (e as { code?: string }).code;
      const what = code === "ERR_WORKER_OUT_OF_MEMORY" ? "out of memory: the computation needs more than the JavaScript heap allows; lower the sizes (K, d, samples, grid)" : `internal error: ${e.message}`;
      void worker.terminate().then(() => {
        removeTemporaries(outputFolders(argv));
        finish(code === "ERR_WORKER_OUT_OF_MEMORY" ? 1 : 70, `scm: error: ${what}\n`);
      });
    });
    worker.on("exit", () => {
      if (reported !== undefined) finish(reported);
      else if (!interrupted && !crashed) finish(70, "scm: internal error: the computation stopped without a result\n");
    });
  });
}
