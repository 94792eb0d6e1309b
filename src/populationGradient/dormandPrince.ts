// Output times and tolerances of the host-side flows (population gradient flow, the reduced 2-D
// system), validated; the integrator itself is src/numerics/dormandPrince.ts.
import * as check from "../core/validate";

/** Output times and tolerances of a flow (times, or tMax with samples; rtol, atol, maxSteps), validated. */
export function resolveFlowSampling(
  o: { times?: ArrayLike<number>; tMax?: number; samples?: number; rtol?: number; atol?: number; maxSteps?: number },
  defaultSamples: number,
): { times: number[]; rtol: number; atol: number; maxSteps: number } {
  let times: number[];
  if (o.times !== undefined) {
    times = check.vector("times", o.times, o.times.length);
    if (times.length < 2 || times.some((x, i) => x < 0 || (i > 0 && !(x > times[i - 1])))) throw new RangeError(`times must be >= 2 ascending values >= 0; got ${JSON.stringify(times.slice(0, 8))}`);
  } else {
    const tMax = o.tMax === undefined ? 50 : check.number("tMax", o.tMax, { min: 0, minExclusive: true });
    const samples = o.samples === undefined ? defaultSamples : check.number("samples", o.samples, { min: 2, max: 1e6, integer: true });
    times = Array.from({ length: samples }, (_, s) => (tMax * s) / (samples - 1));
  }
  const rtol = o.rtol === undefined ? 1e-10 : check.number("rtol", o.rtol, { min: 1e-15, max: 1 });
  const atol = o.atol === undefined ? 1e-12 : check.number("atol", o.atol, { min: 0, minExclusive: true });
  const maxSteps = o.maxSteps === undefined ? 1e6 : check.number("maxSteps", o.maxSteps, { min: 1, integer: true });
  return { times, rtol, atol, maxSteps };
}
