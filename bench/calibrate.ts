// Calibration of the work estimates (src/work/estimates.ts): measures the cost of each unit of
// work on this machine and writes the fitted constants to src/work/costModel.ts (and a table to
// bench/RESULTS.md between <!-- calibration:begin --> and <!-- calibration:end -->).
// Run with `npm run bench:calibrate` on an idle machine (takes about a minute).
//   - ODE right-hand side, per activation pair: seconds = c0 + c3 nI3 + c4 (nI4 - nI4distinct) +
//     c4d nI4distinct + cp panels (weighted least squares over shapes K, M and three states; counts
//     in src/work/estimates.ts; panels: the Gauss-Kronrod panels of the ReLU orthant quadrature,
//     whose number depends on the state, counted by the kernel); the typical panels per distinct I4
//     (mean over the states) for the estimates;
//   - the site-symmetric right-hand side per activation pair (its cost does not depend on K);
//     Hermite: the distinct-variable I4 part times ratioAt10 (N/10)^exponent (least squares in logs);
//   - SGD step per input: s0 + s1 d (K + M), per student activation; per sample: sgdRecord d D;
//   - Newton: right-hand sides per start / (2D + 2) over fixedPoints() on three settings;
//   - host computations: seconds per unit of each (see the unit named next to each constant).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import wasm from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
import { ACTIVATION_CODE } from "../src/core/exports";
import { packState } from "../src/online/integrate";
import { prepareEngine } from "../src/simulation/run";
import { resolveSimulation, runSeed } from "../src/simulation/plan";
import { etaLimits, plateau } from "../src/api";
import { equilibrium, fixedPoints, populationGradient, populationHessian, sampledGradientCheck, symmetricCriticalPoints, symmetricVectorField, trainSingleLayer, transitions } from "../src/index";
import { rhsAverages } from "../src/work/estimates";
import { siteSymmetryCheck } from "../src/equilibrium/siteSymmetry";

const core = createEngine(wasm as Uint8Array<ArrayBuffer>);
const x = core.exports;
const ACTS = ["relu", "erf", "linear"] as const;

/** CPU seconds of this process (the machine is shared: its wall clock measures the others' load too). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** CPU seconds per call of f, repeated for at least minMs (median of 3 repeats). */
function time(f: () => void, minMs = 40): number {
  f();
  const per: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = cpu();
    do {
      f();
      n++;
    } while (cpu() - t0 < minMs / 3000);
    per.push((cpu() - t0) / n);
  }
  return per.sort((a, b) => a - b)[1];
}

/** Weighted least squares (relative errors): minimise sum ((A c - t) / t)^2; negative coefficients dropped. */
function fitRelative(A: number[][], t: number[]): number[] {
  let active = A[0].map((_, j) => j);
  for (;;) {
    const m = active.length;
    const N = Array.from({ length: m }, () => new Array<number>(m).fill(0)), b = new Array<number>(m).fill(0);
    A.forEach((row, i) => {
      const w = 1 / (t[i] * t[i]);
      active.forEach((j, a) => {
        b[a] += w * row[j] * t[i];
        active.forEach((k, c) => (N[a][c] += w * row[j] * row[k]));
      });
    });
    // Gauss-Jordan
    for (let c = 0; c < m; c++) {
      let p = c;
      for (let r = c + 1; r < m; r++) if (Math.abs(N[r][c]) > Math.abs(N[p][c])) p = r;
      [N[c], N[p]] = [N[p], N[c]];
      [b[c], b[p]] = [b[p], b[c]];
      for (let r = 0; r < m; r++) {
        if (r === c) continue;
        const f = N[r][c] / N[c][c];
        for (let k = c; k < m; k++) N[r][k] -= f * N[c][k];
        b[r] -= f * b[c];
      }
    }
    const sol = b.map((v, a) => v / N[a][a]);
    const neg = sol.findIndex((v) => v < 0);
    if (neg < 0) {
      const out = new Array<number>(A[0].length).fill(0);
      active.forEach((j, a) => (out[j] = sol[a]));
      return out;
    }
    active = active.filter((_, a) => a !== neg);
  }
}

