/**
 * Independent numerical reference for Gaussian averages of activation functions.
 *
 * Nothing in here uses the library's closed forms: everything is computed either by
 * seeded Monte Carlo or by (adaptive) quadrature built from first principles:
 *
 *  - erf/erfc: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969;
 *    netlib specfun CALERF), ~1e-16 relative.
 *  - bvnUpper: Drezner & Wesolowsky (1990) as refined by A. Genz (Stat. Comput. 14, 2004),
 *    i.e. the TVPACK routine BVNU, with Gauss-Legendre nodes computed here by Newton.
 *  - truncatedMoment: 1- or 2-dimensional "outer" integral done in polar coordinates of the
 *    whitened outer variables (so the positive quadrant becomes an angular wedge and the
 *    Gaussian weight is isotropic), with globally adaptive Gauss-Legendre in the radius and
 *    the angle; the (at most two) "inner" variables are integrated exactly given the outer
 *    ones via normCdf / bvnUpper.
 *  - erfAverage: tensor-product Gauss-Hermite quadrature in u, z = L u.
 *
 * Dependencies: none (plain TypeScript, Node built-ins only).
 */

export type Matrix = number[][];

const TWO_PI = 2 * Math.PI;
const SQRT2 = Math.SQRT2;

// ---------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------

function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

/** xoshiro128** (Blackman & Vigna) seeded through splitmix32; returns 32-bit unsigned ints. */
function xoshiro128ss(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new Error(`makeRng: seed must be finite, got ${seed}`);
  const lo = Math.trunc(seed) >>> 0;
  const hi = Math.floor(Math.trunc(seed) / 4294967296) >>> 0;
  const sm = splitmix32(lo ^ Math.imul(hi, 0x85ebca6b) ^ 0x5bd1e995);
  let s0 = sm();
  let s1 = sm();
  let s2 = sm();
  let s3 = sm();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
}

/**
 * Deterministic uniform generator on the open interval (0, 1) with 52 random bits:
 * u = (k + 1/2) / 2^52, k uniform in {0, ..., 2^52 - 1}.
 */
export function makeRng(seed: number): () => number {
  const next = xoshiro128ss(seed);
  return () => {
    const hi = next() >>> 6; // 26 bits
    const lo = next() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 4503599627370496;
  };
}

/** Deterministic uniform numbers in [0, 1) (mulberry32, src/numerics/uniform.ts): the small generator of the kernel tests' inputs. */
export { uniformStream as uniform } from "../../src/numerics/uniform";

/** Deterministic standard normal generator (Box-Muller on makeRng(seed), both outputs used). */
export function makeNormal(seed: number): () => number {
  const u = makeRng(seed);
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(u()));
    const phi = TWO_PI * u();
    spare = r * Math.sin(phi);
    hasSpare = true;
    return r * Math.cos(phi);
  };
}

// ---------------------------------------------------------------------------------------
// Linear algebra
// ---------------------------------------------------------------------------------------

function checkSquareSymmetric(A: Matrix, name: string): number {
  const n = A.length;
  if (n === 0) throw new Error(`${name}: empty matrix`);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    if (!Array.isArray(A[i]) || A[i].length !== n) throw new Error(`${name}: matrix is not square`);
    for (let j = 0; j < n; j++) {
      const v = A[i][j];
      if (!Number.isFinite(v)) throw new Error(`${name}: non-finite entry A[${i}][${j}] = ${v}`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(A[i][j] - A[j][i]) > 1e-12 * Math.max(maxAbs, 1e-300)) {
        throw new Error(`${name}: matrix is not symmetric (A[${i}][${j}] = ${A[i][j]}, A[${j}][${i}] = ${A[j][i]})`);
      }
    }
  }
  return maxAbs;
}

/**
 * Symmetric eigen-decomposition by cyclic Jacobi rotations.
 * Returns eigenvalues (unsorted) and the matrix V whose COLUMNS are the eigenvectors.
 */
