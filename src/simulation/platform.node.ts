// worker_threads for simulate() in Node (imported only by Node entry points).
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { registerWorkerPlatform, type WorkerReply } from "./parallel";

/** Registers Node worker threads running dist/simulate.worker.node.js next to this bundle. */
export function useNodeWorkers(): void {
  registerWorkerPlatform({
    spawn() {
      const w = new Worker(new URL("./simulate.worker.node.js", import.meta.url));
      return {
        postMessage: (m) => w.postMessage(m),
        onMessage: (f) => void w.on("message", (m: WorkerReply) => f(m)),
        onError: (f) => void w.on("error", f),
        terminate: () => void w.terminate(),
      };
    },
    cores: () => availableParallelism(),
  });
}
