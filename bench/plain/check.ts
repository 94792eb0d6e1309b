// Checks the plain-TypeScript ports against the WebAssembly build; prints max differences.
//   npx esbuild bench/plain/check.ts --bundle --platform=node --format=esm --target=es2022 \
//     --loader:.wasm=binary --outfile=/tmp/plaincheck.mjs --log-level=error && node /tmp/plaincheck.mjs
import { i2, i3, i4, hermiteI4, orthantProbability, integrate, orderParameterDerivatives, packState, STATUSES, type Activation, type Integrator } from "../../src/index";
import { orthant4 } from "./orthant";
import { truncatedMoment, scratchMatrix } from "./relu";
import { hermiteI4Correlation } from "./hermite";
import { ACTIVATION_CODE } from "./model";
import { setActivation, avgI2, avgI3, avgI4, configurePlainModel, rhsPlain, packStatePlain, integratePlain } from "./index";

// deterministic random numbers (mulberry32)
let seed = 0x5eed1234;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function randomSpd(n: number): number[][] {
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => 2 * rand() - 1));
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = i === j ? 0.05 + 0.5 * rand() : 0;
    for (let k = 0; k < n; k++) s += B[i][k] * B[j][k];
    return s;
  })).map((row, i, A) => row.map((_, j) => (i <= j ? A[i][j] : A[j][i]))); // exactly symmetric
}
const block = (A: number[][], n: number) => A.slice(0, n).map((r) => r.slice(0, n));
/** The 4x4 argument matrix as the engine's setArgument fills it (identity padding). */
function pad(A: number[][]): Float64Array {
  const out = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) out[4 * i + j] = i < A.length && j < A.length ? A[i][j] : i === j ? 1 : 0;
  return out;
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

// ------------------------------------------------------------------ covariances
const covs: { name: string; A: number[][] }[] = [];
for (let c = 0; c < 6; c++) covs.push({ name: `random SPD #${c}`, A: randomSpd(4) });
{
  // z3 = 2 z2 (perfectly correlated pair: merging in the ReLU recursion)
  const A = randomSpd(4);
  for (let j = 0; j < 4; j++) { A[3][j] = 2 * A[2][j]; A[j][3] = A[3][j]; }
  A[3][3] = 4 * A[2][2];
  A[2][3] = A[3][2] = 2 * A[2][2];
  covs.push({ name: "z3 = 2 z2 (singular)", A });
}
covs.push({ name: "equicorrelated 1/2, scale 3", A: [[3, 1.5, 1.5, 1.5], [1.5, 3, 1.5, 1.5], [1.5, 1.5, 3, 1.5], [1.5, 1.5, 1.5, 3]] });
covs.push({ name: "identity", A: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] });
{
  // nearly singular: z3 close to z0 + z1
  const A = randomSpd(4);
  const w = [1, 1, 0, 0];
  const cov = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y.reduce((t, yj, j) => t + A[i][j] * yj, 0), 0);
  for (let j = 0; j < 3; j++) { const ej = [0, 0, 0, 0]; ej[j] = 1; A[3][j] = A[j][3] = cov(w, ej); }
  A[3][3] = cov(w, w) * (1 + 1e-6);
  covs.push({ name: "nearly singular (z3 ~ z0 + z1)", A });
}

const acts = ["relu", "erf", "linear"] as const; // the activations with a plain-TS port
const maxDiff: Record<string, number> = {};
const note = (key: string, d: number) => { maxDiff[key] = Math.max(maxDiff[key] ?? 0, d); };

for (const { name, A } of covs) {
  for (const act of acts) {
    setActivation(ACTIVATION_CODE[act]);
    const w2 = i2(block(A, 2), { activation: act });
    const p2 = avgI2(pad(block(A, 2)), 4, 0, 1);
    const w3 = i3(block(A, 3), { activation: act });
    const p3 = avgI3(pad(block(A, 3)), 4, 0, 1, 2);
    const w4 = i4(A, { activation: act });
    const p4 = avgI4(pad(A), 4, 0, 1, 2, 3);
    note(`${act} i2`, Math.abs(w2 - p2));
    note(`${act} i3`, Math.abs(w3 - p3));
    note(`${act} i4`, Math.abs(w4 - p4));
    if (Math.abs(w4 - p4) > 1e-13) console.log(`  ${act} i4 on ${name}: wasm ${w4} plain ${p4}`);
  }
  // orthant probability: public API (truncated moment with p = 0) vs plain
  const wo = orthantProbability(A);
  const M0 = scratchMatrix(0);
  M0.set(pad(A));
  note("orthant P4 (truncatedMoment)", Math.abs(wo - truncatedMoment(M0, 4, 0, 0)));
  if (!name.includes("(singular)")) note("orthant P4 (orthant4 direct)", Math.abs(wo - orthant4(pad(A), 4)));
  // Hermite N = 10 on the correlation matrix
  const s = A.map((r, i) => Math.sqrt(r[i]));
  const R = A.map((r, i) => r.map((x, j) => (i === j ? 1 : x / (s[i] * s[j]))));
  for (const N of [10]) {
    const wh = hermiteI4(R, { hermiteOrder: N }).value;
    const ph = hermiteI4Correlation(R[0][1], R[0][2], R[0][3], R[1][2], R[1][3], R[2][3], N);
    note(`hermite I4 N=${N}`, Math.abs(wh - ph));
  }
}

