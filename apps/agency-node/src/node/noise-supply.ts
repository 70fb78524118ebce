import { bufferedRandom, type RandomSource, systemRandom } from '#concord/crypto';
import { NoisePool, type NoiseSpec, noiseSpecKey, Rational } from '#concord/dp';
import type { PlanOutput } from '#concord/protocol';

/** A pool to keep filled from the node's start: `shareSigma2` (DDG) or `gamma` (Pólya, h = 2). */
export interface NoisePrefill {
  readonly shareSigma2?: string;
  readonly gamma?: string;
  readonly count: number;
}

/**
 * The node's pre-sampled noise, one pool per parameter set. A session's noise is drawn when it is
 * accepted (before any data flows) and dealt when it commits, so the time at which a party deals
 * its noise does not depend on the noise's size (docs/privacy.md, 'Side channels'). Pools refill in
 * the background, in small batches that yield to the event loop, after every draw; pools named in
 * the configuration are filled before the node connects, so sessions never wait for sampling.
 */
export class NoiseSupply {
  private readonly pools = new Map<string, NoisePool>();

  constructor(private readonly rng: RandomSource = bufferedRandom(systemRandom)) {}

  /** Fills the configured pools (synchronously: called at start, before any session). */
  prefill(specs: readonly NoisePrefill[]): void {
    for (const p of specs) {
      const spec: NoiseSpec =
        p.shareSigma2 !== undefined
          ? { mechanism: 'discrete-gaussian', shareSigma2: Rational.parse(p.shareSigma2) }
          : { mechanism: 'polya-laplace', gamma: Rational.parse(p.gamma ?? '1'), honestParties: 2 };
      this.poolFor(noiseSpecKey(spec), spec, p.count).refill();
    }
  }

  /**
   * Draws every output's noise for one session (sampling now only what the pools lack), then
   * schedules the pools' background refill.
   */
  draw(outputs: readonly PlanOutput[]): Float64Array[] {
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
    const drawn = outputs.map((o) => {
      const spec = specOf(o);
      return this.poolFor(noiseSpecKey(spec), spec, o.length).takeNumbers(o.length);
    });
    for (const key of need.keys()) this.refillLater(this.pools.get(key)!);
    return drawn;
  }

  private refillLater(pool: NoisePool): void {
    // Only below the pool's low-water mark: a well-provisioned pool never samples mid-session.
    if (pool.isRefilling || !pool.needsRefill) return;
    const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    // A refill that fails loses nothing: the next draw samples what the pool lacks, at once.
    pool.refillInBatches(256, yieldToLoop).catch(() => undefined);
  }

  private poolFor(key: string, spec: NoiseSpec, atLeast: number): NoisePool {
    let pool = this.pools.get(key);
    if (!pool || pool.capacity < atLeast) {
      // A larger release than any before: start a larger pool (unused samples are discarded).
      pool = new NoisePool({ spec, rng: this.rng, capacity: Math.max(atLeast, 1024) });
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
