import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldById, fromBigInts, toBigInts } from '#concord/field';
import { publishedVector } from './published-values.js';
import { outputDecimals } from './session-result.js';

describe('published value text back to its vector', () => {
  it('reads back exactly the vector whose canonical text it is, in every field width', () => {
    for (const id of ['rns31x1', 'rns31x2', 'rns31x4']) {
      const field = fieldById(id);
      const value = fc.bigInt({ min: -field.maxMagnitude, max: field.maxMagnitude });
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (values) => {
          const vector = fromBigInts(field, values);
          const text = outputDecimals({ name: 'x', vector });
          const back = publishedVector(field, text, values.length);
          expect(back && toBigInts(back)).toEqual(values);
          expect(back?.data).toEqual(vector.data);
        }),
        { seed: 15, numRuns: 200 },
      );
    }
  });

  it('refuses every other spelling, a wrong count and a value beyond the field', () => {
    const field = fieldById('rns31x1');
    expect(publishedVector(field, '12,-3,0', 3)).toBeDefined();
    for (const text of [
      '012,-3,0',
      '12,-03,0',
      '12,-3,-0',
      '+12,-3,0',
      ' 12,-3,0',
      '12,-3,0,',
      '12,,0',
      '12,-3',
      '12,-3,0,1',
      '1e1,-3,0',
      '12,-3,0x0',
      `12,-3,${field.maxMagnitude + 1n}`,
      `12,-3,${'9'.repeat(40)}`,
      `12,-3,0${'0'.repeat(20)}`,
    ])
      expect(publishedVector(field, text, 3), text).toBeUndefined();
    expect(publishedVector(field, '', 1)).toBeUndefined();
  });
});
