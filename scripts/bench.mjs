// Bundles bench/run.ts (TypeScript, imports the WASM bytes) and runs it.
import { build } from "esbuild";
await build({
  entryPoints: ["bench/run.ts"],
  outfile: "build/bench.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  loader: { ".wasm": "binary" },
  logLevel: "warning",
});
await import("../build/bench.mjs");
