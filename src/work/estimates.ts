// Work estimates from the options alone, before anything runs: counts of the kernels' units of
// work (right-hand-side evaluations, SGD steps, Newton starts, grid points) from the options, times
// the measured cost of one unit (src/work/costModel.ts, fitted by bench/calibrate.ts on this
// project's reference machine). The counts are exact where the algorithm fixes them (Euler and RK4
// steps, SGD steps) and typical values where it adapts (adaptive steps, Newton iterations).
import type { WorkEstimate } from "../core/errors";
import { COST_MODEL } from "./costModel";
import { fmtBytes, fmtSeconds } from "./budget";

/** Bytes a JavaScript number costs in a nested result array (element plus array overheads). */
const HOST_BYTES_PER_NUMBER = 24;

const fmtCount = (n: number) => (n >= 1e6 ? n.toExponential(2) : String(Math.round(n)));

// ---------------------------------------------------------------- the ODE's right-hand side
/**
 * Averages evaluated by one right-hand side (assembly/ode/model.ts rhs()): I3 for every (i, b, c),
 * I4 for i <= k and c <= e; nI4distinct of those have four distinct variables (the costly ones:
 * an orthant quadrature for ReLU, the series for Hermite).
 */
export function rhsAverages(K: number, M: number): { nI3: number; nI4: number; nI4distinct: number } {
  const NV = K + M;
  return { nI3: K * NV * NV, nI4: ((K * (K + 1)) / 2) * ((NV * (NV + 1)) / 2), nI4distinct: ((K * (K - 1)) / 2) * (((NV - 2) * (NV - 3)) / 2) };
}

export interface RhsSetting {
  activation: string;
  teacherActivation: string;
  K: number;
  M: number;
  method?: string;
  hermiteOrder?: number;
}

/**
 * What one right-hand side costs: `perRhs` without the ReLU orthant quadrature's Gauss-Kronrod
 * panels, `perPanel` per panel, and the typical number of panels per right-hand side (for
 * estimates: it depends on the state, ~5x between the calibration's states). Work is charged
 * from the kernel's counters: right-hand sides x perRhs + panels x perPanel (rhsWork()).
 */
export interface RhsCost {
  perRhs: number;
  perPanel: number;
  panelsPerRhs: number;
}

export function rhsCost(s: RhsSetting): RhsCost {
  const key = `${s.activation}/${s.teacherActivation}`;
  const c = COST_MODEL.rhs[key] ?? COST_MODEL.rhs["relu/erf"] ?? [1e-6, 1e-7, 1e-6, 1e-6];
  const { nI3, nI4, nI4distinct } = rhsAverages(s.K, s.M);
  let distinct = c[3] * nI4distinct;
  const hermite = s.method === "hermite";
  if (hermite) distinct *= COST_MODEL.hermite.ratioAt10 * Math.pow((s.hermiteOrder ?? 10) / 10, COST_MODEL.hermite.exponent);
  const panels = hermite ? 0 : (COST_MODEL.panelsPerDistinctI4[key] ?? 0) * nI4distinct;
  return { perRhs: c[0] + c[1] * nI3 + c[2] * (nI4 - nI4distinct) + distinct, perPanel: COST_MODEL.orthantPanel, panelsPerRhs: panels };
}

/** Estimated seconds of one right-hand side (typical state). */
export function rhsSeconds(s: RhsSetting): number {
  const c = rhsCost(s);
  return c.perRhs + c.perPanel * c.panelsPerRhs;
}

/** Seconds of work from the kernel's counters: right-hand sides and orthant panels. */
export function rhsWork(c: RhsCost, rhs: number, panels: number): number {
  return rhs * c.perRhs + panels * c.perPanel;
}

/** The site-symmetric right-hand side (its cost does not depend on K). */
export function symmetricRhsCost(s: { activation: string; teacherActivation: string }): RhsCost {
  const key = `${s.activation}/${s.teacherActivation}`;
  return { perRhs: COST_MODEL.symmetricRhs[key] ?? 1e-5, perPanel: COST_MODEL.orthantPanel, panelsPerRhs: COST_MODEL.symmetricPanels[key] ?? 0 };
}

/** Bytes of one ODE workspace (assembly/index.ts layout()) with nSamples samples. */
export function odeWorkspaceBytes(K: number, M: number, nSamples: number): number {
  const NV = K + M, D = (K * (K + 1)) / 2 + K * M;
  return 8 * (M * M + NV + 4 * NV * NV + NV + K * NV + 10 * D + nSamples * (D + 2)) + 4 * 65536;
}