const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};
const worst = (pred: number[], t: number[]) => Math.max(...t.map((v, i) => Math.max(pred[i] / v, v / pred[i])));
const g = (v: number) => Number(v.toPrecision(4));

// ---------------------------------------------------------------- right-hand sides
/**
 * States of the calibration (each shape): "spread" (unequal norms, small overlaps), "plateau"
 * (every student alike, R = S: the quadratures' slowest state) and "learned" (near perfect
 * learning). A ReLU right-hand side costs its panel-free part plus its orthant panels, whose
 * number differs ~5x between these states; at R = 0 exactly (a common start) many averages
 * vanish and it is cheaper still.
 */
const STATES = {
  spread: (K: number, M: number) => [
    Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.45 + 0.03 * i : 0.04))),
    Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => 0.08 + 0.02 * ((i + 2 * n) % 3))),
  ],
  plateau: (K: number, M: number) => [
    Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.5 : 0.3))),
    Array.from({ length: K }, () => new Array<number>(M).fill(0.3)),
  ],
  learned: (K: number, M: number) => [
    Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.98 : 0.01))),
    Array.from({ length: K }, (_, i) => Array.from({ length: M }, (_, n) => (i === n ? 0.97 : 0.01))),
  ],
};
function setState(K: number, M: number, state: keyof typeof STATES = "spread") {
  const [Q, R] = STATES[state](K, M);
  const T = Array.from({ length: M }, (_, n) => Array.from({ length: M }, (_, m) => (n === m ? 1 : 0)));
  core.loadModel({ K, M, T, v: new Array(K).fill(1), vStar: new Array(M).fill(1) }, 2);
  core.f64.set(packState(Q, R), x.ptrU() >> 3);
}
const shapes: [number, number][] = [[1, 1], [2, 2], [3, 3], [2, 4], [4, 2], [4, 4], [5, 5], [8, 8], [10, 10]];
const rhs: Record<string, [number, number, number, number]> = {};
const panelsPerDistinctI4: Record<string, number> = {};
const panelRows: { A: number[]; panels: number; t: number }[] = [];
log("| student / teacher | c0 | c3 (per I3) | c4 (per I4, repeated variables) | c4d (per I4 of 4 distinct variables) | orthant panels per distinct I4 (spread, plateau, learned) | K = M = 2 | K = M = 5 (spread) | K = M = 10 (spread) | worst fit ratio |");
log("|---|---|---|---|---|---|---|---|---|---|");
const timings: Record<string, { A: number[]; panels: number; t: number }[]> = {};
for (const a of ACTS)
  for (const b of ACTS) {
    const rows: { A: number[]; panels: number; t: number }[] = [];
    for (const [K, M] of shapes)
      for (const state of Object.keys(STATES) as (keyof typeof STATES)[]) {
        setState(K, M, state);
        x.configureModel(ACTIVATION_CODE[a], 0, 10, 0.5, ACTIVATION_CODE[b] + 1);
        const p0 = x.statOrthantPanels();
        x.evaluateRhs();
        const panels = x.statOrthantPanels() - p0;
        const s = time(() => x.evaluateRhs(), a === "relu" && b === "erf" ? 60 : 30);
        const { nI3, nI4, nI4distinct } = rhsAverages(K, M);
        rows.push({ A: [1, nI3, nI4 - nI4distinct, nI4distinct], panels, t: s });
      }
    timings[`${a}/${b}`] = rows;
    for (const r of rows) if (r.panels > 0) panelRows.push(r);
  }
