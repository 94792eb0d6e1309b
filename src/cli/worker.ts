// The CLI's worker thread (built to dist/cli.worker.js): runs one `scm` command and posts its
// output, progress and exit code to the main thread, which stays free to draw progress and to stop
// everything at once on Ctrl-C (src/cli/main.ts).
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { Progress } from "../core/control";
import { useNodeWorkers } from "../simulation/platform.node";
import type { Io } from "./context";
import { runCommand } from "./run";

export type WorkerMessage =
  | { type: "stdout" | "stderr"; text: string }
  | { type: "progress"; progress: Progress }
  | { type: "exit"; code: number };

useNodeWorkers();
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const io: Io = {
  stdout: (text) => post({ type: "stdout", text }),
  stderr: (text) => post({ type: "stderr", text }),
  progress: (progress) => post({ type: "progress", progress }),
  readStdin: () => readFileSync(0, "utf8"),
};

runCommand((workerData as { argv: string[] }).argv, io).then(
  (code) => post({ type: "exit", code }),
  (err) => {
    post({ type: "stderr", text: `scm: internal error: ${(err as Error)?.message ?? String(err)}\n` });
    post({ type: "exit", code: 70 });
  },
);
