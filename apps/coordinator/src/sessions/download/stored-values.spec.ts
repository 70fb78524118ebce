import { describe, expect, it } from 'vitest';
import { isDecimalInteger, storedValues, valueText } from './stored-values.js';

describe('stored value text, scanned not split', () => {
  it('finds exactly the values text.split(",") would, multi-byte text included', () => {
    for (const text of ['12,-3,0', '7', '', ',', '1,,2,', 'Zürich ✓,-0,a"b,\r\n,9']) {
      const values = storedValues(text);
      const split = text.split(',');
      expect(values.length).toBe(split.length);
      expect(Array.from({ length: values.length }, (_, k) => valueText(values, k))).toEqual(split);
    }
  });

  it('calls a value a decimal integer exactly when /^-?\\d+$/ does', () => {
    const texts = [
      '0',
      '-0',
      '007',
      '-12',
      '',
      '-',
      '--1',
      '+1',
      '1-',
      ' 1',
      '1 ',
      '1.5',
      '١٢',
      'x',
    ];
    const values = storedValues(texts.join(','));
    texts.forEach((text, k) => {
      const start = k === 0 ? 0 : values.ends[k - 1] + 1;
      expect(isDecimalInteger(values.bytes, start, values.ends[k])).toBe(/^-?\d+$/.test(text));
    });
  });
});
