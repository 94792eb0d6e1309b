// A worker thread of `scm sweep` (built to dist/sweep.worker.node.js): runs one grid point at a
// time (src/sweep/points.ts) and posts back its result's JSON text, or the error's message.
import { parentPort } from "node:worker_threads";
import "../index";
import { runPoint } from "../sweep/points";

/** One point: its options (which key it in the file) and the work limit of the sweep (which does not). */
export interface SweepRequest { id: number; command: string; options: object; maxWork: number }
export type SweepReply = { id: number; result: string } | { id: number; error: string; name: string };

parentPort!.on("message", (m: SweepRequest) => {
  try {
    parentPort!.postMessage({ id: m.id, result: runPoint(m.command, m.options, { maxWork: m.maxWork }) } satisfies SweepReply);
  } catch (err) {
    const e = err as Error;
    parentPort!.postMessage({ id: m.id, error: e?.message ?? String(err), name: e?.name ?? "Error" } satisfies SweepReply);
  }
});
