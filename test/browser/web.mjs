// The web page (dist/web) in headless Chromium, served by a plain static server from a
// sub-directory (as any static host would): no console errors, plots follow the inputs, a
// shared URL restores the state, Cancel stops a long run, invalid input is reported next to
// its field, and the numbers shown and exported equal those of the Node API
// (dist/index.node.js) for the same setting. Prints "N passed, N failed" for .ci/count.mjs.
// `node test/browser/web.mjs --screenshot docs/web.png` also saves the README's screenshot.
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { integrate, compare } from "../../dist/index.node.js";
import { equilibrium, transitions } from "../../dist/index.node.js";

const root = fileURLToPath(new URL("../../dist/web/", import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshot = process.argv.includes("--screenshot") ? process.argv[process.argv.indexOf("--screenshot") + 1] : undefined;
if (!existsSync(executablePath) || !existsSync(join(root, "index.html"))) {
  console.error(`web test: needs ${executablePath} and dist/web (npm run build)`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// a generic static server: files only, the page under /some/dir/ to prove paths are relative
const prefix = "/deploy/soft-committee/";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  if (!path.startsWith(prefix)) return res.writeHead(404).end();
  const file = normalize(join(root, path.slice(prefix.length) || "index.html"));
  if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}${prefix}`;

let passed = 0, failed = 0;
async function test(name, f) {
  const t0 = Date.now();
  try {
    await f();
    passed++;
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name}: ${e.message}`);
  }
}
function assert(ok, message) {
  if (!ok) throw new Error(message);
}

// The reference setting as the page's defaults spell it, written out independently here.
const reference = {
  activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]],
  learningRate: 1, alphaMax: 300, samples: 301, method: "exact", integrator: "rk4", step: 0.01,
};

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const consoleErrors = [];
async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${m.text()} (${url})`));
  page.on("pageerror", (e) => consoleErrors.push(`${e} (${url})`));
  // main-thread tasks longer than 50 ms (the Long Tasks API), to show the page never freezes
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__longTasks.push(e.duration))).observe({ type: "longtask", buffered: true });
  });
  await page.goto(url);
  return page;
}
const state = (page) => page.$eval("#status", (e) => e.dataset.state);
const revision = (page) => page.$eval("#figure", (e) => Number(e.dataset.revision));
/** Waits for a finished computation (status done, table filled) after figure revision `after`. */
async function settled(page, after = 0, timeout = 60_000) {
  await page.waitForFunction((r) => document.getElementById("status").dataset.state === "done" && Number(document.getElementById("figure").dataset.revision) > r, after, { timeout });
}
async function exported(page, kind) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-export="${kind}"]`)]);
  return readFileSync(await download.path());
}
const tableCells = (page) => page.$$eval("#table tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));

/** Each printed ODE cell equals Node's value rounded to the printed significant digits. */
function checkPrinted(cells, ode, sgdColumn = false) {
  const [header, ...rows] = cells;
  const { K, M } = ode.options;
  assert(rows.length >= 2, `table has ${rows.length} rows`);
  let compared = 0;
  for (const row of rows) {
    const alpha = Number(row[0]);
    const s = Array.from(ode.alpha).findIndex((a) => +a.toPrecision(10) === alpha);
    assert(s >= 0, `alpha ${row[0]} is not a sample of the Node result`);
    const values = [ode.eg[s]];
    for (let i = 0; i < K; i++) for (let k = i; k < K; k++) values.push(ode.Q[s][i][k]);
    for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) values.push(ode.R[s][i][n]);
    const printed = [row[1], ...row.slice(sgdColumn ? 3 : 2)];
    printed.forEach((text, j) => {
      if (text === "unresolved" || text.startsWith("<")) return;
      const x = values[j];
      if (text === "0") return assert(x === 0, `${header[j + 1]} at alpha ${alpha}: printed 0, Node ${x}`);
      const digits = text.replace(/e.*$/, "").replace(/^-?0\.0*|[-.]/g, "").length;
      assert(Number(text) === Number(x.toPrecision(digits)), `${header[j === 0 ? 1 : j + (sgdColumn ? 2 : 1)]} at alpha ${alpha}: printed ${text}, Node ${x}`);
      compared++;
    });
  }
  return compared;
}

