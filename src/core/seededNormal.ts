// Seeded standard normals for host-side sampling (data sets, Monte-Carlo checks):
// splitmix64-style seeding of xoshiro128**, 53-bit uniforms, Marsaglia's polar method with both
// outputs used. Only +, *, /, sqrt (correctly rounded) and fdlibm's log in plain arithmetic: the
// same seed gives the same bits in every engine (Math.log/sin/cos do not).
import * as check from "./validate";
import { fdlibmLog } from "./fdlibmLog";

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  let hi = Math.floor(seed / 4294967296) >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    hi = (hi + 0x7f4a7c15 + (s < 0x9e3779b9 ? 1 : 0)) >>> 0;
    let z = (s ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniforms on the open interval (0, 1) from an integer seed in [0, 2^53). */
export function seededUniform(seed: number): () => number {
  check.number("seed", seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1;
  const next = () => {
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = (d << 11) | (d >>> 21);
    return r;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6) + 0.5) / 9007199254740992;
}

/** Standard normals from an integer seed in [0, 2^53). */
export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  let spare = 0, has = false;
  return () => {
    if (has) {
      has = false;
      return spare;
    }
    let a: number, b: number, s: number;
    do {
      a = 2 * u() - 1;
      b = 2 * u() - 1;
      s = a * a + b * b;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * fdlibmLog(s)) / s);
    spare = b * factor;
    has = true;
    return a * factor;
  };
}
