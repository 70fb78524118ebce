import { describe, expect, it } from 'vitest';
import type { PlanInput } from '#concord/protocol';
import { ConnectorError } from './connector-error.js';
import { dayBound } from './fare-revenue.connector.js';

/** A revenue input with only what the bound reads. */
function input(contribution: PlanInput['contribution']): PlanInput {
  return { name: 'revenue', contribution } as PlanInput;
}

describe('dayBound', () => {
  it('takes the per-day bound over a window, the whole bound over one day', () => {
    const month = { total: 15_000, perCell: 15_000, rows: 240, perDay: { total: 500, rows: 8 } };
    expect(dayBound(input(month), 30)).toEqual({
      total: 500,
      rows: 8,
    });
    expect(dayBound(input({ total: 500, perCell: 500, rows: 8 }), 1)).toEqual({
      total: 500,
      rows: 8,
    });
  });

  it('refuses a window bound the days do not imply, and a bound past 32 bits', () => {
    const tight = { total: 14_999, perCell: 14_999, rows: 240, perDay: { total: 500, rows: 8 } };
    expect(() => dayBound(input(tight), 30)).toThrow(ConnectorError);
    const rows = { total: 15_000, perCell: 15_000, rows: 239, perDay: { total: 500, rows: 8 } };
    expect(() => dayBound(input(rows), 30)).toThrow(/30 times/);
    const huge = { total: 2 ** 33, perCell: 2 ** 33 };
    expect(() => dayBound(input(huge), 1)).toThrow(/2\^32/);
  });

  it('refuses an input without a contribution bound', () => {
    expect(() => dayBound(input(null), 1)).toThrow(ConnectorError);
  });
});