try {
  const page = await open(base);
  let nodeRef;
  await test("the page loads and computes the reference setting (ODE) in its worker", async () => {
    await settled(page);
    assert((await page.$eval("#summary", (e) => e.textContent)).startsWith("ODE completed"), "no ODE summary");
    assert((await page.$$("#figure svg")).length === 1, "no SVG figure");
  });
  await test("every form control has a label; Tab moves through them; buttons are named", async () => {
    const unlabelled = await page.$$eval("input, select", (els) => els.filter((e) => e.labels.length === 0 || !e.labels[0].textContent.trim()).map((e) => e.id));
    assert(unlabelled.length === 0, `unlabelled: ${unlabelled.join(", ")}`);
    const unnamed = await page.$$eval("button", (els) => els.filter((e) => !e.textContent.trim()).length);
    assert(unnamed === 0, `${unnamed} buttons without text`);
    await page.focus("#f-activation");
    await page.keyboard.press("Tab");
    assert(await page.evaluate(() => document.activeElement.id) === "f-K", "Tab from activation does not reach K");
  });
  await test("exported JSON equals integrate() in Node bit for bit (reference setting, 301 samples)", async () => {
    const json = JSON.parse(await exported(page, "json"));
    nodeRef = integrate(reference);
    assert(json.status === nodeRef.status, `status ${json.status} vs ${nodeRef.status}`);
    assert(json.alpha.length === 301 && json.alpha.every((a, s) => a === nodeRef.alpha[s]), "alpha differs");
    json.eg.forEach((x, s) => assert(x === nodeRef.eg[s], `eg[${s}]: page ${x}, node ${nodeRef.eg[s]}`));
    assert(JSON.stringify(json.Q) === JSON.stringify(nodeRef.Q) && JSON.stringify(json.R) === JSON.stringify(nodeRef.R), "Q or R differ");
  });
  await test("numbers in the table equal integrate() in Node to the printed digits", async () => {
    const n = checkPrinted(await tableCells(page), nodeRef);
    assert(n >= 60, `only ${n} cells compared`);
  });
  await test("exported CSV holds every sample at full precision", async () => {
    const lines = String(await exported(page, "csv")).trim().split("\n");
    assert(lines[0] === "alpha,eg,Q_11,Q_12,Q_22,R_11,R_12,R_21,R_22", `header ${lines[0]}`);
    assert(lines.length === 302, `${lines.length} lines`);
    lines.slice(1).forEach((l, s) => assert(Number(l.split(",")[1]) === nodeRef.eg[s], `eg at line ${s + 2}`));
  });
  await test("figure exports: SVG and PNG", async () => {
    const svg = String(await exported(page, "svg"));
    assert(svg.startsWith("<svg") && svg.includes("</svg>"), "not an SVG");
    const png = await exported(page, "png");
    assert(png.subarray(1, 4).toString() === "PNG" && png.length > 10_000, `not a PNG (${png.length} bytes)`);
  });

  let sharedUrl, sharedTable;
  await test("changing a parameter updates the URL, the plot and the numbers (eta 1 -> 0.5, equal to Node)", async () => {
    const before = await page.$eval("#figure svg", (e) => e.outerHTML);
    const rev = await revision(page);
    await page.fill("#f-eta", "0.5");
    await settled(page, rev);
    assert(new URL(page.url()).searchParams.get("eta") === "0.5", `URL ${page.url()}`);
    const after = await page.$eval("#figure svg", (e) => e.outerHTML);
    assert(after !== before, "figure unchanged");
    const json = JSON.parse(await exported(page, "json"));
    const node = integrate({ ...reference, learningRate: 0.5 });
    json.eg.forEach((x, s) => assert(x === node.eg[s], `eg[${s}]: page ${x}, node ${node.eg[s]}`));
    checkPrinted(await tableCells(page), node);
  });
  await test("the main thread is never blocked by the computation", async () => {
    // a run = the ODE plus its digit check (two more integrations, ~3x the ODE's time), all in
    // one worker call: on the main thread it would be one task of >= 4x the ODE's time. Drawing
    // the figure takes about one ODE time (0.1-0.4 s), so the bound is twice the ODE's time,
    // relative so that a loaded machine slows both alike.
    const longest = Math.max(0, ...(await page.evaluate(() => window.__longTasks)));
    const ms = Number(/(\d+) ms\)/.exec(await page.$eval("#summary", (e) => e.textContent))[1]);
    console.log(`       longest main-thread task ${longest.toFixed(0)} ms; the ODE alone took ${ms} ms in the worker`);
    assert(longest < 2 * ms, `a main-thread task took ${longest} ms, the ODE ${ms} ms`);
  });
  await test("several quick edits are debounced into one run of the last values", async () => {
    const rev = await revision(page);
    await page.selectOption("#f-activation", "erf");
    await page.fill("#f-alphaMax", "50");
    await page.fill("#f-samples", "51");
    await settled(page, rev);
    sharedUrl = page.url();
    sharedTable = await tableCells(page);
    const node = integrate({ ...reference, activation: "erf", learningRate: 0.5, alphaMax: 50, samples: 51 });
    const json = JSON.parse(await exported(page, "json"));
    assert(json.options.activation === "erf" && json.alpha.length === 51, "not the last values");
    json.eg.forEach((x, s) => assert(x === node.eg[s], `eg[${s}]`));
  });
  await test("a shared URL restores the inputs and the same numbers", async () => {
    const other = await open(sharedUrl);
    await settled(other);
    for (const [id, v] of [["activation", "erf"], ["eta", "0.5"], ["alphaMax", "50"], ["samples", "51"], ["T", "diag:1,2"]]) {
      const got = await other.$eval(`#f-${id}`, (e) => e.value);
      assert(got === v, `${id}: ${got}, expected ${v}`);
    }
    assert(JSON.stringify(await tableCells(other)) === JSON.stringify(sharedTable), "table differs");
    await other.close();
  });
  await test("invalid input: a message next to the field that caused it (parse and API errors)", async () => {
    await page.fill("#f-Q0", "1,2;3");
    await page.waitForFunction(() => document.getElementById("f-Q0-error").textContent !== "");
    assert(await page.$eval("#f-Q0", (e) => e.getAttribute("aria-invalid")) === "true", "Q0 not marked invalid");
    assert(await state(page) === "invalid", "state not invalid");
    await page.fill("#f-Q0", "diag:0.1,0.2");
    await page.fill("#f-eta", "-1");
    await page.waitForFunction(() => document.getElementById("f-eta-error").textContent !== "");
    const msg = await page.$eval("#f-eta-error", (e) => e.textContent);
    assert(/^learningRate must be .*> 0; got -1$/.test(msg), `message: ${msg}`);
    await page.fill("#f-eta", "0.5");
    await page.fill("#f-R0", "1,0;0,1"); // R11 = 1 > sqrt(Q11 T11): C0 not positive definite
    await page.waitForFunction(() => document.getElementById("f-R0-error").textContent !== "");
    assert(/positive definite/.test(await page.$eval("#f-R0-error", (e) => e.textContent)), "no C0 message at R0");
    assert(await page.$eval("#f-eta-error", (e) => e.textContent) === "", "old message left at eta");
  });
  await test("SGD runs: exported means equal compare() in Node bit for bit, printed to their standard error", async () => {
    const q = new URLSearchParams({ view: "online", sgd: "true", d: "200", runs: "4", seed: "3", alphaMax: "5", samples: "11" });
    const p = await open(`${base}?${q}`);
    await settled(p);
    const json = JSON.parse(await exported(p, "json"));
    const { method, integrator, step, alphaMax, samples, ...setting } = reference;
    const node = await compare({ ...setting, method, integrator, step, d: 200, runs: 4, seed: 3, alphaMax: 5, samples: 11, threads: 2 });
    assert(json.simulation.eg.mean.every((x, s) => x === node.simulation.eg.mean[s]), "eg mean differs");
    assert(JSON.stringify(json.simulation.Q.mean) === JSON.stringify(node.simulation.Q.mean), "Q mean differs");
    assert(json.ode.eg.every((x, s) => x === node.ode.eg[s]), "ODE on the simulation grid differs");
    const cells = await tableCells(p);
    checkPrinted(cells, node.ode, true);
    // the SGD column: mean to the digits of its standard error std/sqrt(runs), then "± std"
    for (const row of cells.slice(1)) {
      const s = Array.from(node.alpha).findIndex((a) => +a.toPrecision(10) === Number(row[0]));
      const [mean, std] = row[2].split(" ± ");
      const x = node.simulation.eg.mean[s], se = node.simulation.eg.std[s] / 2; // 4 runs: se = std / sqrt(4)
      const digits = mean.replace(/e.*$/, "").replace(/^-?0\.0*|[-.]/g, "").length;
      assert(Number(mean) === Number(x.toPrecision(digits)), `SGD mean at alpha ${row[0]}: printed ${mean}, Node ${x}`);
      // no digit below the standard error's leading digit (at most 6 when se is rounding noise)
      const supported = se > 0 ? Math.floor(Math.log10(Math.abs(x))) - Math.ceil(Math.log10(se)) + 1 : 6;
      assert(digits <= Math.max(1, Math.min(6, supported)), `SGD mean at alpha ${row[0]}: ${digits} digits printed, standard error ${se} supports ${supported}`);
      assert(Number(std) === Number(node.simulation.eg.std[s].toPrecision(2)) || std === "0", `SGD std ${std}`);
    }
    await p.close();
  });
  await test("Cancel stops a long SGD run and its workers; the page stays usable", async () => {
    const q = new URLSearchParams({ view: "online", sgd: "true", d: "5000", runs: "40", alphaMax: "300" });
    const p = await browser.newPage();
    const alive = new Set();
    p.on("worker", (w) => {
      alive.add(w);
      w.on("close", () => alive.delete(w));
    });
    p.on("pageerror", (e) => consoleErrors.push(String(e)));
    await p.goto(`${base}?${q}`);
    // the page worker plus its simulation workers (nested Web Workers)
    const t0 = Date.now();
    while (alive.size < 2 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    assert(alive.size >= 2, `${alive.size} workers while running (page worker + simulation workers expected)`);
    assert(await state(p) === "running", `state ${await state(p)} before Cancel`);
    const rev = await revision(p);
    await p.click("#cancel");
    assert(await state(p) === "cancelled", `state ${await state(p)}`);
    const t1 = Date.now();
    while (alive.size > 0 && Date.now() - t1 < 5000) await new Promise((r) => setTimeout(r, 50));
    assert(alive.size === 0, `${alive.size} workers still alive 5 s after Cancel`);
    console.log(`       ${Date.now() - t1} ms from Cancel to the last worker closed`);
    await new Promise((r) => setTimeout(r, 1000));
    assert(await revision(p) === rev && await state(p) === "cancelled", "a result arrived after Cancel");
    await p.uncheck("#f-sgd");
    await settled(p, rev);
    await p.close();
  });
  await test("npm run web (scripts/serve.mjs) prints its URL on 127.0.0.1 and serves the page", async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("../../scripts/serve.mjs", import.meta.url))], { env: { ...process.env, PORT: "0" } });
    try {
      const url = await new Promise((resolve, reject) => {
        child.stdout.on("data", (d) => {
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(d));
          if (m) resolve(m[0]);
        });
        child.on("exit", () => reject(new Error("server exited")));
      });
      const html = await fetch(url);
      assert(html.ok && (await html.text()).includes("./main.js"), "no index.html");
      const js = await fetch(url + "worker.js");
      assert(js.headers.get("content-type").startsWith("text/javascript"), `worker.js served as ${js.headers.get("content-type")}`);
      assert((await fetch(url + "../package.json")).status !== 200, "serves files outside dist/web");
    } finally {
      child.kill();
    }
  });
  // ---- Equilibrium ([O]) view ----------------------------------------------------------------
  // The equilibrium code is plain JavaScript (no WebAssembly), and Chromium's V8 and Node's round
  // Math.exp, log, asin, ... differently in the last bit (measured: hundreds of 2000 random
  // arguments differ), so Newton's minima agree to rounding, not bit for bit. Tolerance: 1e-9
  // relative for the curves (measured: up to 1e-13) and 1e-11 for alpha_s, alpha_c, alpha_inst (a
  // tenth of the 10th digit printed); the jump in R - S, printed to 4 digits, depends on alpha_c next
  // to a fold (measured: 5e-10), 1e-6. The digits printed on the page must agree exactly.
  const EQ_TOLERANCE = 1e-9, ALPHA_TOLERANCE = 1e-11, JUMP_TOLERANCE = 1e-6;
  /** Page JSON export vs equilibrium() and transitions() in Node (same branches and grid, values to EQ_TOLERANCE). */
  function checkEquilibriumJson(json, options) {
    const node = equilibrium(options), tr = transitions({ activation: options.activation, K: options.K });
    assert(json.activation === options.activation && json.K === options.K, `setting ${json.activation} K = ${json.K}`);
    assert(json.alpha.length === node.alpha.length && json.alpha.every((a, i) => a === node.alpha[i]), "alpha grid differs");
    // branches matched by label and where they exist (the order in which the K = 2 mirror images
    // R > S and R < S are found is decided by their equal beta f, i.e. by rounding)
    const key = (b) => `${b.label}:${b.R.map((x) => (x === null ? "." : "x")).join("")}`;
    const pageBranches = [...json.branches].sort((a, b) => key(a).localeCompare(key(b)));
    const nodeBranches = [...node.branches].sort((a, b) => key(a).localeCompare(key(b)));
    assert(JSON.stringify(pageBranches.map(key)) === JSON.stringify(nodeBranches.map(key)), `branches differ: page ${pageBranches.map(key)}, Node ${nodeBranches.map(key)}`);
    let worst = 0;
    const close = (x, y, what, tol = EQ_TOLERANCE) => {
      if (x === null || y === null) return assert(x === y, `${what}: page ${x}, Node ${y}`);
      const d = Math.abs(x - y) / Math.max(Math.abs(y), 1e-3);
      if (tol === EQ_TOLERANCE) worst = Math.max(worst, d);
      assert(d <= tol, `${what}: page ${x}, Node ${y} (relative difference ${d.toExponential(1)} > ${tol})`);
    };
    pageBranches.forEach((b, j) => {
      for (const k of ["R", "S", "C", "eg", "freeEnergy"]) b[k].forEach((x, i) => close(x, nodeBranches[j][k][i], `${b.label} ${k} at alpha ${json.alpha[i]}`));
    });
    // the global minimum's free energy (for K = 2 the R > S and R < S minima are mirror images
    // with equal beta f, so which one is "global" is decided by rounding)
    json.global.forEach((g, i) => close(json.branches[g].freeEnergy[i], node.branches[node.global[i]].freeEnergy[i], `global beta f at alpha ${json.alpha[i]}`));
    for (const k of ["kind", "status"]) assert(json.transitions[k] === tr[k], `transitions ${k}: page ${json.transitions[k]}, Node ${tr[k]}`);
    for (const k of ["alphaS", "alphaC", "alphaInst"]) close(json.transitions[k], tr[k], `transitions ${k}`, ALPHA_TOLERANCE);
    close(json.transitions.jump, tr.jump, "transitions jump", JUMP_TOLERANCE);
    console.log(`       largest relative difference of the curves, page vs Node: ${worst.toExponential(1)}`);
    return { node, tr };
  }
  const sigDigits = (text) => text.replace(/e.*$/, "").replace(/^-?0\.0*|[-.]/g, "").length;
  /** The printed characteristic alphas and eps_g values are Node's, rounded to the digits shown. */
  function checkTransitionsTable(cells, tr) {
    const rows = Object.fromEntries(cells.slice(1).map((r) => [r[0], r[1]]));
    for (const [name, key] of [["α_s", "alphaS"], ["α_c", "alphaC"], ["α_inst", "alphaInst"]]) {
      const text = rows[name], x = tr[key];
      assert(text !== undefined, `no ${name} row`);
      if (x === null) { assert(text === "none", `${name}: ${text}, Node null`); continue; }
      const d = sigDigits(text);
      // at most 10 digits, and no digit below the method's stated relative tolerance
      assert(d <= 10 && Math.pow(10, Math.floor(Math.log10(x)) - d + 1) >= tr.tolerances[key] * x, `${name}: ${d} digits for tolerance ${tr.tolerances[key]}`);
      assert(Number(text) === Number(x.toPrecision(d)), `${name}: printed ${text}, Node ${x}`);
    }
    assert(rows.kind === tr.kind, `kind ${rows.kind} vs ${tr.kind}`);
    for (const [name, key] of [["ε_g at α_c", "alphaC"], ["ε_g at α_inst", "alphaInst"]]) {
      if (tr[key] === null) continue;
      // as sets: minima of equal beta f (both sides of alpha_c, mirror images at K = 2) come in either order
      const printedEg = rows[name].split("; ").sort();
      const nodeEg = tr.branches[key].map((b, j) => `${b.label} ${Number(b.eg.toPrecision(sigDigits(printedEg[0].split(" ")[1])))}`);
      const shown = printedEg.map((t) => `${t.split(" ")[0]} ${Number(t.split(" ")[1])}`);
      assert(JSON.stringify(shown.sort()) === JSON.stringify(nodeEg.sort()), `${name}: printed ${printedEg.join("; ")}, Node ${nodeEg.join("; ")}`);
    }
  }
  // the view's defaults spelled out, with a coarser grid (61 points) to keep these tests short
  const eqDefaults = { activation: "relu", K: 2, alphaMax: 12, samples: 61 };
  let eqPage, eqShared, eqSharedTable;
  await test("equilibrium view: loads, draws its figure and table; exports equal equilibrium()/transitions() in Node", async () => {
    eqPage = await open(`${base}?view=equilibrium&samples=61`);
    await settled(eqPage);
    assert(await eqPage.$eval("[aria-current=page]", (e) => e.textContent) === "Equilibrium ([O])", "view not selected");
    assert((await eqPage.$$("#figure svg")).length === 1, "no SVG figure");
    const json = JSON.parse(await exported(eqPage, "json"));
    const { tr } = checkEquilibriumJson(json, eqDefaults);
    checkTransitionsTable(await tableCells(eqPage), tr);
    const csv = String(await exported(eqPage, "csv")).trim().split("\n");
    assert(csv.length === 62 && csv[0].startsWith("alpha,unspecialized0_R"), `CSV: ${csv.length} lines, header ${csv[0]}`);
    const svg = String(await exported(eqPage, "svg"));
    assert(svg.startsWith("<svg") && svg.includes("</svg>"), "not an SVG");
    const png = await exported(eqPage, "png");
    assert(png.subarray(1, 4).toString() === "PNG", "not a PNG");
    assert(consoleErrors.length === 0, consoleErrors.join("; "));
  });
  await test("equilibrium view: changing K updates the URL, the plot and the numbers (K 2 -> 3, equal to Node)", async () => {
    const before = await eqPage.$eval("#figure svg", (e) => e.outerHTML);
    const rev = await revision(eqPage);
    await eqPage.fill("#f-K", "3");
    await settled(eqPage, rev);
    assert(new URL(eqPage.url()).searchParams.get("K") === "3", `URL ${eqPage.url()}`);
    assert(await eqPage.$eval("#figure svg", (e) => e.outerHTML) !== before, "figure unchanged");
    const { tr } = checkEquilibriumJson(JSON.parse(await exported(eqPage, "json")), { ...eqDefaults, K: 3 });
    assert(tr.kind === "discontinuous", `K = 3 relu: ${tr.kind}`);
    checkTransitionsTable(await tableCells(eqPage), tr);
  });
  await test("equilibrium view: a shared URL restores the inputs and the same numbers (sigmoid, alpha in [20, 40])", async () => {
    const rev = await revision(eqPage);
    await eqPage.selectOption("#f-activation", "sigmoid");
    await eqPage.fill("#f-alphaMin", "20");
    await eqPage.fill("#f-alphaMax", "40");
    await eqPage.fill("#f-samples", "21");
    await settled(eqPage, rev);
    eqShared = eqPage.url();
    eqSharedTable = await tableCells(eqPage);
    const other = await open(eqShared);
    await settled(other);
    for (const [id, v] of [["activation", "sigmoid"], ["K", "3"], ["alphaMin", "20"], ["alphaMax", "40"], ["samples", "21"]]) {
      const got = await other.$eval(`#f-${id}`, (e) => e.value);
      assert(got === v, `${id}: ${got}, expected ${v}`);
    }
    assert(JSON.stringify(await tableCells(other)) === JSON.stringify(eqSharedTable), "table differs");
    const alphas = Array.from({ length: 21 }, (_, i) => 20 + i); // 20, 21, ..., 40 (the page's grid, exactly)
    const { tr } = checkEquilibriumJson(JSON.parse(await exported(other, "json")), { activation: "sigmoid", K: 3, alphas });
    checkTransitionsTable(eqSharedTable, tr);
    await other.close();
  });
  await test("equilibrium view: invalid input is reported next to its field; Cancel stops a long run", async () => {
    await eqPage.fill("#f-alphaMin", "50");
    await eqPage.waitForFunction(() => document.getElementById("f-alphaMin-error").textContent !== "");
    assert(/^alphaMin must be < alphaMax = 40; got 50$/.test(await eqPage.$eval("#f-alphaMin-error", (e) => e.textContent)), "alphaMin message");
    await eqPage.fill("#f-alphaMin", "0");
    await eqPage.fill("#f-K", "0");
    await eqPage.waitForFunction(() => document.getElementById("f-K-error").textContent !== "");
    assert(/^K must be an integer >= 1/.test(await eqPage.$eval("#f-K-error", (e) => e.textContent)), "K message");
    assert(await eqPage.$eval("#f-alphaMin-error", (e) => e.textContent) === "", "old message left at alphaMin");
    // a long curve (K = 10 with its site-symmetry checks on 20000 alphas: minutes), cancelled
    await eqPage.fill("#f-samples", "20000");
    await eqPage.fill("#f-K", "10");
    await eqPage.waitForFunction(() => document.getElementById("status").dataset.state === "running");
    const rev = await revision(eqPage);
    await eqPage.click("#cancel");
    assert(await state(eqPage) === "cancelled", `state ${await state(eqPage)}`);
    await new Promise((r) => setTimeout(r, 500));
    assert(await revision(eqPage) === rev && await state(eqPage) === "cancelled", "a result arrived after Cancel");
    await eqPage.close();
  });
  if (screenshot) {
    await page.goto(`${base}?${new URLSearchParams({ view: "online", sgd: "true", d: "500", runs: "10", alphaMax: "150", samples: "151" })}`);
    await settled(page);
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`screenshot: ${screenshot}`);
  }
  await test("no console errors in any page", async () => {
    assert(consoleErrors.length === 0, consoleErrors.join("; "));
  });
} catch (e) {
  failed++;
  console.log(`  FAIL web page: ${e.message}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
