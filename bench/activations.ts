// Benchmarks of every activation (docs/theory.md section 10), not timed tests:
//   - accuracy: the largest error of I2, I3, I4 (and J2) against the independent references of
//     test/reference (Wick enumeration, the logistic mixture of erf closed forms, the numpy
//     fixture, sign-flipped ReLU averages of the plain-TS reference, 2-D adaptive quadrature)
//     over random and nearly singular covariances;
//   - cost of one right-hand side at K = M = 2 (two states), and its ratio to relu's;
//   - the exact activations (and mixed pairs) at K = M = 2 and 5, against a previous build of the
//     core measured in the same run when ACTIVATION_BENCH_BASELINE names its release.wasm;
//   - SGD steps per second (d = 1000, K = M = 2) and the ratio to relu's;
//   - the tanh trajectory of the issue: K = M = 2, RK4 step 0.01, alpha = 0..100 (or a part of it:
//     ACTIVATION_BENCH_ALPHA=100 for the whole, default 5).
// Replaces the <!-- activations:begin --> ... <!-- activations:end --> section of bench/RESULTS.md.
// Run with `npm run bench:activations`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import wasmBytes from "../build/release.wasm";
import { createEngine } from "../src/core/engine";
import { ACTIVATIONS, ACTIVATION_CODE, type Activation } from "../src/core/exports";
import { i2, i3, i4, integrate, j2, simulateSync, useCore } from "../src/index";
import { activation as refActivation, logisticAverage, monomials, polynomialExpectation, quadrature2 } from "../test/reference/activations";
import { factorCovariance, makeNormal, reluAverage, type Matrix } from "../test/reference/gaussian";

useCore(wasmBytes as Uint8Array);
const engine = createEngine(wasmBytes as Uint8Array);
const x = engine.exports;
const params = { slope: 0.2, hermiteCoefficients: [0.2, 0.8, 0.3, -0.15] };
const now = () => performance.now();
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// ------------------------------------------------------------------ accuracy
function randomCovariance(n: number, seed: number, shift: number, scale = 1): Matrix {
  const normal = makeNormal(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => normal()));
  return B.map((bi, i) => B.map((bj, j) => (scale * bi.reduce((s, v, k) => s + v * bj[k], 0)) / n + (i === j ? shift : 0)));
}
const pick = (A: Matrix, idx: number[]) => idx.map((i) => idx.map((j) => A[i][j]));
/** z2's factor row turned towards z0's until corr(z0, z2) = r (the rest follows). */
function withCorrelation(A: Matrix, r: number): Matrix {
  const L = factorCovariance(A);
  const n0 = Math.hypot(...L[0]);
  const e0 = L[0].map((v) => v / n0);
  const proj = L[2].reduce((s, v, k) => s + v * e0[k], 0);
  const perp = L[2].map((v, k) => v - proj * e0[k]);
  const np = Math.hypot(...perp), n2 = Math.hypot(...L[2]);
  const rows = [L[0], L[1], e0.map((v, k) => n2 * (r * v + Math.sqrt(1 - r * r) * perp[k] / np)), L[3]];
  return rows.map((a) => rows.map((b) => a.reduce((s, v, k) => s + v * b[k], 0)));
}
const covs: [string, Matrix][] = [
  ["random", randomCovariance(4, 101, 0.15)],
  ["random, variances ~2.5", randomCovariance(4, 103, 0.2, 2.5)],
  ["|corr| = 0.99", withCorrelation(randomCovariance(4, 105, 0.6), 0.99)],
];
const patterns: [string, number[], 1 | 2][] = [["I2", [0, 2], 2], ["J2", [0, 1], 2], ["I3", [0, 1, 2], 2], ["I3", [0, 0, 2], 2], ["I4", [0, 1, 2, 3], 2], ["I4", [0, 0, 2, 3], 2], ["I4", [0, 0, 2, 2], 2]];

function library(kind: string, A: Matrix, idx: number[], act: Activation): number {
  const o = { activation: act, ...params };
  const B = pick(A, idx);
  return kind === "I2" ? i2(B, o) : kind === "J2" ? j2(B, o) : kind === "I3" ? i3(B, o) : i4(B, o);
}

