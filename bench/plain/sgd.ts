// Plain-TypeScript port of the SGD kernel (assembly/sim/random.ts, assembly/sim/sgd.ts) for one
// run: the baseline "what a careful TypeScript programmer would write" (Float64Array buffers,
// no allocation in the inner loop), checked against the WebAssembly build by checkSgd.ts.
//   xoshiro256** on pairs of 32-bit integers (hi, lo), seeded through splitmix64 (BigInt, once);
//   ZIGNOR ziggurat (128 blocks) with the same chunked miss-list fillNormal, so the stream is the
//   WASM one value for value (the tables are built with JS Math.exp/log/sqrt, which differ from
//   AssemblyScript's NativeMath in the last bits: checkSgd.ts installs the WASM tables instead);
//   initial weights by Cholesky of C0 and two-pass modified Gram-Schmidt;
//   dot products summed as four interleaved partial sums, (s0 + s1) + (s2 + s3), like the WASM;
//   docs/theory.md section 9 as in sgd.ts: label noise (a normal after each input), weight decay,
//   a trained second layer, finite training sets (drawn after the initial weights, epochs in
//   Fisher-Yates order from the same stream) with the training error per sample.
import { configurePlainModel, generalizationError } from "./model";

// ------------------------------------------------------------------ xoshiro256**
// State s0..s3 as (hi, lo) int32 pairs.
let s0h = 0, s0l = 0, s1h = 0, s1l = 0, s2h = 0, s2l = 0, s3h = 0, s3l = 0;

