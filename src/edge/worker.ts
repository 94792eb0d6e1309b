// The edge worker script (built to dist/edge/worker.js next to dist/edge/soft-committee.wasm):
// the workerd entry imports the core as a WebAssembly.Module (workerd, Cloudflare Workers and
// Vercel Edge refuse to compile WebAssembly from bytes), the handler answers the requests.
import "../index.workerd";
import { createHandler } from "./handler";

export default createHandler();
