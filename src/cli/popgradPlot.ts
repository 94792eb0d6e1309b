// Figure of `scm popgrad` ([T] Fig. 8): the reduced 2-D vector field as arrows of equal length
// (colour: log10 of the speed), trajectories, critical points by type.
import { renderSvg } from "./optimalLrPlot";
import type { SampledGradientCheck } from "../index";
import type { PopgradRun } from "./popgrad";

export function popgradSpec(r: PopgradRun): Record<string, unknown> {
  const [x0, x1] = r.xRange, [y0, y1] = r.yRange;
  const n = Math.round(Math.sqrt(r.field.x.length));
  const len = (0.4 * (x1 - x0)) / (n - 1); // equal scales on both axes (see width/height)
  const arrows: Record<string, number>[] = [];
  for (let s = 0; s < r.field.x.length; s++) {
    const dx = r.field.dx[s], dy = r.field.dy[s], m = Math.hypot(dx, dy);
    if (!(m > 0)) continue;
    const ux = dx / m, uy = dy / m;
    arrows.push({
      x: r.field.x[s] - ux * len, y: r.field.y[s] - uy * len, x2: r.field.x[s] + ux * len, y2: r.field.y[s] + uy * len,
      angle: (Math.atan2(ux, uy) * 180) / Math.PI, speed: Math.log10(m),
    });
  }
  const paths: Record<string, number | string>[] = [];
  r.trajectories.forEach(({ start, trajectory: t }, k) => {
    // every sample (the mark clips to the window): dropping outside points would draw false chords
    for (let s = 0; s < t.t.length; s++) paths.push({ x: t.x[s], y: t.y[s], order: s, run: `(${start[0]}, ${start[1]})`, k });
  });
  const points = r.criticalPoints.filter((p) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1).map((p): { x: number; y: number; type: string } => ({ x: p.x, y: p.y, type: p.type }));
  points.push({ x: 0, y: 0, type: "singular (origin)" });
  const width = 440, height = Math.round((width * (y1 - y0)) / (x1 - x0));
  const x = { field: "x", type: "quantitative", scale: { domain: [x0, x1], nice: false }, title: "x" };
  const y = { field: "y", type: "quantitative", scale: { domain: [y0, y1], nice: false }, title: "y" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `Population gradient flow on the symmetric subspace, K = ${r.K}`, subtitle: "w_j = x e_j + y Σ_{k≠j} e_k, teacher w*_j = e_j ([T] Thm. 7); arrows: direction of (dx/dt, dy/dt), colour: log10 speed" },
    width, height,
    layer: [
      { data: { values: arrows }, mark: { type: "rule", strokeWidth: 1, clip: true }, encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" }, color: { field: "speed", type: "quantitative", title: "log10 |v|", scale: { scheme: "greys", reverse: false } } } },
      { data: { values: arrows }, mark: { type: "point", shape: "triangle-up", filled: true, size: 14, clip: true }, encoding: { x: { ...x, field: "x2" }, y: { ...y, field: "y2" }, angle: { field: "angle", type: "quantitative", scale: { domain: [-180, 180], range: [-180, 180] } }, color: { field: "speed", type: "quantitative", legend: null, scale: { scheme: "greys" } } } },
      { data: { values: paths }, mark: { type: "line", strokeWidth: 2, clip: true }, encoding: { x, y, order: { field: "order", type: "quantitative" }, detail: { field: "k" }, stroke: { field: "run", type: "nominal", title: "start", legend: { orient: "right" } } } },
      { data: { values: points }, mark: { type: "point", filled: true, size: 90, stroke: "black", strokeWidth: 1 }, encoding: { x, y, shape: { field: "type", type: "nominal", title: "critical point", legend: { orient: "bottom-right", fillColor: "white" } }, fill: { field: "type", type: "nominal", title: "critical point", legend: { orient: "bottom-right", fillColor: "white" }, scale: { scheme: "set1" } } } },
    ],
    resolve: { scale: { color: "independent" } },
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

export function popgradSvg(r: PopgradRun): Promise<string> {
  return renderSvg(popgradSpec(r));
}

/** [T] Fig. 7: relative RMS error of sampled Fbar against the angle, one curve per N; dashed: expectation. */
export function sampledCheckSpec(r: SampledGradientCheck): Record<string, unknown> {
  const rows: Record<string, number | string>[] = [];
  r.N.forEach((N, n) => r.angles.forEach((a, k) => {
    rows.push({ angle: a, N: `N = ${N}`, error: r.relativeRmsError[n][k], source: "sampled" });
    rows.push({ angle: a, N: `N = ${N}`, error: r.predictedRelativeRmsError[n][k], source: "expected" });
  }));
  const enc = { x: { field: "angle", type: "quantitative", title: "angle θ between e and w (rad)" }, y: { field: "error", type: "quantitative", title: "relative RMS error", scale: { type: "log" } }, color: { field: "N", type: "nominal", title: null, sort: r.N.map((N) => `N = ${N}`), legend: { orient: "top" } } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Closed-form Fbar(e, w) against sampled estimates ([T] Fig. 7)", subtitle: `d = ${r.options.d}, ${r.options.trials} estimates per point, seed ${r.options.seed}; dots and solid: sampled, dashed: exact expectation` },
    width: 420, height: 280, data: { values: rows },
    layer: [
      { transform: [{ filter: "datum.source == 'sampled'" }], mark: { type: "line", point: true, strokeWidth: 1.5 }, encoding: enc },
      { transform: [{ filter: "datum.source == 'expected'" }], mark: { type: "line", strokeDash: [5, 4], strokeWidth: 1 }, encoding: enc },
    ],
    config: { font: "sans-serif", view: { stroke: "#888" } },
  };
}

export function sampledCheckSvg(r: SampledGradientCheck): Promise<string> {
  return renderSvg(sampledCheckSpec(r));
}