function splitmix64(x: bigint): bigint {
  let z = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/** Seeds the generator with the 64-bit seed (hi << 32) | lo, as seedRandom in random.ts. */
export function seedPlain(seedHi: number, seedLo: number): void {
  let x = (BigInt(seedHi >>> 0) << 32n) | BigInt(seedLo >>> 0);
  const words: bigint[] = [];
  for (let k = 0; k < 4; k++) {
    words.push(splitmix64(x));
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
  }
  const hi = (w: bigint) => Number(w >> 32n) | 0;
  const lo = (w: bigint) => Number(w & 0xffffffffn) | 0;
  s0h = hi(words[0]); s0l = lo(words[0]);
  s1h = hi(words[1]); s1l = lo(words[1]);
  s2h = hi(words[2]); s2l = lo(words[2]);
  s3h = hi(words[3]); s3l = lo(words[3]);
}

// The last 64-bit draw as (hi, lo), set by next().
let outH = 0, outL = 0;

/** One xoshiro256** step; the result goes to (outH, outL). */
function next(): void {
  // result = rotl(s1 * 5, 7) * 9; lo * c carries ((lo >>> 16) c + ((lo & 0xffff) c >>> 16)) >>> 16
  let ml = Math.imul(s1l, 5);
  let mh = (Math.imul(s1h, 5) + (((s1l >>> 16) * 5 + (((s1l & 0xffff) * 5) >>> 16)) >>> 16)) | 0;
  const rh = (mh << 7) | (ml >>> 25), rl = (ml << 7) | (mh >>> 25);
  outL = Math.imul(rl, 9);
  outH = (Math.imul(rh, 9) + (((rl >>> 16) * 9 + (((rl & 0xffff) * 9) >>> 16)) >>> 16)) | 0;
  // t = s1 << 17
  const th = (s1h << 17) | (s1l >>> 15), tl = s1l << 17;
  s2h ^= s0h; s2l ^= s0l;
  s3h ^= s1h; s3l ^= s1l;
  s1h ^= s2h; s1l ^= s2l;
  s0h ^= s3h; s0l ^= s3l;
  s2h ^= th; s2l ^= tl;
  // s3 = rotl(s3, 45): swap halves, then rotl 13
  mh = s3h; ml = s3l;
  s3h = (ml << 13) | (mh >>> 19);
  s3l = (mh << 13) | (ml >>> 19);
}

/** Uniform in (0, 1) from the top 53 bits, never 0. */
function uniformOpen(): number {
  next();
  return ((outH >>> 0) * 2097152 + (outL >>> 11) + 0.5) * 1.1102230246251565e-16;
}

// ------------------------------------------------------------------ ZIGNOR ziggurat
const ZIG_C = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZX = new Float64Array(ZIG_C + 1);
const ZR = new Float64Array(ZIG_C);
let zigReady = false;

function zigSetup(): void {
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZX[0] = ZIG_V / f;
  ZX[1] = ZIG_R;
  ZX[ZIG_C] = 0.0;
  for (let i = 2; i < ZIG_C; i++) {
    const x = Math.sqrt(-2.0 * Math.log(ZIG_V / ZX[i - 1] + f));
    ZX[i] = x;
    f = Math.exp(-0.5 * x * x);
  }
  for (let i = 0; i < ZIG_C; i++) ZR[i] = ZX[i + 1] / ZX[i];
  zigReady = true;
}

/** The ziggurat tables (x_i, 129 entries; x_{i+1} / x_i, 128), built on first use. */
export function zigguratTables(): { x: Float64Array; ratio: Float64Array } {
  if (!zigReady) zigSetup();
  return { x: ZX, ratio: ZR };
}

/**
 * Replaces the tables (e.g. by the ones read from the WASM memory: JS Math.exp/log and
 * AssemblyScript's NativeMath differ in the last bits, and the recursion of zigSetup carries
 * that to ~3e-15 relative); null rebuilds them with JS Math on next use.
 */
export function setZigguratTables(t: { x: ArrayLike<number>; ratio: ArrayLike<number> } | null): void {
  if (t === null) { zigReady = false; return; }
  ZX.set(t.x);
  ZR.set(t.ratio);
  zigReady = true;
}

function normalTail(negative: boolean): number {
  let x: number, y: number;
  do {
    x = Math.log(uniformOpen()) / ZIG_R;
    y = Math.log(uniformOpen());
  } while (-2.0 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

/** A standard normal number (the slow, one-at-a-time path). */
function normal(): number {
  for (;;) {
    next();
    const i = outL & 0x7f;
    const u = ((outH | 0) * 2097152 + (outL >>> 11)) * 2.220446049250313e-16;
    if (Math.abs(u) < ZR[i]) return u * ZX[i];
    if (i === 0) return normalTail(u < 0);
    const x = u * ZX[i];
    const xi2 = ZX[i] * ZX[i];
    const xj2 = ZX[i + 1] * ZX[i + 1];
    const f0 = Math.exp(-0.5 * (xi2 - x * x));
    const f1 = Math.exp(-0.5 * (xj2 - x * x));
    if (f1 + uniformOpen() * (f0 - f1) < 1.0) return x;
  }
}

function normalSlow(i: number, u: number): number {
  if (i === 0) return normalTail(u < 0);
  const x = u * ZX[i];
  const xi2 = ZX[i] * ZX[i];
  const xj2 = ZX[i + 1] * ZX[i + 1];
  const f0 = Math.exp(-0.5 * (xi2 - x * x));
  const f1 = Math.exp(-0.5 * (xj2 - x * x));
  if (f1 + uniformOpen() * (f0 - f1) < 1.0) return x;
  return normal();
}

const CHUNK = 4096;
const MISS_K = new Int32Array(CHUNK);
const MISS_I = new Int32Array(CHUNK);

/**
 * n normals into out[offset ..], in chunks of 4096 like fillNormal in random.ts: a tight first
 * pass takes the fast path and lists the misses (their signed uniform parked in the output slot,
 * their block in MISS_I), a second pass finishes them with normalSlow.
 */
export function fillNormalPlain(out: Float64Array, offset: number, n: number): void {
  if (!zigReady) zigSetup();
  const zx = ZX, zr = ZR;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    let ah = s0h, al = s0l, bh = s1h, bl = s1l, ch = s2h, cl = s2l, eh = s3h, el = s3l;
    let misses = 0;
    for (let k = start; k < end; k++) {
      // bits = rotl(b * 5, 7) * 9 (the carry of lo * c from 16-bit halves: all in int32)
      let ml = Math.imul(bl, 5);
      let mh = (Math.imul(bh, 5) + (((bl >>> 16) * 5 + (((bl & 0xffff) * 5) >>> 16)) >>> 16)) | 0;
      const rh = (mh << 7) | (ml >>> 25), rl = (ml << 7) | (mh >>> 25);
      const lo = Math.imul(rl, 9);
      const hi = (Math.imul(rh, 9) + (((rl >>> 16) * 9 + (((rl & 0xffff) * 9) >>> 16)) >>> 16)) | 0;
      const th = (bh << 17) | (bl >>> 15), tl = bl << 17;
      ch ^= ah; cl ^= al;
      eh ^= bh; el ^= bl;
      bh ^= ch; bl ^= cl;
      ah ^= eh; al ^= el;
      ch ^= th; cl ^= tl;
      mh = eh; ml = el;
      eh = (ml << 13) | (mh >>> 19);
      el = (mh << 13) | (ml >>> 19);
      const i = lo & 0x7f;
      // (i64 bits >> 11) * 2^-52: the signed top 53 bits, exact in a double
      const u = (hi * 2097152 + (lo >>> 11)) * 2.220446049250313e-16;
      if (Math.abs(u) < zr[i]) {
        out[offset + k] = u * zx[i];
      } else {
        out[offset + k] = u;
        MISS_K[misses] = k;
        MISS_I[misses] = i;
        misses++;
      }
    }
    s0h = ah; s0l = al; s1h = bh; s1l = bl; s2h = ch; s2l = cl; s3h = eh; s3l = el;
    for (let m = 0; m < misses; m++) {
      const q = offset + MISS_K[m];
      out[q] = normalSlow(MISS_I[m], out[q]);
    }
  }
}

// ------------------------------------------------------------------ linear algebra
/** a[ao ..] . b[bo ..] over d entries: four interleaved partial sums, (s0 + s1) + (s2 + s3). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < d; k++) s0 += a[ao + k] * b[bo + k];
  return (s0 + s1) + (s2 + s3);
}

/** H[a] = w_a . xi for the n rows of W, two rows per pass over xi (same sums as dot()). */
function project(W: Float64Array, n: number, d: number, xi: Float64Array, H: Float64Array): void {
  let a = 0;
  for (; a + 2 <= n; a += 2) {
    const o0 = a * d, o1 = o0 + d;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    let k = 0;
    for (; k + 4 <= d; k += 4) {
      const x0 = xi[k], x1 = xi[k + 1], x2 = xi[k + 2], x3 = xi[k + 3];
      p0 += W[o0 + k] * x0; p1 += W[o0 + k + 1] * x1; p2 += W[o0 + k + 2] * x2; p3 += W[o0 + k + 3] * x3;
      q0 += W[o1 + k] * x0; q1 += W[o1 + k + 1] * x1; q2 += W[o1 + k + 2] * x2; q3 += W[o1 + k + 3] * x3;
    }
    for (; k < d; k++) {
      p0 += W[o0 + k] * xi[k];
      q0 += W[o1 + k] * xi[k];
    }
    H[a] = (p0 + p1) + (p2 + p3);
    H[a + 1] = (q0 + q1) + (q2 + q3);
  }
  for (; a < n; a++) H[a] = dot(W, a * d, xi, 0, d);
}

/** w[wo ..] += c x[xo ..] over d entries. */
function axpy(w: Float64Array, wo: number, c: number, x: Float64Array, d: number, xo = 0): void {
  for (let k = 0; k < d; k++) w[wo + k] += c * x[xo + k];
}

/** w[wo ..] = a w[wo ..] + c x[xo ..] over d entries (weight decay and the step in one pass). */
function scaleAxpy(w: Float64Array, wo: number, a: number, c: number, x: Float64Array, xo: number, d: number): void {
  for (let k = 0; k < d; k++) w[wo + k] = a * w[wo + k] + c * x[xo + k];
}

/** Rows of W (NV x d) become L e_a with C0 = L L^T and e_a orthonormal (as initialWeights in sgd.ts). */
function initialWeights(W: Float64Array, NV: number, d: number, C0: Float64Array, L: Float64Array): boolean {
  for (let i = 0; i < NV; i++) {
    for (let j = 0; j <= i; j++) {
      let s = C0[i * NV + j];
      for (let k = 0; k < j; k++) s -= L[i * NV + k] * L[j * NV + k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i * NV + i] = Math.sqrt(s);
      } else {
        L[i * NV + j] = s / L[j * NV + j];
      }
    }
  }
  fillNormalPlain(W, 0, NV * d);
  for (let a = 0; a < NV; a++) {
    const ea = a * d;
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < a; b++) {
        const eb = b * d;
        const c = dot(W, ea, W, eb, d);
        for (let k = 0; k < d; k++) W[ea + k] = W[ea + k] - c * W[eb + k];
      }
    }
    const n = Math.sqrt(dot(W, ea, W, ea, d));
    if (!(n > 0)) return false;
    for (let k = 0; k < d; k++) W[ea + k] = W[ea + k] / n;
  }
  for (let a = NV - 1; a >= 0; a--) {
    const wa = a * d;
    const laa = L[a * NV + a];
    for (let k = 0; k < d; k++) W[wa + k] = laa * W[wa + k];
    for (let b = 0; b < a; b++) {
      const lab = L[a * NV + b];
      const eb = b * d;
      for (let k = 0; k < d; k++) W[wa + k] = W[wa + k] + lab * W[eb + k];
    }
  }
  return true;
}

