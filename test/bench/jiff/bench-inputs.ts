// Deterministic inputs for the stock-JIFF baseline and their plaintext answers.
import { randomBytes, seededRandom } from '#concord/crypto';
import { type StockJiffWork } from './messages.js';

/**
 * Sum: every value < 2^22, so the sum of three stays < 3·2^22 < 2^24 < 16,777,729 (JIFF's default
 * prime) and nothing wraps. Multiply: every value < 2^11, so a product stays < 2^22.
 */
const VALUE_BITS: Record<StockJiffWork, number> = { sum: 22, multiply: 11 };

export interface BenchInputs {
  /** Index k − 1 holds party k's vector; parties without inputs have null. */
  readonly vectors: readonly (readonly number[] | null)[];
  /** The m plaintext answers as decimal strings. */
  readonly expected: readonly string[];
}

function vector(seed: string, m: number, bits: number): number[] {
  // Three bytes per value, masked to `bits` (a power-of-two range: masking is exactly uniform).
  const bytes = randomBytes(seededRandom(seed), 3 * m);
  const mask = 2 ** bits - 1;
  const out = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    out[i] = ((bytes[3 * i] << 16) | (bytes[3 * i + 1] << 8) | bytes[3 * i + 2]) & mask;
  }
  return out;
}

export function benchInputs(work: StockJiffWork, m: number): BenchInputs {
  const bits = VALUE_BITS[work];
  const seed = (party: number) => `concord/bench/jiff-baseline/${work}/${m}/party-${party}`;
  switch (work) {
    case 'sum': {
      const [a, b, c] = [1, 2, 3].map((k) => vector(seed(k), m, bits));
      return { vectors: [a, b, c], expected: a.map((x, i) => String(x + b[i] + c[i])) };
    }
    case 'multiply': {
      const [a, b] = [1, 2].map((k) => vector(seed(k), m, bits));
      return { vectors: [a, b, null], expected: a.map((x, i) => String(x * b[i])) };
    }
  }
}
