// Bundles a benchmark entry (TypeScript, imports the WASM bytes) and runs it:
//   node scripts/bench.mjs [entry]     entry defaults to bench/run.ts (npm run bench);
//                                      bench/sgd.ts for npm run bench:sgd
import { build } from "esbuild";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";

const entry = process.argv[2] ?? "bench/run.ts";
const name = basename(entry).replace(/\.ts$/, "");
const outfile = name === "run" ? "build/bench.mjs" : `build/bench-${name}.mjs`;
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  loader: { ".wasm": "binary" },
  logLevel: "warning",
});
await import(pathToFileURL(outfile).href);
