// The body of a simulation worker: its own WebAssembly instance (from the module the main
// thread already compiled), prepared once per plan, then one run per request.
import { createEngine, type CoreInstance } from "../core/engine";
import type { SimulationPlan } from "./plan";
import { prepareEngine, runOne } from "./run";
import type { WorkerReply, WorkerRequest } from "./parallel";

let engine: CoreInstance | undefined;
let plan: SimulationPlan | undefined;

export function handleRequest(m: WorkerRequest, reply: (r: WorkerReply, transfer?: ArrayBuffer[]) => void): void {
  try {
    if (m.type === "init") {
      engine = createEngine(m.module);
      plan = m.plan;
      prepareEngine(engine, plan);
      reply({ type: "ready" });
    } else {
      const run = m.run;
      const raw = runOne(engine!, plan!, run, m.chunkSteps, (steps) => reply({ type: "progress", run, steps }));
      const transfer = [raw.out.buffer as ArrayBuffer];
      for (const a of [raw.test, raw.testStandardError, raw.training]) if (a) transfer.push(a.buffer as ArrayBuffer);
      reply({ type: "result", raw }, transfer);
    }
  } catch (err) {
    const e = err as Error;
    reply({ type: "error", name: e?.name ?? "Error", message: e?.message ?? String(err) });
  }
}
