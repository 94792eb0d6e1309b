// Bit-for-bit check: the same computations (compute.mjs, importing dist/index.js) in Node and
// in headless Chromium. Needs `npm run build` first and Debian's chromium (.ci/run installs it).
import { build } from "esbuild";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { compute } from "./compute.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`browser test: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const bundle = await build({
  entryPoints: [join(here, "page.mjs")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
const script = bundle.outputFiles[0].text;
const html = `<!doctype html><meta charset="utf-8"><title>soft-committee browser test</title><script type="module" src="/page.js"></script>`;

const server = createServer((req, res) => {
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  } else if (req.url === "/page.js") {
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(script);
  } else if (req.url === "/simulate.worker.web.js") {
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(readFileSync(join(here, "../../dist/simulate.worker.web.js")));
  } else if (req.url === "/soft-committee.wasm") {
    res.writeHead(200, { "content-type": "application/wasm" });
    res.end(readFileSync(join(here, "../../dist/soft-committee.wasm")));
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

let passed = 0, failed = 0;
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.__result !== undefined || window.__error !== undefined, null, { timeout: 60_000 });
  const err = await page.evaluate(() => window.__error);
  if (err || errors.length) throw new Error(`page failed: ${err ?? errors.join("; ")}`);
  const inBrowser = await page.evaluate(() => window.__result);
  const inNode = await compute();
  for (const key of Object.keys(inNode)) {
    if (inBrowser[key] === inNode[key]) {
      passed++;
      console.log(`  ok   ${key}`);
    } else {
      failed++;
      console.log(`  FAIL ${key}: node ${inNode[key]} browser ${inBrowser[key]}`);
    }
  }
  const userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(`browser: ${userAgent}`);
} catch (e) {
  failed++;
  console.log(`  FAIL browser run: ${e.message}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
