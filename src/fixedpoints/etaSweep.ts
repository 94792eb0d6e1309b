// etaSweep(): learning curves eps_g(alpha) for a list of learning rates ([E] Fig. 2a).
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
  const lr = options.learningRates;
  if (!Array.isArray(lr) && !ArrayBuffer.isView(lr)) throw new TypeError(`learningRates must be an array of numbers > 0; got ${JSON.stringify(lr)}`);
  const list = Array.from(lr as ArrayLike<number>);
  if (list.length === 0) throw new RangeError("learningRates must contain at least one learning rate");
  const t0 = typeof performance !== "undefined" ? performance.now() : Date.now();
  const { learningRates: _, ...rest } = options;
  const curves = list.map((eta, i) => {
    if (typeof eta !== "number" || !(eta > 0) || !Number.isFinite(eta)) throw new RangeError(`learningRates[${i}] must be a finite number > 0; got ${eta}`);
    return integrate({ ...rest, learningRate: eta });
  });
  return { learningRates: list, curves, stats: { wallTimeMs: (typeof performance !== "undefined" ? performance.now() : Date.now()) - t0 } };
}
