// Keys of sweep points and their shards. A point is its command and its API options written
// canonically (keys sorted at every level), so the same options always give the same key,
// whatever the order or spelling of the command line. Shards of a batch job array take the points
// whose key hashes to their index: stable across runs and machines, no point in two shards.
import { OptionError } from "../core/errors";
import { canonicalJson } from "../text/grid";

/** The key of a point: its command and its options, canonically. */
export const pointKey = (command: string, options: object) => `${command} ${canonicalJson(options)}`;

/** FNV-1a (32 bit) of the key's UTF-8 bytes: a fixed, documented hash, the same in every runtime. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(key)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A shard: index in 1..count of a job array of `count` tasks. */
export interface Shard {
  index: number;
  count: number;
}

/** The shard (1..count) a point belongs to. */
export const shardOf = (key: string, count: number) => (keyHash(key) % count) + 1;

export const MAX_SHARDS = 100_000;

/** "I/N" with 1 <= I <= N <= MAX_SHARDS. */
export function parseShard(text: string, option = "shard"): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const accepted = `I/N with integers 1 <= I <= N <= ${MAX_SHARDS} (task I of a job array of N tasks), e.g. 2/8`;
  if (!m) throw new OptionError({ option, value: text, accepted, reason: `must be I/N (task I of N); got ${JSON.stringify(text)}` });
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) throw new OptionError({ option, value: text, accepted, reason: `must be I/N with 1 <= I <= N <= ${MAX_SHARDS}; got ${JSON.stringify(text)}` });
  return { index, count };
}