/** The reference of a pattern, or null where none of test/reference covers it cheaply. */
function reference(kind: string, A: Matrix, idx: number[], act: Activation): number | null {
  const B = pick(A, idx);
  const slots = kind === "I2" ? ["g", "g"] : kind === "J2" ? ["dg", "dg"] : kind === "I3" ? ["dg", "z", "g"] : ["dg", "dg", "g", "g"];
  if (act === "tanh" || act === "sigmoid" || act === "erf") {
    return logisticAverage(B, slots.map((p, v) => ({ v, name: act, piece: p as "g" | "dg" | "z" })), kind === "I4" ? 24 : 32);
  }
  if (["square", "hermite2", "hermite3", "hermite4", "hermiteCoefficients", "linear"].includes(act)) {
    return polynomialExpectation(B, slots.map((p, v) => ({ v, mono: p === "z" ? [0, 1] : monomials(act as "square", p === "g" ? 0 : 1, params) })));
  }
  if (act === "relu" || act === "leakyRelu" || act === "abs") {
    // g = relu(z) - a relu(-z), g' = theta(z) + a theta(-z): sign flips of the plain-TS ReLU reference
    const a = act === "relu" ? 0 : act === "abs" ? -1 : params.slope;
    if (kind === "J2") return null;
    let sum = 0;
    const n = B.length;
    for (let m = 0; m < 1 << n; m++) {
      const s = B.map((_, i) => (slots[i] === "z" ? 1 : (m >> i) & 1 ? -1 : 1));
      if (slots.some((p, i) => p === "z" && (m >> i) & 1)) continue;
      let c = 1;
      slots.forEach((p, i) => { if (s[i] < 0) c *= p === "g" ? -a : a; });
      if (c === 0) continue;
      const F = B.map((r, i) => r.map((v, j) => s[i] * s[j] * v));
      try {
        sum += c * reluAverage(F, kind as "I2" | "I3" | "I4");
      } catch {
        return null; // the plain-TS reference needs a definite covariance (repeated indices: none here)
      }
    }
    return sum;
  }
  // silu, softplus, gelu: 2-D adaptive quadrature where at most two variables are distinct
  const distinct = new Set(idx).size;
  if (distinct > 2) return null;
  const f = refActivation(act, params);
  const used = [...new Set(idx)].sort();
  const fs = slots.map((p, i) => ({ v: used.indexOf(idx[i]), fn: p === "z" ? (t: number) => t : p === "g" ? f.g : f.dg, kink: f.kink }));
  return quadrature2(pick(A, used), fs, 1e-11 * Math.max(1, quadrature2(pick(A, used), fs, 1e-2, true)));
}

/** Largest errors against the numpy fixture (silu, softplus, gelu; 3 and 4 variables). */
function fixtureError(act: Activation): number | null {
  const path = "test/fixtures/numpy/smoothAverages.json"; // run from the repository root
  if (!existsSync(path)) return null;
  const list = (JSON.parse(readFileSync(path, "utf8")).averages as { cov: Matrix; activation: string; teacherActivation: string; kind: string; indices: number[]; value: number }[])
    .filter((a) => a.activation === act && a.teacherActivation === act);
  if (list.length === 0) return null;
  let worst = 0;
  for (const a of list) worst = Math.max(worst, Math.abs(library(a.kind, a.cov, a.indices, act) - a.value));
  return worst;
}

const accuracy = new Map<Activation, { worst: number; checked: number; against: string }>();
for (const act of ACTIVATIONS) {
  let worst = 0, checked = 0;
  for (const [, A] of covs) {
    for (const [kind, idx] of patterns) {
      const ref = reference(kind, A, idx, act);
      if (ref === null) continue;
      worst = Math.max(worst, Math.abs(library(kind, A, idx, act) - ref) / Math.max(1, Math.abs(ref)));
      checked++;
    }
  }
  const fx = fixtureError(act);
  if (fx !== null) { worst = Math.max(worst, fx); checked += 15; }
  const against = act === "tanh" || act === "sigmoid" || act === "erf" ? "logistic mixture of erf closed forms"
    : ["relu", "leakyRelu", "abs"].includes(act) ? "sign-flipped plain-TS ReLU averages"
    : ["silu", "softplus", "gelu"].includes(act) ? "numpy fixture (3-4 variables), 2-D quadrature" : "Wick enumeration";
  accuracy.set(act, { worst, checked, against });
  console.log(`accuracy ${act}: max error ${worst.toExponential(1)} over ${checked} averages (${against})`);
}

