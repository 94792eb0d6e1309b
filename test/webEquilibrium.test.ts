// The web page's equilibrium view outside the browser: invalid input is reported at the field that
// caused it, the alpha grid is the one typed, and every digit printed for alpha_s, alpha_c and
// alpha_inst is confirmed independently: one unit of the last printed digit below and above the
// printed value, equilibrium() (multistart + continuation, not the root finders of transitions())
// finds the defining change (a minimum appears, the global minimum changes label, one disappears).
import { describe, expect, it } from "vitest";
import { equilibriumOptions, equilibriumView as view, formatAlpha } from "../src/web/views/equilibrium";
import { FieldError, type Values } from "../src/web/view";
import { equilibrium, transitions } from "./helpers";

const defaults: Values = Object.fromEntries(view.fields.map((f) => [f.id, f.value]));
async function reported(values: Values): Promise<{ field: string | undefined; message: string }> {
  try {
    // the option checks run before any minimisation: only the options are resolved here
    equilibriumOptions(view.parse(values));
  } catch (e) {
    if (e instanceof FieldError) return { field: e.field, message: e.message };
    throw e;
  }
  return { field: undefined, message: "(accepted)" };
}

describe("equilibrium view: parsing and invalid input", () => {
  it("defaults are `scm equilibrium --K 2 --alpha-max 12 --samples 121` (relu)", () => {
    expect(equilibriumOptions(view.parse(defaults))).toEqual({ activation: "relu", K: 2, alphaMax: 12, samples: 121 });
  });
  it("an alpha range not starting at 0: the grid runs exactly from alpha min to alpha max, evenly", () => {
    const o = equilibriumOptions(view.parse({ ...defaults, alphaMin: "0.1", alphaMax: "0.3", samples: "3" }));
    expect(o.alphas).toEqual([0.1, 0.2, 0.3]);
  });
  const cases: [string, Values, RegExp][] = [
    ["K", { K: "two" }, /^must be an integer >= 1 and <= 1e6; got "two"$/],
    ["K", { K: "2.5" }, /^must be an integer >= 1 and <= 1e6; got "2.5"$/],
    ["K", { K: "0" }, /^must be an integer >= 1 and <= 1e6; got 0$/],
    ["activation", { activation: "tanh" }, /^must be one of relu, sigmoid; got "tanh"$/],
    ["alphaMax", { alphaMax: "0" }, /^must be a finite number > 0; got 0$/],
    ["alphaMax", { alphaMax: "0", alphaMin: "1" }, /^must be a finite number > 0; got 0$/],
    ["samples", { samples: "1" }, /^must be an integer >= 2 and <= 100000; got 1$/],
    ["samples", { samples: "1", alphaMin: "1" }, /^must be an integer >= 2/],
    ["alphaMin", { alphaMin: "-1" }, /^must be a finite number >= 0; got -1$/],
    ["alphaMin", { alphaMin: "12" }, /^must be below α max = 12; got 12$/],
    ["alphaMin", { alphaMin: "x" }, /finite number/],
  ];
  it.each(cases)("%s: %j", async (field, change, message) => {
    const r = await reported({ ...defaults, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  });
});

describe("equilibrium view: compute, table, figure", () => {
  it("small grid: the result is equilibrium() and transitions() of the same options; one partial first", async () => {
    const partials: unknown[] = [];
    const r = await view.compute(view.parse({ ...defaults, alphaMax: "8", samples: "5" }), { progress: () => {}, listener: () => () => {}, partial: (p) => partials.push(p) });
    expect(partials).toHaveLength(1);
    const node = equilibrium({ activation: "relu", K: 2, alphaMax: 8, samples: 5 });
    expect(r.equilibrium.branches.map((b) => b.R)).toEqual(node.branches.map((b) => b.R));
    expect(r.transitions!.alphaC).toBe(transitions({ activation: "relu", K: 2 }).alphaC);
    // the figure: one data row per existing (branch, alpha) and quantity, the transition as a rule
    const spec = view.figure(r) as { data: { values: unknown[] }; hconcat: { layer: { mark: { type: string } }[] }[] };
    const points = node.branches.reduce((n, b) => n + b.R.filter((x) => x !== null).length, 0);
    expect(spec.data.values).toHaveLength(4 * points);
    expect(spec.hconcat[0].layer.map((l) => l.mark.type)).toEqual(["line", "line", "rule"]);
  });
});

/** The printed value and one unit of its last digit. */
function printed(x: number, tol: number | null) {
  const text = formatAlpha(x, tol);
  const digits = text.replace(/e.*$/, "").replace(/^-?0\.0*|[-.]/g, "").length;
  const unit = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - digits + 1);
  return { text, value: Number(text), digits, unit };
}

const labelsAt = (act: "relu" | "sigmoid", K: number, alphas: number[]) => {
  const r = equilibrium({ activation: act, K, alphas, siteSymmetry: false });
  return { r, labels: alphas.map((_, i) => r.branches.filter((b) => b.R[i] !== null).map((b) => b.label)) };
};

describe("equilibrium view: every printed digit of the characteristic alphas holds", () => {
  it("sigmoid K = 3 (discontinuous): alpha_s, alpha_c, alpha_inst to 10 digits", () => {
    const t = transitions({ activation: "sigmoid", K: 3 });
    for (const key of ["alphaS", "alphaC", "alphaInst"] as const) {
      const p = printed(t[key]!, t.tolerances[key]);
      expect(p.digits, key).toBe(10); // tolerances 1e-13..1e-15 relative: capped at 10 digits
      expect(p.value).toBe(Number(t[key]!.toPrecision(10)));
      const lo = p.value - p.unit, hi = p.value + p.unit;
      if (key === "alphaS") {
        // a third point 1e-4 above lets continuation carry the specialised minimum down to hi
        const { labels } = labelsAt("sigmoid", 3, [lo, hi, p.value * (1 + 1e-4)]);
        expect(labels[0]).not.toContain("specialized");
        expect(labels[1]).toContain("specialized");
      } else if (key === "alphaC") {
        const { r } = labelsAt("sigmoid", 3, [lo, hi]);
        expect(r.branches[r.global[0]].label).toBe("unspecialized");
        expect(r.branches[r.global[1]].label).toBe("specialized");
      } else {
        const { labels } = labelsAt("sigmoid", 3, [lo, hi]);
        expect(labels[0]).toContain("unspecialized");
        expect(labels[1]).not.toContain("unspecialized");
      }
    }
  });
  it("relu K = 2 (continuous): alpha_c printed to 10 digits; R = S alone below, specialised above", () => {
    const t = transitions({ activation: "relu", K: 2 });
    const p = printed(t.alphaC!, t.tolerances.alphaC);
    expect(p.digits).toBe(10);
    const { labels } = labelsAt("relu", 2, [p.value - p.unit, p.value + p.unit]);
    expect(labels[0]).toEqual(["unspecialized"]);
    // for K = 2, R < S is the mirror image of R > S (the two student units swapped): either shows
    // that the R = S minimum has given way to a specialised one
    expect(labels[1].length).toBeGreaterThan(0);
    expect(labels[1]).not.toContain("unspecialized");
  });
  it("a coarser stated tolerance prints fewer digits; no tolerance prints no value", () => {
    expect(formatAlpha(6.283186052051526, 3.7e-10)).toBe("6.28318605"); // error 2.3e-9: 9 digits
    expect(formatAlpha(6.283186052051526, 1e-15)).toBe("6.283186052");
    expect(formatAlpha(null, null)).toBe("none");
    expect(formatAlpha(6.28, null)).toBe("unresolved");
  });
});
