// Bundles the host API (src/) around the compiled WebAssembly core (build/release.wasm).
//   dist/index.js          default entry: core inlined as bytes (Node, browsers, bundlers)
//   dist/index.workerd.js  entry for runtimes that forbid compiling WASM from bytes:
//                          imports ./soft-committee.wasm as a WebAssembly.Module
//   dist/core.js           no embedded core (bring your own via useCore)
//   dist/options.js        the option schema (soft-committee/options; docs/cli.md is generated from it)
//   dist/index.node.js     Node entry: the default entry plus worker_threads for simulate()
//   dist/simulate.worker.{node,web}.js  simulation workers (Node worker_threads, Web Workers)
//   dist/cli.js            the Node CLI (bin/scm.js), running commands in dist/cli.worker.js;
//                          dist/sweep.worker.node.js its scm sweep workers
//   dist/edge/             edge worker (worker.js + soft-committee.wasm + workerd.capnp)
//   dist/*.d.ts            type declarations
//   dist/web/              the static web page (src/web/): page, its worker, the simulation worker,
//                          sweep.html (phase diagrams of sweep files),
//                          theory.html (docs/theory.md rendered, for the Explain panels)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { theoryHtml } from "./theoryPage.mjs";
import { execFileSync } from "node:child_process";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist", { recursive: true });

const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", legalComments: "none" };

await build({ ...common, entryPoints: { index: "src/index.ts", core: "src/core.ts", options: "src/options/index.ts" }, outdir: "dist", platform: "neutral", loader: { ".wasm": "binary" } });

// workerd / edge: keep the .wasm import so the runtime hands us a compiled module.
copyFileSync("build/release.wasm", "dist/soft-committee.wasm");
await build({
  ...common,
  entryPoints: { "index.workerd": "src/index.workerd.ts" },
  outdir: "dist",
  platform: "neutral",
  plugins: [{
    name: "external-wasm",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./soft-committee.wasm", external: true }));
    },
  }],
});

// edge worker: the handler around the workerd entry, the .wasm next to it as a module import
mkdirSync("dist/edge", { recursive: true });
copyFileSync("build/release.wasm", "dist/edge/soft-committee.wasm");
copyFileSync("src/edge/workerd.capnp", "dist/edge/workerd.capnp");
await build({
  ...common,
  entryPoints: { worker: "src/edge/worker.ts" },
  outdir: "dist/edge",
  platform: "neutral",
  mainFields: ["module", "main"],
  plugins: [{
    name: "external-wasm",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./soft-committee.wasm", external: true }));
    },
  }],
});

// vega, vega-lite and the PNG rasteriser stay external (dependencies loaded only when a figure is drawn)
// the CLI: a small main thread (parser, progress, Ctrl-C) and the worker thread that computes
await build({ ...common, entryPoints: { cli: "src/cli/main.ts", "cli.worker": "src/cli/worker.ts", "index.node": "src/index.node.ts", "sweep.worker.node": "src/cli/sweep.worker.ts" }, outdir: "dist", platform: "node", loader: { ".wasm": "binary" }, external: ["vega", "vega-lite", "@resvg/resvg-js"] });

// simulation workers: they receive the compiled module from the main thread
await build({ ...common, entryPoints: { "simulate.worker.node": "src/simulation/worker.node.ts" }, outdir: "dist", platform: "node" });
await build({ ...common, entryPoints: { "simulate.worker.web": "src/simulation/worker.web.ts" }, outdir: "dist", platform: "browser" });

// the web page: its worker bundles the API from the same sources as dist/index.js
mkdirSync("dist/web", { recursive: true });
await build({ ...common, entryPoints: { main: "src/web/main.ts", worker: "src/web/worker.ts", sweep: "src/web/sweep.ts" }, outdir: "dist/web", platform: "browser", loader: { ".wasm": "binary" }, minify: true });
await build({ ...common, entryPoints: { "simulate.worker.web": "src/simulation/worker.web.ts" }, outdir: "dist/web", platform: "browser", minify: true });
for (const f of ["index.html", "sweep.html", "style.css"]) copyFileSync(`src/web/${f}`, `dist/web/${f}`);
// the theory, for the page's Explain panels (links to its sections)
writeFileSync("dist/web/theory.html", theoryHtml(readFileSync("docs/theory.md", "utf8")));

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