// the cost of a panel: one constant for every pair (the same quadrature), from the pairs that use it,
// each with its own panel-free coefficients
let orthantPanel = 0;
{
  const pairs = Object.entries(timings).filter(([, rows]) => rows.some((r) => r.panels > 0));
  const A: number[][] = [], t: number[] = [];
  pairs.forEach(([, rows], p) => {
    for (const r of rows) {
      const row = new Array<number>(4 * pairs.length + 1).fill(0);
      r.A.forEach((v, j) => (row[4 * p + j] = v));
      row[4 * pairs.length] = r.panels;
      A.push(row);
      t.push(r.t);
    }
  });
  const c = fitRelative(A, t);
  orthantPanel = g(c[4 * pairs.length]);
}
for (const [key, rows] of Object.entries(timings)) {
  const usesPanels = rows.some((r) => r.panels > 0);
  const t = rows.map((r) => r.t - orthantPanel * r.panels);
  const c = fitRelative(rows.map((r) => r.A), t.map((v, i) => Math.max(v, 0.05 * rows[i].t)));
  rhs[key] = [g(c[0]), g(c[1]), g(c[2]), g(c[3])];
  const pred = rows.map((r) => r.A[0] * c[0] + r.A[1] * c[1] + r.A[2] * c[2] + r.A[3] * c[3] + orthantPanel * r.panels);
  let perState = "-";
  if (usesPanels) {
    const ratios = (Object.keys(STATES) as (keyof typeof STATES)[]).map((_, si) => {
      const sel = rows.filter((r, i) => i % 3 === si && r.A[3] > 0);
      return sel.reduce((s, r) => s + r.panels, 0) / sel.reduce((s, r) => s + r.A[3], 0);
    });
    panelsPerDistinctI4[key] = g(ratios.reduce((s, v) => s + v, 0) / ratios.length);
    perState = ratios.map((v) => v.toFixed(2)).join(", ");
  }
  log(`| ${key.replace("/", " / ")} | ${g(c[0])} | ${g(c[1])} | ${g(c[2])} | ${g(c[3])} | ${perState} | ${(rows[3].t * 1e6).toFixed(2)} us | ${(rows[18].t * 1e6).toFixed(1)} us | ${(rows[24].t * 1e6).toFixed(0)} us | ${worst(pred, rows.map((r) => r.t)).toFixed(2)} |`);
}
log(`\nOrthant panel (Gauss-Kronrod 7/15 of the ReLU four-variable orthant integral): ${orthantPanel} s`);

// the site-symmetric right-hand side (four order parameters; its cost does not depend on K)
const symmetricRhs: Record<string, number> = {};
const symmetricPanels: Record<string, number> = {};
{
  const cols: string[] = [];
  for (const a of ACTS)
    for (const b of ACTS) {
      x.symmetricLayout(2);
      const per: number[] = [], panelCounts: number[] = [];
      for (const [K, y] of [[10, [0.5, 0.3, 0.3, 0.3]], [1000, [0.3, 0.01, 0.2, 0.001]], [1e5, [0.98, 0.001, 0.97, 0.0001]]] as [number, number[]][]) {
        x.configureSymmetric(K, 1, 1, 1, 0.5, ACTIVATION_CODE[a], ACTIVATION_CODE[b] + 1);
        core.f64.set(y, x.symmetricPtrState() >> 3);
        const p0 = x.statOrthantPanels();
        x.evaluateSymmetricRhs();
        const panels = x.statOrthantPanels() - p0;
        per.push(time(() => x.evaluateSymmetricRhs()) - orthantPanel * panels);
        panelCounts.push(panels);
      }
      symmetricRhs[`${a}/${b}`] = g(Math.max(...per));
      const typical = panelCounts.reduce((s, v) => s + v, 0) / panelCounts.length;
      if (typical > 0) symmetricPanels[`${a}/${b}`] = g(typical);
      cols.push(`${a} / ${b}: ${(symmetricRhs[`${a}/${b}`] * 1e6).toFixed(2)} us${typical > 0 ? ` + ${panelCounts.join(", ")} panels` : ""}`);
    }
  log(`\nSite-symmetric right-hand side without its orthant panels (largest of three states): ${cols.join("; ")}`);
}

