// etaSweep(): learning curves eps_g(alpha) for a list of learning rates ([E] Fig. 2a).
import { checkOption } from "../options/check";
import { learningRates as learningRatesSpec } from "../options/catalog/learning";
import { resolveOdeOptions } from "../online/options";
import { maxHermiteOrder } from "../averages/index";
import { integrate, type OdeResult } from "../online/integrate";
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

/** Learning curves for several learning rates ([E] Fig. 2a). */
export function etaSweep(options: EtaSweepOptions): EtaSweepResult {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object with learningRates; got ${options === null ? "null" : typeof options}`);
  const list = checkOption<number[]>(learningRatesSpec, options.learningRates);
  const t0 = typeof performance !== "undefined" ? performance.now() : Date.now();
  const { learningRates: _, ...rest } = options;
  // every option checked before the first curve runs
  resolveOdeOptions({ ...rest, learningRate: list[0] }, maxHermiteOrder());
  const curves = list.map((eta) => integrate({ ...rest, learningRate: eta }));
  return { learningRates: list, curves, stats: { wallTimeMs: (typeof performance !== "undefined" ? performance.now() : Date.now()) - t0 } };
}
