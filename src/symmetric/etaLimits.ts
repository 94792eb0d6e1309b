// etaLimits(): learning-rate limits of the site-symmetric setting against K (docs/theory.md
// section 11). For each K:
//  - etaPerfectStable: the largest eta below which perfect learning (Q = R = t, C = S = 0) is a
//    stable fixed point of the full ODE. There F = eta A + eta^2 B for every eta, so the
//    Jacobian is eta (J_A + eta J_B); its S_K blocks are formed once (blocks.ts, weight-space
//    differences on the boundary of the valid overlaps), and the first eta at which some block's
//    J_A + eta J_B has an eigenvalue with real part >= 0 is bracketed on a geometric grid and
//    bisected.
//  - etaOptimalEscape: the eta that maximises the escape rate lambda(eta) from the plateau
//    (plateau.ts), by a geometric scan (plateau continued in eta: Newton from the previous one)
//    and Brent's maximisation in ln eta. lambda is computed on the trivial and standard blocks
//    (p <= 1 reductions, central differences); at the plateau every block carries the escape
//    eigenvalue, and the two remaining blocks' other eigenvalue is checked at the optimum.
import { perfectPointBlocks, symmetryBlocks, eigenvaluesOf, type Representation } from "./blocks";
import { bisect } from "../numerics/bisection";
import { brentMinimize } from "../numerics/brentMinimize";
import { SymmetricField } from "./field";
import { findPlateau, plateauNewton, leadingEigenvalue } from "./plateau";
import { checkObject, numberOption, resolveSymmetricSetting, MAX_SYMMETRIC_UNITS, type ResolvedSymmetricSetting, type SymmetricSetting } from "./options";
import { AbortError, OptionError, OptionTypeError } from "../core/errors";
import type { RunControl } from "../core/control";
import { WorkBudget, resolveControl } from "../work/budget";
import { estimate, hostUnit, type Estimate } from "../work/estimates";

/** The default values of K of etaLimits(): 20 values from 2 to 1e4. */
export const DEFAULT_ETA_LIMITS_K = [2, 3, 4, 5, 7, 10, 14, 20, 30, 50, 70, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000];

/** Options of etaLimits(). */
export interface EtaLimitsOptions extends Omit<SymmetricSetting, "K">, RunControl {
  /** Numbers of units (default 20 values from 2 to 1e4). */
  K?: number[];
  /** Relative precision of etaOptimalEscape (default 1e-4: the maximum is quadratic, lambda is known to ~1e-9 relative). */
  precision?: number;
  /** Compute etaOptimalEscape (default true). */
  escape?: boolean;
}

/** EtaLimitsOptions resolved (the result's `options`). */
export interface ResolvedEtaLimitsOptions extends Omit<ResolvedSymmetricSetting, "K"> {
  K: number[];
  precision: number;
  escape: boolean;
}

/** The learning-rate limits at one K. */
export interface EtaLimitsRow {
  K: number;
  /** Largest eta with perfect learning stable (null: unstable at every eta scanned, or stable up to the scan's end). */
  etaPerfectStable: number | null;
  /** [stable, unstable] etas bracketing it (relative width ~1e-12). */
  perfectBracket: [number, number] | null;
  /**
   * Estimated absolute error of etaPerfectStable: the bracket's width plus the shift of the
   * crossing that the Jacobian entries' estimated error can cause (block size x error x (1 + eta)
   * / |d max Re eig / d eta|; conservative: the entries' error estimate is).
   */
  perfectAccuracy: number | null;
  /** The block that turns unstable first, and how: a real eigenvalue through 0 or a complex pair through the imaginary axis. */
  perfectLostIn: { representation: Representation; partition: string; crossing: "real" | "complex" } | null;
  /** Estimated error of the perfect-point Jacobian entries. */
  perfectJacobianError: number;
  /** eta maximising the escape rate (null: none found). */
  etaOptimalEscape: number | null;
  /** The maximal escape rate lambda(etaOptimalEscape). */
  maxEscapeRate: number | null;
  /** The plateau at etaOptimalEscape. */
  plateauAtOptimum: { Q: number; C: number; R: number; S: number; eg: number } | null;
  /** Largest eigenvalue of the [K-2,2] block's other mode at the optimum (must not exceed maxEscapeRate). */
  otherModesAtOptimum: number | null;
  /** How the row was obtained, and any caveat. */
  message: string;
}