// ---------------------------------------------------------------- trajectories
export interface TrajectoryShape {
  integrator: "euler" | "rk4" | "adaptive";
  step: number;
  alphaMax: number;
  samples: number;
  learningRate: number;
  convergenceTolerance?: number;
  maxSteps?: number;
}

/**
 * Steps of one trajectory: Euler and RK4 take alphaMax / step steps plus at most one shortened step
 * per sample; the adaptive pair's count was measured (bench/calibrate.ts, reference settings):
 * ~60 + 7 sqrt(alphaMax) steps through the transients, then ~0.35 eta per unit of alpha once the
 * step is limited by stability near a fixed point. A run with a convergence tolerance usually stops
 * there, taken as alpha <= 2000.
 */
export function trajectorySteps(t: TrajectoryShape): number {
  let n: number;
  if (t.integrator === "adaptive") {
    const a = t.convergenceTolerance && t.convergenceTolerance > 0 ? Math.min(t.alphaMax, 2000) : t.alphaMax;
    n = t.samples + 60 + 7 * Math.sqrt(a) + 0.35 * Math.max(t.learningRate, 0.1) * a;
  } else {
    n = Math.ceil(t.alphaMax / t.step - 1e-9) + t.samples;
  }
  return Math.min(n, t.maxSteps ?? Infinity);
}

export const RHS_PER_STEP = { euler: 1, rk4: 4, adaptive: 6 } as const;

export function trajectoryRhs(t: TrajectoryShape): number {
  return trajectorySteps(t) * RHS_PER_STEP[t.integrator];
}

// ---------------------------------------------------------------- estimates
export interface Estimate extends WorkEstimate {
  /** The options that drive the memory (named when it is refused for memory; default drivers). */
  memoryDrivers?: string[];
  /** The options that size the first chunk (named when even it does not fit; default drivers). */
  firstChunkDrivers?: string[];
  /** The breakdown without its closing totals (to nest in another estimate's breakdown). */
  detail: string;
  /** Estimated seconds of the kernel's unit of work (one right-hand side, one SGD step, ...). */
  unitSeconds: number;
  /** Estimated seconds of the smallest piece of the result that can be returned. */
  firstChunkSeconds: number;
}

export function estimate(seconds: number, memoryBytes: number, breakdown: string, drivers: string[], unitSeconds: number, firstChunkSeconds = 0): Estimate {
  return { seconds, memoryBytes, breakdown: `${breakdown}; about ${fmtSeconds(seconds)}, ${fmtBytes(memoryBytes)}`, detail: breakdown, drivers, unitSeconds, firstChunkSeconds };
}

export interface OdeEstimateInput extends RhsSetting, TrajectoryShape {
  hermiteCheck?: boolean;
}

/** Bytes of a trajectory with nSamples samples: the core's workspace and the result's arrays. */
export function odeMemoryBytes(K: number, M: number, nSamples: number): number {
  const D = (K * (K + 1)) / 2 + K * M;
  return odeWorkspaceBytes(K, M, nSamples) + nSamples * (8 * (D + 3) + HOST_BYTES_PER_NUMBER * (K * K + K * M) + 200);
}

export function estimateOde(o: OdeEstimateInput, sampleOption = "samples"): Estimate {
  const steps = trajectorySteps(o);
  const per = rhsSeconds(o);
  const rhs = steps * RHS_PER_STEP[o.integrator];
  const checkRhs = o.hermiteCheck ? 2 * o.samples : 0;
  const memory = odeMemoryBytes(o.K, o.M, o.samples);
  const seconds = COST_MODEL.instance + (rhs + checkRhs) * per;
  const breakdown = `${fmtCount(steps)} ${o.integrator} steps x ${RHS_PER_STEP[o.integrator]} right-hand sides x ${fmtSeconds(per)} (${o.activation}${o.teacherActivation !== o.activation ? "/" + o.teacherActivation : ""}${o.method === "hermite" ? `, Hermite N = ${o.hermiteOrder}` : ""}, K = ${o.K}, M = ${o.M})${checkRhs ? ` + ${checkRhs} for hermiteCheck` : ""}, ${fmtCount(o.samples)} samples`;
  const drivers = o.integrator === "adaptive" ? ["alphaMax", "K", "M", sampleOption, "activation"] : ["alphaMax", "step", "K", "M", sampleOption, "activation"];
  return { ...estimate(seconds, memory, breakdown, drivers, per, per * RHS_PER_STEP[o.integrator]), memoryDrivers: [sampleOption, "K", "M"], firstChunkDrivers: ["K", "M", "activation", ...(o.method === "hermite" ? ["hermiteOrder"] : [])] };
}

