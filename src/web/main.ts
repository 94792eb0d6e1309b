// The page: a form per view (views.ts), its state in the URL, computation in a Web Worker
// (worker.ts) with progress and Cancel, Vega-Lite figures, a table of verified numbers and
// exports. Plain DOM; every path is relative so any static file server can serve dist/web.
// What every view gets from here without knowing: figures laid out for the width available
// (src/report/figureStyle.ts), presentation mode (P; arrow keys step through the views), an
// elapsed-time progress line from the first moment of a run, results greyed with the reason when
// they no longer match the inputs, and the Explain panel.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { views, viewById } from "./views";
import { FieldError, type Field, type Progress, type Table, type Values, type ViewDefinition, type WorkerReply } from "./view";
import { readField } from "../options/form";
import { progressText } from "../text/progress";
import { styleFigure } from "../report/figureStyle";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusEl = $<HTMLOutputElement>("status");
const progressEl = $<HTMLProgressElement>("progress");
const cancelEl = $<HTMLButtonElement>("cancel");
const figureEl = $<HTMLDivElement>("figure");
const formErrorEl = $<HTMLParagraphElement>("form-error");
const resultsEl = $<HTMLElement>("results");
const staleEl = $<HTMLParagraphElement>("stale");
const presentEl = $<HTMLButtonElement>("present");
const DEBOUNCE_MS = 300; // recompute this long after the last keystroke
const TICK_MS = 250; // the elapsed time of a run is redrawn this often while no report says more
/** The theory, rendered from docs/theory.md at build time (scripts/build.mjs), next to the page. */
const THEORY_PAGE = "./theory.html";

let view: ViewDefinition = views[0];
let values: Values = {};
let worker: Worker | null = null;
let running = 0; // id of the request in flight (0: none)
let requests = 0;
let result: unknown = null;
let plot: vega.View | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let startedAt = 0;
let presenting = false;
/** The parameters of the result shown (JSON), to tell whether it still matches the inputs. */
let shownParams: string | null = null;
let currentParams: string | null = null;
let lastProgress: Progress | null = null;
let ticker: ReturnType<typeof setInterval> | undefined;

// ---- state <-> URL ----------------------------------------------------------------------

function readUrl(): void {
  const q = new URLSearchParams(location.search);
  view = viewById(q.get("view")) ?? views[0];
  values = Object.fromEntries(view.fields.map((f) => [f.id, q.get(f.id) ?? f.value]));
  setPresentation(q.get("present") === "1");
}

function writeUrl(): void {
  const q = new URLSearchParams({ view: view.id, ...values, ...(presenting ? { present: "1" } : {}) });
  history.replaceState(null, "", `?${q}`);
}

// ---- form ---------------------------------------------------------------------------------

const inputId = (f: Field) => `f-${f.id}`;

function fieldElement(f: Field): HTMLElement {
  const div = document.createElement("div");
  div.className = `field ${f.kind}`;
  const label = document.createElement("label");
  label.htmlFor = inputId(f);
  label.textContent = f.label;
  let input: HTMLInputElement | HTMLSelectElement;
  if (f.kind === "select") {
    input = document.createElement("select");
    for (const c of f.choices ?? []) input.append(new Option(c, c));
  } else {
    input = document.createElement("input");
    input.type = f.kind === "checkbox" ? "checkbox" : "text";
    if (f.kind === "number") input.inputMode = "decimal";
    input.spellcheck = false;
    input.autocomplete = "off";
  }
  input.id = inputId(f);
  input.name = f.id;
  const described = [`${inputId(f)}-error`];
  if (f.kind === "checkbox") div.append(input, " ", label);
  else div.append(label, input);
  if (f.hint) {
    const hint = document.createElement("small");
    hint.id = `${inputId(f)}-hint`;
    hint.textContent = f.hint;
    div.append(hint);
    described.unshift(hint.id);
  }
  const error = document.createElement("p");
  error.id = `${inputId(f)}-error`;
  error.className = "error";
  error.setAttribute("aria-live", "polite");
  div.append(error);
  input.setAttribute("aria-describedby", described.join(" "));
  input.addEventListener(f.kind === "text" || f.kind === "number" ? "input" : "change", () => {
    values[f.id] = input instanceof HTMLInputElement && input.type === "checkbox" ? String(input.checked) : input.value;
    syncEnabled();
    writeUrl();
    checkField(f);
    schedule();
  });
  return div;
}

