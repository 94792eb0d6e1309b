// Web Workers for simulate() in browsers (and Deno): module workers running
// dist/simulate.worker.web.js next to this bundle. Registered by the default entry only
// where a global Worker exists; elsewhere (Node without the node entry, edge) runs stay in-thread.
import { registerWorkerPlatform, type WorkerReply } from "./parallel";

export function useWebWorkers(): void {
  const W = (globalThis as { Worker?: typeof Worker }).Worker;
  if (!W) return;
  registerWorkerPlatform({
    spawn() {
      const w = new W(new URL("./simulate.worker.web.js", import.meta.url), { type: "module" });
      return {
        postMessage: (m) => w.postMessage(m),
        onMessage: (f) => w.addEventListener("message", (e: MessageEvent<WorkerReply>) => f(e.data)),
        onError: (f) => w.addEventListener("error", (e) => f(e instanceof ErrorEvent ? new Error(e.message) : e)),
        terminate: () => w.terminate(),
      };
    },
    cores: () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  });
}
