// The page's Web Worker: runs one view's computation per request (src/web/run.ts) and posts
// progress, a partial result and the result (or the error, with its field). The page terminates
// it to cancel.
import { views } from "./views";
import { handleRequest } from "./run";
import type { WorkerReply, WorkerRequest } from "./view";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(m: WorkerReply): void };

scope.onmessage = ({ data }) => void handleRequest(views, data, (m) => scope.postMessage(m));