function buildForm(): void {
  $("view-title").textContent = view.title;
  $("view-description").textContent = view.description;
  buildExplain();
  const box = $("fields");
  box.replaceChildren();
  const groups = new Map<string, HTMLFieldSetElement>();
  for (const f of view.fields) {
    let set = groups.get(f.group);
    if (!set) {
      set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = f.group;
      set.append(legend);
      groups.set(f.group, set);
      box.append(set);
    }
    set.append(fieldElement(f));
  }
  for (const f of view.fields) {
    const input = $<HTMLInputElement>(inputId(f));
    if (input.type === "checkbox") input.checked = values[f.id] === "true";
    else input.value = values[f.id];
  }
  syncEnabled();
  const nav = $("views");
  nav.replaceChildren(
    ...views.map((v) => {
      const a = document.createElement("a");
      a.href = `?view=${v.id}`;
      a.textContent = v.title;
      if (v === view) a.setAttribute("aria-current", "page");
      a.addEventListener("click", (e) => {
        e.preventDefault();
        goToView(v);
      });
      return a;
    }),
  );
}

/** The Explain panel: the view's text and links into the theory (or the theory's contents). */
function buildExplain(): void {
  const box = $("explain-text");
  const text = view.explain?.text ?? [];
  const theory = view.explain?.theory ?? [{ title: "contents", anchor: "" }];
  const links = document.createElement("p");
  links.append("Theory: ");
  theory.forEach((t, j) => {
    const a = document.createElement("a");
    a.href = `${THEORY_PAGE}${t.anchor ? `#${t.anchor}` : ""}`;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = t.title;
    if (j > 0) links.append(", ");
    links.append(a);
  });
  links.append(" (docs/theory.md).");
  box.replaceChildren(
    ...text.map((t) => {
      const p = document.createElement("p");
      p.textContent = t;
      return p;
    }),
    links,
  );
}

function syncEnabled(): void {
  for (const f of view.fields) {
    const on = f.enabled ? f.enabled(values) : true;
    const input = $<HTMLInputElement>(inputId(f));
    input.disabled = !on;
    input.parentElement!.classList.toggle("disabled", !on);
  }
}

/** The field's text checked at once against its option's declaration (range, syntax). */
function checkField(f: Field): void {
  if (!f.spec || f.kind === "select" || f.kind === "checkbox" || (f.enabled && !f.enabled(values))) return;
  const error = $(`${inputId(f)}-error`);
  try {
    readField(f, values[f.id]);
    error.textContent = "";
    $(inputId(f)).removeAttribute("aria-invalid");
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    error.textContent = e.message;
    $(inputId(f)).setAttribute("aria-invalid", "true");
    setStatus("invalid", "invalid input: see the message next to the field");
    markStale(`invalid input: ${f.label}: ${e.message}`);
  }
}

function clearErrors(): void {
  formErrorEl.textContent = "";
  for (const f of view.fields) {
    $(`${inputId(f)}-error`).textContent = "";
    $(inputId(f)).removeAttribute("aria-invalid");
  }
}

function showError(message: string, field: string | undefined): void {
  const f = field ? view.fields.find((x) => x.id === field) : undefined;
  if (f) {
    $(`${inputId(f)}-error`).textContent = message;
    $(inputId(f)).setAttribute("aria-invalid", "true");
  } else formErrorEl.textContent = message;
  setStatus("invalid", "invalid input: see the message next to the field");
  markStale(`invalid input: ${f ? `${f.label}: ` : ""}${message}`);
}

// ---- stale results --------------------------------------------------------------------------

/** Greys the results shown (if any) with the reason they do not match the inputs. */
function markStale(reason: string): void {
  if (result === null) return;
  resultsEl.classList.add("stale");
  staleEl.hidden = false;
  staleEl.textContent = `Not the current inputs: ${reason}. The figure and table below are for the previous inputs.`;
}

function clearStale(): void {
  resultsEl.classList.remove("stale");
  staleEl.hidden = true;
  staleEl.textContent = "";
}

// ---- running ------------------------------------------------------------------------------

function setStatus(state: "running" | "done" | "cancelled" | "invalid" | "error", text: string, progress?: Progress): void {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
  cancelEl.disabled = state !== "running";
  progressEl.hidden = state !== "running";
  if (state !== "running") stopTicker();
  if (progress?.fraction !== undefined) {
    progressEl.max = 1;
    progressEl.value = progress.fraction;
  } else if (progress?.total) {
    progressEl.max = progress.total;
    progressEl.value = progress.done ?? 0;
  } else progressEl.removeAttribute("value"); // indeterminate
}

