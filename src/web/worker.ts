// The page's Web Worker: runs one view's computation per request and posts progress, a
// partial result and the result (or the API's error). The page terminates it to cancel.
import { views } from "./views";
import type { WorkerReply, WorkerRequest } from "./view";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(m: WorkerReply): void };

scope.onmessage = async ({ data: { id, view, params } }) => {
  const post = (m: WorkerReply) => scope.postMessage(m);
  try {
    const v = views.find((x) => x.id === view);
    if (!v) throw new Error(`unknown view ${JSON.stringify(view)}`);
    const result = await v.compute(params, {
      progress: (progress) => post({ id, type: "progress", progress }),
      partial: (result) => post({ id, type: "partial", result }),
    });
    post({ id, type: "result", result });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ id, type: "error", name: err.name, message: err.message });
  }
};
