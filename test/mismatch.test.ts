// Student/teacher activation mismatch (THEORY 1: f_c = g for a student variable, gt for a
// teacher variable): the mixed averages (assembly/gauss/mixed.ts, stein.ts) against seeded
// Monte Carlo and an independent 2-D adaptive quadrature, the ODE against finite-d SGD and
// against gradient flow on eps_g, the matched case bit for bit, and bad input.
import { describe, expect, it } from "vitest";
import { factorCovariance, gErf, gErfPrime, integrateAdaptive, makeNormal, normPdf, type Matrix } from "./reference/gaussian";
import { generalizationError, i2, i3, i4, integrate, orderParameterDerivatives, pick, randomCovariance, simulateSync } from "./helpers";

type Act = "relu" | "erf" | "linear";
const FAMILIES: [Act, Act][] = [["relu", "erf"], ["erf", "relu"], ["relu", "linear"], ["linear", "relu"], ["erf", "linear"], ["linear", "erf"]];
const g = (a: Act) => (a === "relu" ? (x: number) => (x > 0 ? x : 0) : a === "erf" ? gErf : (x: number) => x);
const gp = (a: Act) => (a === "relu" ? (x: number) => (x > 0 ? 1 : 0) : a === "erf" ? gErfPrime : () => 1);

