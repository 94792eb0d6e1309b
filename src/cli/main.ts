// The `scm` command line (Node only): help texts and unreadable command lines are answered here
// (src/cli/preflight.ts); everything else runs in a worker thread that this main thread
// supervises, drawing progress and answering Ctrl-C (src/cli/supervise.ts, src/cli/worker.ts).
import { Worker } from "node:worker_threads";
import { preflight } from "./preflight";
import { supervise } from "./supervise";

const argv = process.argv.slice(2);
process.exitCode = preflight(argv, (s) => void process.stdout.write(s), (s) => void process.stderr.write(s)) ?? (await run());

function run(): Promise<number> {
  const worker = new Worker(new URL("./cli.worker.js", import.meta.url), { workerData: { argv } });
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    // a closed pipe (scm ode | head): stop quietly
    if (e.code === "EPIPE") void worker.terminate().then(() => process.exit(0));
  });
  // progress is timed from the start of the process (the first line within about a second)
  const start = Date.now() - performance.now();
  return supervise(argv, worker, {
    stdout: (s) => void process.stdout.write(s),
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true, now: () => Date.now() - start },
    onInterrupt(f) {
      const handler = () => f();
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
        // the command has ended: a Ctrl-C while the process flushes its output and exits must
        // not kill it by the default action (exit by signal instead of the command's exit code)
        process.on("SIGINT", () => {});
        process.on("SIGTERM", () => {});
      };
    },
    every(ms, f) {
      const t = setInterval(f, ms);
      return () => clearInterval(t);
    },
  });
}