/** Milliseconds per call of run: the median of five rounds of at least minMs each. */
function medianMilliseconds(run: () => void, minMs: number): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const t0 = now();
    while (now() - t0 < minMs || n === 0) { run(); n++; }
    times.push((now() - t0) / n);
  }
  return median(times);
}

// ------------------------------------------------------------------ cost of one right-hand side
const T = [[1, 0], [0, 2]];
const states: [string, number[]][] = [
  ["early", [0.1, 0, 0.2, 1e-3, 0, 0, 1e-3]],
  ["plateau", [0.46, 0.3, 0.46, 0.43, 0.42, 0.42, 0.43]],
];
function rhsCost(act: Activation, u: number[], on: ReturnType<typeof createEngine> = engine): { ms: number; nodes: number } {
  const x = on.exports;
  x.layout(2, 2, 2, 0);
  const f = on.f64;
  const tp = x.ptrT() >> 3;
  f[tp] = 1; f[tp + 1] = 0; f[tp + 2] = 0; f[tp + 3] = 2;
  f.set([1, 1], x.ptrV() >> 3);
  f.set([1, 1], x.ptrVs() >> 3);
  f.set(u, x.ptrU() >> 3);
  on.f64.set(params.hermiteCoefficients, x.activationCoefficientsPtr() >> 3);
  x.setActivationParameters(0, params.slope, params.hermiteCoefficients.length);
  x.setActivationParameters(1, params.slope, params.hermiteCoefficients.length);
  x.setQuadratureTolerance(5e-10);
  x.configureModel(ACTIVATION_CODE[act], 0, 10, 1, 0);
  x.resetAverageStats();
  x.evaluateRhs();
  const nodes = x.statQuadratureNodes();
  return { ms: medianMilliseconds(() => x.evaluateRhs(), 150), nodes };
}
const cost = new Map<Activation, { early: number; plateau: number; nodes: number }>();
for (const act of ACTIVATIONS) {
  const e = rhsCost(act, states[0][1]), p = rhsCost(act, states[1][1]);
  cost.set(act, { early: e.ms, plateau: p.ms, nodes: p.nodes });
  console.log(`rhs ${act}: early ${e.ms.toFixed(3)} ms, plateau ${p.ms.toFixed(3)} ms (${p.nodes} quadrature nodes)`);
}

// With a baseline build (ACTIVATION_BENCH_BASELINE: a release.wasm; ACTIVATION_BENCH_BASELINE_NOTE: what
// it is) the quadrature activations' right-hand sides and the exact pairs below are measured on both,
// alternating, in this run.
const baselinePath = process.env.ACTIVATION_BENCH_BASELINE;
const baselineNote = process.env.ACTIVATION_BENCH_BASELINE_NOTE ?? `the core ${baselinePath ?? ""}`;
const builds: { name: string; engine: ReturnType<typeof createEngine> }[] = [{ name: "this build", engine }];
if (baselinePath) builds.push({ name: "previous", engine: createEngine(readFileSync(baselinePath)) });
const QUADRATURE_ACTIVATIONS: Activation[] = ["tanh", "sigmoid", "silu", "softplus", "gelu"];
// previousCost[act] = [this build, previous] x [early, plateau], medians of three alternating rounds
const previousCost = new Map<Activation, number[][]>();
if (builds.length > 1) {
  for (const act of QUADRATURE_ACTIVATIONS) {
    const t = builds.map(() => [[] as number[], [] as number[]]);
    for (let round = 0; round < 3; round++) {
      builds.forEach((b, k) => {
        states.forEach(([, u], j) => t[k][j].push(rhsCost(act, u, b.engine).ms));
      });
    }
    previousCost.set(act, t.map((byState) => byState.map(median)));
    console.log(`rhs ${act} against the previous build: ${previousCost.get(act)!.map((r) => r.map((v) => v.toFixed(3)).join("/")).join(" vs ")} ms`);
  }
}

