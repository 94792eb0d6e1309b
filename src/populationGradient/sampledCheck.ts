// [T] Figure 7: the closed form Fbar(e, w) against estimates from N sampled inputs,
// (1/N) sum_n x_n x_n^T 1(e.x_n > 0) 1(w.x_n > 0) w, as relative RMS error against the angle
// theta between e and w and against N. The expected value is known exactly: per sample
// s = x (w.x) 1(e.x > 0) 1(w.x > 0) has E|s|^2 = |w|^2 (d + 2)/pi * ((pi - theta)/2 + sin(2 theta)/4)
// (the plane of e, w in polar coordinates, the other d - 2 coordinates independent), so
// relative RMS error = sqrt((E|s|^2 - |Fbar|^2) / N) / |Fbar|.
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, fmtCount, hostUnit, type Estimate } from "../work/estimates";
import { resolveOption } from "../options/check";
import * as P from "../options/catalog/populationGradient";
import { seededNormal } from "../core/seededNormal";
import * as check from "../core/validate";
import { fbar, norm } from "./populationGradient";

/** Dimension, angles, sample sizes and seed of the sampled check of Fbar. */
export interface SampledGradientCheckOptions {
  /** Input dimension d >= 2 (default 10). */
  d?: number;
  /** Angles theta in [0, pi) (default 12 evenly spaced in [0, 11 pi / 12]). */
  angles?: ArrayLike<number>;
  /** Sample sizes N (default 10, 100, 1000, 10000). */
  N?: ArrayLike<number>;
  /** Independent estimates per (angle, N) for the RMS (default 20). */
  trials?: number;
  /** |w| (default 1); |e| = 1. */
  wNorm?: number;
  /** Seed, an integer in [0, 2^53) (default 1). */
  seed?: number;
}

/** Relative RMS error of sampled Fbar against the closed form, per angle and sample size, with its expectation. */
export interface SampledGradientCheck {
  angles: Float64Array;
  N: number[];
  /** relativeRmsError[n][a]: sqrt(mean over trials |estimate - Fbar|^2) / |Fbar| at N[n], angles[a]. */
  relativeRmsError: Float64Array[];
  /** The exact expectation of that quantity (the formula above), same layout. */
  predictedRelativeRmsError: Float64Array[];
  options: { d: number; trials: number; wNorm: number; seed: number };
  stats: { samplesDrawn: number; wallTimeMs: number };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** sqrt(E|s - Fbar|^2) / |Fbar| for one sample (divide by sqrt(N) for N samples). */
export function predictedRelativeRms(d: number, theta: number, wNorm: number): number {
  const es2 = ((wNorm * wNorm * (d + 2)) / Math.PI) * ((Math.PI - theta) / 2 + Math.sin(2 * theta) / 4);
  const e = [1, 0], w = [wNorm * Math.cos(theta), wNorm * Math.sin(theta)];
  const F = norm(fbar(e, w));
  return Math.sqrt(es2 - F * F) / F;
}

/** Work of sampledGradientCheck(): sum(N) x angles x trials Gaussian inputs of dimension d. */
export function sampledCheckEstimate(options: SampledGradientCheckOptions = {}): Estimate {
  const d = resolveOption<number>(P.checkDimension, options.d);
  const angles = options.angles === undefined ? 12 : (options.angles as ArrayLike<number>).length;
  const Ns = resolveOption<number[]>(P.sampleSizes, options.N);
  const trials = resolveOption<number>(P.trials, options.trials);
  const inputs = Ns.reduce((s, n) => s + n, 0) * angles * trials;
  const per = d * hostUnit("sampledInput");
  return estimate(inputs * per, 8 * d * 4, `${fmtCount(inputs)} inputs (sum of N x ${angles} angles x ${trials} trials) x ${fmtSeconds(per)} (d = ${d})`, ["N", "trials", "d", "angles"], per, per);
}

/** Fbar from sampled inputs against its closed form ([T] Fig. 7; docs/theory.md section 7.4). */
export function sampledGradientCheck(options: SampledGradientCheckOptions & RunControl = {}): SampledGradientCheck {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const t0 = now();
  const d = resolveOption<number>(P.checkDimension, options.d);
  const angles = options.angles === undefined ? Array.from({ length: 12 }, (_, a) => (Math.PI * a) / 12) : check.vector("angles", options.angles, options.angles.length);
  angles.forEach((a, i) => {
    if (!(a >= 0 && a < Math.PI)) throw check.rangeError(`angles[${i}]`, a, "an angle in [0, pi)", { reason: `must be in [0, pi) (at pi, Fbar = 0 and a relative error is undefined); got ${a}` });
  });
  const Ns = resolveOption<number[]>(P.sampleSizes, options.N);
  const trials = resolveOption<number>(P.trials, options.trials);
  const wNorm = options.wNorm === undefined ? 1 : check.number("wNorm", options.wNorm, { min: 0, minExclusive: true });
  const seed = options.seed === undefined ? 1 : check.number("seed", options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const est = sampledCheckEstimate(options);
  const budget = new WorkBudget("sampledGradientCheck", est, resolveControl(options), 0, false);
  const total = Ns.reduce((s, n) => s + n, 0) * angles.length * trials;
  const normal = seededNormal(seed);
  const x = new Float64Array(d), acc = new Float64Array(d);
  let drawn = 0;
  const rel: Float64Array[] = [], pred: Float64Array[] = [];
  for (const N of Ns) {
    const r = new Float64Array(angles.length), p = new Float64Array(angles.length);
    angles.forEach((th, a) => {
      // e = e_1, w = |w| (cos th e_1 + sin th e_2): only x_1, x_2 enter the indicators
      const w1 = wNorm * Math.cos(th), w2 = wNorm * Math.sin(th);
      const e = new Array<number>(d).fill(0), w = new Array<number>(d).fill(0);
      e[0] = 1;
      w[0] = w1;
      w[1] = w2;
      const F = fbar(e, w);
      const Fn = norm(F);
      let sq = 0;
      for (let t = 0; t < trials; t++) {
        acc.fill(0);
        for (let n = 0; n < N; n++) {
          for (let i = 0; i < d; i++) x[i] = normal();
          const wx = w1 * x[0] + w2 * x[1];
          if (!(x[0] > 0 && wx > 0)) continue;
          for (let i = 0; i < d; i++) acc[i] += x[i] * wx;
        }
        drawn += N;
        budget.charge(N * est.unitSeconds);
        if (N * est.unitSeconds > 0.01 || t === trials - 1) budget.step("sampled gradients", drawn, total, "inputs");
        let err = 0;
        for (let i = 0; i < d; i++) err += (acc[i] / N - F[i]) ** 2;
        sq += err;
      }
      r[a] = Math.sqrt(sq / trials) / Fn;
      p[a] = predictedRelativeRms(d, th, wNorm) / Math.sqrt(N);
    });
    rel.push(r);
    pred.push(p);
  }
  return {
    angles: Float64Array.from(angles),
    N: Ns,
    relativeRmsError: rel,
    predictedRelativeRmsError: pred,
    options: { d, trials, wNorm, seed },
    stats: { samplesDrawn: drawn, wallTimeMs: now() - t0 },
  };
}