// ------------------------------------------------------------------ erf (port of assembly/sim/errorFunction.ts)
/** erf(x) by Cody's rational Chebyshev approximations, as in errorFunction.ts. */
export function erfPlain(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0.0;
    let xnum = 0.185777706184603153 * ysq;
    let xden = ysq;
    xnum = (xnum + 3.1611237438705656) * ysq; xden = (xden + 23.6012909523441209) * ysq;
    xnum = (xnum + 113.864154151050156) * ysq; xden = (xden + 244.024637934444173) * ysq;
    xnum = (xnum + 377.485237685302021) * ysq; xden = (xden + 1282.61652607737228) * ysq;
    return (x * (xnum + 3209.37758913846947)) / (xden + 2844.23683343917062);
  }
  let result: number;
  if (y >= 6.0) {
    result = 0.0;
  } else {
    if (y <= 4.0) {
      let xnum = 2.15311535474403846e-8 * y;
      let xden = y;
      xnum = (xnum + 0.564188496988670089) * y; xden = (xden + 15.7449261107098347) * y;
      xnum = (xnum + 8.88314979438837594) * y; xden = (xden + 117.693950891312499) * y;
      xnum = (xnum + 66.1191906371416295) * y; xden = (xden + 537.181101862009858) * y;
      xnum = (xnum + 298.635138197400131) * y; xden = (xden + 1621.38957456669019) * y;
      xnum = (xnum + 881.95222124176909) * y; xden = (xden + 3290.79923573345963) * y;
      xnum = (xnum + 1712.04761263407058) * y; xden = (xden + 4362.61909014324716) * y;
      xnum = (xnum + 2051.07837782607147) * y; xden = (xden + 3439.36767414372164) * y;
      result = (xnum + 1230.33935479799725) / (xden + 1230.33935480374942);
    } else {
      const ysq = 1.0 / (y * y);
      let xnum = 0.0163153871373020978 * ysq;
      let xden = ysq;
      xnum = (xnum + 0.305326634961232344) * ysq; xden = (xden + 2.56852019228982242) * ysq;
      xnum = (xnum + 0.360344899949804439) * ysq; xden = (xden + 1.87295284992346047) * ysq;
      xnum = (xnum + 0.125781726111229246) * ysq; xden = (xden + 0.527905102951428412) * ysq;
      xnum = (xnum + 0.0160837851487422766) * ysq; xden = (xden + 0.0605183413124413191) * ysq;
      result = (ysq * (xnum + 0.000658749161529837803)) / (xden + 0.00233520497626869185);
      result = (0.56418958354775628695 - result) / y;
    }
    const ysq = Math.trunc(y * 16.0) / 16.0;
    const del = (y - ysq) * (y + ysq);
    result = Math.exp(-ysq * ysq) * Math.exp(-del) * result;
  }
  const r = 0.5 - result + 0.5;
  return x < 0 ? -r : r;
}