// ------------------------------------------------------------------ one right-hand side
for (const act of acts) {
  for (let c = 0; c < 3; c++) {
    const K = 3, M = 2;
    const Cfull = randomSpd(K + M);
    const Q = block(Cfull, K);
    const R = Q.map((_, i) => [Cfull[i][K], Cfull[i][K + 1]]);
    const T = [[Cfull[K][K], Cfull[K][K + 1]], [Cfull[K + 1][K], Cfull[K + 1][K + 1]]];
    const eta = 0.7;
    const w = orderParameterDerivatives({ activation: act, K, M, T, Q, R, learningRate: eta });
    const wu = packState(w.dQ, w.dR);
    configurePlainModel({ activation: act, K, M, T, eta });
    const u = packStatePlain(Q, R);
    const du = new Float64Array(u.length);
    rhsPlain(u, du);
    for (let i = 0; i < du.length; i++) note(`${act} rhs (K=3, M=2)`, rel(du[i], wu[i]));
    const du2 = rhsPlain({ activation: act, K, M, T, Q, R, eta });
    for (let i = 0; i < du2.length; i++) note(`${act} rhs, options form`, rel(du2[i], wu[i]));
  }
}

// ------------------------------------------------------------------ trajectories
interface Run { name: string; activation: (typeof acts)[number]; integrator: Integrator; alphaMax: number; samples: number; K: number; M: number; T: number[][]; Q0: number[][]; R0: number[][]; eta: number; step: number; rtol: number; atol: number; maxSteps: number }
const ref = { K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]], eta: 1, step: 0.01, rtol: 1e-9, atol: 1e-12, maxSteps: 1e7 };
const runs: Run[] = [
  { name: "reference (relu, rk4)", activation: "relu", integrator: "rk4", alphaMax: 60, samples: 3, ...ref },
  { name: "relu, adaptive", activation: "relu", integrator: "adaptive", alphaMax: 60, samples: 7, ...ref },
  { name: "erf, adaptive", activation: "erf", integrator: "adaptive", alphaMax: 100, samples: 11, ...ref },
  { name: "erf, rk4", activation: "erf", integrator: "rk4", alphaMax: 20, samples: 5, ...ref },
  { name: "linear, euler", activation: "linear", integrator: "euler", alphaMax: 20, samples: 5, ...ref, eta: 0.5 },
  { name: "relu K=3 M=2, rk4", activation: "relu", integrator: "rk4", alphaMax: 10, samples: 3, ...ref, eta: 0.5, K: 3, T: [[1, 0.2], [0.2, 1.5]],
    Q0: [[0.3, 0.01, 0.02], [0.01, 0.2, 0.0], [0.02, 0.0, 0.25]], R0: [[0.01, 0.0], [0.0, 0.02], [0.005, 0.001]] },
];
const trajectories: string[] = [];
for (const r of runs) {
  const isRef = r.name.startsWith("reference");
  // the reference trajectory through the public defaults: relu, K = M = 2, T = diag(1, 2),
  // Q0 = diag(0.1, 0.2), R0 = 1e-3 I, eta = 1, rk4 with step 0.01
  const w = isRef ? integrate({ alphaMax: 60, samples: 3 }) : integrate({
    activation: r.activation, integrator: r.integrator, alphaMax: r.alphaMax, samples: r.samples, K: r.K, M: r.M, T: r.T, Q0: r.Q0, R0: r.R0,
    learningRate: r.eta, step: r.step, rtol: r.rtol, atol: r.atol, maxSteps: r.maxSteps,
  });
  const p = integratePlain({
    activation: r.activation, K: r.K, M: r.M, T: r.T, Q0: r.Q0, R0: r.R0, eta: r.eta, alphas: Array.from(w.alpha),
    integrator: r.integrator, step: r.step, rtol: r.rtol, atol: r.atol, maxSteps: r.maxSteps,
  });
  let dEg = 0, dU = 0;
  for (let s = 0; s < w.eg.length; s++) dEg = Math.max(dEg, rel(p.eg[s], w.eg[s]));
  const last = w.eg.length - 1;
  const wu = packState(w.Q[last], w.R[last]);
  for (let i = 0; i < wu.length; i++) dU = Math.max(dU, rel(p.u[i], wu[i]));
  const same = STATUSES[p.status] === w.status && p.steps === w.stats.steps && p.eg.length === w.eg.length && p.rhsEvaluations === w.stats.rhsEvaluations;
  trajectories.push(`  ${r.name.padEnd(24)} eg ${dEg.toExponential(2)}  last state ${dU.toExponential(2)}  status ${w.status}/${STATUSES[p.status]}  steps ${w.stats.steps}/${p.steps}  rhs ${w.stats.rhsEvaluations}/${p.rhsEvaluations}  eg(${w.alpha[last]}) = ${w.eg[last].toPrecision(10)}${same ? "" : "  MISMATCH"}`);
  note("trajectory eg (rel)", dEg);
  note("trajectory last state (rel)", dU);
}

console.log(`Gaussian averages on ${covs.length} covariances (absolute differences, wasm vs plain):`);
for (const [k, v] of Object.entries(maxDiff)) if (!k.startsWith("trajectory") && !k.includes("rhs")) console.log(`  ${k.padEnd(30)} ${v.toExponential(2)}`);
console.log("Right-hand side (relative to max(1, |wasm|)):");
for (const [k, v] of Object.entries(maxDiff)) if (k.includes("rhs")) console.log(`  ${k.padEnd(30)} ${v.toExponential(2)}`);
console.log("Trajectories (relative to max(1, |wasm|); steps and rhs: wasm/plain):");
for (const t of trajectories) console.log(t);
const worst = Math.max(...Object.values(maxDiff));
console.log(`max difference overall: ${worst.toExponential(2)} ${worst <= 1e-12 ? "(ok)" : "(LARGER THAN 1e-12)"}`);
