// The `scm` command line (Node only): the main thread supervises a worker thread that runs the
// command (src/cli/supervise.ts, src/cli/worker.ts).
import { Worker } from "node:worker_threads";
import { supervise } from "./supervise";

const argv = process.argv.slice(2);
const worker = new Worker(new URL("./cli.worker.js", import.meta.url), { workerData: { argv } });
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  // a closed pipe (scm ode | head): stop quietly
  if (e.code === "EPIPE") void worker.terminate().then(() => process.exit(0));
});
process.exitCode = await supervise(argv, worker, {
  stdout: (s) => void process.stdout.write(s),
  stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true, now: () => Date.now() },
  onInterrupt(f) {
    const handler = () => f();
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  },
  every(ms, f) {
    const t = setInterval(f, ms);
    return () => clearInterval(t);
  },
});
