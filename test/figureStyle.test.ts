// The shared figure style (src/report/figureStyle.ts): panels that do not fit the width wrap into
// columns (and only then), presentation mode has no font below 18 px and scales panels up, log
// axes get one notation, and the CLI's text metrics (src/cli/svg.ts) match Helvetica's widths.
import { describe, expect, it } from "vitest";
import { FIGURE_STYLES, figureConfig, styleFigure } from "../src/report/figureStyle";
import { textWidth } from "../src/cli/svg";

const panel = (log = false) => ({
  width: 240, height: 200, mark: "line",
  encoding: { x: { field: "alpha", type: "quantitative" }, y: { field: "v", type: "quantitative", scale: log ? { type: "log" } : { zero: false } } },
});
const three = () => ({ title: "t", hconcat: [panel(), panel(), panel(true)], config: { font: "sans-serif" } });

describe("styleFigure", () => {
  it("keeps a row that fits and wraps one that does not, into as many columns as fit", () => {
    // a panel needs 240 + 6.5 x 13 = 324.5 px (plot area plus axes): 3 fit in 1000 px, 2 in 700, 1 in 400
    expect(styleFigure(three(), { width: 1000 }).hconcat).toHaveLength(3);
    const two = styleFigure(three(), { width: 700 });
    expect(two.hconcat).toBeUndefined();
    expect(two.concat).toHaveLength(3);
    expect(two.columns).toBe(2);
    expect(styleFigure(three(), { width: 400 }).columns).toBe(1);
  });
  it("narrows a single panel wider than the space", () => {
    const s = styleFigure({ ...panel(), width: 900 }, { width: 500 });
    expect(s.width).toBe(Math.floor(500 - 6.5 * 13));
  });
  it("presentation: every font size >= 18 px, thicker lines, panels scaled to the screen", () => {
    const c = figureConfig(true);
    const sizes = [c.axis.labelFontSize, c.axis.titleFontSize, c.legend.labelFontSize, c.legend.titleFontSize, c.title.fontSize, c.title.subtitleFontSize, c.header.labelFontSize, c.text.fontSize];
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(18);
    expect(Math.min(...Object.values(figureConfig(false).axis).filter((x): x is number => typeof x === "number"))).toBeLessThan(18);
    expect(c.line.strokeWidth).toBe(FIGURE_STYLES.presentation.strokeWidth);
    const s = styleFigure(three(), { width: 1900, height: 900, presentation: true });
    // 1900 / (3 x (240 + 6.5 x 20)) = 1.71, within the height's 900 / (200 + 7.5 x 20) = 2.57: x 1.71 x 0.97
    expect(s.hconcat[0].width).toBe(Math.round(240 * 1900 / (3 * (240 + 130)) * 0.97));
    expect(s.config.axis.labelFontSize).toBe(18);
    expect(s.config.font).toBe("sans-serif"); // the spec's own config is kept
  });
  it("log axes: labels in exponent notation at powers of ten; linear axes untouched; the input is not modified", () => {
    const input = three();
    const s = styleFigure(input);
    expect(s.hconcat[2].encoding.y.axis.format).toBe("~e");
    expect(s.hconcat[2].encoding.y.axis.labelExpr).toMatch(/round\(log\(datum.value\) \/ LN10\)/);
    expect(s.hconcat[0].encoding.y.axis).toBeUndefined();
    expect(input.hconcat[2].encoding.y).not.toHaveProperty("axis");
    const own = { ...panel(true), encoding: { ...panel(true).encoding, y: { ...panel(true).encoding.y, axis: { format: ".1f" } } } };
    expect(styleFigure(own).encoding.y.axis).toEqual({ format: ".1f" });
  });
});

describe("CLI text metrics", () => {
  it("Helvetica advance widths (AFM): 'Hello, world' is 5.223 em; other characters a digit's width; 5 % margin", () => {
    // H 722 e 556 l 222 l 222 o 556 , 278 space 278 w 722 o 556 r 333 l 222 d 556 = 5223 / 1000 em
    expect(textWidth("Hello, world", 10)).toBeCloseTo(5.223 * 10 * 1.05, 10);
    expect(textWidth("α", 20)).toBeCloseTo(0.58 * 20 * 1.05, 10);
    // the estimate it replaces (Vega without a canvas) is 0.8 em per character: 1.5x too wide here
    expect((0.8 * 12 * 10) / textWidth("Hello, world", 10)).toBeGreaterThan(1.5);
  });
});