export function symmetricEigen(A: Matrix): { values: number[]; vectors: Matrix } {
  const n = A.length;
  const a = A.map((row, i) => row.map((v, j) => 0.5 * (v + A[j][i])));
  const V: Matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i][i] * a[i][i];
      for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    }
    if (off === 0 || off <= 1e-34 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k][p];
          const vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: V };
}

/**
 * A matrix L with L L^T = A for symmetric positive SEMI-definite A:
 * L = V sqrt(max(Lambda, 0)) from a Jacobi eigen-decomposition.
 * Throws if A has an eigenvalue below -1e-10 * max|A_ij|.
 */
export function factorCovariance(A: Matrix): Matrix {
  const maxAbs = checkSquareSymmetric(A, "factorCovariance");
  const n = A.length;
  const { values, vectors } = symmetricEigen(A);
  for (const lam of values) {
    if (lam < -1e-10 * maxAbs) {
      throw new Error(`factorCovariance: matrix is not positive semi-definite (eigenvalue ${lam})`);
    }
  }
  const L: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const s = Math.sqrt(Math.max(values[j], 0));
    for (let i = 0; i < n; i++) L[i][j] = vectors[i][j] * s;
  }
  return L;
}

/** Lower Cholesky factor; throws unless A is (numerically) positive definite. */
function cholesky(A: Matrix, name: string): Matrix {
  const n = A.length;
  const L: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = A[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    if (!(d > 1e-14 * Math.abs(A[j][j])) || !(A[j][j] > 0)) {
      throw new Error(`${name}: matrix is not positive definite (pivot ${j}: ${d})`);
    }
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  return L;
}

// ---------------------------------------------------------------------------------------
// Monte Carlo
// ---------------------------------------------------------------------------------------

/**
 * Plain (i.i.d.) Monte Carlo estimate of E[f(z)], z ~ N(0, A), A positive semi-definite.
 * se = sample standard deviation / sqrt(samples) (Welford's algorithm), i.e. an honest
 * standard error of the returned mean. The Float64Array passed to f is reused: copy it if
 * you keep it.
 */
export function monteCarlo(
  A: Matrix,
  f: (z: Float64Array) => number,
  samples: number,
  seed: number,
): { mean: number; se: number } {
  if (!Number.isInteger(samples) || samples < 2) throw new Error("monteCarlo: samples must be an integer >= 2");
  const L = factorCovariance(A);
  const n = A.length;
  const Lf = Float64Array.from(L.flat());
  const normal = makeNormal(seed);
  const u = new Float64Array(n);
  const z = new Float64Array(n);
  let mean = 0;
  let m2 = 0;
  for (let s = 1; s <= samples; s++) {
    for (let j = 0; j < n; j++) u[j] = normal();
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Lf[i * n + j] * u[j];
      z[i] = acc;
    }
    const v = f(z);
    const d = v - mean;
    mean += d / s;
    m2 += d * (v - mean);
  }
  const variance = m2 / (samples - 1);
  return { mean, se: Math.sqrt(variance / samples) };
}

// ---------------------------------------------------------------------------------------
// erf, erfc, normal cdf (W. J. Cody, CALERF)
// ---------------------------------------------------------------------------------------

const CODY_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const CODY_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const CODY_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const CODY_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const CODY_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  0.000658749161529837803, 0.0163153871373020978,
];
const CODY_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRPI = 0.56418958354775628695; // 1/sqrt(pi)

/** erf(x) for |x| <= 0.46875 (Cody interval 1). */
function erfSmall(x: number): number {
  const y = Math.abs(x);
  const ysq = y > 1.11e-16 ? y * y : 0;
  let xnum = CODY_A[4] * ysq;
  let xden = ysq;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + CODY_A[i]) * ysq;
    xden = (xden + CODY_B[i]) * ysq;
  }
  return (x * (xnum + CODY_A[3])) / (xden + CODY_B[3]);
}