/** A power law c K^a fitted to a column of etaLimits() over its largest K. */
export interface ScalingFit {
  /** Power-law exponent a of value ~ c K^a, from a least-squares line in (ln K, ln value) over the fitted rows. */
  exponent: number;
  prefactor: number;
  /** K range of the fit. */
  range: [number, number];
  /** Local exponents d ln(value) / d ln K between consecutive K of the fit. */
  localExponents: number[];
}

/** Learning-rate limits against K (etaLimits()). */
export interface EtaLimitsResult {
  /** "max-work" when RunControl's "truncate" stopped it before the last K: the rows computed are returned. */
  status: "completed" | "max-work";
  message: string;
  rows: EtaLimitsRow[];
  /** Power laws over the rows with K >= 100 (or the largest half of the rows if fewer). */
  scaling: { etaPerfectStable: ScalingFit | null; etaOptimalEscape: ScalingFit | null; maxEscapeRate: ScalingFit | null };
  definitions: { etaPerfectStable: string; etaOptimalEscape: string };
  stats: { wallTimeMs: number; rhsEvaluations: number };
  options: ResolvedEtaLimitsOptions;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** The definitions of the two learning rates of etaLimits(), as printed with the results. */
export const ETA_LIMIT_DEFINITIONS = {
  etaPerfectStable: "the largest eta such that perfect learning (Q = R = T, C = S = 0) is a stable fixed point of the full ODE for every smaller eta: every eigenvalue of J = eta (J_A + eta J_B) has a negative real part (block by block in the irreducible representations of S_K)",
  etaOptimalEscape: "the eta that maximises the escape rate from the unspecialised plateau (the largest positive eigenvalue of the full ODE's Jacobian at the plateau fixed point R = S)",
};

export function resolveEtaLimitsOptions(o: EtaLimitsOptions): ResolvedEtaLimitsOptions {
  checkObject(o);
  const { K: _k, ...rest } = o;
  const s = resolveSymmetricSetting({ ...rest, K: 2 });
  let K = DEFAULT_ETA_LIMITS_K;
  if (o.K !== undefined) {
    if (!Array.isArray(o.K)) throw new OptionTypeError({ option: "K", value: o.K, accepted: "an array of integers 2 .. 1e6" });
    if (o.K.length === 0 || o.K.length > 1000) throw new OptionError({ option: "K", value: o.K, accepted: "1 to 1000 integers 2 .. 1e6" });
    K = o.K.map((k, i) => {
      if (typeof k !== "number") throw new OptionTypeError({ option: "K", element: `[${i}]`, value: k, accepted: "an integer 2 .. 1e6" });
      if (!Number.isInteger(k) || k < 2 || k > MAX_SYMMETRIC_UNITS) throw new OptionError({ option: "K", element: `[${i}]`, value: k, accepted: `an integer 2 .. ${MAX_SYMMETRIC_UNITS}` });
      return k;
    });
    K = [...new Set(K)].sort((a, b) => a - b);
  }
  const precision = numberOption("precision", o.precision, 1e-4, { min: 1e-8, max: 0.1 });
  const escape = o.escape === undefined ? true : typeof o.escape === "boolean" ? o.escape : (() => { throw new OptionTypeError({ option: "escape", value: o.escape, accepted: "true or false" }); })();
  const { K: _sk, ...setting } = s;
  return { ...setting, K, precision, escape };
}

/** First eta > 0 at which max Re eig over the blocks of J_A + eta J_B reaches 0. */
export function perfectStabilityLimit(setting: ResolvedSymmetricSetting) {
  const pp = perfectPointBlocks(setting);
  const mats = pp.A.map((a, k) => ({ a: a.matrix, b: pp.B[k].matrix, rep: a.representation, partition: a.partition }));
  const at = (eta: number) => {
    let top = -Infinity, which = mats[0], im = 0;
    for (const m of mats) {
      const e = eigenvaluesOf(m.a.map((r, i) => r.map((x, j) => x + eta * m.b[i][j])))[0];
      if (e.re > top) { top = e.re; which = m; im = e.im; }
    }
    return { top, which, im };
  };
  // J_A's scale sets where to start: well below any threshold
  const scaleA = Math.max(...mats.map((m) => Math.max(...m.a.map((r) => r.reduce((s, x) => s + Math.abs(x), 0)))));
  const scaleB = Math.max(...mats.map((m) => Math.max(...m.b.map((r) => r.reduce((s, x) => s + Math.abs(x), 0)))));
  let lo = 1e-6 * scaleA / Math.max(scaleB, 1e-300);
  const start = at(lo);
  if (start.top >= 0) return { value: null, bracket: null, accuracy: null, lostIn: null, error: pp.errorEstimate, evaluations: pp.evaluations, message: `unstable already at eta = ${lo.toPrecision(3)} (J_A has an eigenvalue with real part ${start.top.toPrecision(3)} >= 0)` };
  let hi = lo;
  let found = false;
  for (let k = 0; k < 400; k++) {
    hi = lo * 1.25;
    if (at(hi).top >= 0) { found = true; break; }
    lo = hi;
  }
  if (!found) return { value: null, bracket: null, accuracy: null, lostIn: null, error: pp.errorEstimate, evaluations: pp.evaluations, message: `stable up to eta = ${hi.toPrecision(3)} (end of the scan)` };
  [lo, hi] = bisect((eta) => at(eta).top >= 0, lo, hi, { relativeTolerance: 1e-13 }).bracket;
  const cross = at(hi);
  const value = 0.5 * (lo + hi);
  // the crossing moves by about the eigenvalues' uncertainty over their speed in eta: entries of
  // J_A + eta J_B known to error (1 + eta), an eigenvalue of an n x n block to n times that
  const h = 1e-6 * value;
  const speed = Math.abs(at(value + h).top - at(value - h).top) / (2 * h);
  const n = Math.max(...mats.map((m) => m.a.length));
  const accuracy = hi - lo + (n * pp.errorEstimate * (1 + value)) / speed;
  return {
    value, bracket: [lo, hi] as [number, number], accuracy: Number.isFinite(accuracy) ? accuracy : null,
    lostIn: { representation: cross.which.rep, partition: cross.which.partition, crossing: Math.abs(cross.im) > 1e-9 * Math.max(1, Math.abs(cross.top)) ? "complex" as const : "real" as const },
    error: pp.errorEstimate, evaluations: pp.evaluations, message: "",
  };
}

/** The escape rate's maximum over eta for one K (`tick`: called at every plateau and escape rate computed, for progress and abort). */
export function optimalEscape(setting: ResolvedSymmetricSetting, etaHint: number, precision: number, tick: () => void = () => {}) {
  const field = new SymmetricField(setting);
  const reps: Representation[] = ["trivial", "standard"];
  let evaluations = 0;
  type Point = { eta: number; y: [number, number, number, number]; rate: number };
  const rateAt = (eta: number, y: [number, number, number, number]): number => {
    tick();
    const b = symmetryBlocks(setting, y, eta, { plain: true, step: 1e-5, representations: reps });
    evaluations += b.evaluations;
    return leadingEigenvalue(b.blocks, 0).value;
  };
  // plateau continued in eta: Newton from the last one, else afresh
  let last: [number, number, number] | null = null;
  const plateauAt = (eta: number): [number, number, number, number] | null => {
    tick();
    if (last) {
      const n = plateauNewton(field, eta, last);
      if (n.converged) return [n.x[0], n.x[1], n.x[2], n.x[2]];
    }
    const p = findPlateau(field, eta, [0.2 * setting.T, 0, 0]);
    return p ? p.y : null;
  };
  const scan: Point[] = [];
  let eta = etaHint * 1e-3;
  let lost = false;
  for (let k = 0; k < 60; k++, eta *= 1.6) {
    const y = plateauAt(eta);
    if (!y) { lost = true; break; }
    last = [y[0], y[1], y[2]];
    const rate = rateAt(eta, y);
    scan.push({ eta, y, rate });
    // past the maximum: two falls in a row after a rise, or the plateau no longer unstable
    const n = scan.length;
    if (n >= 3 && scan[n - 1].rate < scan[n - 2].rate && scan[n - 2].rate < scan[n - 3].rate && scan.slice(0, n - 2).some((p) => p.rate < scan[n - 3].rate)) break;
    if (n >= 2 && rate <= 0 && scan[n - 2].rate > 0) break;
  }
  const evals = () => evaluations + field.evaluations;
  if (scan.length === 0) return { eta: null, rate: null, y: null, other: null, evaluations: evals(), message: `no plateau found from eta = ${(etaHint * 1e-3).toPrecision(3)}` };
  let best = 0;
  scan.forEach((p, i) => { if (p.rate > scan[best].rate) best = i; });
  if (!(scan[best].rate > 0)) return { eta: null, rate: null, y: null, other: null, evaluations: evals(), message: `the plateau is stable (no positive eigenvalue) at every eta scanned (${scan[0].eta.toPrecision(3)} .. ${scan[scan.length - 1].eta.toPrecision(3)})` };
  let message = "";
  if (best === 0) message = `the largest escape rate is at the smallest eta scanned (${scan[0].eta.toPrecision(3)})`;
  let opt = { eta: scan[best].eta, y: scan[best].y, rate: scan[best].rate };
  // the bracket [lo, hi] of the maximum in ln eta
  let lo = best > 0 ? scan[best - 1].eta : scan[best].eta, hi = best < scan.length - 1 ? scan[best + 1].eta : scan[best].eta;
  if (best === scan.length - 1 && lost) {
    // the rate still rises where the plateau ceases to exist (a fold): bisect the fold, continuing
    // the plateau from below, and search the maximum up to it
    let a = scan[best].eta;
    const b = a * 1.6;
    let ya: [number, number, number] = [scan[best].y[0], scan[best].y[1], scan[best].y[2]];
    const ended = (m: number) => {
      const n = plateauNewton(field, m, ya);
      if (n.converged) ya = [n.x[0], n.x[1], n.x[2]];
      return !n.converged;
    };
    a = bisect(ended, a, b, { relativeTolerance: 1e-8 }).bracket[0];
    hi = a;
    last = ya;
    message = `the plateau ceases to exist at eta = ${a.toPrecision(7)} (fold, bisected to 1e-8)`;
  }
  if (hi > lo) {
    last = [scan[best].y[0], scan[best].y[1], scan[best].y[2]];
    const f = (s: number) => {
      const e = Math.exp(s);
      const y = plateauAt(e);
      if (!y) return Infinity;
      return -rateAt(e, y);
    };
    const start = Math.min(Math.max(Math.log(scan[best].eta), Math.log(lo)), Math.log(hi));
    const r = brentMinimize(f, Math.log(lo), Math.log(hi), start, { fx0: f(start), tolerance: precision / 2 });
    const e = Math.exp(r.value);
    const y = plateauAt(e)!;
    opt = { eta: e, y, rate: -r.minimum };
    if (message && Math.abs(e - hi) <= 2 * precision * hi) message += `; the escape rate is largest there (at the end of the plateau branch)`;
    else if (message) message += `; the escape rate has its maximum below it`;
  }
  // the blocks not scanned: their largest eigenvalue other than the escape one
  const full = symmetryBlocks(setting, opt.y, opt.eta, { representations: ["[K-2,2]", "[K-2,1,1]"] });
  evaluations += full.evaluations;
  let other: number | null = null;
  for (const b of full.blocks) {
    for (const ev of b.eigenvalues) {
      if (Math.abs(ev.re - opt.rate) > 1e-6 * Math.abs(opt.rate) + 1e-12) other = Math.max(other ?? -Infinity, ev.re);
    }
  }
  if (other !== null && other > opt.rate) message += `${message ? "; " : ""}warning: a [K-2,2] mode grows faster (${other.toPrecision(4)}) than the specialisation at this eta`;
  return { eta: opt.eta, rate: opt.rate, y: opt.y, other, evaluations: evals(), message };
}

function fitPowerLaw(rows: EtaLimitsRow[], pick: (r: EtaLimitsRow) => number | null): ScalingFit | null {
  const pts = rows.map((r) => [r.K, pick(r)] as const).filter((p): p is readonly [number, number] => p[1] !== null && p[1] > 0);
  if (pts.length < 2) return null;
  const big = pts.filter((p) => p[0] >= 100);
  const use = big.length >= 2 ? big : pts.slice(Math.floor(pts.length / 2));
  const xs = use.map((p) => Math.log(p[0])), ys = use.map((p) => Math.log(p[1]));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0), sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const exponent = sxy / sxx;
  return {
    exponent, prefactor: Math.exp(my - exponent * mx), range: [use[0][0], use[use.length - 1][0]],
    localExponents: use.slice(1).map((p, i) => Math.log(p[1] / use[i][1]) / Math.log(p[0] / use[i][0])),
  };
}

