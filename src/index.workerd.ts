// Entry for runtimes that forbid compiling WebAssembly from bytes (Cloudflare workerd,
// Vercel Edge): the bundler or runtime turns this import into a WebAssembly.Module.
import wasm from "../build/release.wasm";
import { registerCore } from "./core/engine";

registerCore(() => wasm as WebAssembly.Module);

export * from "./api";
