// The edge worker script (built to dist/edge/worker.js next to dist/edge/soft-committee.wasm;
// package export "soft-committee/edge"): the workerd entry imports the core as a
// WebAssembly.Module (workerd, Cloudflare Workers and Vercel Edge refuse to compile WebAssembly
// from bytes), the handler answers the requests. createHandler({ limits }) sets other work limits.
import "../index.workerd";
import { createHandler } from "./handler";

export { createHandler, DEFAULT_LIMITS, type EdgeLimits } from "./handler";
export default createHandler();
