// The page's sweep-file view (sweep.html): opens a file written by `scm sweep` (file input or
// drag and drop; read locally, never uploaded) and draws the same phase diagram as `scm sweep
// plot` (src/sweep/heatmap.ts, src/report/sweepMap.ts), with each cell's values on hover and the
// grid, SVG and PNG as downloads.
import { styleFigure } from "../report/figureStyle";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { heatmap, heatmapCsv, HeatmapError, PLOT_QUANTITIES, valueLabel, varyingOptions, type Heatmap } from "../sweep/heatmap";
import { parseLine, type SweepLine } from "../sweep/line";
import { axisTitle, heatmapSpec } from "../report/sweepMap";
import { canonicalJson } from "../text/grid";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const errorEl = $<HTMLParagraphElement>("sweep-error");
const mapEl = $<HTMLDivElement>("map");
const hoverEl = $<HTMLOutputElement>("hover");
const selects = { x: $<HTMLSelectElement>("sweep-x"), y: $<HTMLSelectElement>("sweep-y"), z: $<HTMLSelectElement>("sweep-z") };

let lines: SweepLine[] = [];
let name = "sweep";
let plot: vega.View | null = null;
let current: Heatmap | null = null;
const fixed = new Map<string, string>(); // option -> canonical JSON of the chosen value

/** The points of a sweep file's text (a partial last line left out). */
export function readSweepText(text: string): SweepLine[] {
  const out: SweepLine[] = [];
  text.slice(0, text.lastIndexOf("\n") + 1).split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const r = parseLine(raw);
    if ("problem" in r) throw new Error(`line ${i + 1} ${r.problem}: is it a sweep file (scm sweep --out FILE.jsonl)?`);
    out.push(r.line);
  });
  if (out.length === 0) throw new Error("the file holds no point");
  return out;
}

function fill(select: HTMLSelectElement, items: [string, string][], keep?: string): void {
  select.replaceChildren(...items.map(([value, text]) => new Option(text, value)));
  if (keep && items.some(([v]) => v === keep)) select.value = keep;
}

async function load(file: File): Promise<void> {
  try {
    lines = readSweepText(await file.text());
  } catch (e) {
    errorEl.textContent = `${file.name}: ${(e as Error).message}`;
    return;
  }
  name = file.name.replace(/\.[^.]*$/, "");
  errorEl.textContent = "";
  const command = lines[0].command;
  const varying = [...varyingOptions(lines).keys()];
  // the varying options first; a constant one makes a single row or column
  const constant = [...new Set(lines.flatMap((l) => Object.keys(l.options)))].sort().filter((n) => !varying.includes(n));
  const axes: [string, string][] = [...varying, ...constant].map((n) => [n, axisTitle(n) === n ? n : `${axisTitle(n)} (${n})`]);
  fill(selects.x, axes, varying.includes("learningRate") || constant.includes("learningRate") ? "learningRate" : varying[0] ?? constant[0]);
  fill(selects.y, axes, [...varying, ...constant].find((n) => n !== selects.x.value && !["Q0", "R0", "T"].includes(n)));
  fill(selects.z, PLOT_QUANTITIES.filter((q) => q.commands.includes(command)).map((q) => [q.name, q.name]));
  $("file-summary").textContent = `${file.name}: ${lines.length} points of ${command}, varying ${varying.join(", ") || "nothing"}`;
  $<HTMLFieldSetElement>("axes").disabled = false;
  fixed.clear();
  await draw();
}

/** Selects for the options that must be fixed (their first value chosen). */
function showFixed(free: Map<string, unknown[]>): void {
  const box = $("fixed");
  box.replaceChildren();
  for (const [option, values] of free) {
    if (!fixed.has(option)) fixed.set(option, canonicalJson(values[0]));
    const div = document.createElement("div");
    div.className = "field select";
    const label = document.createElement("label");
    label.htmlFor = `fix-${option}`;
    label.textContent = `${axisTitle(option)} (fixed)`;
    const select = document.createElement("select");
    select.id = `fix-${option}`;
    for (const v of values) select.append(new Option(valueLabel(v), canonicalJson(v)));
    select.value = fixed.get(option)!;
    select.addEventListener("change", () => {
      fixed.set(option, select.value);
      void draw();
    });
    div.append(label, select);
    box.append(div);
  }
}

async function draw(): Promise<void> {
  const z = selects.z.value;
  $("sweep-z-hint").textContent = PLOT_QUANTITIES.find((q) => q.name === z)?.help ?? "";
  const at = Object.fromEntries([...fixed].map(([k, v]) => [k, JSON.parse(v)]));
  let h: Heatmap;
  for (;;) {
    try {
      h = heatmap(lines, { x: selects.x.value, y: selects.y.value, z, threshold: Number($<HTMLInputElement>("sweep-threshold").value), flatness: Number($<HTMLInputElement>("sweep-flatness").value), at });
      break;
    } catch (e) {
      if (e instanceof HeatmapError && e.option === "at" && e.free.size > 0 && [...e.free.keys()].some((k) => !(k in at))) {
        for (const [k, values] of e.free) if (!(k in at)) at[k] = values[0];
        showFixed(e.free);
        for (const [k, v] of Object.entries(at)) fixed.set(k, canonicalJson(v));
        continue;
      }
      errorEl.textContent = (e as Error).message.replace(/ with at$/, " below");
      return;
    }
  }
  if (!fixed.size) $("fixed").replaceChildren();
  errorEl.textContent = "";
  current = h;
  const spec = compile(styleFigure(heatmapSpec(h)) as unknown as TopLevelSpec).spec;
  const next = new vega.View(vega.parse(spec), { renderer: "svg", container: mapEl, hover: true });
  next.addEventListener("mouseover", (_event, item) => {
    const d = (item as { datum?: { x?: string; y?: string; label?: string } } | null)?.datum;
    if (d && d.x !== undefined && d.label !== undefined) hoverEl.textContent = `${axisTitle(h.x)} = ${d.x}, ${axisTitle(h.y)} = ${d.y}: ${axisTitle(h.z)} = ${d.label}`;
  });
  plot?.finalize();
  plot = next;
  await next.runAsync();
  mapEl.dataset.revision = String(Number(mapEl.dataset.revision) + 1);
  for (const id of ["export-csv", "export-svg", "export-png"]) $<HTMLButtonElement>(id).disabled = false;
}

function download(filename: string, href: string): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.click();
}
const blobUrl = (data: string, type: string) => URL.createObjectURL(new Blob([data], { type }));

$<HTMLInputElement>("sweep-file").addEventListener("change", (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void load(f);
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const f = e.dataTransfer?.files?.[0];
  if (f) void load(f);
});
for (const el of [selects.x, selects.y, selects.z]) el.addEventListener("change", () => void draw());
for (const id of ["sweep-threshold", "sweep-flatness"]) $(id).addEventListener("input", () => void draw());
$("export-csv").addEventListener("click", () => current && download(`${name}-${current.z}.csv`, blobUrl(heatmapCsv(current), "text/csv")));
$("export-svg").addEventListener("click", async () => plot && download(`${name}-${current!.z}.svg`, blobUrl(await plot.toSVG(), "image/svg+xml")));
$("export-png").addEventListener("click", async () => plot && download(`${name}-${current!.z}.png`, await plot.toImageURL("png", 2)));
