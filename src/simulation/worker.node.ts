// Entry of a Node worker thread (built to dist/simulate.worker.node.js).
import { parentPort } from "node:worker_threads";
import { handleRequest } from "./worker";
import type { WorkerRequest } from "./parallel";

parentPort!.on("message", (m: WorkerRequest) => handleRequest(m, (r, transfer) => parentPort!.postMessage(r, transfer)));