// ------------------------------------------------------------------ one SGD run
export type PlainSgdActivation = "relu" | "erf" | "linear";
const ACT: Record<PlainSgdActivation, number> = { relu: 0, erf: 1, linear: 2 };
const SQRT_HALF = 0.7071067811865476;
const SQRT_2_OVER_PI = 0.7978845608028654;

export interface PlainSgdOptions {
  activation: PlainSgdActivation;
  K: number;
  M: number;
  d: number;
  T: number[][];
  Q0: number[][];
  R0: number[][];
  v?: number[];
  vStar?: number[];
  eta: number;
  /** Ascending SGD step counts at which (Q, R, eps_g) are recorded (batch 1: alpha = steps / d). */
  steps: number[];
  /** A run stops as diverged once some Q_ii exceeds this (default 1e6). */
  divergenceBound?: number;
  /** Record eps_g too (the ODE formula, bench/plain/model.ts; default true). */
  recordEg?: boolean;
  /** docs/theory.md section 9: label noise sigma, weight decay kappa, the second layer trained at eta2, P stored examples. */
  noise?: number;
  weightDecay?: number;
  trainSecondLayer?: boolean;
  eta2?: number;
  trainingExamples?: number;
}

export interface PlainSgdResult {
  /** 0 completed, 2 diverged, 3 invalid initial condition (as sgdRun). */
  code: number;
  recorded: number;
  /** Per sample: Q upper triangle, R (row-major), then v when trained, eps_g (D + 1 values, as the WASM out buffer). */
  out: Float64Array;
  steps: number;
  /** Training error per sample (finite training sets), else null. */
  training: Float64Array | null;
}

