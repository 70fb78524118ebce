import { Prng } from './prng.js';
import { PrefixedSha256, sha256Prefix128 } from './sha256-prefix.js';
import { SynthError } from './synth-error.js';

/** The 64-bit master seed, as given by callers (CLI flags arrive as strings). */
export type CitySeed = number | bigint | string;

/** Who "owns" the randomness of an entity: the three agencies, or the shared ground truth. */
export type Party = 'world' | 'T' | 'P' | 'C';

const DOMAIN = 'concord/synth/v1';
const MAX_SEED = (1n << 64n) - 1n;

/**
 * The canonical decimal form of a 64-bit seed. Strings must be decimal integers too, so that
 * `--seed 42` and `generateCity({ seed: 42 })` give the same city.
 */
export function normalizeSeed(seed: CitySeed): string {
  let value: bigint;
  if (typeof seed === 'bigint') value = seed;
  else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed))
      throw new SynthError('invalid-seed', 'seed must be an integer');
    value = BigInt(seed);
  } else {
    if (!/^[0-9]{1,20}$/.test(seed)) throw new SynthError('invalid-seed', 'seed must be decimal');
    value = BigInt(seed);
  }
  if (value < 0n || value > MAX_SEED) {
    throw new SynthError('invalid-seed', 'seed must be in [0, 2^64)');
  }
  return value.toString(10);
}

/**
 * An independent generator for one entity: xoshiro128** seeded with
 * SHA-256(domain, seed, party, kind, id) (first 16 digest bytes as little-endian words). Every entity (zone, route, rider, rider-day, trip...)
 * draws only from its own stream, so it can be regenerated alone, in any order or shard, and
 * adding an entity never shifts another one's values.
 */
export function substream(
  seed: string,
  party: Party,
  kind: string,
  id: string | number = '',
): Prng {
  // NUL separators cannot occur inside the decimal seed, the party or our kind names.
  sha256Prefix128(`${DOMAIN}\0${seed}\0${party}\0${kind}\0${id}`, words);
  return new Prng(words[0], words[1], words[2], words[3]);
}

/**
 * `substream(seed, party, kind, idPrefix + n)` for many integers n ≥ 0, the same generators
 * without a message string per stream: riders and rider-days are millions a day.
 */
export class SubstreamFamily {
  private readonly hasher: PrefixedSha256;

  constructor(seed: string, party: Party, kind: string, idPrefix = '') {
    this.hasher = new PrefixedSha256(`${DOMAIN}\0${seed}\0${party}\0${kind}\0${idPrefix}`);
  }

  at(n: number): Prng {
    this.hasher.digestWithNumber(n, words);
    return new Prng(words[0], words[1], words[2], words[3]);
  }
}

/** Scratch for the digest words (substreams are created one at a time, synchronously). */
const words = new Uint32Array(4);
