// Renderings of equilibrium() results shared by `scm equilibrium` and the web page: the JSON and
// CSV of `--format json|csv` and the Vega-Lite figure of `--plot` (R, S, C and eps_g against alpha
// per branch, as in [O]). Runtime-neutral (no Node APIs).
import type { EquilibriumResult } from "../equilibrium/equilibrium";

/** Plain data of a result (typed arrays become arrays): `scm equilibrium --format json`. */
export function equilibriumData(r: EquilibriumResult) {
  return { activation: r.activation, K: r.K, alpha: Array.from(r.alpha), branches: r.branches, global: Array.from(r.global), siteSymmetryChecked: r.siteSymmetryChecked, stats: r.stats };
}

export function equilibriumJson(r: EquilibriumResult): string {
  return JSON.stringify(equilibriumData(r));
}

/** One row per alpha, columns <label><index>_<R|S|C|eg|freeEnergy>, empty where a branch does not exist. */
export function equilibriumCsv(r: EquilibriumResult): string {
  const head = ["alpha", ...r.branches.flatMap((b, j) => ["R", "S", "C", "eg", "freeEnergy"].map((k) => `${b.label}${j}_${k}`))];
  const lines = [head.join(",")];
  r.alpha.forEach((a, i) => lines.push([a, ...r.branches.flatMap((b) => [b.R[i], b.S[i], b.C[i], b.eg[i], b.freeEnergy[i]].map((x) => (x === null ? "" : String(x))))].join(",")));
  return lines.join("\n") + "\n";
}

/** A vertical rule drawn across every panel (e.g. a characteristic alpha of transitions()). */
export interface AlphaMark {
  alpha: number;
  name: string;
}

/** The figures of [O]: one panel each for R, S, C and eps_g against alpha, a line per branch. */
export function equilibriumSpec(r: EquilibriumResult, marks: readonly AlphaMark[] = []): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  r.branches.forEach((b, j) => {
    r.alpha.forEach((a, i) => {
      if (b.R[i] === null) return;
      const series = `${b.label} #${j}`;
      for (const [q, v] of [["R", b.R[i]], ["S", b.S[i]], ["C", b.C[i]], ["ε_g", b.eg[i]]] as const) rows.push({ alpha: a, q, v, series, global: r.global[i] === j });
    });
  });
  // marks outside the alpha range would stretch the axis: only those inside are drawn
  const lo = r.alpha[0], hi = r.alpha[r.alpha.length - 1];
  const shown = marks.filter((m) => m.alpha >= lo && m.alpha <= hi);
  const x = { field: "alpha", type: "quantitative", title: "α" };
  const panel = (q: string) => ({
    width: 240, height: 200,
    transform: [{ filter: `datum.q == '${q}'` }],
    layer: [
      { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "v", type: "quantitative", title: q, scale: { zero: false } }, color: { field: "series", type: "nominal", title: null, legend: { orient: "top" } } } },
      { transform: [{ filter: "datum.global" }], mark: { type: "line", strokeWidth: 4, opacity: 0.25, color: "black" }, encoding: { x: { field: "alpha", type: "quantitative" }, y: { field: "v", type: "quantitative" }, detail: { field: "series" } } },
      ...(shown.length ? [{ data: { values: shown }, mark: { type: "rule", strokeDash: [2, 3], color: "#666" }, encoding: { x, tooltip: [{ field: "name" }, { field: "alpha", format: ".6g" }] } }] : []),
    ],
  });
  const subtitle = ["every local minimum of beta f per branch; grey band: the global minimum", shown.length ? `dotted: ${shown.map((m) => m.name).join(", ")}` : ""].filter(Boolean).join("; ");
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Equilibrium learning curves, ${r.activation}, K = ${r.K}`, subtitle },
    data: { values: rows },
    hconcat: ["R", "S", "C", "ε_g"].map(panel),
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}