/** Plateaus and escape rates computed per K, typically (the scan and Brent's search): progress moves by this. */
const TYPICAL_EVALUATIONS_PER_K = 40;

/** Seconds of one K of etaLimits() (measured per student activation, src/work/costModel.ts; its cost hardly depends on K). */
function rowSeconds(o: ResolvedEtaLimitsOptions): number {
  const unit = o.escape ? "etaLimitsRow" : "etaLimitsPerfect";
  return hostUnit(`${unit}.${o.activation}`, `${unit}.relu`);
}

/** "1 value of K", "3 values of K". */
const valuesOfK = (n: number) => `${n} ${n === 1 ? "value" : "values"} of K`;

/** The work estimate of etaLimits(): the values of K x one K's measured cost. */
export function etaLimitsEstimate(o: ResolvedEtaLimitsOptions): Estimate {
  const per = rowSeconds(o);
  return estimate(o.K.length * per, 4 * 65536 + o.K.length * 4096, `${valuesOfK(o.K.length)} x ${o.escape ? "the perfect-learning limit and the escape-rate maximum" : "the perfect-learning limit"} (${o.activation}, about ${(per * 1000).toPrecision(2)} ms each)`, ["K", "escape", "activation"], per, per);
}

/**
 * For each K: the largest learning rate at which perfect learning is stable, and the learning rate
 * that maximises the escape rate from the plateau, with power-law fits against K. With RunControl
 * fields: the estimate is checked before any work, progress is reported per K (and within one),
 * the signal checked between plateaus; "truncate" returns the rows of the values of K that fit.
 */
