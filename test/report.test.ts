// The printed digits of src/report (shared by the CLI and the web page), against rules worked out by hand.
import { describe, expect, it } from "vitest";
import { regimeRows, thresholdDigits } from "../src/report/fixedPoints";
import type { RegimesResult, Threshold } from "../src/api";

const threshold = (value: number, bracket: [number, number] | null, accuracy: number | null = null): Threshold =>
  ({ value, bracket, accuracy, definition: "d", method: "m", message: "", evaluations: 0, wallTimeMs: 0 });

describe("thresholds are printed no finer than their bracket", () => {
  it("a bracket of width 6e-8 around 1.21732685 leaves 7 decimals (1.2173268), not 8", () => {
    // the threshold is anywhere in [1.21732682, 1.21732688]: the 8th decimal is not fixed
    const t = threshold(1.2173268496990204, [1.217326819896698, 1.2173268795013428]);
    expect(thresholdDigits(t)).toBe(8);
    expect(t.value!.toPrecision(thresholdDigits(t))).toBe("1.2173268");
  });
  it("a width of exactly 1e-4 leaves 4 decimals; the accuracy widens it when larger", () => {
    expect(thresholdDigits(threshold(1.25, [1.24995, 1.25005]))).toBe(5);
    expect(thresholdDigits(threshold(1.2679485, [1.26794850, 1.26794856], 5e-5))).toBe(5); // 1.2679
  });
  it("rows: value none when no threshold exists, bracket '-'", () => {
    const r = { etaNonmonotonic: { ...threshold(0, null), value: null }, etaFold: null, etaDivergence: null, etaPerfectStable: null } as unknown as RegimesResult;
    expect(regimeRows(r)).toEqual([["etaNonmonotonic", "none", "-", "d"]]);
  });
});