let hermite = { ratioAt10: 1, exponent: 3 };
// Hermite series: the I4 part at order N relative to the exact one
const hermitePoints: [number, number][] = [];
for (const [K, M] of [[2, 2], [3, 3]] as [number, number][])
  for (const N of [4, 6, 8, 10, 14, 20]) {
    setState(K, M);
    x.configureModel(0, 1, N, 0.5, 0);  // Hermite: no orthant panels
    const s = time(() => x.evaluateRhs());
    const c = rhs["relu/relu"], { nI3, nI4, nI4distinct } = rhsAverages(K, M);
    hermitePoints.push([N, Math.max(1e-3, (s - c[0] - c[1] * nI3 - c[2] * (nI4 - nI4distinct)) / (c[3] * nI4distinct))]);
  }
{
  const n = hermitePoints.length;
  const X = hermitePoints.map(([N]) => Math.log(N / 10)), Y = hermitePoints.map(([, r]) => Math.log(r));
  const mx = X.reduce((s, v) => s + v, 0) / n, my = Y.reduce((s, v) => s + v, 0) / n;
  const p = X.reduce((s, v, i) => s + (v - mx) * (Y[i] - my), 0) / X.reduce((s, v) => s + (v - mx) ** 2, 0);
  hermite = { ratioAt10: g(Math.exp(my - p * mx)), exponent: g(p) };
  log(`\nHermite I4 part relative to exact: ${hermite.ratioAt10} (N/10)^${hermite.exponent} (points ${hermitePoints.map(([N, r]) => `N=${N}: ${r.toFixed(2)}`).join(", ")})`);
}

// ---------------------------------------------------------------- SGD
const sgd: Record<string, [number, number]> = {};
let sgdRecord = 0;
log("\n| SGD, student activation | s0 per input | s1 per d (K+M) | worst fit ratio |\n|---|---|---|---|");
for (const act of ACTS) {
  const A: number[][] = [], t: number[] = [];
  for (const d of [100, 1000, 10000, 30000])
    for (const K of [1, 2, 4, 8]) {
      const I = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 1 : 0)));
      const plan = resolveSimulation({ activation: act, K, M: K, T: I, Q0: I.map((r) => r.map((v) => 0.3 * v)), R0: I.map((r) => r.map(() => 0.01)), learningRate: 0.1, d, runs: 1, alphas: [0, 1e6 / d] });
      prepareEngine(core, plan);
      const [hi, lo] = runSeed(1, 0);
      x.sgdBegin(hi, lo, 0, 0, ACTIVATION_CODE[act], 0.1, 0, 1e9, 0);
      const steps = Math.max(20, Math.round(2e6 / (d * 2 * K)));
      const s = time(() => x.sgdContinue(steps), 150) / steps;
      A.push([1, d * 2 * K]);
      t.push(s);
    }
  const c = fitRelative(A, t);
  sgd[act] = [g(c[0]), g(c[1])];
  log(`| ${act} | ${g(c[0])} | ${g(c[1])} | ${worst(A.map((r) => c[0] + c[1] * r[1]), t).toFixed(2)} |`);
}
{
  // recording: a run that records every step against one that records once
  const d = 2000, K = 4;
  const I = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 1 : 0)));
  const base = { activation: "relu" as const, K, M: K, T: I, Q0: I.map((r) => r.map((v) => 0.3 * v)), R0: I.map((r) => r.map(() => 0.01)), learningRate: 0.1, d, runs: 1 };
  const run = (samples: number) => {
    const plan = resolveSimulation({ ...base, alphas: Array.from({ length: samples }, (_, i) => (200 * i) / (samples - 1) / d) });
    prepareEngine(core, plan);
    return time(() => {
      x.sgdBegin(0, 1, 0, 0, 0, 0.1, 0, 1e9, 0);
      x.sgdContinue(0);
    });
  };
  const D = (K * (K + 1)) / 2 + K * K;
  sgdRecord = g(Math.max(1e-12, (run(201) - run(2)) / 199 / (D * d)));
  log(`\nSGD sample record: ${sgdRecord} s per d D`);
}

// ---------------------------------------------------------------- Newton starts
let newtonJacobiansPerStart = 0;
const zeroStart = (K: number, M: number) => ({ Q0: Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? 0.5 : 0))), R0: Array.from({ length: K }, () => new Array<number>(M).fill(0)) });
for (const s of [
  { activation: "relu" as const, K: 2, M: 2, T: [[1, 0], [0, 1]], learningRate: 0.5, multiStart: 6 },
  { activation: "erf" as const, K: 3, M: 3, T: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], learningRate: 0.5, multiStart: 6 },
  { activation: "relu" as const, K: 3, M: 2, T: [[1, 0], [0, 1]], learningRate: 0.3, multiStart: 6 },
].map((s) => ({ ...s, ...zeroStart(s.K, s.M) }))) {
  const r = fixedPoints(s);
  const D = (s.K * (s.K + 1)) / 2 + s.K * s.M;
  const per = r.stats.rhsEvaluations / r.starts / (2 * D + 2);
  newtonJacobiansPerStart = Math.max(newtonJacobiansPerStart, per);
  log(`fixedPoints ${s.activation} K = ${s.K}, M = ${s.M}: ${r.starts} starts, ${r.stats.rhsEvaluations} right-hand sides, ${per.toFixed(2)} x (2D + 2) per start`);
}
newtonJacobiansPerStart = g(newtonJacobiansPerStart);

