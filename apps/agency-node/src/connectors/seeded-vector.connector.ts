import { type RandomSource, seededRandom } from '#concord/crypto';
import { type Connector } from './connector.js';
import { ConnectorError } from './connector-error.js';

/**
 * Benchmark input: `length` integers uniform in the input's declared cell range, from the seed
 * in the node configuration (`{ "seed": "..." }`). Deterministic, so a benchmark can check the
 * opened sums against a plaintext computation of the same vectors.
 */
export const seededVector: Connector = ({ input, files }) => {
  const seed = files.seed;
  if (!seed)
    return Promise.reject(
      new ConnectorError('node configuration', undefined, undefined, 'needs a "seed"'),
    );
  const values = seededValues(
    seededRandom(`${seed}/${input.name}`),
    input.length,
    input.cell.min,
    input.cell.max,
  );
  return Promise.resolve({
    values,
    report: { rowsRead: input.length, rowsUsed: input.length, rowsDropped: 0, cellsClipped: 0 },
  });
};

/** `length` integers in [min, max] (span below 2^32) from `rng`. */
export function seededValues(
  rng: RandomSource,
  length: number,
  min: number,
  max: number,
): Float64Array {
  const span = max - min + 1;
  const raw = new Uint32Array(length);
  rng.fill(new Uint8Array(raw.buffer));
  const out = new Float64Array(length);
  // A modulo bias of at most span / 2^32 does not matter for a benchmark workload.
  for (let i = 0; i < length; i++) out[i] = min + (raw[i] % span);
  return out;
}