const g = (act: number, h: number) => (act === 0 ? (h > 0 ? h : 0.0) : act === 1 ? erfPlain(h * SQRT_HALF) : h);
const gPrime = (act: number, h: number) => (act === 0 ? (h > 0 ? 1.0 : 0.0) : act === 1 ? SQRT_2_OVER_PI * Math.exp(-0.5 * h * h) : 1.0);

/**
 * The initial weights (rows of W: K students, then M teachers) and the finite training set of one
 * run (inputs X, P x d, and their labels y with the noise drawn once per example), drawn from the
 * run's generator in the kernel's order: for checks that recompute averages over the stored set.
 */
export function plainTrainingSet(o: PlainSgdOptions, seedHi: number, seedLo: number): { W: Float64Array; X: Float64Array; y: Float64Array } {
  const { K, M, d } = o;
  const NV = K + M;
  const P = o.trainingExamples ?? 0;
  const W = new Float64Array(NV * d), C0 = new Float64Array(NV * NV), L = new Float64Array(NV * NV);
  fillC0(o, C0);
  seedPlain(seedHi, seedLo);
  if (!initialWeights(W, NV, d, C0, L)) throw new RangeError("C0 not positive definite");
  const X = new Float64Array(P * d), y = new Float64Array(P);
  drawSet(o, W, X, y);
  return { W, X, y };
}

function fillC0(o: PlainSgdOptions, C0: Float64Array): void {
  const { K, M } = o;
  const NV = K + M;
  for (let a = 0; a < NV; a++)
    for (let b = 0; b < NV; b++)
      C0[a * NV + b] = a < K && b < K ? o.Q0[a][b] : a < K ? o.R0[a][b - K] : b < K ? o.R0[b][a - K] : o.T[a - K][b - K];
}