// ------------------------------------------------------------------ exact activations at K = M = 2 and 5
// Ratio of each pair's right-hand side to relu's of the same build: the median of three ratios, relu
// measured again just before the pair each time (the machine is shared); with a baseline build
// the two builds alternate.
const EXACT_PAIRS: [Activation, Activation][] = [
  ["leakyRelu", "leakyRelu"], ["abs", "abs"], ["square", "square"], ["hermite2", "hermite2"], ["hermite3", "hermite3"], ["hermite4", "hermite4"],
  ["hermiteCoefficients", "hermiteCoefficients"], ["leakyRelu", "relu"], ["relu", "abs"], ["abs", "linear"], ["hermite2", "hermite3"], ["square", "linear"],
  ["hermite2", "relu"], ["relu", "hermite2"],
];
/** K = M: T = diag(1 .. 2); early: Q = diag(0.1 .. 0.2), R = 1e-3 I; plateau: Q_ii = 0.46, Q_ik = 0.3, R ~ 0.42. */
function stateOf(K: number, kind: "early" | "plateau"): { u: number[]; T: number[][] } {
  const T = Array.from({ length: K }, (_, n) => Array.from({ length: K }, (_, m) => (n === m ? 1 + n / (K - 1) : 0)));
  const u: number[] = [];
  for (let i = 0; i < K; i++) for (let k = i; k < K; k++) u.push(kind === "early" ? (i === k ? 0.1 + (0.1 * i) / (K - 1) : 0) : i === k ? 0.46 : 0.3);
  for (let i = 0; i < K; i++) for (let n = 0; n < K; n++) u.push(kind === "early" ? (i === n ? 1e-3 : 0) : 0.42 + 0.01 * ((i + n) % 2));
  return { u, T };
}
function rhsMicroseconds(e: ReturnType<typeof createEngine>, K: number, act: Activation, teacher: Activation, u: number[], T: number[][]): number {
  const ex = e.exports;
  ex.layout(K, K, 2, 0);
  e.f64.set(T.flat(), ex.ptrT() >> 3);
  e.f64.set(new Array(K).fill(1), ex.ptrV() >> 3);
  e.f64.set(new Array(K).fill(1), ex.ptrVs() >> 3);
  e.f64.set(u, ex.ptrU() >> 3);
  e.f64.set(params.hermiteCoefficients, ex.activationCoefficientsPtr() >> 3);
  ex.setActivationParameters(0, params.slope, params.hermiteCoefficients.length);
  ex.setActivationParameters(1, params.slope, params.hermiteCoefficients.length);
  ex.configureModel(ACTIVATION_CODE[act], 0, 10, 1, teacher === act ? 0 : ACTIVATION_CODE[teacher] + 1);
  ex.evaluateRhs();
  return medianMilliseconds(() => ex.evaluateRhs(), 20) * 1000;
}
const SHAPES: [number, "early" | "plateau"][] = [[2, "early"], [2, "plateau"], [5, "early"], [5, "plateau"]];
// exactRatio[build][pair][shape]; relu's microseconds per build and shape
const exactRatio = builds.map(() => EXACT_PAIRS.map(() => SHAPES.map(() => 0)));
const reluMicroseconds = builds.map(() => SHAPES.map(() => 0));
SHAPES.forEach(([K, kind], j) => {
  const { u, T } = stateOf(K, kind);
  const reluTimes = builds.map(() => [] as number[]);
  EXACT_PAIRS.forEach(([a, t], p) => {
    const ratios = builds.map(() => [] as number[]);
    for (let round = 0; round < 3; round++) {
      builds.forEach((b, k) => {
        const r = rhsMicroseconds(b.engine, K, "relu", "relu", u, T);
        reluTimes[k].push(r);
        ratios[k].push(rhsMicroseconds(b.engine, K, a, t, u, T) / r);
      });
    }
    builds.forEach((_, k) => { exactRatio[k][p][j] = median(ratios[k]); });
  });
  builds.forEach((_, k) => { reluMicroseconds[k][j] = median(reluTimes[k]); });
  console.log(`exact activations, K = M = ${K}, ${kind}: relu ${reluMicroseconds.map((r) => r[j].toFixed(1)).join(" / ")} us`);
});

