import { bufferedRandom, type RandomSource, systemRandom } from '#concord/crypto';
import { NoisePool, type NoiseSpec, noiseSpecKey, Rational } from '#concord/dp';
import type { PlanOutput } from '#concord/protocol';

/**
 * The node's pre-sampled noise, one pool per parameter set. A session's noise is drawn when it
 * is accepted (before any data flows) and dealt when it commits, so the time at which a party
 * deals its noise does not depend on the noise's size (dp-design.md 6.2 step 3).
 */
export class NoiseSupply {
  private readonly pools = new Map<string, NoisePool>();

  constructor(private readonly rng: RandomSource = bufferedRandom(systemRandom)) {}

  /**
   * Draws every output's noise for one session from the pools (refilling them first if needed).
   * Called when the session is accepted; the noise is dealt later, at commitment.
   */
  draw(outputs: readonly PlanOutput[]): bigint[][] {
    const need = new Map<string, { spec: NoiseSpec; count: number }>();
    for (const o of outputs) {
      const spec = specOf(o);
      const key = noiseSpecKey(spec);
      need.set(key, { spec, count: (need.get(key)?.count ?? 0) + o.length });
    }
    for (const [key, { spec, count }] of need) {
      const pool = this.poolFor(key, spec, count);
      if (pool.size < count) pool.refill(count - pool.size);
    }
    return outputs.map((o) => {
      const spec = specOf(o);
      return this.poolFor(noiseSpecKey(spec), spec, o.length).take(o.length);
    });
  }

  private poolFor(key: string, spec: NoiseSpec, atLeast: number): NoisePool {
    let pool = this.pools.get(key);
    if (!pool || pool.capacity < atLeast) {
      // A larger release than any before: start a larger pool (unused samples are discarded).
      pool = new NoisePool({ spec, rng: this.rng, capacity: Math.max(atLeast * 2, 1024) });
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function specOf(o: PlanOutput): NoiseSpec {
  return o.noise.mechanism === 'discrete-gaussian'
    ? { mechanism: 'discrete-gaussian', shareSigma2: Rational.parse(o.noise.shareSigma2) }
    : {
        mechanism: 'polya-laplace',
        gamma: Rational.parse(o.noise.gamma),
        honestParties: o.noise.honestParties,
      };
}