// ---------------------------------------------------------------- host computations
const host: Record<string, number> = {};
/** CPU seconds of one call of f, after a first call that warms it up (compilation). */
const wall = (f: () => unknown) => {
  f();
  const t0 = cpu();
  f();
  return cpu() - t0;
};
const unitFit = (name: string, unit: string, points: [number, number][]) => {
  // seconds per unit: the largest ratio over the points (conservative)
  const c = Math.max(...points.map(([u, s]) => s / u));
  host[name] = g(c);
  log(`host ${name}: ${g(c)} s per ${unit} (${points.map(([u, s]) => `${u.toPrecision(3)} units in ${(s * 1000).toFixed(1)} ms`).join("; ")})`);
};
const rows = (K: number, d: number, s: number) => Array.from({ length: K }, (_, j) => Array.from({ length: d }, (_, i) => Math.sin(1 + s * j + 0.7 * i)));
unitFit("gradient", "K (K + M) d of one population gradient", [[4, 50], [10, 100], [20, 400]].map(([K, d]) => {
  const W = rows(K, d, 1), Ws = rows(K, d, 2);
  return [K * 2 * K * d, time(() => populationGradient({ W, Wstar: Ws }))] as [number, number];
}));
unitFit("hessian", "(K d)^3 of one population Hessian", [[3, 3], [4, 6], [6, 6]].map(([K, d]) => {
  const W = rows(K, d, 1), Ws = rows(K, d, 2);
  return [(K * d) ** 3, wall(() => populationHessian({ W, Wstar: Ws }))] as [number, number];
}));
unitFit("vectorFieldPoint", "grid point of symmetricVectorField", [[100], [200]].map(([n]) => [n * n, wall(() => symmetricVectorField({ K: 6, n }))] as [number, number]));
unitFit("criticalStart", "grid start of symmetricCriticalPoints (Hessians excluded: K = 2)", [[40], [80]].map(([n]) => [n * n, wall(() => symmetricCriticalPoints({ K: 2, grid: n }))] as [number, number]));
unitFit("sampledInput", "input x d of sampledGradientCheck", [[10, 1000], [50, 1000]].map(([d, N]) => [12 * 5 * N * d, wall(() => sampledGradientCheck({ d, N: [N], trials: 5 }))] as [number, number]));
unitFit("trainUnit", "multiply-add of trainSingleLayer (batch n0 n1 + testSize n0 n1 + batch n0 per step)", [[20, 5, 32, 50], [50, 10, 64, 20]].map(([n0, n1, b, steps]) => [steps * (b * n0 * n1 + 1000 * n0 * n1 + b * n0), wall(() => trainSingleLayer({ n0, n1, batchSize: b, steps, seed: 1 }))] as [number, number]));
{
  const pts: [number, number][] = [];
  for (const [K, samples] of [[2, 21], [5, 21]]) {
    const t0 = cpu();
    const r = equilibrium({ activation: "relu", K, alphaMax: 10, samples });
    pts.push([r.stats.minimizations, cpu() - t0]);
    log(`equilibrium relu K = ${K}, ${samples} samples: ${r.stats.minimizations} minimizations (${(r.stats.minimizations / samples / 27).toFixed(2)} x samples x startsPerAxis^3)`);
  }
  unitFit("minimization", "minimization of the equilibrium free energy", pts);
  const tr: [number, number][] = [];
  for (const K of [2, 5]) {
    const t0 = cpu();
    const r = transitions({ activation: "relu", K });
    tr.push([r.stats.minimizations, cpu() - t0]);
    log(`transitions relu K = ${K}: ${r.stats.minimizations} minimizations`);
  }
  unitFit("transitionMinimization", "minimization in transitions (incl. its scans)", tr);
  unitFit("siteCheck", "p^3 of a site-symmetry check (p = K^2 + K(K-1)/2 parameters)", [8, 12, 16].map((K) => {
    const p = K * K + (K * (K - 1)) / 2;
    return [p ** 3, wall(() => siteSymmetryCheck({ activation: "relu", K }, 5, 0.5, 0.05, 0.1))] as [number, number];
  }));
}
// the site-symmetric plateau (its escape constant aside) and one K of etaLimits, per student activation
for (const act of ACTS) {
  if (act === "linear") continue; // a linear student has no plateau to escape from
  unitFit(`plateau.${act}`, `plateau() call, ${act} (approach, Newton, block eigenvalues; delta not given)`, [2, 10, 1000, 1e5].map((K) => [1, wall(() => plateau({ activation: act, K, learningRate: 0.5 / K }))] as [number, number]));
  unitFit(`etaLimitsRow.${act}`, `K of etaLimits(), ${act}`, [2, 10, 100, 1e4].map((K) => [1, wall(() => etaLimits({ activation: act, K: [K] }))] as [number, number]));
  unitFit(`etaLimitsPerfect.${act}`, `K of etaLimits({ escape: false }), ${act}`, [2, 10, 100, 1e4].map((K) => [1, wall(() => etaLimits({ activation: act, K: [K], escape: false }))] as [number, number]));
}
const instance = g(time(() => createEngine(core.module), 50));
log(`\ninstance of the core: ${instance} s`);