/** The P examples after the initial weights: inputs, then per example its label (and noise). */
function drawSet(o: PlainSgdOptions, W: Float64Array, X: Float64Array, y: Float64Array): void {
  const { K, M, d } = o;
  const act = ACT[o.activation];
  const VS = o.vStar ?? Array.from({ length: M }, () => 1);
  const noise = o.noise ?? 0;
  fillNormalPlain(X, 0, X.length);
  for (let mu = 0; mu < y.length; mu++) {
    let tau = 0;
    for (let n = 0; n < M; n++) tau += VS[n] * g(act, dot(W, (K + n) * d, X, mu * d, d));
    y[mu] = noise !== 0 ? tau + noise * normal() : tau;
  }
}

/** Fisher-Yates on the generator, as shuffleExamples in sgd.ts. */
function shuffle(perm: Int32Array): void {
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(uniformOpen() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

/** Buffers for runs of one setting: allocate once, then run(seedHi, seedLo) any number of times. */
export function createPlainSgd(o: PlainSgdOptions): (seedHi: number, seedLo: number) => PlainSgdResult {
  const { K, M, d } = o;
  const NV = K + M;
  const D = (K * (K + 1)) / 2 + K * M;
  const act = ACT[o.activation];
  const W = new Float64Array(NV * d);
  const XI = new Float64Array(d);
  const H = new Float64Array(NV);
  const C0 = new Float64Array(NV * NV);
  const L = new Float64Array(NV * NV);
  const V0 = Float64Array.from(o.v ?? Array.from({ length: K }, () => 1));
  const V = Float64Array.from(V0);
  const VS = Float64Array.from(o.vStar ?? Array.from({ length: M }, () => 1));
  fillC0(o, C0);
  const bound = o.divergenceBound ?? 1e6;
  const recordEg = o.recordEg !== false;
  const trainV = o.trainSecondLayer === true;
  const DS = D + (trainV ? K : 0); // the state with v
  const U = new Float64Array(DS);
  const steps = o.steps;
  const scale = o.eta / d;
  const checkEvery = Math.max(1, d);
  const noise = o.noise ?? 0;
  const decay = (o.weightDecay ?? 0) !== 0 ? 1 - (o.weightDecay ?? 0) / d : 1;
  const scale2 = (o.eta2 ?? o.eta) / d;
  const P = o.trainingExamples ?? 0;
  const X = new Float64Array(P * d), Y = new Float64Array(P), perm = new Int32Array(P);

  const normsBounded = (): boolean => {
    for (let i = 0; i < K; i++) if (!(dot(W, i * d, W, i * d, d) <= bound)) return false;
    if (trainV) for (let i = 0; i < K; i++) if (!(V[i] * V[i] <= bound)) return false;
    return true;
  };
  const trainingError = (): number => {
    let total = 0;
    for (let mu = 0; mu < P; mu++) {
      let sigma = 0;
      for (let i = 0; i < K; i++) sigma += V[i] * g(act, dot(W, i * d, X, mu * d, d));
      const e = Y[mu] - sigma;
      total += 0.5 * e * e;
    }
    return total / P;
  };

  return (seedHi: number, seedLo: number): PlainSgdResult => {
    const out = new Float64Array(steps.length * (DS + 1));
    const training = P > 0 ? new Float64Array(steps.length) : null;
    seedPlain(seedHi, seedLo);
    if (!initialWeights(W, NV, d, C0, L)) return { code: 3, recorded: 0, out, steps: 0, training };
    V.set(V0);
    let epochPos = 0;
    if (P > 0) {
      drawSet(o, W, X, Y);
      for (let m = 0; m < P; m++) perm[m] = m;
      shuffle(perm);
    }
    if (recordEg) configurePlainModel({ activation: o.activation, K, M, T: o.T, eta: o.eta, v: o.v, vStar: o.vStar });
    let mu = 0;
    let sinceCheck = 0;
    for (let s = 0; s < steps.length; s++) {
      const target = steps[s];
      while (mu < target) {
        if (P > 0 || noise !== 0 || decay !== 1 || trainV) {
          // section 9's step (a separate path, so the plain step below stays the benchmark's)
          let x = XI, xo = 0, err: number;
          if (P > 0) {
            if (epochPos === P) { shuffle(perm); epochPos = 0; }
            const m = perm[epochPos++];
            x = X; xo = m * d;
            let sigma = 0;
            for (let i = 0; i < K; i++) { H[i] = dot(W, i * d, X, xo, d); sigma += V[i] * g(act, H[i]); }
            err = Y[m] - sigma;
          } else {
            fillNormalPlain(XI, 0, d);
            project(W, NV, d, XI, H);
            let sigma = 0, tau = 0;
            for (let i = 0; i < K; i++) sigma += V[i] * g(act, H[i]);
            for (let n = 0; n < M; n++) tau += VS[n] * g(act, H[K + n]);
            err = tau - sigma;
            if (noise !== 0) err += noise * normal();
          }
          for (let i = 0; i < K; i++) {
            const c = scale * V[i] * gPrime(act, H[i]) * err;
            if (decay !== 1) scaleAxpy(W, i * d, decay, c, x, xo, d);
            else if (c !== 0.0) axpy(W, i * d, c, x, d, xo);
            if (trainV) V[i] = decay * V[i] + scale2 * g(act, H[i]) * err;
          }
          mu += 1;
          if (++sinceCheck === checkEvery) {
            sinceCheck = 0;
            if (!normsBounded()) return { code: 2, recorded: s, out, steps: mu, training };
          }
          continue;
        }
        fillNormalPlain(XI, 0, d);
        project(W, NV, d, XI, H);
        let sigma = 0, tau = 0;
        if (act === 0) {
          for (let i = 0; i < K; i++) { const h = H[i]; sigma += V[i] * (h > 0 ? h : 0.0); }
          for (let n = 0; n < M; n++) { const h = H[K + n]; tau += VS[n] * (h > 0 ? h : 0.0); }
        } else if (act === 1) {
          for (let i = 0; i < K; i++) sigma += V[i] * erfPlain(H[i] * SQRT_HALF);
          for (let n = 0; n < M; n++) tau += VS[n] * erfPlain(H[K + n] * SQRT_HALF);
        } else {
          for (let i = 0; i < K; i++) sigma += V[i] * H[i];
          for (let n = 0; n < M; n++) tau += VS[n] * H[K + n];
        }
        const err = tau - sigma;
        for (let i = 0; i < K; i++) {
          const h = H[i];
          const gp = act === 0 ? (h > 0 ? 1.0 : 0.0) : act === 1 ? SQRT_2_OVER_PI * Math.exp(-0.5 * h * h) : 1.0;
          const c = scale * V[i] * gp * err;
          if (c !== 0.0) axpy(W, i * d, c, XI, d);
        }
        mu += 1;
        if (++sinceCheck === checkEvery) {
          sinceCheck = 0;
          if (!normsBounded()) return { code: 2, recorded: s, out, steps: mu, training };
        }
      }
      if (!normsBounded()) return { code: 2, recorded: s, out, steps: mu, training };
      let p = 0;
      for (let i = 0; i < K; i++) for (let k = i; k < K; k++) U[p++] = dot(W, i * d, W, k * d, d);
      for (let i = 0; i < K; i++) for (let n = 0; n < M; n++) U[p++] = dot(W, i * d, W, (K + n) * d, d);
      if (trainV) for (let i = 0; i < K; i++) U[p++] = V[i];
      const base = s * (DS + 1);
      out.set(U, base);
      out[base + DS] = recordEg && !trainV ? generalizationError(U) : NaN;
      if (training) training[s] = trainingError();
    }
    return { code: 0, recorded: steps.length, out, steps: mu, training };
  };
}

/** One run (allocates its buffers; see createPlainSgd for repeated runs). */
export function sgdPlain(o: PlainSgdOptions, seedHi: number, seedLo: number): PlainSgdResult {
  return createPlainSgd(o)(seedHi, seedLo);
}