function schedule(delay = DEBOUNCE_MS): void {
  clearTimeout(timer);
  timer = setTimeout(run, delay);
}

/** While a run has no report with a fraction, its label and the elapsed time, redrawn every TICK_MS. */
function startTicker(): void {
  stopTicker();
  ticker = setInterval(() => {
    if (!running || lastProgress?.fraction !== undefined) return;
    const label = lastProgress?.label ?? "computing";
    const of = lastProgress?.total ? ` ${lastProgress.done ?? 0} / ${lastProgress.total}` : "";
    statusEl.textContent = `${label}…${of} ${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
  }, TICK_MS);
}

function stopTicker(): void {
  clearInterval(ticker);
  ticker = undefined;
}

function stopWorker(): void {
  worker?.terminate(); // also ends the simulation workers it started
  worker = null;
  running = 0;
}

function spawnWorker(): Worker {
  const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  w.onmessage = (e: MessageEvent<WorkerReply>) => receive(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    stopWorker();
    setStatus("error", `the computation failed: ${e.message}`);
  };
  return w;
}

function run(): void {
  clearErrors();
  let params: unknown;
  try {
    params = view.parse(values);
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    if (running) stopWorker(); // the inputs it ran on are gone
    return showError(e.message, e.field);
  }
  if (running) stopWorker(); // a newer request supersedes the one in flight
  worker ??= spawnWorker();
  running = ++requests;
  startedAt = performance.now();
  lastProgress = null;
  currentParams = JSON.stringify({ view: view.id, params });
  setStatus("running", "computing…");
  if (shownParams !== currentParams) markStale("recomputing for the changed inputs");
  startTicker();
  worker.postMessage({ id: running, view: view.id, params });
}

function receive(m: WorkerReply): void {
  if (m.id !== running) return; // from a superseded request
  switch (m.type) {
    case "progress": {
      const p = m.progress;
      lastProgress = p;
      const text = p.fraction !== undefined ? progressText({ unit: "", done: 0, total: 0, remainingSeconds: null, ...p, fraction: p.fraction }, (performance.now() - startedAt) / 1000) : p.total ? `${p.label}: ${p.done ?? 0} / ${p.total}` : `${p.label}…`;
      setStatus("running", text, p);
      break;
    }
    case "partial":
    case "result":
      shownParams = currentParams;
      clearStale();
      void render(m.result);
      if (m.type === "result") {
        running = 0;
        setStatus("done", "done");
      }
      break;
    case "error":
      running = 0;
      // the worker places option errors at their field (from the error's option, not its text)
      showError(m.message, m.field);
      if (m.field === undefined && !["RangeError", "TypeError", "OptionError", "OptionTypeError"].includes(m.name)) {
        setStatus("error", `error: ${m.message}`);
        markStale(`the computation failed: ${m.message}`);
      }
      break;
  }
}

function cancel(): void {
  if (!running) return;
  stopWorker();
  setStatus("cancelled", "cancelled: the previous result (if any) is still shown");
  if (shownParams !== currentParams) markStale("the computation for the current inputs was cancelled");
}

// ---- results ------------------------------------------------------------------------------

let renders = 0;

/** The width (and in presentation mode the height) the figure has on this screen. */
function figureLayout() {
  const width = Math.max(280, figureEl.clientWidth || resultsEl.clientWidth);
  const height = presenting ? Math.max(300, window.innerHeight - figureEl.getBoundingClientRect().top - 16) : undefined;
  return { presentation: presenting, width, height };
}

async function render(r: unknown): Promise<void> {
  const mine = ++renders;
  result = r;
  const figure = view.figure(r) as { title?: { text?: string } };
  const spec = compile(styleFigure(figure, figureLayout()) as unknown as TopLevelSpec).spec;
  const next = new vega.View(vega.parse(spec), { renderer: "svg", container: figureEl, hover: false });
  plot?.finalize();
  plot = next;
  await next.runAsync();
  if (mine !== renders) return;
  const title = figure.title?.text ?? view.title;
  figureEl.setAttribute("aria-label", `${title} (the numbers are in the table below)`);
  figureEl.dataset.revision = String(Number(figureEl.dataset.revision) + 1);
  $("summary").textContent = view.summary(r);
  renderTables(view.table(r));
  document.querySelectorAll<HTMLButtonElement>("[data-export]").forEach((b) => (b.disabled = false));
}

/** The first table goes to #table, further ones to #table-2, #table-3, ... (created as needed). */
function renderTables(t: ReturnType<ViewDefinition["table"]>): void {
  const list = Array.isArray(t) ? t : [t];
  const first = $<HTMLTableElement>("table");
  first.parentElement!.querySelectorAll("table.extra").forEach((e) => e.remove());
  list.forEach((x, j) => {
    let table = first;
    if (j > 0) {
      table = document.createElement("table");
      table.id = `table-${j + 1}`;
      table.className = "extra";
      first.parentElement!.append(table);
    }
    renderTable(table, x);
  });
}

function renderTable(table: HTMLTableElement, t: Table): void {
  table.replaceChildren();
  table.createCaption().textContent = t.caption;
  const head = table.createTHead().insertRow();
  for (const h of t.header) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of t.rows) {
    const tr = body.insertRow();
    row.forEach((cell, j) => {
      const c = j === 0 ? document.createElement("th") : tr.insertCell();
      if (j === 0) {
        (c as HTMLTableCellElement).scope = "row";
        tr.append(c);
      }
      c.textContent = cell;
      if (cell.length > 60) c.classList.add("long"); // prose (definitions, messages) wraps
    });
  }
}

function download(name: string, href: string): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

async function exportAs(kind: string): Promise<void> {
  if (result === null || !plot) return;
  const base = `soft-committee-${view.id}`;
  const blob = (text: string, type: string) => URL.createObjectURL(new Blob([text], { type }));
  if (kind === "csv") download(`${base}.csv`, blob(view.csv(result), "text/csv"));
  else if (kind === "json") download(`${base}.json`, blob(view.json(result), "application/json"));
  else if (kind === "svg") download(`${base}.svg`, blob(await plot.toSVG(), "image/svg+xml"));
  else if (kind === "png") download(`${base}.png`, await plot.toImageURL("png", 2));
}

// ---- presentation mode and keyboard ---------------------------------------------------------

function setPresentation(on: boolean): void {
  if (on === presenting) return;
  presenting = on;
  document.documentElement.classList.toggle("presentation", on);
  document.body.classList.toggle("presentation", on);
  presentEl.setAttribute("aria-pressed", String(on));
  presentEl.textContent = on ? "Leave presentation" : "Presentation";
}

function togglePresentation(): void {
  setPresentation(!presenting);
  writeUrl();
  redraw();
}

/** Draws the result shown again for the current width and style (no recomputation). */
function redraw(): void {
  if (result !== null) void render(result);
}

function goToView(v: ViewDefinition): void {
  history.pushState(null, "", `?view=${v.id}${presenting ? "&present=1" : ""}`);
  start();
}

/** Keys typed into a form control are the control's. */
const typing = (e: KeyboardEvent) => e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement || e.altKey || e.ctrlKey || e.metaKey;

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(redraw, 200);
});

// ---- start --------------------------------------------------------------------------------

function start(): void {
  stopWorker();
  // another view (or a restored state): nothing of the previous one stays on screen
  renders++;
  result = null;
  shownParams = null;
  clearStale();
  plot?.finalize();
  plot = null;
  figureEl.replaceChildren();
  $("summary").textContent = "";
  renderTables({ caption: "", header: [], rows: [] });
  document.querySelectorAll<HTMLButtonElement>("[data-export]").forEach((b) => (b.disabled = true));
  readUrl();
  buildForm();
  writeUrl();
  schedule(0);
}

cancelEl.addEventListener("click", cancel);
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") {
    if (running) cancel();
    else if (presenting && !typing(e)) togglePresentation();
    return;
  }
  if (typing(e)) return;
  if (e.key === "p" || e.key === "P") return togglePresentation();
  if (!presenting) return;
  const step = e.key === "ArrowRight" || e.key === "PageDown" ? 1 : e.key === "ArrowLeft" || e.key === "PageUp" ? -1 : 0;
  if (step === 0) return;
  e.preventDefault();
  goToView(views[(views.indexOf(view) + step + views.length) % views.length]);
});
presentEl.addEventListener("click", togglePresentation);
document.querySelectorAll<HTMLButtonElement>("[data-export]").forEach((b) => b.addEventListener("click", () => void exportAs(b.dataset.export!)));
$("copy-link").addEventListener("click", () => {
  void navigator.clipboard?.writeText(location.href).then(() => (statusEl.textContent = "link copied"), () => undefined);
});
addEventListener("popstate", start);
start();
