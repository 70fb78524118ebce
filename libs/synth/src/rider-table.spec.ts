import { describe, expect, it } from 'vitest';
import { buildCityBase } from './city-base.js';
import { RiderTable } from './rider-table.js';
import { riderAt } from './riders.js';

describe('RiderTable', () => {
  it('gives back every rider exactly as riderAt draws it (cash, cards, commutes, balances)', () => {
    const base = buildCityBase({ seed: 7, scale: 'small' });
    const count = base.riders.count;
    const draw = (i: number) => riderAt(base.seed, base.params.demand, base.riders, base.paths, i);
    const table = RiderTable.allocate(count);
    for (let i = count - 1; i >= 0; i--) table.set(draw(i));
    const riders = Array.from({ length: count }, (_, i) => draw(i));
    expect(riders.some((r) => r.cash) && riders.some((r) => r.commute !== null)).toBe(true);
    expect(riders.some((r) => r.initialBalanceCents !== null)).toBe(true);
    for (let i = 0; i < count; i++) expect(table.get(i), `rider ${i}`).toEqual(riders[i]);
  });
});
