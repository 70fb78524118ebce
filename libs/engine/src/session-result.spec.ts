import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldById, fromBigInts, toBigInts } from '#concord/field';
import { outputDecimals } from './session-result.js';

describe('outputDecimals', () => {
  it('writes exactly the canonical decimals of every value, in one or more limbs', () => {
    for (const id of ['rns31x1', 'rns31x2', 'rns31x3']) {
      const field = fieldById(id);
      const max = field.maxMagnitude < 2n ** 60n ? field.maxMagnitude : 2n ** 60n;
      fc.assert(
        fc.property(
          fc.array(fc.bigInt({ min: -max, max }), { minLength: 1, maxLength: 50 }),
          (v) => {
            const output = { name: 'o', vector: fromBigInts(field, v) };
            expect(outputDecimals(output)).toBe(toBigInts(output.vector).join(','));
          },
        ),
        { seed: 7, numRuns: 200 },
      );
    }
  });

  it('writes the edges: zero, ±1, the largest safe integers', () => {
    const field = fieldById('rns31x2');
    const edges = [0n, 1n, -1n, 9n, 10n, -10n, 2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n + 1n];
    const output = { name: 'o', vector: fromBigInts(field, edges) };
    expect(outputDecimals(output)).toBe(edges.join(','));
    // Once per output: the same text, not recomputed.
    expect(outputDecimals(output)).toBe(outputDecimals(output));
  });
});
