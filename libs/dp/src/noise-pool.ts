import { type RandomSource } from '#concord/crypto';
import { DpError } from './dp-error.js';
import { type NoiseSpec, noiseSpecKey, validateNoiseSpec } from './noise-spec.js';
import { sampleNoiseVector } from './noise-vector.js';

// Compact the backing array once this many consumed slots sit at its front.
/** Configuration of a `NoisePool`. */
export interface NoisePoolOptions {
  readonly spec: NoiseSpec;
  /** Where the pool draws from; production passes `bufferedRandom(systemRandom)`. */
  readonly rng: RandomSource;
  /** Samples held when full. */
  readonly capacity: number;
  /** `needsRefill` turns true (and `onLowWater` fires) below this size; default capacity / 2. */
  readonly lowWater?: number;
  /**
   * Called synchronously at the end of a `take` that leaves the pool below `lowWater` while no
   * refill is running. The pool does no I/O and keeps no timers: the caller schedules the refill
   * (for example `setImmediate(() => void pool.refillInBatches(256, yieldToLoop))`).
   */
  readonly onLowWater?: (pool: NoisePool) => void;
}

/**
 * Pre-sampled noise for one parameter set, consumed first in, first out.
 *
 * CKS20-style samplers take time that grows with the magnitude of what they return, and that
 * time is observable (Jin-McMurtry-Rubinstein-Ohrimenko, S&P 2022; libprio-rs #645). Drawing
 * ahead of time and dealing from the pool makes the time at which a party deals its noise
 * independent of the noise (docs/privacy.md, 'Side channels'). `take` therefore never
 * samples: an empty pool is an error (`pool-exhausted`), not a slow path.
 *
 * The pool holds secrets: `JSON.stringify` and `util.inspect` show only its key and size.
 */
export class NoisePool {
  readonly spec: NoiseSpec;
  /** `noiseSpecKey(spec)`: pools are per parameter set. */
  readonly key: string;
  readonly capacity: number;
  readonly lowWater: number;
  private readonly rng: RandomSource;
  private readonly onLowWater: ((pool: NoisePool) => void) | undefined;
  /**
   * A ring of doubles, not an array of bigints: a million pooled samples would otherwise be a
   * million heap objects for the garbage collector to trace on every major collection. Noise
   * samples are far below 2^53 (a sample beyond it is refused), so doubles hold them exactly.
   */
  private ring: Float64Array | undefined;
  private head = 0;
  private count = 0;
  private refilling = false;

  constructor(options: NoisePoolOptions) {
    validateNoiseSpec(options.spec);
    const { capacity } = options;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new DpError('invalid-parameter', 'NoisePool: capacity must be an integer >= 1');
    }
    const lowWater = options.lowWater ?? capacity >> 1;
    if (!Number.isSafeInteger(lowWater) || lowWater < 0 || lowWater > capacity) {
      throw new DpError('invalid-parameter', 'NoisePool: lowWater must lie in [0, capacity]');
    }
    this.spec = options.spec;
    this.key = noiseSpecKey(options.spec);
    this.capacity = capacity;
    this.lowWater = lowWater;
    this.rng = options.rng;
    this.onLowWater = options.onLowWater;
  }

  /** Samples available to `take`. */
  get size(): number {
    return this.count;
  }

  /** True below the low-water mark. */
  get needsRefill(): boolean {
    return this.size < this.lowWater;
  }

  /** True while `refillInBatches` runs. */
  get isRefilling(): boolean {
    return this.refilling;
  }

  /**
   * Samples synchronously until the pool is full or `maxSamples` were added; returns how many were
   * added. Bound `maxSamples` to keep each call short when called from an event loop.
   */
  refill(maxSamples: number = Number.MAX_SAFE_INTEGER): number {
    if (!Number.isSafeInteger(maxSamples) || maxSamples < 0) {
      throw new DpError(
        'invalid-parameter',
        'NoisePool.refill: maxSamples must be an integer >= 0',
      );
    }
    const count = Math.min(maxSamples, this.capacity - this.size);
    if (count <= 0) return 0;
    const ring = (this.ring ??= new Float64Array(this.capacity));
    // Sampled in chunks so no bigint array longer than a chunk is ever alive.
    for (let done = 0; done < count;) {
      const chunk = sampleNoiseVector(this.rng, this.spec, Math.min(4096, count - done));
      for (const value of chunk) {
        const v = Number(value);
        if (!Number.isSafeInteger(v)) {
          throw new DpError('invalid-parameter', `NoisePool ${this.key}: a sample exceeds 2^53`);
        }
        ring[(this.head + this.count) % this.capacity] = v;
        this.count++;
      }
      done += chunk.length;
    }
    return count;
  }

  /**
   * Refills to capacity in batches of `batchSize`, awaiting the caller's `pause()` between batches
   * (for example a `setImmediate` promise) so other work interleaves. A second call while one is
   * running returns 0 at once. Returns how many samples were added.
   */
  async refillInBatches(batchSize: number, pause: () => Promise<void>): Promise<number> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new DpError('invalid-parameter', 'NoisePool.refillInBatches: batchSize must be >= 1');
    }
    if (this.refilling) return 0;
    this.refilling = true;
    let added = 0;
    try {
      for (;;) {
        const step = this.refill(batchSize);
        added += step;
        if (step === 0 || this.size >= this.capacity) return added;
        await pause();
      }
    } finally {
      this.refilling = false;
    }
  }

  /**
   * Removes and returns the oldest `count` samples. All or nothing: if fewer are available it
   * throws `pool-exhausted` and removes none, so a release either gets all its noise from the pool
   * or aborts (it never waits on a sampler).
   */
  take(count: number): bigint[] {
    return Array.from(this.takeNumbers(count), BigInt);
  }

  /** `take`, as exact doubles (no per-sample heap objects): what the engine deals. */
  takeNumbers(count: number): Float64Array {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new DpError('invalid-parameter', 'NoisePool.take: count must be an integer >= 0');
    }
    if (count > this.size) {
      throw new DpError(
        'pool-exhausted',
        `NoisePool ${this.key}: ${count} samples requested, ${this.size} available`,
      );
    }
    const out = new Float64Array(count);
    const ring = this.ring;
    if (ring && count > 0) {
      const first = Math.min(count, this.capacity - this.head);
      out.set(ring.subarray(this.head, this.head + first));
      ring.fill(0, this.head, this.head + first);
      if (first < count) {
        out.set(ring.subarray(0, count - first), first);
        ring.fill(0, 0, count - first);
      }
      this.head = (this.head + count) % this.capacity;
      this.count -= count;
    }
    if (this.needsRefill && !this.refilling) this.onLowWater?.(this);
    return out;
  }

  /** Drops every pooled sample (for example when the parameter set is retired). */
  clear(): void {
    this.ring?.fill(0);
    this.head = 0;
    this.count = 0;
  }

  /** What a log line may show: never the pooled values, which are secret. */
  toJSON(): { key: string; size: number; capacity: number } {
    return { key: this.key, size: this.size, capacity: this.capacity };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `NoisePool(${this.key}, ${this.size}/${this.capacity})`;
  }
}
