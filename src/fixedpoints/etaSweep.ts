// etaSweep(): learning curves eps_g(alpha) for a list of learning rates ([E] Fig. 2a).
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, type Estimate } from "../work/estimates";
import { checkOption } from "../options/check";
import { learningRates as learningRatesSpec } from "../options/catalog/learning";
import { resolveOdeOptions } from "../online/options";
import { maxHermiteOrder } from "../averages/index";
import { integrate, odeEstimate, type OdeResult } from "../online/integrate";
import type { IntegrateOptions } from "../online/options";

/** Options of integrate() with a list of learning rates instead of one. */
export interface EtaSweepOptions extends Omit<IntegrateOptions, "learningRate" | "eta"> {
  /** Learning rates (each > 0). */
  learningRates: ArrayLike<number>;
}

/** One learning curve per learning rate. */
export interface EtaSweepResult {
  learningRates: number[];
  /** One integrate() result per learning rate (a diverging curve stops with status "diverged"). */
  curves: OdeResult[];
  stats: { wallTimeMs: number };
}

function resolveSweep(options: EtaSweepOptions) {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object with learningRates; got ${options === null ? "null" : typeof options}`);
  const list = checkOption<number[]>(learningRatesSpec, options.learningRates);
  const { learningRates: _, onProgress: _p, signal: _s, maxWork: _m, workLimitAction: _w, ...rest } = options as EtaSweepOptions & RunControl;
  const resolved = list.map((eta) => resolveOdeOptions({ ...rest, learningRate: eta }, maxHermiteOrder()));
  return { list, rest, resolved };
}

/** Work of etaSweep(): the sum of its trajectories. */
export function etaSweepEstimate(options: EtaSweepOptions): Estimate {
  return estimateOf(resolveSweep(options).resolved);
}

function estimateOf(resolved: ReturnType<typeof resolveSweep>["resolved"]): Estimate {
  const parts = resolved.map(odeEstimate);
  const seconds = parts.reduce((s, e) => s + e.seconds, 0);
  return estimate(seconds, Math.max(...parts.map((e) => e.memoryBytes)) + parts.reduce((s, e) => s + e.memoryBytes, 0) / 2, `${parts.length} trajectories, the first: ${parts[0].detail}`, ["learningRates", ...parts[0].drivers], parts[0].unitSeconds, parts[0].firstChunkSeconds);
}

/** The ODE at each learning rate; RunControl as integrate() (progress per curve, "truncate": the curves that fit). */
export function etaSweep(options: EtaSweepOptions & RunControl): EtaSweepResult {
  const { list, rest, resolved } = resolveSweep(options);
  const t0 = typeof performance !== "undefined" ? performance.now() : Date.now();
  const control = resolveControl(options);
  const est = estimateOf(resolved);
  const budget = new WorkBudget("etaSweep", est, control, est.firstChunkSeconds);
  const curves: OdeResult[] = [];
  for (let i = 0; i < list.length; i++) {
    if (budget.truncating && budget.remaining < odeEstimate(resolved[i]).firstChunkSeconds) break;
    const c = integrate({ ...rest, learningRate: list[i], signal: control.signal, maxWork: budget.truncating ? budget.remaining : Infinity, workLimitAction: control.workLimitAction });
    budget.charge(odeEstimate(resolved[i]).seconds);
    curves.push(c);
    budget.step("learning rates", i + 1, list.length, "trajectories");
    if (c.status === "max-work") break;
  }
  return { learningRates: list.slice(0, curves.length), curves, stats: { wallTimeMs: (typeof performance !== "undefined" ? performance.now() : Date.now()) - t0 } };
}