export function etaLimits(options: EtaLimitsOptions = {}): EtaLimitsResult {
  const t0 = now();
  const o = resolveEtaLimitsOptions(options);
  const est = etaLimitsEstimate(o);
  const budget = new WorkBudget("etaLimits", est, resolveControl(options), est.firstChunkSeconds);
  const per = est.unitSeconds;
  budget.begin("eta limits", o.K.length, "values of K");
  const rows: EtaLimitsRow[] = [];
  let evaluations = 0;
  let status: EtaLimitsResult["status"] = "completed";
  for (const [index, K] of o.K.entries()) {
    if (options.signal?.aborted) throw new AbortError(`etaLimits aborted after ${index} of ${o.K.length} values of K`);
    if (budget.truncating && index > 0 && budget.spent + per > budget.allowance) {
      status = "max-work";
      break;
    }
    const before = budget.spent;
    const tick = () => {
      if (budget.spent - before < per) budget.charge(per / TYPICAL_EVALUATIONS_PER_K);
      budget.step("eta limits", index, o.K.length, "values of K");
    };
    const setting: ResolvedSymmetricSetting = { activation: o.activation, teacherActivation: o.teacherActivation, slope: o.slope, hermiteCoefficients: o.hermiteCoefficients, averageTolerance: o.averageTolerance, K, T: o.T, v: o.v, vStar: o.vStar };
    const perfect = perfectStabilityLimit(setting);
    evaluations += perfect.evaluations;
    const row: EtaLimitsRow = {
      K, etaPerfectStable: perfect.value, perfectBracket: perfect.bracket, perfectAccuracy: perfect.accuracy, perfectLostIn: perfect.lostIn, perfectJacobianError: perfect.error,
      etaOptimalEscape: null, maxEscapeRate: null, plateauAtOptimum: null, otherModesAtOptimum: null, message: perfect.message,
    };
    if (o.escape) {
      const hint = perfect.value ?? 1 / K;
      const esc = optimalEscape(setting, hint, o.precision, tick);
      evaluations += esc.evaluations;
      row.etaOptimalEscape = esc.eta;
      row.maxEscapeRate = esc.rate;
      row.otherModesAtOptimum = esc.other;
      if (esc.y) {
        const eg = new SymmetricField(setting).eg(esc.y);
        row.plateauAtOptimum = { Q: esc.y[0], C: esc.y[1], R: esc.y[2], S: esc.y[3], eg };
      }
      if (esc.message) row.message = row.message ? `${row.message}; ${esc.message}` : esc.message;
    }
    rows.push(row);
    budget.charge(Math.max(0, per - (budget.spent - before)));
    budget.step("eta limits", index + 1, o.K.length, "values of K");
  }
  return {
    status,
    message: status === "completed" ? valuesOfK(rows.length) : budget.truncationMessage(`the rows of the first ${rows.length} of ${o.K.length} values of K are returned`),
    rows,
    scaling: {
      etaPerfectStable: fitPowerLaw(rows, (r) => r.etaPerfectStable),
      etaOptimalEscape: fitPowerLaw(rows, (r) => r.etaOptimalEscape),
      maxEscapeRate: fitPowerLaw(rows, (r) => r.maxEscapeRate),
    },
    definitions: ETA_LIMIT_DEFINITIONS,
    stats: { wallTimeMs: now() - t0, rhsEvaluations: evaluations },
    options: o,
  };
}
