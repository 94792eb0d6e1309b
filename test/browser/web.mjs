// The web page (dist/web) in headless Chromium, served by a plain static server from a
// sub-directory (as any static host would): no console errors, plots follow the inputs, a
// shared URL restores the state, Cancel stops a long run, invalid input is reported next to
// its field, and the numbers shown and exported equal those of the Node API
// (dist/index.node.js) for the same setting. Prints "N passed, N failed" for .ci/count.mjs.
// `node test/browser/web.mjs --screenshot docs/web.png` also saves the README's screenshot.
import { createServer } from "node:http";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { integrate, compare, learningRateRegimes, fixedPoints, continueFixedPoint, etaSweep, symmetricCriticalPoints, symmetricDynamics, symmetricVectorField, trainSingleLayer } from "../../dist/index.node.js";
import { equilibrium, transitions } from "../../dist/index.node.js";
import { integrateSymmetric, plateau, etaLimits } from "../../dist/index.node.js";

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
const tableCells = (page, id = "table") => page.$$eval(`#${id} tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
/** Significant digits of a printed number ("1.2543259" -> 8, "0.0012" -> 2, "-3.10e-5" -> 3). */
const digitsOf = (text) => text.replace(/e.*$/, "").replace(/^-?0\.0*|[-.]/g, "").length;
/** A printed number equals x rounded to its digits. */
const sameTo = (text, x) => Number(text) === Number(x.toPrecision(digitsOf(text)));

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
    assert(await page.evaluate(() => document.activeElement.id) === "f-teacherActivation", "Tab from activation does not reach the teacher activation");
    await page.keyboard.press("Tab");
    assert(await page.evaluate(() => document.activeElement.id) === "f-K", "Tab from the teacher activation does not reach K");
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
    assert(/^must be a finite number > 0; got -1$/.test(msg), `message: ${msg}`);
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
    // a long run that the default work limit (600 s of estimated work) still admits: ~5 min of runs
    const q = new URLSearchParams({ view: "online", sgd: "true", d: "5000", runs: "10", alphaMax: "300" });
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
  // ---- learning-rate regimes and fixed points (small settings: each page run ~1-2 s) ----------
  const regimesQuery = { view: "regimes", eta: "1", multiStart: "4", precision: "1e-4", etas: "0.5,1.2", alphaMax: "20", samples: "21" };
  const regimesSetting = { activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]], method: "exact" };
  let regimesPage;
  await test("regimes view: loads, and every number exported equals the Node API's bit for bit", async () => {
    regimesPage = await open(`${base}?${new URLSearchParams(regimesQuery)}`);
    await settled(regimesPage);
    assert((await regimesPage.$$("#figure svg")).length === 1, "no SVG figure");
    const json = JSON.parse(await exported(regimesPage, "json"));
    const reg = learningRateRegimes({ ...regimesSetting, precision: 1e-4 });
    for (const k of ["etaNonmonotonic", "etaFold", "etaDivergence", "etaPerfectStable"]) {
      assert(json.regimes[k].value === reg[k].value, `${k}: page ${json.regimes[k].value}, node ${reg[k].value}`);
      assert(JSON.stringify(json.regimes[k].bracket) === JSON.stringify(reg[k].bracket), `${k} bracket`);
    }
    const fp = fixedPoints({ ...regimesSetting, learningRate: 1, multiStart: 4, seed: 1 });
    assert(json.fixedPoints.fixedPoints.length === fp.fixedPoints.length, "number of fixed points");
    json.fixedPoints.fixedPoints.forEach((p, i) => {
      assert(p.eg === fp.fixedPoints[i].eg && JSON.stringify(p.Q) === JSON.stringify(fp.fixedPoints[i].Q), `fixed point ${i + 1}`);
      assert(JSON.stringify(p.eigenvalues) === JSON.stringify(fp.fixedPoints[i].eigenvalues), `eigenvalues of fixed point ${i + 1}`);
    });
    const br = continueFixedPoint({ ...regimesSetting, learningRate: 0.5, max: 10 });
    assert(json.branch.values.every((x, s) => x === br.values[s]) && json.branch.eg.every((x, s) => x === br.eg[s]), "branch differs");
    assert(json.branch.folds[0].value === br.folds[0].value, "fold differs");
    const sw = etaSweep({ ...regimesSetting, learningRates: [0.5, 1.2], alphaMax: 20, samples: 21, integrator: "rk4", step: 0.01 });
    json.sweep.curves.forEach((c, j) => assert(c.eg.every((x, s) => x === sw.curves[j].eg[s]), `sweep curve ${j}`));
  });
  await test("regimes view: thresholds and fixed points printed to Node's values, no digit finer than the bracket", async () => {
    const reg = learningRateRegimes({ ...regimesSetting, precision: 1e-4 });
    const [, ...rows] = await tableCells(regimesPage);
    assert(rows.length === 4, `${rows.length} threshold rows`);
    for (const [name, value] of rows) {
      const t = reg[name];
      assert(sameTo(value, t.value), `${name}: printed ${value}, Node ${t.value}`);
      // the last printed digit's unit must be at least the bracket width (1e-4 here) or the stated accuracy
      const unit = 10 ** (Math.floor(Math.log10(Math.abs(t.value))) - digitsOf(value) + 1);
      assert(unit >= Math.max(t.bracket[1] - t.bracket[0], t.accuracy ?? 0) * (1 - 1e-9), `${name}: ${value} printed finer than its bracket ${t.bracket}`);
    }
    const fp = fixedPoints({ ...regimesSetting, learningRate: 1, multiStart: 4, seed: 1 });
    const [, ...fpRows] = await tableCells(regimesPage, "table-2");
    assert(fpRows.length === fp.fixedPoints.length, "fixed point rows");
    fpRows.forEach((row, i) => {
      const p = fp.fixedPoints[i];
      assert(row[1].startsWith(p.stability), `stability ${row[1]} vs ${p.stability}`);
      if (!row[2].startsWith("<")) assert(sameTo(row[2], p.eg), `eg ${row[2]} vs ${p.eg}`);
      const eig = row[6].split(", ");
      assert(eig.length === p.eigenvalues.length, "eigenvalue count");
      // "?": no digit is known (the Jacobian's uncertainty times the dimension is >= 1)
      eig.forEach((e, j) => assert(e === "?" ? p.jacobianError * p.u.length >= 1 : sameTo(e.split(" ")[0], p.eigenvalues[j].re), `eigenvalue ${e} vs ${p.eigenvalues[j].re}`));
    });
    // the plateau saddle at eta = 1 (one unstable direction) is listed with Node's eps_g (which
    // test/fixedpoints.test.ts checks against the symmetric trajectory's limit)
    const saddle = fp.fixedPoints.find((p) => p.stability === "saddle" && p.unstableDirections === 1 && p.symmetric);
    assert(saddle !== undefined, "Node finds no plateau saddle at eta = 1");
    assert(fpRows.some((r) => r[1] === "saddle (1 unstable)" && sameTo(r[2], saddle.eg)), "no plateau saddle at eta = 1");
  });
  let regimesUrl, regimesTable;
  await test("regimes view: changing eta updates the URL, the plot and the fixed points (equal to Node)", async () => {
    const before = await regimesPage.$eval("#figure svg", (e) => e.outerHTML);
    const rev = await revision(regimesPage);
    await regimesPage.fill("#f-eta", "0.8");
    await settled(regimesPage, rev);
    assert(new URL(regimesPage.url()).searchParams.get("eta") === "0.8", `URL ${regimesPage.url()}`);
    assert((await regimesPage.$eval("#figure svg", (e) => e.outerHTML)) !== before, "figure unchanged");
    const json = JSON.parse(await exported(regimesPage, "json"));
    const fp = fixedPoints({ ...regimesSetting, learningRate: 0.8, multiStart: 4, seed: 1 });
    assert(json.fixedPoints.learningRate === 0.8 && json.fixedPoints.fixedPoints.every((p, i) => p.eg === fp.fixedPoints[i].eg), "fixed points at 0.8 differ");
    regimesUrl = regimesPage.url();
    regimesTable = [await tableCells(regimesPage), await tableCells(regimesPage, "table-2")];
  });
  await test("regimes view: a shared URL restores the inputs and the same numbers", async () => {
    const other = await open(regimesUrl);
    await settled(other);
    for (const [id, v] of [["eta", "0.8"], ["etas", "0.5,1.2"], ["precision", "1e-4"], ["alphaMax", "20"]]) {
      const got = await other.$eval(`#f-${id}`, (e) => e.value);
      assert(got === v, `${id}: ${got}, expected ${v}`);
    }
    const tables = [await tableCells(other), await tableCells(other, "table-2")];
    assert(JSON.stringify(tables) === JSON.stringify(regimesTable), "tables differ");
    await other.close();
  });
  await test("regimes view: CSV, SVG and PNG exports", async () => {
    const lines = String(await exported(regimesPage, "csv")).trim().split("\n");
    assert(lines[0] === "dataset,index,eta,alpha,quantity,value", `header ${lines[0]}`);
    const sweepRows = lines.filter((l) => l.startsWith("sweep,"));
    assert(sweepRows.length === 2 * 21, `${sweepRows.length} sweep rows`);
    assert(lines.some((l) => /^threshold,\d,[^,]+,,etaFold,/.test(l)), "no etaFold row");
    const svg = String(await exported(regimesPage, "svg"));
    assert(svg.startsWith("<svg") && svg.includes("</svg>"), "not an SVG");
    const png = await exported(regimesPage, "png");
    assert(png.subarray(1, 4).toString() === "PNG", "not a PNG");
  });
  await test("regimes view: invalid input is reported next to its field (parser and API)", async () => {
    const p = regimesPage;
    await p.fill("#f-etas", "0.5,x");
    await p.waitForFunction(() => document.getElementById("f-etas-error").textContent !== "");
    await p.fill("#f-etas", "0.5,1.2");
    await p.fill("#f-branchEta", "-1");
    await p.waitForFunction(() => document.getElementById("f-branchEta-error").textContent !== "");
    assert(/^must be a finite number > 0; got -1$/.test(await p.$eval("#f-branchEta-error", (e) => e.textContent)), "branchEta message");
    await p.fill("#f-branchEta", "0.5");
    await p.fill("#f-precision", "2");
    await p.waitForFunction(() => document.getElementById("f-precision-error").textContent !== "");
    assert(/^must be a finite number >= 1e-12 and <= 0.1; got 2$/.test(await p.$eval("#f-precision-error", (e) => e.textContent)), "precision message");
    assert(await p.$eval("#f-branchEta-error", (e) => e.textContent) === "", "old message left at branchEta");
    await p.close();
  });
  // ---- population gradient ([T] Fig. 8) ----------------------------------------------------
  const popQuery = { view: "popgrad", K: "4", starts: "1.5,0.3;0.3,0.3;-0.6,1.2", tMax: "50", grid: "11" };
  let popPage;
  /** The page's JSON and tables against symmetricCriticalPoints / symmetricDynamics / symmetricVectorField in Node. */
  async function checkPopgrad(page, K) {
    const json = JSON.parse(await exported(page, "json"));
    const cps = symmetricCriticalPoints({ K });
    assert(json.K === K && json.criticalPoints.length === cps.length, `K ${json.K}, ${json.criticalPoints.length} critical points vs ${cps.length}`);
    // This code is plain JavaScript (Math.acos, asin, sin, cos): Chromium's Math differs from
    // Node's in the last bit for some arguments (measured: 3-18 % of random arguments for acos,
    // asin, sin, cos, exp, log, atan2; sqrt and hypot agree), so the numbers agree to rounding,
    // not bit for bit: critical points (Newton to |F| <= 1e-12) within 1e-12 absolute.
    let worst = { cp: 0, traj: 0, field: 0 };
    json.criticalPoints.forEach((p, i) => {
      worst.cp = Math.max(worst.cp, Math.abs(p.x - cps[i].x), Math.abs(p.y - cps[i].y));
      assert(p.type === cps[i].type && Math.abs(p.x - cps[i].x) <= 1e-12 && Math.abs(p.y - cps[i].y) <= 1e-12, `critical point ${i + 1}: page ${p.x}, ${p.y}, ${p.type}; Node ${cps[i].x}, ${cps[i].y}, ${cps[i].type}`);
    });
    const starts = [[1.5, 0.3], [0.3, 0.3], [-0.6, 1.2]];
    json.trajectories.forEach((t, k) => {
      const node = symmetricDynamics({ K, x0: starts[k][0], y0: starts[k][1], tMax: 50, samples: 401 });
      // integrated to rtol 1e-10, atol 1e-12 (its step control may choose other steps): the 1e-8 absolute the table trusts
      t.x.forEach((x, s) => (worst.traj = Math.max(worst.traj, Math.abs(x - node.x[s]), Math.abs(t.y[s] - node.y[s]))));
      assert(worst.traj <= 1e-8, `trajectory ${k + 1}: differs from Node by ${worst.traj}`);
    });
    const field = symmetricVectorField({ K, xRange: [-0.8, 1.6], yRange: [-0.8, 1.6], n: 11 });
    assert(json.field.dx.length === 121, "vector field size");
    // closed-form field values: rounding of O(K^2) terms, 1e-13 relative to the largest arrow
    const scale = Math.max(...field.dx.map(Math.abs), ...field.dy.map(Math.abs));
    json.field.dx.forEach((d, s) => (worst.field = Math.max(worst.field, Math.abs(d - field.dx[s]), Math.abs(json.field.dy[s] - field.dy[s]))));
    assert(worst.field <= 1e-13 * scale, `vector field differs by ${worst.field}`);
    console.log(`       K = ${K}: largest page - Node difference: critical points ${worst.cp.toExponential(1)}, trajectories ${worst.traj.toExponential(1)}, field ${worst.field.toExponential(1)}`);
    const [, ...rows] = await tableCells(page);
    assert(rows.length === cps.length, "critical point rows");
    rows.forEach((r, i) => {
      for (const [text, x] of [[r[0], cps[i].x], [r[1], cps[i].y]]) if (!text.startsWith("<")) assert(sameTo(text, x), `printed ${text}, Node ${x}`);
      assert(r[2] === cps[i].type, `type ${r[2]}`);
    });
    return cps;
  }
  await test("population gradient view: loads; field, trajectories and critical points equal the Node API's to rounding and to the printed digits", async () => {
    popPage = await open(`${base}?${new URLSearchParams(popQuery)}`);
    await settled(popPage);
    assert((await popPage.$$("#figure svg")).length === 1, "no SVG figure");
    const cps = await checkPopgrad(popPage, 4);
    // the global minimum (1, 0) (w = teacher) is among them, printed as 1 and <tiny
    assert(cps.some((p) => Math.abs(p.x - 1) < 1e-12 && Math.abs(p.y) < 1e-12), "no critical point at (1, 0)");
  });
  await test("population gradient view: K 4 -> 6 updates URL, plot and numbers; a shared URL restores them", async () => {
    const before = await popPage.$eval("#figure svg", (e) => e.outerHTML);
    const rev = await revision(popPage);
    await popPage.fill("#f-K", "6");
    await settled(popPage, rev);
    assert(new URL(popPage.url()).searchParams.get("K") === "6", `URL ${popPage.url()}`);
    assert((await popPage.$eval("#figure svg", (e) => e.outerHTML)) !== before, "figure unchanged");
    await checkPopgrad(popPage, 6);
    // K >= 6: a spurious local minimum in the full space ([T], Safran & Shamir 2018)
    const [, ...rows] = await tableCells(popPage);
    assert(rows.filter((r) => r[5].startsWith("minimum")).length === 2, "expected two full-space minima at K = 6");
    const other = await open(popPage.url());
    await settled(other);
    assert(await other.$eval("#f-starts", (e) => e.value) === popQuery.starts, "starts not restored");
    assert(JSON.stringify(await tableCells(other, "table-2")) === JSON.stringify(await tableCells(popPage, "table-2")), "trajectory table differs");
    await other.close();
  });
  await test("population gradient view: exports and invalid input next to its field", async () => {
    const lines = String(await exported(popPage, "csv")).trim().split("\n");
    assert(lines[0] === "x0,y0,t,x,y,loss" && lines.length === 1 + 3 * 401, `CSV: ${lines[0]}, ${lines.length} lines`);
    const svg = String(await exported(popPage, "svg"));
    assert(svg.startsWith("<svg"), "not an SVG");
    assert((await exported(popPage, "png")).subarray(1, 4).toString() === "PNG", "not a PNG");
    for (const [id, bad, good, message] of [["starts", "1.5,0.3;1", popQuery.starts, /point 2/], ["K", "1", "6", /^must be an integer >= 2 and <= 10000; got 1$/], ["xRange", "1,0", "-0.8,1.6", /max > min/], ["grid", "1", "11", /^must be an integer >= 2 and <= 2000; got 1$/]]) {
      await popPage.fill(`#f-${id}`, bad);
      await popPage.waitForFunction((i) => document.getElementById(`f-${i}-error`).textContent !== "", id);
      const msg = await popPage.$eval(`#f-${id}-error`, (e) => e.textContent);
      assert(message.test(msg), `${id}: ${msg}`);
      await popPage.fill(`#f-${id}`, good);
    }
    await popPage.close();
  });

  // ---- optimal learning rate ([L]) ------------------------------------------------------------
  const lrQuery = { view: "optimal-lr", steps: "40", testSize: "200", rates: "0.2,1", seed: "3" };
  const lrOptions = { activation: "relu", n0: 20, n1: 5, noise: 0, testSize: 200, seed: 3, batchSize: 32, steps: 40 };
  async function checkDemo(page, options, rates) {
    const json = JSON.parse(await exported(page, "json"));
    const node = [trainSingleLayer({ ...options, learningRate: "optimal" }), ...rates.map((a) => trainSingleLayer({ ...options, learningRate: a }))];
    assert(json.length === node.length, `${json.length} runs`);
    let worst = 0;
    json.forEach((r, i) => {
      assert(r.testLoss.length === node[i].testLoss.length, `steps of ${r.label}`);
      r.testLoss.forEach((x, s) => (worst = Math.max(worst, Math.abs(x - node[i].testLoss[s]) / node[i].testLoss[s])));
      r.learningRates.forEach((x, s) => (worst = Math.max(worst, Math.abs(x - node[i].learningRates[s]) / Math.max(node[i].learningRates[s], 1e-300))));
    });
    console.log(`       largest relative page - Node difference of the losses and steps: ${worst.toExponential(1)}`);
    // plain JavaScript with Math.* (see the population-gradient test): last-bit differences,
    // compounded over <= 40 steps of a contracting iteration: 1e-12 relative
    assert(worst <= 1e-12, `losses or steps differ from Node by ${worst} (relative)`);
    const [header, ...rows] = await tableCells(page);
    assert(header.join("|") === ["step", "optimal", ...rates.map((a) => `η = ${a}`)].join("|"), `header ${header}`);
    let compared = 0;
    for (const row of rows) row.slice(1).forEach((text, j) => {
      const x = node[j].testLoss[Number(row[0])];
      if (text.startsWith("<")) return assert(x < Number(text.slice(1)), `${text} vs ${x}`);
      assert(sameTo(text, x) && digitsOf(text) <= 6, `step ${row[0]}, ${header[j + 1]}: printed ${text}, Node ${x}`);
      compared++;
    });
    assert(compared >= 20, `only ${compared} cells compared`);
  }
  await test("optimal learning rate view: loss curves equal trainSingleLayer() in Node to rounding and to the printed digits", async () => {
    const p = await open(`${base}?${new URLSearchParams(lrQuery)}`);
    await settled(p);
    assert((await p.$$("#figure svg")).length === 1, "no SVG figure");
    await checkDemo(p, lrOptions, [0.2, 1]);
    const rev = await revision(p);
    await p.fill("#f-seed", "4");
    await settled(p, rev);
    assert(new URL(p.url()).searchParams.get("seed") === "4", `URL ${p.url()}`);
    await checkDemo(p, { ...lrOptions, seed: 4 }, [0.2, 1]);
    const other = await open(p.url());
    await settled(other);
    assert(JSON.stringify(await tableCells(other)) === JSON.stringify(await tableCells(p)), "shared URL: table differs");
    await other.close();
    const lines = String(await exported(p, "csv")).trim().split("\n");
    assert(lines[0] === "step,testLoss[optimal],testLoss[eta=0.2],testLoss[eta=1],optimalRate" && lines.length === 42, `CSV ${lines[0]}, ${lines.length} lines`);
    assert(String(await exported(p, "svg")).startsWith("<svg") && (await exported(p, "png")).subarray(1, 4).toString() === "PNG", "figure exports");
    assert(await p.$eval("#f-slope", (e) => e.disabled), "slope enabled for relu");
    await p.selectOption("#f-activation", "leakyRelu");
    assert(!(await p.$eval("#f-slope", (e) => e.disabled)), "slope disabled for leakyRelu");
    for (const [id, bad, good, message] of [["rates", "0.2,-1", "0.2,1", /^entry 2 must be a finite number > 0; got -1$/], ["n0", "0", "20", /^must be an integer >= 1 and <= 100000; got 0$/], ["rates", "0.2,,", "0.2,1", /finite number|list/]]) {
      await p.fill(`#f-${id}`, bad);
      await p.waitForFunction((i) => document.getElementById(`f-${i}-error`).textContent !== "", id);
      const msg = await p.$eval(`#f-${id}-error`, (e) => e.textContent);
      assert(message.test(msg), `${id}: ${msg}`);
      await p.fill(`#f-${id}`, good);
    }
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
    assert(/^must be below α max = 40; got 50$/.test(await eqPage.$eval("#f-alphaMin-error", (e) => e.textContent)), "alphaMin message");
    await eqPage.fill("#f-alphaMin", "0");
    await eqPage.fill("#f-K", "0");
    await eqPage.waitForFunction(() => document.getElementById("f-K-error").textContent !== "");
    assert(/^must be an integer >= 1 and <= 1e6; got 0$/.test(await eqPage.$eval("#f-K-error", (e) => e.textContent)), "K message");
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
  // ---- Large networks (site-symmetric ODE, plateau, eta limits against K) --------------------
  // The trajectory is WebAssembly: bit for bit. The plateau and the limits are Newton, eigenvalues
  // and bisections in JavaScript (Math.* may round differently in Chromium): 1e-9 relative, far
  // below the digits printed (at most 8), which must agree exactly.
  const largeQuery = { view: "large-k", activation: "erf", K: "10", eta: "0.2", alphaMax: "8000", samples: "101", etaLimitsK: "2,10" };
  const largeSetting = { activation: "erf", learningRate: 0.2, alphaMax: 8000, samples: 101, integrator: "adaptive", step: 0.01 };
  let largePage;
  /** The page's JSON export against the Node API for K units. */
  function checkLargeJson(json, K) {
    const node = integrateSymmetric({ ...largeSetting, K });
    for (const k of ["alpha", "eg", "Q", "C", "R", "S"]) json.ode[k].forEach((x, s) => assert(x === node[k][s], `${k}[${s}] at K = ${K}: page ${x}, Node ${node[k][s]}`));
    const p = plateau({ activation: "erf", K, learningRate: 0.2, delta: 1e-3, escapeConstant: false });
    const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    assert(rel(json.plateau.escapeRate, p.escapeRate) <= 1e-9 && rel(json.plateau.fixedPoint.eg, p.fixedPoint.eg) <= 1e-9, `plateau at K = ${K}: page ${json.plateau.escapeRate}, Node ${p.escapeRate}`);
    const l = etaLimits({ activation: "erf", K: [2, 10] });
    json.etaLimits.rows.forEach((row, i) => assert(rel(row.etaPerfectStable, l.rows[i].etaPerfectStable) <= 1e-9 && rel(row.etaOptimalEscape, l.rows[i].etaOptimalEscape) <= 1e-9, `eta limits at K = ${row.K}`));
    return { node, p, l };
  }
  /** Printed trajectory cells equal Node's values rounded to their digits. */
  function checkLargeTable(cells, node) {
    let compared = 0;
    for (const row of cells.slice(1)) {
      const s = Array.from(node.alpha).findIndex((a) => +a.toPrecision(10) === Number(row[0]));
      assert(s >= 0, `alpha ${row[0]} is not a sample`);
      ["eg", "Q", "C", "R", "S"].forEach((k, j) => {
        const text = row[j + 1];
        if (text === "unresolved" || text.startsWith("<")) return;
        if (text === "0") return assert(node[k][s] === 0, `${k} at alpha ${row[0]}: printed 0`);
        assert(sameTo(text, node[k][s]), `${k} at alpha ${row[0]}: printed ${text}, Node ${node[k][s]}`);
        compared++;
      });
    }
    return compared;
  }
  await test("large-networks view: loads; trajectory equal to integrateSymmetric() in Node bit for bit, plateau and eta limits to rounding, printed digits equal", async () => {
    largePage = await open(`${base}?${new URLSearchParams(largeQuery)}`);
    await settled(largePage);
    assert(await largePage.$eval("[aria-current=page]", (e) => e.textContent) === "Large networks", "view not selected");
    assert((await largePage.$$("#figure svg")).length === 1, "no SVG figure");
    const json = JSON.parse(await exported(largePage, "json"));
    const { node, p, l } = checkLargeJson(json, 10);
    // 11 rows x 5 values, less the zeros of alpha = 0 and what is below its error or unresolved
    assert(checkLargeTable(await tableCells(largePage), node) >= 30, "too few trajectory cells compared");
    // the plateau's escape rate and eta limits as printed: Node's, rounded to the digits shown
    const plateauRows = Object.fromEntries((await tableCells(largePage, "table-2")).slice(1).map((r) => [r[0], r[1]]));
    assert(sameTo(plateauRows["escape rate λ"], p.escapeRate) && sameTo(plateauRows["Q"], p.fixedPoint.Q), `plateau printed ${plateauRows["escape rate λ"]}, Node ${p.escapeRate}`);
    const limitRows = (await tableCells(largePage, "table-4")).slice(1);
    limitRows.forEach((r, i) => assert(sameTo(r[1], l.rows[i].etaPerfectStable) && sameTo(r[4], l.rows[i].etaOptimalEscape), `eta limits row ${r}`));
    const csv = String(await exported(largePage, "csv")).trim().split("\n");
    assert(csv[0] === "dataset,K,eta,alpha,quantity,value" && csv.filter((x) => x.startsWith("trajectory,")).length === 5 * 101, `CSV ${csv[0]}, ${csv.length} lines`);
    assert(String(await exported(largePage, "svg")).startsWith("<svg") && (await exported(largePage, "png")).subarray(1, 4).toString() === "PNG", "figure exports");
  });
  await test("large-networks view: changing K updates the URL, the plot and the numbers (K 10 -> 20; the eta limits are kept)", async () => {
    const before = await largePage.$eval("#figure svg", (e) => e.outerHTML);
    const limitsBefore = await tableCells(largePage, "table-4");
    const rev = await revision(largePage);
    await largePage.fill("#f-K", "20");
    await settled(largePage, rev);
    assert(new URL(largePage.url()).searchParams.get("K") === "20", `URL ${largePage.url()}`);
    assert(await largePage.$eval("#figure svg", (e) => e.outerHTML) !== before, "figure unchanged");
    const json = JSON.parse(await exported(largePage, "json"));
    const { node } = checkLargeJson(json, 20);
    checkLargeTable(await tableCells(largePage), node);
    assert(JSON.stringify(await tableCells(largePage, "table-4")) === JSON.stringify(limitsBefore), "eta limits changed with K");
    const other = await open(largePage.url());
    await settled(other);
    assert(await other.$eval("#f-K", (e) => e.value) === "20", "shared URL: K");
    assert(JSON.stringify(await tableCells(other)) === JSON.stringify(await tableCells(largePage)), "shared URL: table differs");
    await other.close();
  });
  await test("large-networks view: the eta limits run in the worker with progress; invalid input is marked on its field", async () => {
    const rev = await revision(largePage);
    await largePage.fill("#f-etaLimitsK", "2,3,4,5,7");
    // the API's own reports: "eta limits: 40% (values of K 2 of 5)"
    await largePage.waitForFunction(() => /eta limits: \d+% \(values of K \d of 5\)/.test(document.getElementById("status").textContent) && !document.getElementById("progress").hidden, null, { timeout: 30_000 });
    await settled(largePage, rev);
    assert((await tableCells(largePage, "table-4")).length === 6, "five rows of eta limits");
    for (const [id, bad, good, message] of [["K", "0", "20", /^must be an integer >= 1 and <= 1e6; got 0$/], ["C0", "0.5", "0", /does not give a valid overlap matrix/], ["etaLimitsK", "1,10", "2,3,4,5,7", /^entry 1 must be an integer >= 2/]]) {
      await largePage.fill(`#f-${id}`, bad);
      await largePage.waitForFunction((i) => document.getElementById(`f-${i}-error`).textContent !== "", id);
      assert(message.test(await largePage.$eval(`#f-${id}-error`, (e) => e.textContent)), `${id}: ${await largePage.$eval(`#f-${id}-error`, (e) => e.textContent)}`);
      assert(await largePage.$eval(`#f-${id}`, (e) => e.getAttribute("aria-invalid")) === "true", `${id} not marked invalid`);
      await largePage.fill(`#f-${id}`, good);
    }
    await largePage.close();
  });
  if (screenshot) {
    await page.goto(`${base}?${new URLSearchParams({ view: "online", sgd: "true", d: "500", runs: "10", alphaMax: "150", samples: "151" })}`);
    await settled(page);
    await page.screenshot({ path: screenshot, fullPage: false });
    console.log(`screenshot: ${screenshot}`);
  }
  await test("sweep file view: a file opened and dropped draws the phase diagram; cells and hover values equal the file's lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-web-sweep-"));
    const file = join(dir, "grid.jsonl");
    // Q0 = 0.2*eye grows with K (fine on a K axis); alpha-max varies too and must be fixed
    execFileSync(process.execPath, ["bin/scm.js", "sweep", "ode", "--eta", "0.5,1,1.5", "--K", "2,3", "--Q0", "0.2*eye", "--R0", "zeros", "--alpha-max", "2,3", "--samples", "3", "--workers", "1", "--out", file], { stdio: "ignore" });
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const finalEg = (eta, K, alphaMax) => lines.find((l) => l.options.learningRate === eta && l.options.K === K && l.options.alphaMax === alphaMax).result.eg.at(-1);
    const sweepPage = await open(`${base}sweep.html`);
    await sweepPage.setInputFiles("#sweep-file", file);
    await sweepPage.waitForFunction(() => Number(document.getElementById("map").dataset.revision) >= 1);
    assert(await sweepPage.$eval("#sweep-x", (e) => e.value) === "learningRate" && await sweepPage.$eval("#sweep-y", (e) => e.value) === "K", "default axes eta, K");
    const options = await sweepPage.$$eval("#fix-alphaMax option", (os) => os.map((o) => o.textContent));
    assert(JSON.stringify(options) === JSON.stringify(["2", "3"]), `alpha-max to fix: ${options}`);
    const cells = async () => sweepPage.$$eval("#map path[aria-roledescription='rect mark']", (ps) => ps.map((p) => p.getAttribute("aria-label")));
    const check = async (alphaMax) => {
      const labels = await cells();
      assert(labels.length === 6, `${labels.length} cells, not 6`);
      for (const label of labels) {
        const [, eta, K, eg] = /^η: ([^;]+); K: (\d+); final ε_g: (.+)$/.exec(label);
        const want = finalEg(Number(eta), Number(K), alphaMax);
        assert(Math.abs(Number(eg) - want) <= 5e-12 * Math.abs(want), `cell ${label}: the file has ${want}`); // vega's label: 12 digits
      }
    };
    await check(2);
    // hover: the cell's values in full, as the file holds them
    await sweepPage.hover("#map path[aria-roledescription='rect mark'] >> nth=0");
    await sweepPage.waitForFunction(() => /= /.test(document.getElementById("hover").textContent));
    const hover = await sweepPage.$eval("#hover", (e) => e.textContent);
    const [, eta, K, eg] = /^η = ([^,]+), K = (\d+): final ε_g = (.+)$/.exec(hover) ?? [];
    assert(eg !== undefined && Number(eg) === finalEg(Number(eta), Number(K), 2), `hover "${hover}"`);
    const rev = await sweepPage.$eval("#map", (e) => Number(e.dataset.revision));
    await sweepPage.selectOption("#fix-alphaMax", { label: "3" });
    await sweepPage.waitForFunction((r) => Number(document.getElementById("map").dataset.revision) > r, rev);
    await check(3);
    // drag and drop of a second file (K = 2 only): a 3 x 1 map
    const text = lines.filter((l) => l.options.K === 2 && l.options.alphaMax === 2).map((l) => JSON.stringify(l)).join("\n") + "\n";
    const rev2 = await sweepPage.$eval("#map", (e) => Number(e.dataset.revision));
    await sweepPage.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], "dropped.jsonl", { type: "application/json" }));
      document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await sweepPage.waitForFunction((r) => Number(document.getElementById("map").dataset.revision) > r, rev2);
    assert(/dropped\.jsonl: 3 points of ode/.test(await sweepPage.$eval("#file-summary", (e) => e.textContent)), "summary of the dropped file");
    assert((await cells()).length === 3, "3 cells from the dropped file");
    await sweepPage.close();
  });
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