// ------------------------------------------------------------------ SGD steps per second
const sgd = new Map<Activation, number>();
{
  // a setting where every activation's run completes (polynomials diverge fast otherwise);
  // the activations interleaved, five rounds, the median rate of each
  const setting = { ...params, T: [[0.2, 0], [0, 0.2]], Q0: [[0.1, 0.01], [0.01, 0.08]], R0: [[0.06, 0.01], [0, 0.07]], v: [0.5, 0.5], vStar: [0.5, 0.5], d: 1000, runs: 1, seed: 1, learningRate: 0.05, alphas: [0, 20], matchTo: "none" as const };
  const rates = new Map<Activation, number[]>(ACTIVATIONS.map((a) => [a, []]));
  for (let r = 0; r < 5; r++) {
    for (const act of ACTIVATIONS) {
      const t0 = now();
      const sim = simulateSync({ ...setting, activation: act });
      if (sim.status !== "completed") throw new Error(`SGD benchmark run of ${act} did not complete`);
      rates.get(act)!.push(20_000 / ((now() - t0) / 1000));
    }
  }
  for (const act of ACTIVATIONS) {
    sgd.set(act, median(rates.get(act)!));
    console.log(`SGD ${act}: ${(sgd.get(act)! / 1000).toFixed(1)} k steps/s`);
  }
}

// ------------------------------------------------------------------ the tanh trajectory
const alphaMax = Number(process.env.ACTIVATION_BENCH_ALPHA ?? 5);
const t0 = now();
const traj = integrate({ activation: "tanh", T, Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], learningRate: 1, integrator: "rk4", step: 0.01, alphaMax, samples: 2, maxWork: 3600 });
const trajMs = now() - t0;
console.log(`tanh trajectory alpha 0..${alphaMax}: ${(trajMs / 1000).toFixed(1)} s, ${traj.stats.rhsEvaluations} right-hand sides, status ${traj.status}, max nodes ${traj.averages.maxEvaluations}`);

