// `scm popgrad`: the symmetric reduction of the population gradient flow of a two-layer ReLU
// network ([T] Theorem 7, docs/theory.md section 7): critical points, trajectories, vector field.
// `scm popgrad-check`: the closed-form population gradient against sampled estimates ([T] Fig. 7).
import { sampledGradientCheck } from "../index";
import { criticalPointRows, popgradCsv, popgradJson, popgradRun, trajectoryRows, type PopgradRun } from "../report/popgrad";
import type { Context } from "./context";

export type { PopgradRun };

export async function runPopgrad(ctx: Context): Promise<number> {
  const K = ctx.get<number>("K");
  const plot = ctx.given<string>("plot");
  const run = popgradRun({ K, starts: ctx.get("starts"), tMax: ctx.get("tMax"), xRange: ctx.get("xRange"), yRange: ctx.get("yRange"), grid: ctx.get("grid"), ...ctx.control("population gradient", "parts") });
  const render = (f: string) => {
    if (f === "json") return popgradJson(run);
    if (f === "csv") return popgradCsv(run);
    const cp = criticalPointRows(run);
    const table = (header: string[], rows: string[][]) => {
      const width = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
      const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
      return [line(header), ...rows.map(line)].join("\n");
    };
    const tr = trajectoryRows(run);
    return `# critical points of the reduced flow, K = ${K} (origin excluded: singular)\n` + table(["x", "y", "type (2-D)", "loss", "residual", "full space (min Hessian eigenvalue)"], cp) + "\n\n" +
      `# trajectories (adaptive Dormand-Prince, rtol 1e-10)\n` + table(["start", "t", "x", "y", "loss", "status"], tr) + "\n";
  };
  ctx.emit(render);
  if (plot) {
    const { popgradSvg } = await import("./popgradPlot");
    ctx.writeFile("plot", plot, await popgradSvg(run));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  return 0;
}

export async function runPopgradCheck(ctx: Context): Promise<number> {
  const nAngles = ctx.get<number>("angles");
  const plot = ctx.given<string>("plot");
  const r = sampledGradientCheck({
    angles: Array.from({ length: nAngles }, (_, a) => (Math.PI * a) / nAngles),
    ...ctx.pick(["d", "N", "trials", "seed"]), ...ctx.control("sampled estimates"),
  });
  const render = (f: string) => {
    if (f === "json") return JSON.stringify({ angles: Array.from(r.angles), N: r.N, relativeRmsError: r.relativeRmsError.map((v) => Array.from(v)), predictedRelativeRmsError: r.predictedRelativeRmsError.map((v) => Array.from(v)), options: r.options, stats: r.stats }) + "\n";
    const lines: string[] = [];
    if (f === "csv") {
      lines.push("N,angle,relativeRmsError,predicted");
      r.N.forEach((N, n) => r.angles.forEach((a, k) => lines.push([N, a, r.relativeRmsError[n][k], r.predictedRelativeRmsError[n][k]].join(","))));
      return lines.join("\n") + "\n";
    }
    const header = ["angle", ...r.N.map((N) => `N=${N}`), ...r.N.map((N) => `expected N=${N}`)];
    const rows = Array.from(r.angles, (a, k) => [a.toFixed(4), ...r.N.map((_, n) => r.relativeRmsError[n][k].toPrecision(3)), ...r.N.map((_, n) => r.predictedRelativeRmsError[n][k].toPrecision(3))]);
    const width = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
    const line = (c: string[]) => c.map((x, j) => x.padStart(width[j])).join("  ");
    return `# relative RMS error of ${r.options.trials} sampled estimates of Fbar(e, w), d = ${r.options.d}, seed ${r.options.seed}\n` + [line(header), ...rows.map(line)].join("\n") + "\n";
  };
  ctx.emit(render);
  if (plot) {
    const { sampledCheckSvg } = await import("./popgradPlot");
    ctx.writeFile("plot", plot, await sampledCheckSvg(r));
    ctx.io.stderr(`wrote ${plot}\n`);
  }
  return 0;
}
