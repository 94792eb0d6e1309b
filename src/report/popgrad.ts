// Figures ([T] Fig. 8: the reduced 2-D vector field as arrows of equal length, colour log10 of the
// speed, trajectories, critical points by type; [T] Fig. 7) and printed rows of the population
// gradient results, shared by `scm popgrad` and the web page. Runtime-neutral (Vega-Lite specs).
import { symmetricCriticalPoints, symmetricDynamics, symmetricVectorField, type CriticalPoint, type SampledGradientCheck, type SymmetricTrajectory } from "../api";
import { formatVerified } from "../text/digits";
import { checkOption } from "../options/check";
import { withControl } from "../text/progress";
import type { RunControl } from "../core/control";
import * as P from "../options/catalog/populationGradient";
import { DEFAULT_STARTS } from "../options/catalog/populationGradient";

export { DEFAULT_STARTS };

export interface PopgradRun {
  K: number;
  criticalPoints: CriticalPoint[];
  trajectories: { start: [number, number]; trajectory: SymmetricTrajectory }[];
  field: ReturnType<typeof symmetricVectorField>;
  xRange: [number, number];
  yRange: [number, number];
}

/**
 * Critical points, trajectories from `starts` (401 samples each) and the field on a grid x grid
 * window. Every option is checked (by its declaration) before any work. RunControl fields are
 * handed to each API call; progress is reported per part (critical points, each trajectory, field).
 */
export function popgradRun(o: { K: number; starts: [number, number][]; tMax: number; xRange: [number, number]; yRange: [number, number]; grid: number } & RunControl): PopgradRun {
  checkOption(P.popgradK, o.K);
  checkOption(P.starts, o.starts);
  checkOption(P.tMax, o.tMax);
  checkOption(P.xRange, o.xRange);
  checkOption(P.yRange, o.yRange);
  checkOption(P.grid, o.grid);
  const { onProgress, signal, maxWork, workLimitAction } = o;
  const control = { signal, maxWork, workLimitAction };
  const total = o.starts.length + 2;
  let done = 0;
  const part = () => {
    done++;
    onProgress?.({ label: "population gradient", done, total, unit: "parts", fraction: done / total, remainingSeconds: null });
  };
  const criticalPoints = symmetricCriticalPoints(withControl({ K: o.K }, control));
  part();
  const trajectories = o.starts.map((s) => {
    const trajectory = symmetricDynamics(withControl({ K: o.K, x0: s[0], y0: s[1], tMax: o.tMax, samples: 401 }, control));
    part();
    return { start: s, trajectory };
  });
  const field = symmetricVectorField(withControl({ K: o.K, xRange: o.xRange, yRange: o.yRange, n: o.grid }, control));
  part();
  return { K: o.K, criticalPoints, trajectories, field, xRange: o.xRange, yRange: o.yRange };
}

/** The JSON of `scm popgrad --format json`: K, criticalPoints, trajectories, field (every sample). */
export function popgradJson(r: PopgradRun): string {
  const { K, criticalPoints, trajectories, field } = r;
  return JSON.stringify({
    K, criticalPoints,
    trajectories: trajectories.map(({ start, trajectory: t }) => ({ start, t: Array.from(t.t), x: Array.from(t.x), y: Array.from(t.y), loss: Array.from(t.loss), status: t.status, message: t.message, stats: t.stats })),
    field: { x: Array.from(field.x), y: Array.from(field.y), dx: Array.from(field.dx), dy: Array.from(field.dy) },
  }) + "\n";
}

/** The CSV of `scm popgrad --format csv`: the trajectories, one row per sample. */
export function popgradCsv(r: PopgradRun): string {
  const lines = ["x0,y0,t,x,y,loss"];
  for (const { start, trajectory: t } of r.trajectories) t.t.forEach((tt, s) => lines.push([start[0], start[1], tt, t.x[s], t.y[s], t.loss[s]].join(",")));
  return lines.join("\n") + "\n";
}

/** [x, y, type, loss, residual, full space]: coordinates to the digits residual / smallest |eigenvalue| supports (at most 10). */
export function criticalPointRows(r: PopgradRun): string[][] {
  const K = r.K;
  return r.criticalPoints.map((p) => {
    const lam = Math.min(...p.eigenvalues.map((e) => Math.hypot(e.re, e.im)));
    const err = Math.max(p.residual / Math.max(lam, 1e-300), 1e-15);
    // J is a sum of ~(2K)^2 O(1) kernel terms: absolute rounding ~ K^2 1e-16
    return [formatVerified(p.x, err, 10), formatVerified(p.y, err, 10), p.type, formatVerified(p.loss, 1e-15 * K * K, 6), p.residual.toExponential(1), `${p.fullSpace.type} (${p.fullSpace.smallestEigenvalue.toPrecision(3)})`];
  });
}

/** [start, t, x, y, loss, status] where each trajectory ends (integrated to rtol 1e-10, atol 1e-12: 1e-8 absolute trusted). */
export function trajectoryRows(r: PopgradRun): string[][] {
  return r.trajectories.map(({ start, trajectory: t }) => {
    const n = t.t.length - 1;
    return [`(${start[0]}, ${start[1]})`, t.t[n].toPrecision(4), formatVerified(t.x[n], 1e-8, 6), formatVerified(t.y[n], 1e-8, 6), formatVerified(t.loss[n], Math.max(1e-8, 1e-15 * r.K * r.K), 4), t.status];
  });
}

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