// ---------------------------------------------------------------- SGD
export interface SgdEstimateInput {
  activation: string;
  teacherActivation: string;
  K: number;
  M: number;
  d: number;
  batch: number;
  runs: number;
  testInputs: number;
  /** SGD steps at the samples (ascending). */
  steps: ArrayLike<number>;
  threads?: number;
}

/** Estimated seconds of one SGD step (batch inputs) in dimension d. */
export function sgdStepSeconds(o: { activation: string; teacherActivation: string; K: number; M: number; d: number; batch: number }): number {
  const c = COST_MODEL.sgd[o.activation] ?? COST_MODEL.sgd.erf ?? [1e-7, 1e-9];
  return o.batch * (c[0] + c[1] * o.d * (o.K + o.M));
}

/** Bytes of one instance's SGD workspace (assembly/index.ts simLayout()) plus its ODE part. */
export function sgdWorkspaceBytes(K: number, M: number, d: number, batch: number, samples: number): number {
  const NV = K + M;
  return odeWorkspaceBytes(K, M, samples) + 8 * (NV * d + d + NV + 2 * NV * NV + 2 * samples + 8 + (batch > 1 ? K * d : 0));
}

export function estimateSgd(o: SgdEstimateInput): Estimate & { stepSeconds: number; sampleSeconds: number } {
  const n = o.steps.length, last = o.steps[n - 1];
  const NV = o.K + o.M, D = (o.K * (o.K + 1)) / 2 + o.K * o.M;
  const step = sgdStepSeconds(o);
  const c = COST_MODEL.sgd[o.activation] ?? [1e-7, 1e-9];
  const sample = COST_MODEL.sgdRecord * D * o.d + o.testInputs * (c[0] + c[1] * o.d * NV);
  const init = COST_MODEL.sgdRecord * NV * NV * o.d * 3;
  const perRun = last * step + n * sample + init;
  const threads = Math.max(1, o.threads ?? 1);
  const memory = threads * sgdWorkspaceBytes(o.K, o.M, o.d, o.batch, n) + o.runs * n * 8 * (D + 2) + n * HOST_BYTES_PER_NUMBER * 2 * (o.K * o.K + o.K * o.M);
  const breakdown = `${o.runs} runs x ${fmtCount(last)} SGD steps x ${fmtSeconds(step)} (d = ${o.d}, K + M = ${NV}${o.batch > 1 ? `, batch ${o.batch}` : ""}, ${o.activation})` +
    `${o.testInputs ? ` + ${o.testInputs} test inputs at each of ${n} samples` : ""}`;
  const firstSteps = step * (o.steps[Math.min(1, n - 1)] ?? 0);
  // the first sample of one run: its test inputs, or the steps to it (each costing ~ d (K + M))
  const testHeavy = o.testInputs > 0 && o.testInputs * (c[0] + c[1] * o.d * NV) > init + firstSteps;
  return {
    ...estimate(o.runs * perRun, memory, breakdown, ["alphaMax", "d", "runs", "K", "M", "batch", ...(o.testInputs ? ["testInputs"] : [])], step, init + firstSteps + sample),
    memoryDrivers: ["d", "K", "M", "samples", "runs"],
    firstChunkDrivers: testHeavy ? ["testInputs", "d", "K", "M"] : ["d", "K", "M", "batch", "alphaMax", "samples"],
    stepSeconds: step, sampleSeconds: sample,
  };
}

// ---------------------------------------------------------------- Newton starts
/** Right-hand sides of one Newton start on a D-dimensional system (central Jacobian + backtracking). */
export function newtonStartRhs(D: number): number {
  return COST_MODEL.newtonJacobiansPerStart * (2 * D + 2);
}

// ---------------------------------------------------------------- host (TypeScript) computations
/** Seconds of one unit of a host computation (see bench/calibrate.ts for each unit); `fallback` names the unit to use when `name` was not measured. */
export function hostUnit(name: string, fallback?: string): number {
  return COST_MODEL.host[name] ?? (fallback !== undefined ? COST_MODEL.host[fallback] : undefined) ?? 1e-7;
}

export { fmtCount, HOST_BYTES_PER_NUMBER };