/** erfc(y) for y > 0.46875 (Cody intervals 2 and 3), with exp(-y^2) evaluated in two pieces. */
function erfcLarge(y: number): number {
  if (y >= 27.5) return 0;
  let result: number;
  if (y <= 4) {
    let xnum = CODY_C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + CODY_C[i]) * y;
      xden = (xden + CODY_D[i]) * y;
    }
    result = (xnum + CODY_C[7]) / (xden + CODY_D[7]);
  } else {
    const ysq = 1 / (y * y);
    let xnum = CODY_P[5] * ysq;
    let xden = ysq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + CODY_P[i]) * ysq;
      xden = (xden + CODY_Q[i]) * ysq;
    }
    result = (ysq * (xnum + CODY_P[4])) / (xden + CODY_Q[4]);
    result = (SQRPI - result) / y;
  }
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del) * result;
}

/** Error function, ~1e-16 relative (Cody 1969). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 0.5 - erfcLarge(y) + 0.5;
  return x < 0 ? -r : r;
}

/** Complementary error function, ~1e-16 relative for x >= 0 (Cody 1969). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

/** Standard normal cdf Phi(x) = erfc(-x / sqrt 2) / 2. */
export function normCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / SQRT2);
}

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(TWO_PI);
}

// ---------------------------------------------------------------------------------------
// Gauss rules
// ---------------------------------------------------------------------------------------

export interface QuadratureRule {
  x: Float64Array;
  w: Float64Array;
}

const legendreCache = new Map<number, QuadratureRule>();

/** n-point Gauss-Legendre rule on [-1, 1] (Newton iteration on the Legendre recurrence). */
export function gaussLegendre(n: number): QuadratureRule {
  const cached = legendreCache.get(n);
  if (cached) return cached;
  if (!Number.isInteger(n) || n < 1) throw new Error("gaussLegendre: n must be a positive integer");
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      if (n === 1) {
        p1 = t;
        p0 = 1;
      }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) <= 1e-17) break;
    }
    // recompute derivative at the converged node
    let p0 = 1;
    let p1 = t;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n === 1 ? 1 : (n * (t * p1 - p0)) / (t * t - 1);
    const wi = 2 / ((1 - t * t) * dp * dp);
    x[i] = -t;
    x[n - 1 - i] = t;
    w[i] = wi;
    w[n - 1 - i] = wi;
  }
  if (n % 2 === 1) x[(n - 1) / 2] = 0;
  const rule = { x, w };
  legendreCache.set(n, rule);
  return rule;
}

const hermiteCache = new Map<number, QuadratureRule>();

/**
 * n-point Gauss-Hermite rule for the STANDARD NORMAL weight (probabilists'):
 * sum_i w_i f(x_i) ~ E[f(X)], X ~ N(0, 1); sum_i w_i = 1.
 * Nodes: eigenvalues of the Jacobi matrix (Golub-Welsch, by Jacobi rotations), polished by
 * Newton on the orthonormal Hermite recurrence; weights from the recurrence (not from the
 * eigenvectors), so tiny outer weights are accurate in relative terms.
 */
