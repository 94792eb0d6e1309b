// The look every figure shares, on the page and in the CLI's SVG files: font sizes readable when
// projected, one tick-label notation on log axes, and a layout that fits the width it is given
// (panels of a row wrap into columns instead of overflowing). Applied to a view's or a command's
// Vega-Lite specification just before it is compiled, so every figure gets it without knowing.
// Runtime-neutral: no DOM, no Node.

type Spec = Record<string, any>;

/** Font sizes (px) and line width of the two styles. */
export const FIGURE_STYLES = {
  /** Screens and files: axis labels 12 px (the page's text is 14-16 px). */
  normal: { label: 12, title: 13, heading: 15, subtitle: 12, strokeWidth: 1.5 },
  /** Presentation mode (a projector at the back of a lecture hall): nothing below 18 px. */
  presentation: { label: 18, title: 20, heading: 24, subtitle: 19, strokeWidth: 3 },
} as const;

export interface FigureLayout {
  /** Presentation style (larger fonts and lines, panels scaled up to fill the space). */
  presentation?: boolean;
  /** Width (px) the figure must fit in; panels of a row wrap into columns when they do not fit. */
  width?: number;
  /** Height (px) available (presentation: the panels are scaled to fit it as well). */
  height?: number;
}

/** Room around a panel's plotting area (axis labels and title, legend, padding), px per font px. */
const AROUND_WIDTH = 6.5; // ~85 px at 13 px: y-axis labels and title, the spacing between panels
const AROUND_HEIGHT = 7.5; // ~100 px at 13 px: x-axis labels and title, a legend above, a panel title
const DEFAULT_PANEL = { width: 300, height: 200 };

const isObject = (x: unknown): x is Spec => typeof x === "object" && x !== null && !Array.isArray(x);

/** Deep merge: `over` wins, objects merged key by key. */
function merge(base: Spec | undefined, over: Spec): Spec {
  const out: Spec = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k], v) : v;
  return out;
}

/** The config every figure gets; the spec's own config keeps what it sets (colours, fonts). */
export function figureConfig(presentation = false): Spec {
  const s = presentation ? FIGURE_STYLES.presentation : FIGURE_STYLES.normal;
  return {
    axis: { labelFontSize: s.label, titleFontSize: s.title, labelOverlap: true },
    legend: { labelFontSize: s.label, titleFontSize: s.title, symbolStrokeWidth: s.strokeWidth, labelLimit: 0 },
    header: { labelFontSize: s.label, titleFontSize: s.title },
    title: { fontSize: s.heading, subtitleFontSize: s.subtitle },
    text: { fontSize: s.label },
    line: { strokeWidth: s.strokeWidth },
    rule: { strokeWidth: s.strokeWidth * 0.8 },
    point: { size: presentation ? 80 : 30 },
    concat: { spacing: presentation ? 30 : 20 },
  };
}

const POWER_OF_TEN_LABEL = "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-9 ? datum.label : ''";

/**
 * Tick labels of a log axis in one notation: "1e-7", "1e-2", "1e+0" at the powers of ten, never
 * "0.000001" next to "1e-7" (the default format switches notation by magnitude). An axis with its
 * own format or labels keeps them.
 */
function logAxisFormat(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(logAxisFormat);
  if (!isObject(node)) return;
  if (isObject(node.scale) && node.scale.type === "log" && typeof node.field === "string" && node.axis !== null) {
    const axis = isObject(node.axis) ? node.axis : {};
    // labels at powers of ten only (the ticks at 2 and 5 times them keep their grid lines)
    if (axis.format === undefined && axis.labelExpr === undefined) node.axis = { ...axis, format: "~e", labelExpr: POWER_OF_TEN_LABEL };
  }
  for (const v of Object.values(node)) if (typeof v === "object") logAxisFormat(v);
}

const fontOf = (presentation: boolean) => (presentation ? FIGURE_STYLES.presentation : FIGURE_STYLES.normal).title;

