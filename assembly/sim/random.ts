// Seeded random numbers, bit-identical in every runtime (integer arithmetic plus NativeMath).
//   xoshiro256** (Blackman & Vigna 2018), seeded through splitmix64;
//   normals by Doornik's ZIGNOR ziggurat (128 blocks): one 64-bit draw per normal in ~99% of
//   cases (53 bits for the uniform, 7 independent bits for the block).

let s0: u64 = 0, s1: u64 = 0, s2: u64 = 0, s3: u64 = 0;

function splitmix64(x: u64): u64 {
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

export function seedRandom(seed: u64): void {
  let x = seed;
  s0 = splitmix64(x); x += 0x9e3779b97f4a7c15;
  s1 = splitmix64(x); x += 0x9e3779b97f4a7c15;
  s2 = splitmix64(x); x += 0x9e3779b97f4a7c15;
  s3 = splitmix64(x);
}

@inline export function nextU64(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

/** Uniform in (0, 1): 53 random bits, never 0 (safe for log). */
@inline export function uniformOpen(): f64 {
  return (<f64>(nextU64() >> 11) + 0.5) * 1.1102230246251565e-16;
}

// Ziggurat tables (computed once; the construction uses only NativeMath, so it is identical
// everywhere).
const ZIG_C: i32 = 128;
const ZIG_R: f64 = 3.442619855899;
const ZIG_V: f64 = 9.91256303526217e-3;
// Static data, not heap: the host's workspace starts at __heap_base.
const ZXP: usize = memory.data((ZIG_C + 1) * 8, 8);
const ZRP: usize = memory.data(ZIG_C * 8, 8);
@inline function zx(i: i32): f64 { return load<f64>(ZXP + (<usize>i << 3)); }
@inline function zr(i: i32): f64 { return load<f64>(ZRP + (<usize>i << 3)); }
let zigReady = false;

function zigSetup(): void {
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  store<f64>(ZXP, ZIG_V / f);
  store<f64>(ZXP + 8, ZIG_R);
  store<f64>(ZXP + (<usize>ZIG_C << 3), 0.0);
  for (let i = 2; i < ZIG_C; i++) {
    const x = Math.sqrt(-2.0 * Math.log(ZIG_V / zx(i - 1) + f));
    store<f64>(ZXP + (<usize>i << 3), x);
    f = Math.exp(-0.5 * x * x);
  }
  for (let i = 0; i < ZIG_C; i++) store<f64>(ZRP + (<usize>i << 3), zx(i + 1) / zx(i));
  zigReady = true;
}

function normalTail(negative: bool): f64 {
  let x: f64, y: f64;
  do {
    x = Math.log(uniformOpen()) / ZIG_R;
    y = Math.log(uniformOpen());
  } while (-2.0 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

/** A standard normal number. */
export function normal(): f64 {
  if (!zigReady) zigSetup();
  while (true) {
    const bits = nextU64();
    const i = <i32>(bits & 0x7f);
    const u = 2.0 * (<f64>(bits >> 11) * 1.1102230246251565e-16) - 1.0; // [-1, 1)
    if (Math.abs(u) < zr(i)) return u * zx(i);
    if (i == 0) return normalTail(u < 0);
    const x = u * zx(i);
    const xi2 = zx(i) * zx(i);
    const xj2 = zx(i + 1) * zx(i + 1);
    const f0 = Math.exp(-0.5 * (xi2 - x * x));
    const f1 = Math.exp(-0.5 * (xj2 - x * x));
    if (f1 + uniformOpen() * (f0 - f1) < 1.0) return x;
  }
  return 0.0; // unreachable
}

/** Fills n normals at p. */
export function fillNormal(p: usize, n: i32): void {
  if (!zigReady) zigSetup();
  for (let k = 0; k < n; k++) store<f64>(p + (<usize>k << 3), normal());
}