export function gaussHermite(n: number): QuadratureRule {
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  if (!Number.isInteger(n) || n < 1 || n > 150) throw new Error("gaussHermite: n must be an integer in 1..150");
  // physicists' Jacobi matrix: zero diagonal, off-diagonal sqrt(k/2)
  const J: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 1; k < n; k++) {
    J[k][k - 1] = Math.sqrt(k / 2);
    J[k - 1][k] = Math.sqrt(k / 2);
  }
  const guesses = symmetricEigen(J).values.sort((a, b) => a - b);
  const pim4 = Math.pow(Math.PI, -0.25);
  // orthonormal physicists' Hermite: returns [p_n(t), p_{n-1}(t)]
  const evalP = (t: number): [number, number] => {
    let pm1 = 0;
    let p = pim4;
    for (let j = 1; j <= n; j++) {
      const pn = t * Math.sqrt(2 / j) * p - Math.sqrt((j - 1) / j) * pm1;
      pm1 = p;
      p = pn;
    }
    return [p, pm1];
  };
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = guesses[i];
    for (let iter = 0; iter < 50; iter++) {
      const [p, pm1] = evalP(t);
      const dp = Math.sqrt(2 * n) * pm1;
      const dt = p / dp;
      t -= dt;
      if (Math.abs(dt) <= 1e-16 * Math.max(1, Math.abs(t))) break;
    }
    const [, pm1] = evalP(t);
    const dp = Math.sqrt(2 * n) * pm1;
    x[i] = t * SQRT2;
    w[i] = 2 / (dp * dp) / Math.sqrt(Math.PI);
  }
  // enforce exact symmetry
  for (let i = 0; i < Math.floor(n / 2); i++) {
    const xs = 0.5 * (x[n - 1 - i] - x[i]);
    const ws = 0.5 * (w[n - 1 - i] + w[i]);
    x[i] = -xs;
    x[n - 1 - i] = xs;
    w[i] = ws;
    w[n - 1 - i] = ws;
  }
  if (n % 2 === 1) x[(n - 1) / 2] = 0;
  const rule = { x, w };
  hermiteCache.set(n, rule);
  return rule;
}

// ---------------------------------------------------------------------------------------
// Adaptive Gauss-Legendre
// ---------------------------------------------------------------------------------------

const PANEL_ORDER = 12;

function glPanel(f: (x: number) => number, a: number, b: number): number {
  const { x, w } = gaussLegendre(PANEL_ORDER);
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i] * f(c + h * x[i]);
  return s * h;
}

/**
 * Globally-error-controlled adaptive Gauss-Legendre (12 points per panel) over the panels
 * given by the sorted breakpoints. A panel is accepted when its 12-point value and the sum
 * of the 12-point values on its two halves agree to tol * (panel length) / (total length);
 * the (much more accurate) two-halves sum is returned.
 */
