// Deterministic uniform numbers from a seed (mulberry32): 32 bits of state, the same sequence in
// every runtime (integer arithmetic only), for the seeded starts of the fixed-point search and the
// seeded inputs of the tests.

/** Uniform numbers in [0, 1) from a seed (mulberry32). */
export function uniformStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
