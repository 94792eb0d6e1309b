// Default entry (Node, browsers, bundlers): the core's bytes are inlined, compiled on
// first use (synchronously) or by `await ready()` (asynchronously, preferred in browsers).
import wasm from "../build/release.wasm";
import { registerCore } from "./core/engine";
import { useWebWorkers } from "./simulation/platform.web";

registerCore(() => wasm as Uint8Array);
useWebWorkers();

export * from "./api";