// 2e5 samples of z ~ N(0, A) per covariance (one seeded draw, shared by every average over it);
// the check is |exact - MC| < 5 SE with SE = sample std / sqrt(2e5). ~320 comparisons: a false
// alarm has probability ~2e-4 overall (and the seeds are fixed). A floor of 1e-12 covers
// averages whose integrand vanishes identically.
const SAMPLES = 200_000;
type Fn = "relu" | "erf" | "linear" | "d-relu" | "d-erf" | "d-linear" | "z";
const FNS: Record<Fn, (x: number) => number> = {
  relu: g("relu"), erf: g("erf"), linear: g("linear"), "d-relu": gp("relu"), "d-erf": gp("erf"), "d-linear": gp("linear"), z: (x) => x,
};
/** One seeded draw per covariance; every function of every variable tabulated once. */
function draws(A: Matrix, seed: number): Record<Fn, Float64Array[]> {
  const L = factorCovariance(A);
  const normal = makeNormal(seed);
  const out = Object.fromEntries(Object.keys(FNS).map((k) => [k, [0, 1, 2, 3].map(() => new Float64Array(SAMPLES))])) as Record<Fn, Float64Array[]>;
  const u = [0, 0, 0, 0];
  for (let s = 0; s < SAMPLES; s++) {
    for (let j = 0; j < 4; j++) u[j] = normal();
    for (let i = 0; i < 4; i++) {
      const zi = L[i][0] * u[0] + L[i][1] * u[1] + L[i][2] * u[2] + L[i][3] * u[3];
      for (const k of Object.keys(FNS) as Fn[]) out[k][i][s] = FNS[k](zi);
    }
  }
  return out;
}
/** Mean and standard error of prod_k fns[k](z_{idx[k]}) over the draws. */
function monteCarlo(t: Record<Fn, Float64Array[]>, idx: number[], fns: Fn[]): { mean: number; se: number } {
  const cols = idx.map((v, k) => t[fns[k]][v]);
  let sum = 0, sum2 = 0;
  for (let s = 0; s < SAMPLES; s++) {
    let v = 1;
    for (const c of cols) v *= c[s];
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / SAMPLES;
  return { mean, se: Math.sqrt(Math.max(sum2 / SAMPLES - mean * mean, 0) / (SAMPLES - 1)) };
}
const within5se = (exact: number, mc: { mean: number; se: number }, what: string) => {
  expect(Math.abs(exact - mc.mean), `${what}: exact ${exact}, MC ${mc.mean} +- ${mc.se}`).toBeLessThanOrEqual(5 * mc.se + 1e-12);
};

/** A student (variable 0) that equals a teacher (variable 2) up to scale: perfectly correlated. */
function withAlignedPair(A: Matrix, s: number): Matrix {
  const B = A.map((r) => [...r]);
  for (let j = 0; j < 4; j++) B[2][j] = B[j][2] = s * A[0][j];
  B[2][2] = s * s * A[0][0];
  return B;
}

const covariances: [string, Matrix][] = [
  ["random", randomCovariance(4, 7)],
  ["random, larger variances", randomCovariance(4, 19, 0.2, 3)],
  ["student 0 aligned with teacher 2", withAlignedPair(randomCovariance(4, 23), 1.3)],
];

// Index patterns (variables 0, 1 students; 2, 3 teachers), repeats as the ODE meets them
const I3_PATTERNS = [[0, 1, 2], [0, 0, 2], [0, 2, 2], [0, 3, 2], [1, 0, 3]];
// I4(a, b, c, e) with c, e both teachers, or c a student and e a teacher
const I4_TT = [[0, 1, 2, 3], [0, 0, 2, 3], [0, 1, 2, 2], [0, 0, 2, 2], [1, 1, 3, 3]];
const I4_ST = [[0, 1, 0, 3], [0, 1, 1, 2], [0, 0, 0, 3], [0, 0, 1, 2], [0, 1, 1, 3]];

describe("mixed I2, I3, I4 against Monte Carlo (2e5 samples, 5 standard errors)", () => {
  const samples = covariances.map(([, A], k) => draws(A, 100 + k));
  for (const [student, teacher] of FAMILIES) {
    it(`student ${student}, teacher ${teacher}`, () => {
      const [f, ft, fp] = [student, teacher, `d-${student}`] as Fn[];
      const o = { activation: student, teacherActivation: teacher };
      for (const [k, [name, A]] of covariances.entries()) {
        const z = samples[k];
        // I2(student 0, teacher 2), and of a student with itself read as a teacher (0, 0)
        for (const [a, b] of [[0, 2], [1, 3], [0, 0]]) {
          const exact = i2(pick(A, [a, b]), o);
          within5se(exact, monteCarlo(z, [a, b], [f, ft]), `${name} I2(${a},${b})`);
        }
        for (const idx of I3_PATTERNS) {
          const exact = i3(pick(A, idx), o);
          within5se(exact, monteCarlo(z, idx, [fp, "z", ft]), `${name} I3(${idx})`);
        }
        for (const idx of I4_TT) {
          const exact = i4(pick(A, idx), o);
          within5se(exact, monteCarlo(z, idx, [fp, fp, ft, ft]), `${name} I4tt(${idx})`);
        }
        for (const idx of I4_ST) {
          const exact = i4(pick(A, idx), { ...o, teacherVariables: 1 });
          within5se(exact, monteCarlo(z, idx, [fp, fp, f, ft]), `${name} I4st(${idx})`);
        }
      }
    });
  }
});

/**
 * E[h(z1, z2)] for z ~ N(0, A) (2 x 2, A11 > 0) by nested adaptive Gauss-Legendre: z1 over its
 * density, z2 given z1 over the conditional density, both cut at 0 where relu and theta kink,
 * over +-12 standard deviations (tail mass < 1e-32).
 */
function quad2(A: Matrix, h: (z1: number, z2: number) => number): number {
  const s1 = Math.sqrt(A[0][0]);
  const beta = A[0][1] / A[0][0];
  const v = Math.max(A[1][1] - beta * A[0][1], 0);
  const sv = Math.sqrt(v);
  const inner = (z1: number) => {
    const m = beta * z1;
    if (!(sv > 1e-12 * (1 + Math.abs(m)))) return h(z1, m); // z2 determined by z1
    const breaks = [m - 12 * sv, m + 12 * sv];
    if (breaks[0] < 0 && breaks[1] > 0) breaks.splice(1, 0, 0);
    return integrateAdaptive((t) => (normPdf((t - m) / sv) / sv) * h(z1, t), breaks, 1e-13);
  };
  return integrateAdaptive((t) => (normPdf(t / s1) / s1) * inner(t), [-12 * s1, 0, 12 * s1], 1e-12);
}

describe("mixed averages over two distinct variables against 2-D adaptive quadrature", () => {
  // quadrature accurate to ~1e-11 (its tolerances); the closed forms to rounding: 1e-9 absolute
  for (const [student, teacher] of FAMILIES) {
    it(`student ${student}, teacher ${teacher}`, () => {
      const [f, ft, fp] = [g(student), g(teacher), gp(student)];
      const o = { activation: student, teacherActivation: teacher };
      const A = randomCovariance(4, 5, 0.2);
      const B = pick(A, [0, 2]); // a student and a teacher
      const cases: [string, number, number][] = [
        ["I2(x, y)", i2(B, o), quad2(B, (x, y) => f(x) * ft(y))],
        ["I3(x, x, y)", i3(pick(A, [0, 0, 2]), o), quad2(B, (x, y) => fp(x) * x * ft(y))],
        ["I3(x, y, y)", i3(pick(A, [0, 2, 2]), o), quad2(B, (x, y) => fp(x) * y * ft(y))],
        ["I4(x, x, y, y)", i4(pick(A, [0, 0, 2, 2]), o), quad2(B, (x, y) => fp(x) ** 2 * ft(y) ** 2)],
        ["I4(x, x, x, y)", i4(pick(A, [0, 0, 0, 2]), { ...o, teacherVariables: 1 }), quad2(B, (x, y) => fp(x) ** 2 * f(x) * ft(y))],
      ];
      for (const [what, exact, quad] of cases) expect(Math.abs(exact - quad), `${what}: ${exact} vs ${quad}`).toBeLessThan(1e-9);
    });
  }
});
