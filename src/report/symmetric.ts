// Figures (Vega-Lite specs) and data files of the site-symmetric results (docs/theory.md
// section 11): learning-rate limits against K, and a site-symmetric trajectory. Runtime-neutral:
// the CLI renders the specs to SVG, the web page with vega-embed.
import type { EtaLimitsResult, SymmetricOdeResult } from "../api";
import { CONFIG, SCHEMA } from "./fixedPoints";

const num = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));

/** eta limits against K (log-log), and the largest escape rate against K, for one or more activations. */
export function etaLimitsSpec(results: EtaLimitsResult[]): Record<string, unknown> {
  const etas: Record<string, unknown>[] = [], rates: Record<string, unknown>[] = [];
  for (const r of results) {
    const act = r.options.activation === r.options.teacherActivation ? r.options.activation : `${r.options.activation}/${r.options.teacherActivation}`;
    for (const row of r.rows) {
      if (row.etaPerfectStable) etas.push({ K: row.K, value: row.etaPerfectStable, series: `perfect learning stable below (${act})` });
      if (row.etaOptimalEscape) etas.push({ K: row.K, value: row.etaOptimalEscape, series: `fastest plateau escape (${act})` });
      if (row.maxEscapeRate) rates.push({ K: row.K, value: row.maxEscapeRate, series: `largest escape rate (${act})` });
    }
  }
  const panel = (rows: Record<string, unknown>[], title: string) => ({
    width: 320, height: 260,
    data: { values: rows },
    mark: { type: "line", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "K", type: "quantitative", title: "K (= M)", scale: { type: "log" } },
      y: { field: "value", type: "quantitative", title, scale: { type: "log" } },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
    },
  });
  return {
    $schema: SCHEMA,
    title: { text: "Learning-rate limits of the site-symmetric soft committee machine against K", subtitle: "K = M, T = I, unit output weights; full ODE's Jacobian block by block in the irreducible representations of S_K" },
    hconcat: [panel(etas, "learning rate η"), panel(rates, "escape rate λ (per unit α)")],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}

export function etaLimitsJson(r: EtaLimitsResult): string {
  return JSON.stringify(r, null, 1);
}

export function etaLimitsCsv(r: EtaLimitsResult): string {
  const head = "K,etaPerfectStable,perfectStableLow,perfectStableHigh,lostIn,crossing,etaOptimalEscape,maxEscapeRate,plateauQ,plateauC,plateauR,plateauS,plateauEg";
  const lines = r.rows.map((x) => [
    x.K, num(x.etaPerfectStable), num(x.perfectBracket?.[0]), num(x.perfectBracket?.[1]), x.perfectLostIn?.partition ?? "", x.perfectLostIn?.crossing ?? "",
    num(x.etaOptimalEscape), num(x.maxEscapeRate), num(x.plateauAtOptimum?.Q), num(x.plateauAtOptimum?.C), num(x.plateauAtOptimum?.R), num(x.plateauAtOptimum?.S), num(x.plateauAtOptimum?.eg),
  ].join(","));
  return [head, ...lines].join("\n") + "\n";
}

/** Q, C, R, S and eps_g against alpha. */
export function symmetricTrajectorySpec(r: SymmetricOdeResult): Record<string, unknown> {
  const op: Record<string, unknown>[] = [], eg: Record<string, unknown>[] = [];
  r.alpha.forEach((a, s) => {
    op.push({ alpha: a, s, series: "Q (Q_ii)", value: r.Q[s] }, { alpha: a, s, series: "C (Q_ik)", value: r.C[s] }, { alpha: a, s, series: "R (R_ii)", value: r.R[s] }, { alpha: a, s, series: "S (R_in)", value: r.S[s] });
    if (r.eg[s] > 0) eg.push({ alpha: a, s, series: "ε_g", value: r.eg[s] });
  });
  const panel = (rows: Record<string, unknown>[], title: string, log: boolean) => ({
    width: 320, height: 240, data: { values: rows }, mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "alpha", type: "quantitative", title: "α" },
      y: { field: "value", type: "quantitative", title, scale: log ? { type: "log" } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "top" } },
      order: { field: "s" },
    },
  });
  const o = r.options;
  return {
    $schema: SCHEMA,
    title: { text: `Site-symmetric ODE, K = M = ${o.K}`, subtitle: `${o.activation}${o.teacherActivation !== o.activation ? "/" + o.teacherActivation : ""}, η = ${o.learningRate}, T = ${o.T} I, v = ${o.v}, v* = ${o.vStar}` },
    hconcat: [panel(op, "order parameters", false), panel(eg, "ε_g", true)],
    resolve: { scale: { color: "independent" } },
    config: CONFIG,
  };
}