export function integrateAdaptive(f: (x: number) => number, breaks: number[], tol: number, maxDepth = 40): number {
  const total = breaks[breaks.length - 1] - breaks[0];
  if (!(total > 0)) return 0;
  const tolDensity = tol / total;
  const rec = (a: number, b: number, whole: number, depth: number): number => {
    const m = 0.5 * (a + b);
    const left = glPanel(f, a, m);
    const right = glPanel(f, m, b);
    const sum = left + right;
    if (Math.abs(sum - whole) <= tolDensity * (b - a) || depth >= maxDepth) return sum;
    return rec(a, m, left, depth + 1) + rec(m, b, right, depth + 1);
  };
  let s = 0;
  for (let i = 0; i + 1 < breaks.length; i++) {
    const a = breaks[i];
    const b = breaks[i + 1];
    if (!(b > a)) continue;
    s += rec(a, b, glPanel(f, a, b), 0);
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Bivariate normal upper orthant (Genz's BVNU)
// ---------------------------------------------------------------------------------------

const GL6 = gaussLegendre(6);
const GL12 = gaussLegendre(12);
const GL20 = gaussLegendre(20);

/**
 * P(X > h, Y > k) for a standard bivariate normal with correlation r, r in [-1, 1].
 * Drezner & Wesolowsky (1990) with Genz's refinements (TVPACK BVNU, Genz 2004):
 * 6/12/20-point Gauss-Legendre for |r| < 0.3 / 0.75 / otherwise, Plackett-type integration
 * in asin(r) for |r| < 0.925 and the asymptotic series + correction integral otherwise.
 */
export function bvnUpper(h: number, k: number, r: number): number {
  if (Number.isNaN(h) || Number.isNaN(k) || Number.isNaN(r)) return NaN;
  if (r > 1 || r < -1) throw new Error(`bvnUpper: correlation out of range: ${r}`);
  if (h === Infinity || k === Infinity) return 0;
  if (h === -Infinity) return k === -Infinity ? 1 : normCdf(-k);
  if (k === -Infinity) return normCdf(-h);
  if (r === 0) return normCdf(-h) * normCdf(-k);
  const ar = Math.abs(r);
  const rule = ar < 0.3 ? GL6 : ar < 0.75 ? GL12 : GL20;
  const xg = rule.x;
  const wg = rule.w;
  let hk = h * k;
  let bvn = 0;
  if (ar < 0.925) {
    const hs = (h * h + k * k) / 2;
    const asr = Math.asin(r);
    for (let i = 0; i < xg.length; i++) {
      const sn = Math.sin((asr * (1 + xg[i])) / 2);
      bvn += wg[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
    }
    bvn = (bvn * asr) / (2 * TWO_PI) + normCdf(-h) * normCdf(-k);
  } else {
    if (r < 0) {
      k = -k;
      hk = -hk;
    }
    if (ar < 1) {
      const as = (1 - r) * (1 + r);
      let a = Math.sqrt(as);
      const bs = (h - k) * (h - k);
      const c = (4 - hk) / 8;
      const d = (12 - hk) / 16;
      let asr = -(bs / as + hk) / 2;
      if (asr > -100) bvn = a * Math.exp(asr) * (1 - (c * (bs - as) * (1 - (d * bs) / 5)) / 3 + (c * d * as * as) / 5);
      if (-hk < 100) {
        const b = Math.sqrt(bs);
        bvn -= Math.exp(-hk / 2) * Math.sqrt(TWO_PI) * normCdf(-b / a) * b * (1 - (c * bs * (1 - (d * bs) / 5)) / 3);
      }
      a /= 2;
      for (let i = 0; i < xg.length; i++) {
        const t = a * (1 + xg[i]);
        const xs = t * t;
        const rs = Math.sqrt(1 - xs);
        asr = -(bs / xs + hk) / 2;
        if (asr > -100) {
          bvn +=
            a *
            wg[i] *
            Math.exp(asr) *
            (Math.exp((-hk * xs) / (2 * (1 + rs) * (1 + rs))) / rs - (1 + c * xs * (1 + d * xs)));
        }
      }
      bvn = -bvn / TWO_PI;
    }
    if (r > 0) {
      bvn += normCdf(-Math.max(h, k));
    } else {
      bvn = -bvn;
      if (k > h) bvn += h < 0 ? normCdf(k) - normCdf(h) : normCdf(-h) - normCdf(-k);
    }
  }
  return Math.max(0, Math.min(1, bvn));
}

// ---------------------------------------------------------------------------------------
// Truncated moments E[ prod_v z_v^{p_v} theta(z_v) ]
// ---------------------------------------------------------------------------------------

export interface TruncatedMomentOptions {
  /**
   * Indices of the outer variables (length min(n, 2)); must contain every v with p_v > 0.
   * Default: the v with p_v > 0, completed by the smallest remaining indices.
   */
  outer?: number[];
  /** Absolute tolerance of the angular integral (correlation scale). Default 1e-12. */
  tol?: number;
}

const RHO_MAX = 10; // radial cut-off in whitened units: int_10^inf rho^3 e^{-rho^2/2} ~ 2e-20

/**
 * E[ prod_v z_v^{p_v} theta(z_v) ], z ~ N(0, A), A positive definite, n = 1..4,
 * integer p_v >= 0 with sum(p) <= 2.
 *
 * Method: rescale to the correlation matrix; pick an outer pair O (containing every v with
 * p_v > 0), write z_O = C u with C = chol(R_OO) and u = rho (cos t, sin t); the quadrant
 * z_O > 0 is the wedge t in (-asin r_O, pi/2). Given z_O the inner variables are Gaussian
 * with mean linear in rho and constant covariance, so P(z_I > 0 | z_O) is normCdf (one inner
 * variable) or bvnUpper (two). The radial and angular integrals are done by adaptive
 * Gauss-Legendre with breakpoints at the places where the integrand changes fast.
 */
export function truncatedMoment(A: Matrix, p: number[], options: TruncatedMomentOptions = {}): number {
  checkSquareSymmetric(A, "truncatedMoment");
  const n = A.length;
  if (n > 4) throw new Error("truncatedMoment: dimension must be 1..4");
  if (p.length !== n) throw new Error("truncatedMoment: p must have one power per variable");
  let s = 0;
  for (const pv of p) {
    if (!Number.isInteger(pv) || pv < 0) throw new Error("truncatedMoment: powers must be non-negative integers");
    s += pv;
  }
  if (s > 2) throw new Error("truncatedMoment: sum(p) must be <= 2");
  cholesky(A, "truncatedMoment"); // positive definite check
  const sd = A.map((row, i) => Math.sqrt(row[i]));
  let scale = 1;
  for (let v = 0; v < n; v++) scale *= Math.pow(sd[v], p[v]);
  const R: Matrix = A.map((row, i) => row.map((a, j) => (i === j ? 1 : a / (sd[i] * sd[j]))));
  const tolAngle = options.tol ?? 1e-12;
  const tolRadial = Math.min(1e-14, tolAngle / 100);

  if (n === 1) {
    // int_0^inf u^p phi(u) du
    const pv = p[0];
    const breaks = [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 8, RHO_MAX];
    return scale * integrateAdaptive((u) => Math.pow(u, pv) * normPdf(u), breaks, tolRadial);
  }

  // outer / inner split
  let O: number[];
  if (options.outer) {
    O = [...options.outer];
    if (O.length !== 2 || O[0] === O[1] || O.some((v) => !Number.isInteger(v) || v < 0 || v >= n)) {
      throw new Error("truncatedMoment: outer must be two distinct variable indices");
    }
  } else {
    O = [];
    for (let v = 0; v < n; v++) if (p[v] > 0) O.push(v);
    for (let v = 0; v < n && O.length < 2; v++) if (!O.includes(v)) O.push(v);
  }
  for (let v = 0; v < n; v++) {
    if (p[v] > 0 && !O.includes(v)) throw new Error("truncatedMoment: every v with p_v > 0 must be outer");
  }
  const I: number[] = [];
  for (let v = 0; v < n; v++) if (!O.includes(v)) I.push(v);

  const [o0, o1] = O;
  const r = R[o0][o1];
  const c22 = Math.sqrt((1 - r) * (1 + r));
  const p0 = p[o0];
  const p1 = p[o1];

  // inner: m_i = C^{-1} R_{O i}, S = R_II - M M^T
  const M = I.map((i) => {
    const m0 = R[o0][i];
    const m1 = (R[o1][i] - r * m0) / c22;
    return [m0, m1];
  });
  const S = I.map((i, a) => I.map((j, b) => R[i][j] - (M[a][0] * M[b][0] + M[a][1] * M[b][1])));
  const sdI = S.map((row, a) => {
    if (!(row[a] > 0)) throw new Error("truncatedMoment: singular conditional covariance");
    return Math.sqrt(row[a]);
  });
  const rc = I.length === 2 ? Math.max(-1, Math.min(1, S[0][1] / (sdI[0] * sdI[1]))) : 0;

  const radialPower = 1 + s;
  const radialBase = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6.5, 8, RHO_MAX];
  const radialBreaks = (mmax: number): number[] => {
    if (!(mmax > 2)) return radialBase;
    // the inner probabilities change on the scale rho ~ 1/|m|: grade the mesh down to it
    const extra: number[] = [];
    for (let x = 0.25; x > 0.125 / mmax; x /= 2) extra.push(x / 2);
    return [0, ...extra.reverse(), ...radialBase.slice(1)];
  };

  const radial = (t: number): number => {
    const ct = Math.cos(t);
    const st = Math.sin(t);
    if (I.length === 0) {
      return integrateAdaptive((rho) => Math.pow(rho, radialPower) * Math.exp(-0.5 * rho * rho), radialBase, tolRadial);
    }
    if (I.length === 1) {
      const m = (M[0][0] * ct + M[0][1] * st) / sdI[0];
      return integrateAdaptive(
        (rho) => Math.pow(rho, radialPower) * Math.exp(-0.5 * rho * rho) * normCdf(rho * m),
        radialBreaks(Math.abs(m)),
        tolRadial,
      );
    }
    const m0 = (M[0][0] * ct + M[0][1] * st) / sdI[0];
    const m1 = (M[1][0] * ct + M[1][1] * st) / sdI[1];
    return integrateAdaptive(
      (rho) => Math.pow(rho, radialPower) * Math.exp(-0.5 * rho * rho) * bvnUpper(-rho * m0, -rho * m1, rc),
      radialBreaks(Math.max(Math.abs(m0), Math.abs(m1))),
      tolRadial,
    );
  };

  const t0 = -Math.asin(r);
  const t1 = Math.PI / 2;
  // angular breakpoints: uniform + zero crossings of the inner conditional means
  const tb = new Set<number>();
  for (let j = 0; j <= 4; j++) tb.add(t0 + ((t1 - t0) * j) / 4);
  for (const [a0, a1] of M) {
    // a0 cos t + a1 sin t = 0  <=>  t = atan(-a0 / a1) (mod pi)
    const tz = a1 === 0 ? Math.PI / 2 : Math.atan(-a0 / a1);
    if (tz > t0 && tz < t1) tb.add(tz);
  }
  const angleBreaks = [...tb].sort((a, b) => a - b);
  let radialConst = NaN;
  const angular = (t: number): number => {
    const ct = Math.cos(t);
    const f = Math.pow(ct, p0) * Math.pow(r * ct + c22 * Math.sin(t), p1);
    let rad: number;
    if (I.length === 0) {
      if (Number.isNaN(radialConst)) radialConst = radial(t);
      rad = radialConst;
    } else {
      rad = radial(t);
    }
    return f * rad;
  };
  const value = integrateAdaptive(angular, angleBreaks, tolAngle) / TWO_PI;
  return scale * value;
}

/** P(z_v > 0 for all v), z ~ N(0, A), A positive definite, n <= 4 (via truncatedMoment). */
export function orthant(A: Matrix): number {
  return truncatedMoment(A, new Array<number>(A.length).fill(0));
}

// ---------------------------------------------------------------------------------------
// Averages of activation products
// ---------------------------------------------------------------------------------------

export type AverageKind = "I2" | "I3" | "I4";

function expectDim(A: Matrix, n: number, what: string): void {
  if (A.length !== n) throw new Error(`${what}: expected a ${n}x${n} matrix, got ${A.length}x${A.length}`);
}

/**
 * relu averages (theta = Heaviside, relu(x) = max(0, x)), z ~ N(0, A):
 *   I2 = E[relu(z1) relu(z2)]                       (A 2x2 positive definite)
 *   I3 = E[theta(z1) z2 relu(z3)]                   (A 3x3; only A restricted to {1,3} must be PD)
 *   I4 = E[theta(z1) theta(z2) relu(z3) relu(z4)]   (A 4x4 positive definite)
 * I3 uses E[z2 | z1, z3] = b1 z1 + b3 z3 (exact for Gaussians).
 */
export function reluAverage(A: Matrix, kind: AverageKind): number {
  switch (kind) {
    case "I2":
      expectDim(A, 2, "reluAverage I2");
      return truncatedMoment(A, [1, 1]);
    case "I3": {
      expectDim(A, 3, "reluAverage I3");
      checkSquareSymmetric(A, "reluAverage I3");
      const a11 = A[0][0];
      const a13 = A[0][2];
      const a33 = A[2][2];
      const det = a11 * a33 - a13 * a13;
      if (!(a11 > 0 && a33 > 0 && det > 1e-14 * a11 * a33)) {
        throw new Error("reluAverage I3: the (z1, z3) covariance must be positive definite");
      }
      // (b1, b3) = A_{2,{1,3}} A_{{1,3}}^{-1}
      const b1 = (A[1][0] * a33 - A[1][2] * a13) / det;
      const b3 = (A[1][2] * a11 - A[1][0] * a13) / det;
      const A13 = [
        [a11, a13],
        [a13, a33],
      ];
      return b1 * truncatedMoment(A13, [1, 1]) + b3 * truncatedMoment(A13, [0, 2]);
    }
    case "I4":
      expectDim(A, 4, "reluAverage I4");
      return truncatedMoment(A, [0, 0, 1, 1]);
    default:
      throw new Error(`reluAverage: unknown kind ${String(kind)}`);
  }
}

/**
 * E[f(z)], z ~ N(0, A) (A positive semi-definite), by tensor-product Gauss-Hermite quadrature
 * in u ~ N(0, I) with z = L u, L = factorCovariance(A); directions with zero variance are
 * dropped, so the grid has nodes^rank points.
 */
export function gaussHermiteExpectation(A: Matrix, f: (z: Float64Array) => number, nodes: number): number {
  const L = factorCovariance(A);
  const n = A.length;
  let maxCol = 0;
  const colNorm = L[0].map((_, j) => Math.sqrt(L.reduce((acc, row) => acc + row[j] * row[j], 0)));
  for (const c of colNorm) maxCol = Math.max(maxCol, c);
  const cols: number[] = [];
  for (let j = 0; j < n; j++) if (colNorm[j] > 1e-9 * maxCol) cols.push(j);
  const d = cols.length;
  const { x, w } = gaussHermite(nodes);
  if (d === 0) return f(new Float64Array(n));
  const partial: Float64Array[] = Array.from({ length: d + 1 }, () => new Float64Array(n));
  const rec = (level: number): number => {
    const col = cols[level];
    const prev = partial[level];
    const cur = partial[level + 1];
    let acc = 0;
    for (let i = 0; i < nodes; i++) {
      const xi = x[i];
      for (let r = 0; r < n; r++) cur[r] = prev[r] + L[r][col] * xi;
      acc += w[i] * (level + 1 === d ? f(cur) : rec(level + 1));
    }
    return acc;
  };
  return rec(0);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** g(x) = erf(x / sqrt 2). */
export function gErf(x: number): number {
  return erf(x / SQRT2);
}

/** g'(x) = sqrt(2/pi) exp(-x^2/2). */
export function gErfPrime(x: number): number {
  return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
}

/**
 * erf averages with g(x) = erf(x / sqrt 2), z ~ N(0, A), A positive semi-definite:
 *   I2 = E[g(z1) g(z2)], I3 = E[g'(z1) z2 g(z3)], I4 = E[g'(z1) g'(z2) g(z3) g(z4)],
 * by tensor Gauss-Hermite quadrature (default 64 / 48 / 28 nodes per dimension).
 */
export function erfAverage(A: Matrix, kind: AverageKind, nodes?: number): number {
  switch (kind) {
    case "I2":
      expectDim(A, 2, "erfAverage I2");
      return gaussHermiteExpectation(A, (z) => gErf(z[0]) * gErf(z[1]), nodes ?? 64);
    case "I3":
      expectDim(A, 3, "erfAverage I3");
      return gaussHermiteExpectation(A, (z) => gErfPrime(z[0]) * z[1] * gErf(z[2]), nodes ?? 48);
    case "I4":
      expectDim(A, 4, "erfAverage I4");
      return gaussHermiteExpectation(
        A,
        (z) => gErfPrime(z[0]) * gErfPrime(z[1]) * gErf(z[2]) * gErf(z[3]),
        nodes ?? 28,
      );
    default:
      throw new Error(`erfAverage: unknown kind ${String(kind)}`);
  }
}
