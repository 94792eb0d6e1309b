// Figures as SVG files without a browser: Vega renders with renderer "none", which has no canvas
// to measure text and estimates every character as 0.8 em wide, about 1.5x the real width of a
// sans-serif font, so layouts with long titles or legends got wide dead margins (17 % on the
// right of figure1.svg). Here text is measured with Helvetica's character widths (the metrics of
// the PostScript core font; Arial and Liberation Sans share them), 5 % wider for viewers whose
// sans-serif is DejaVu Sans, and the figure gets the shared style (src/report/figureStyle.ts).
import { styleFigure } from "../report/figureStyle";

/** Helvetica advance widths, 1/1000 em, of the printable ASCII characters 32..126. */
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/** Other characters (Greek letters, subscripts, ±, →): about a digit's width. */
const OTHER = 580;
const VIEWER_MARGIN = 1.05;

/** Width in px of `text` in a sans-serif font of `size` px. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 32 && c <= 126 ? HELVETICA[c - 32] : OTHER;
  }
  return (w / 1000) * size * VIEWER_MARGIN;
}

type Item = { text?: unknown; fontSize?: number; limit?: number };

/** SVG text of a Vega-Lite specification, in the shared style, text measured as above. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  // textMetrics is exported by vega (from vega-scenegraph) but missing from its type declarations
  const metrics = (vega as unknown as { textMetrics: { width: (item: Item, text?: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const s = text == null ? "" : String(text).trim();
    return textWidth(s, item.fontSize != null ? +item.fontSize || 0 : 11);
  };
  const compiled = vegaLite.compile(styleFigure(spec) as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
