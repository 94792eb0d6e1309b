// `scm ode` and `scm reference`: the order-parameter ODE of online SGD (docs/theory.md section 1).
import { integrate, type IntegrateOptions, type OdeResult } from "../index";
import { integrationErrorEstimate } from "../online/errorEstimate";
import { settingFromValues } from "../options/setting";
import { resultCsv, resultJson, resultTable, type Format } from "../text/odeTable";
import type { Context } from "./context";

/** The ODE options of integrate() that `scm ode` passes on (besides the setting). */
export const ODE_OPTIONS = ["learningRate", "learningRateSchedule", "etaMax", "alphaMax", "samples", "alphas", "method", "hermiteOrder", "averageTolerance", "integrator", "step", "rtol", "atol", "maxSteps", "divergenceBound", "convergenceTolerance"] as const;

/** integrate() options from the parsed values (the API applies defaults to what is not given). */
export function odeOptions(values: Record<string, unknown>): IntegrateOptions {
  const o: Record<string, unknown> = { ...settingFromValues(values) };
  for (const n of ODE_OPTIONS) if (values[n] !== undefined) o[n] = values[n];
  return o as IntegrateOptions;
}

export function renderOde(r: OdeResult, format: Format, opts: { every?: number; withErrors: boolean }): string {
  if (format === "json") return resultJson(r) + "\n";
  if (format === "csv") return resultCsv(r);
  let errors: ((s: number) => number[] | undefined) | undefined;
  let note = "";
  if (opts.withErrors && r.alpha.length > 0) {
    const est = integrationErrorEstimate(r);
    // eps_g past the first sample not confirmed to 10%: near a perfect student the averages'
    // rounding sets a floor (~1e-13..1e-12: the state is resolved to ~1e-14) that reruns can share,
    // so later agreement is no evidence
    let lastEg = -1;
    while (lastEg + 1 < est.eg.length && est.eg[lastEg + 1] < 0.1 * Math.abs(r.eg[lastEg + 1])) lastEg++;
    errors = (s) => {
      if (s >= est.eg.length) return undefined;
      const { K, M } = r.options;
      const v = [0, s <= lastEg ? est.eg[s] : NaN];
      for (let i = 0; i < K; i++) for (let k = i; k < K; k++) v.push(est.Q[s][i][k]);
      for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) v.push(est.R[s][i][n]);
      if (r.options.trainSecondLayer) for (let i = 0; i < K; i++) v.push(est.v[s][i]);
      if (r.options.noise > 0) v.push(v[1]);
      return v;
    };
    note = `# digits shown agree with the ${est.method}; "<x" means |value| below the error estimate; eps_g "unresolved" past the first sample not confirmed to 10%\n`;
  }
  return note + resultTable(r, { every: opts.every, errors });
}

export function runOde(ctx: Context): number {
  const options = odeOptions(ctx.args.values);
  const every = ctx.get<number>("every");
  const withErrors = ctx.get<boolean>("errorEstimate");
  const r = integrate({ ...options, ...ctx.control("ODE", "alpha") });
  // the table's digits need a half-step rerun: rendered once per format asked for
  const renders = new Map<Format, string>();
  ctx.emit((f) => renders.get(f) ?? renders.set(f, renderOde(r, f, { every, withErrors })).get(f)!);
  ctx.io.stderr(`status: ${r.status}: ${r.message} (${r.stats.steps} steps, ${r.stats.rhsEvaluations} right-hand sides, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  for (const w of r.warnings) ctx.io.stderr(`warning: ${w}\n`);
  return 0;
}

export function runReference(ctx: Context): number {
  const dir = ctx.get<string>("outDir");
  const r = integrate({ ...ctx.control("ODE", "alpha") } as IntegrateOptions);
  ctx.io.stdout(`Reference setting (relu, K = M = 2, eta = 1, exact averages, RK4, step 0.01)\n`);
  ctx.io.stdout(renderOde(r, "table", { every: 30, withErrors: true }));
  ctx.writeFile("outDir", `${dir}/reference.json`, renderOde(r, "json", { withErrors: false }));
  ctx.writeFile("outDir", `${dir}/reference.csv`, renderOde(r, "csv", { withErrors: false }));
  ctx.io.stderr(`status: ${r.status}: ${r.message} (${r.stats.steps} steps, ${r.stats.wallTimeMs.toFixed(0)} ms)\n`);
  ctx.io.stderr(`wrote ${dir}/reference.json and ${dir}/reference.csv (${r.alpha.length} samples, full precision)\n`);
  return r.status === "completed" ? 0 : 1;
}
