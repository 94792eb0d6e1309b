import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

// vitest does not apply esbuild's binary loader: turn .wasm imports into Uint8Arrays.
function wasmBytes(): Plugin {
  return {
    name: "wasm-bytes",
    enforce: "pre",
    load(id) {
      if (!id.endsWith(".wasm")) return null;
      const b64 = readFileSync(id).toString("base64");
      return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

export default defineConfig({
  plugins: [wasmBytes()],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "threads",
  },
});