// ------------------------------------------------------------------ the table
const ROUTES: Record<Activation, [string, string]> = {
  relu: ["max(x, 0)", "closed form (docs/theory.md section 2.1-2.2; orthant P4 by adaptive quadrature)"],
  erf: ["erf(x/√2)", "closed form (Saad & Solla)"],
  linear: ["x", "closed form"],
  leakyRelu: ["max(x, a x), slope a (0.01)", "exact: (1-a) relu + a x, relu closed forms; I4 by term expansion; the ODE's sums with delta = ReLU part + one Gaussian (section 10.1)"],
  abs: ["\\|x\\|", "exact: leakyRelu with a = -1"],
  square: ["x²", "exact: Wick's theorem in the Hermite basis; the ODE's sums per covariance (section 10.1)"],
  hermite2: ["He₂ = x² - 1", "exact: Wick / Hermite"],
  hermite3: ["He₃ = x³ - 3x", "exact: Wick / Hermite"],
  hermite4: ["He₄ = x⁴ - 6x² + 3", "exact: Wick / Hermite"],
  hermiteCoefficients: ["Σ cₙ Heₙ(x), n ≤ 8", "exact: Wick / Hermite (term expansion with piecewise-linear partners)"],
  tanh: ["tanh x", "quadrature (tolerance 5e-10)"],
  sigmoid: ["1/(1 + e⁻ˣ)", "quadrature (tolerance 5e-10)"],
  gelu: ["x Φ(x)", "exact: Φ(z) = P(u < z), Stein's lemma to orthant probabilities"],
  silu: ["x/(1 + e⁻ˣ)", "quadrature (tolerance 5e-10)"],
  softplus: ["ln(1 + eˣ)", "quadrature (tolerance 5e-10)"],
};
const relu = cost.get("relu")!;
/** Milliseconds as microseconds below 1 ms. */
const us = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const reluSgd = sgd.get("relu")!;
const rows = ACTIVATIONS.map((a) => {
  const acc = accuracy.get(a)!, c = cost.get(a)!;
  return `| ${a} | ${ROUTES[a][0]} | ${ROUTES[a][1]} | ${acc.worst.toExponential(1)} (${acc.checked}; ${acc.against}) | ${us(c.early)} (${(c.early / relu.early).toFixed(1)}x) | ${us(c.plateau)} (${(c.plateau / relu.plateau).toFixed(1)}x) | ${(sgd.get(a)! / 1000).toFixed(0)} k (${(sgd.get(a)! / reluSgd).toFixed(2)}) |`;
});
const ratio = (r: number) => `${r < 0.095 ? r.toFixed(2) : r.toFixed(1)}x`;
const cell = (p: number, j: number) => `${ratio(exactRatio[0][p][j])}${builds.length > 1 ? ` (${ratio(exactRatio[1][p][j])})` : ""}`;
const exactRows = EXACT_PAIRS.map(([a, t], p) => `| ${a} / ${t} | ${SHAPES.map((_, j) => cell(p, j)).join(" | ")} |`);
const reluRow = `| relu / relu (µs) | ${SHAPES.map((_, j) => `${reluMicroseconds[0][j].toFixed(1)}${builds.length > 1 ? ` (${reluMicroseconds[1][j].toFixed(1)})` : ""}`).join(" | ")} |`;
const previousTable = previousCost.size === 0 ? "" : `
Quadrature activations against the previous build (${baselineNote}): right-hand side, K = M = 2, the early and plateau
states above, median of three rounds alternating between the builds.

| activation | early: this build | early: previous | ratio | plateau: this build | plateau: previous | ratio |
|---|---|---|---|---|---|---|
${[...previousCost.entries()].map(([a, [cur, prev]]) => `| ${a} | ${us(cur[0])} | ${us(prev[0])} | ${(cur[0] / prev[0]).toFixed(2)} | ${us(cur[1])} | ${us(prev[1])} | ${(cur[1] / prev[1]).toFixed(2)} |`).join("\n")}
`;
const section = `<!-- activations:begin -->
## Activations (bench/activations.ts, \`npm run bench:activations\`)

Measured on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the start (a shared machine: ratios, not absolute times).
Accuracy: the largest |library - reference| (relative where |reference| > 1) over I2, J2, I3, I4 patterns on three covariances
(random, variances ~2.5, |corr| = 0.99; repeated indices included) and, for silu/softplus/gelu, the 15 entries of the numpy
fixture. Right-hand side: K = M = 2, T = diag(1, 2), one evaluation at an early state (Q = diag(0.1, 0.2), R = 1e-3 I) and at
a plateau state (Q = [[0.46, 0.30], [0.30, 0.46]], R ≈ 0.42), ratio to relu's. SGD: simulateSync, d = 1000, K = M = 2,
T = 0.2 I, v = v* = 1/2, η = 0.05 (a setting where every activation's run completes), 20 000 steps, the activations
interleaved over five rounds (median), ratio to relu's rate (relu skips the update of an inactive unit).

| activation | definition | averages | max error (averages checked; reference) | right-hand side, early | right-hand side, plateau | SGD steps/s (ratio) |
|---|---|---|---|---|---|---|
${rows.join("\n")}

Exact activations (docs/theory.md section 10.1) and mixed pairs: right-hand side / relu's of the same build, K = M = 2 and 5,
T = diag(1 .. 2), v = v* = 1, early (Q = diag(0.1 .. 0.2), R = 1e-3 I) and plateau (Q_ii = 0.46, Q_ik = 0.3, R ≈ 0.42) states
(at K = M = 5 on the plateau relu's own I4 need the four-variable orthant quadrature: 20-30x its early cost; relu's row: its median time)${builds.length > 1 ? `; in parentheses the previous build (${baselineNote}), measured in the same run, alternating with this one` : ""}.
Each ratio is the median of three, each against relu timed just before; on a loaded machine single ratios still move by ~30%.
A polynomial unit with a piecewise-linear one (the last two rows) still takes the term expansion of productAverages.ts.

| student / teacher | K = M = 2, early | K = M = 2, plateau | K = M = 5, early | K = M = 5, plateau |
|---|---|---|---|---|
${reluRow}
${exactRows.join("\n")}
${previousTable}
tanh, K = M = 2, T = diag(1, 2), Q0 = diag(0.1, 0.2), R0 = 1e-3 I, η = 1, RK4 step 0.01, α = 0..${alphaMax}:
${(trajMs / 1000).toFixed(1)} s (${traj.stats.rhsEvaluations} right-hand sides, ${(trajMs / traj.stats.rhsEvaluations).toFixed(1)} ms each; largest quadrature ${traj.averages.maxEvaluations} integrand evaluations).
<!-- activations:end -->`;
const previous = existsSync("bench/RESULTS.md") ? readFileSync("bench/RESULTS.md", "utf8") : "";
const b = previous.indexOf("<!-- activations:begin -->"), e = previous.indexOf("<!-- activations:end -->");
const next = b >= 0 && e > b ? previous.slice(0, b) + section + previous.slice(e + "<!-- activations:end -->".length) : previous.trimEnd() + "\n\n" + section + "\n";
writeFileSync("bench/RESULTS.md", next);
console.log("wrote the activations section of bench/RESULTS.md");
