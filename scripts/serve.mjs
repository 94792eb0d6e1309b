// `npm run web`: serves dist/web on 127.0.0.1 (any static server would do; this one only
// needs Node). PORT=8080 npm run web picks the port (default 8173; 0 = any free port).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("../dist/web/", import.meta.url)));
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
};

try {
  await stat(join(root, "index.html"));
} catch {
  console.error(`no page at ${root}/index.html: run \`npm run build\` first`);
  process.exit(1);
}

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  const file = normalize(join(root, path.endsWith("/") ? path + "index.html" : path));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});
const port = process.env.PORT === undefined ? 8173 : Number(process.env.PORT);
server.listen(port, "127.0.0.1", () => console.log(`soft-committee web page: http://127.0.0.1:${server.address().port}/  (Ctrl-C to stop)`));