/** Estimated outer size (px) of a (sub)specification at panel scale `scale`. */
function size(node: Spec, scale: number, font: number): { width: number; height: number } {
  const kids = (k: string) => (node[k] as Spec[]).map((c) => size(c, scale, font));
  if (Array.isArray(node.hconcat)) {
    const s = kids("hconcat");
    return { width: s.reduce((a, b) => a + b.width, 0), height: Math.max(...s.map((b) => b.height)) };
  }
  if (Array.isArray(node.vconcat)) {
    const s = kids("vconcat");
    return { width: Math.max(...s.map((b) => b.width)), height: s.reduce((a, b) => a + b.height, 0) };
  }
  if (Array.isArray(node.concat)) {
    const s = kids("concat");
    const columns = Math.max(1, Math.min(s.length, node.columns ?? s.length));
    const w = Math.max(...s.map((b) => b.width)), h = Math.max(...s.map((b) => b.height));
    return { width: columns * w, height: Math.ceil(s.length / columns) * h };
  }
  const width = typeof node.width === "number" ? node.width : DEFAULT_PANEL.width;
  const height = typeof node.height === "number" ? node.height : DEFAULT_PANEL.height;
  const titled = node.title ? 2 * font : 0;
  return { width: width * scale + AROUND_WIDTH * font, height: height * scale + AROUND_HEIGHT * font + titled };
}

/** Scales every panel's width and height (numbers only) by `scale`. */
function scalePanels(node: Spec, scale: number): void {
  for (const k of ["hconcat", "vconcat", "concat"]) if (Array.isArray(node[k])) return (node[k] as Spec[]).forEach((c) => scalePanels(c, scale));
  if (typeof node.width === "number") node.width = Math.round(node.width * scale);
  if (typeof node.height === "number") node.height = Math.round(node.height * scale);
}

/** Rows (hconcat) that do not fit `width` become wrapped grids (concat with columns). */
function wrapRows(node: Spec, width: number, scale: number, font: number): void {
  for (const k of ["vconcat", "concat"]) if (Array.isArray(node[k])) (node[k] as Spec[]).forEach((c) => wrapRows(c, width, scale, font));
  if (!Array.isArray(node.hconcat)) return;
  const kids = node.hconcat as Spec[];
  kids.forEach((c) => wrapRows(c, width, scale, font));
  const widest = Math.max(...kids.map((c) => size(c, scale, font).width));
  const columns = Math.max(1, Math.min(kids.length, Math.floor(width / widest)));
  if (columns < kids.length) {
    delete node.hconcat;
    node.concat = kids;
    node.columns = columns;
  }
}

/** A panel wider than the space (after wrapping to one column) is narrowed to fit. */
function narrow(node: Spec, width: number, font: number): void {
  for (const k of ["hconcat", "vconcat", "concat"]) if (Array.isArray(node[k])) return (node[k] as Spec[]).forEach((c) => narrow(c, k === "hconcat" ? width / node[k].length : width, font));
  if (typeof node.width === "number") node.width = Math.max(120, Math.min(node.width, Math.floor(width - AROUND_WIDTH * font)));
}

/**
 * `spec` with the shared config, one log-axis notation, and (given a width) panels wrapped and
 * sized to fit it; in presentation mode panels are scaled up (up to 2.5x) to fill the space.
 * The input is not modified.
 */
export function styleFigure(spec: Spec, layout: FigureLayout = {}): Spec {
  const out: Spec = JSON.parse(JSON.stringify(spec));
  const presentation = layout.presentation ?? false;
  // the style's sizes win over a spec's own config (which sets the font family and colours)
  out.config = merge(out.config ?? {}, figureConfig(presentation));
  logAxisFormat(out);
  if (layout.width === undefined) return out;
  const font = fontOf(presentation);
  const natural = size(out, 1, font);
  let scale = 1;
  if (presentation) {
    const byWidth = layout.width / natural.width;
    const byHeight = layout.height ? layout.height / natural.height : byWidth;
    scale = Math.max(1, Math.min(2.5, byWidth, byHeight) * 0.97);
  }
  wrapRows(out, layout.width, scale, font);
  if (scale !== 1) scalePanels(out, scale);
  narrow(out, layout.width, font);
  return out;
}
