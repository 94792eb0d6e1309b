// Entry of a Web Worker (built to dist/simulate.worker.web.js, loaded as a module worker).
import { handleRequest } from "./worker";
import type { WorkerRequest } from "./parallel";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(m: unknown, transfer?: Transferable[]): void };
scope.onmessage = (e) => handleRequest(e.data, (r, transfer) => scope.postMessage(r, transfer ?? []));
