// Node entry (the "node" export condition): the default entry plus worker_threads for simulate().
import { useNodeWorkers } from "./simulation/platform.node";

useNodeWorkers();

export * from "./index";
