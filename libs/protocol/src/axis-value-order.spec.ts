import { describe, expect, it } from 'vitest';
import { compareAxisValues } from './axis-value-order.js';

describe('compareAxisValues', () => {
  it('orders numeric ids by number, not by their first digit', () => {
    expect(['10', '9', '1', '100', '2'].sort(compareAxisValues)).toEqual([
      '1',
      '2',
      '9',
      '10',
      '100',
    ]);
  });

  it('orders mixed ids by prefix, then by number', () => {
    expect(['R10', 'R9', 'BLUE', 'R1', 'GREEN2', 'GREEN'].sort(compareAxisValues)).toEqual([
      'BLUE',
      'GREEN',
      'GREEN2',
      'R1',
      'R9',
      'R10',
    ]);
  });

  it('is a total order: ids equal as numbers still compare by their text', () => {
    expect(compareAxisValues('01', '1')).not.toBe(0);
    expect(compareAxisValues('01', '1')).toBe(-compareAxisValues('1', '01'));
    expect(compareAxisValues('7', '7')).toBe(0);
  });
});