// ---------------------------------------------------------------- write
const cpuModel = cpus()[0]?.model ?? "unknown CPU";
const measured = `${new Date().toISOString().slice(0, 10)}, ${cpuModel}, ${cpus().length} cores, Node ${process.version}`;
const text = `// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by \`npm run bench:calibrate\` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: ${JSON.stringify(measured)},
  /**
   * Right-hand side per "student/teacher" activation, without its orthant panels: [c0, c3, c4, c4d],
   * seconds = c0 + c3 nI3 + c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: ${JSON.stringify(rhs)} as Record<string, [number, number, number, number]>,
  /** Seconds of one Gauss-Kronrod panel of the ReLU orthant quadrature (charged per panel the kernel counts). */
  orthantPanel: ${orthantPanel},
  /** Typical orthant panels per distinct I4, per activation pair that uses them (mean over the calibration's states), for estimates. */
  panelsPerDistinctI4: ${JSON.stringify(panelsPerDistinctI4)} as Record<string, number>,
  /** Site-symmetric right-hand side (K-independent) per "student/teacher" activation, without its orthant panels. */
  symmetricRhs: ${JSON.stringify(symmetricRhs)} as Record<string, number>,
  /** Typical orthant panels of a site-symmetric right-hand side (mean over the calibration's states), for estimates. */
  symmetricPanels: ${JSON.stringify(symmetricPanels)} as Record<string, number>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: ${JSON.stringify(hermite)},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: ${JSON.stringify(sgd)} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: ${sgdRecord},
  /** Instantiating the core. */
  instance: ${instance},
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: ${newtonJacobiansPerStart},
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: ${JSON.stringify(host)} as Record<string, number>,
};
`;
writeFileSync("src/work/costModel.ts", text);
const table = `<!-- calibration:begin -->\n## Calibration of the work estimates\n\n\`npm run bench:calibrate\` (bench/calibrate.ts), ${measured}; constants in src/work/costModel.ts.\n\n${lines.join("\n")}\n<!-- calibration:end -->`;
const path = "bench/RESULTS.md";
const old = existsSync(path) ? readFileSync(path, "utf8") : "";
writeFileSync(path, /<!-- calibration:begin -->[\s\S]*<!-- calibration:end -->/.test(old) ? old.replace(/<!-- calibration:begin -->[\s\S]*<!-- calibration:end -->/, table) : `${old.trimEnd()}\n\n${table}\n`);
console.log("wrote src/work/costModel.ts and the calibration table of bench/RESULTS.md");
