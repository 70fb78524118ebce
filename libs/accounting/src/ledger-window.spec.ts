import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { privacyCharge } from './budget.js';
import { decideCharge, type LedgerEntry, tallyBucket } from './ledger-policy.js';
import { windowBuckets, windowCovers, windowDays, windowFor } from './ledger-window.js';

const r = (text: string): Rational => Rational.parse(text);
const charge = (key: string, window: string, rho: string, analyst = 'alice'): LedgerEntry => ({
  key,
  kind: 'charge',
  scope: 'fares',
  window,
  analyst,
  charge: privacyCharge(r(rho)),
});

describe('ledger windows', () => {
  it('names a day by its date and a week by its first and last day, across a month end', () => {
    expect(windowFor('2026-03-09', 1)).toBe('2026-03-09');
    expect(windowFor('2026-03-29', 7)).toBe('2026-03-29..2026-04-04');
    expect(windowDays('2026-03-29..2026-04-04')).toEqual([
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-04',
    ]);
    expect(windowDays('2026-03-09')).toEqual(['2026-03-09']);
  });

  it('treats labels and malformed spans as buckets of their own, covering no day', () => {
    for (const label of [
      'all',
      '2026-02-30',
      '2026-03-09..2026-03-09',
      '2026-03-10..2026-03-09',
      '2026-01-01..2026-03-01',
      'a..b',
      '2026-03-09..2026-03-10..2026-03-11',
    ]) {
      expect(windowDays(label)).toBeUndefined();
      expect(windowBuckets(label)).toEqual([label]);
    }
    expect(windowCovers('all', 'all')).toBe(true);
    expect(windowCovers('all', '2026-03-09')).toBe(false);
    expect(() => windowFor('2026-03-09', 0)).toThrow(RangeError);
    expect(() => windowFor('2026-03-09', 32)).toThrow(RangeError);
    expect(() => windowFor('March 9', 7)).toThrow(RangeError);
  });

  it('round-trips every span: its days are consecutive, start at the first date and number as asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 31 }),
        (offset, days) => {
          const first = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const covered = windowDays(windowFor(first, days)) ?? [];
          expect(covered).toHaveLength(days);
          expect(covered[0]).toBe(first);
          for (let i = 1; i < covered.length; i++)
            expect(Date.parse(covered[i]) - Date.parse(covered[i - 1])).toBe(86_400_000);
        },
      ),
    );
  });
});

describe('ledger policy over spans of days', () => {
  const limits = { capRho: r('1'), quotaRho: r('3/4') };
  const week = '2026-03-09..2026-03-15';

  it('counts a week against each of its days and a day against every week that covers it', () => {
    const entries = [charge('w', week, '1/2'), charge('d', '2026-03-11', '1/4', 'bob')];
    expect(tallyBucket(entries, 'fares', '2026-03-11').bucket.rho.toString()).toBe('3/4');
    expect(tallyBucket(entries, 'fares', '2026-03-09').bucket.rho.toString()).toBe('1/2');
    expect(tallyBucket(entries, 'fares', '2026-03-16').bucket.rho.toString()).toBe('0');
    // A week is as full as its fullest day.
    expect(tallyBucket(entries, 'fares', '2026-03-05..2026-03-11').bucket.rho.toString()).toBe(
      '3/4',
    );
    expect(
      tallyBucket(entries, 'fares', '2026-03-12..2026-03-18', 'alice').analyst.rho.toString(),
    ).toBe('1/2');
  });

  it('refuses a week that one of its days cannot take, and a day a week already filled', () => {
    const entries = [charge('d', '2026-03-15', '3/4', 'bob')];
    const weekRequest = {
      key: 'w',
      scope: 'fares',
      window: week,
      analyst: 'alice',
      charge: privacyCharge(r('1/2')),
    };
    expect(decideCharge(entries, weekRequest, limits)).toMatchObject({
      ok: false,
      code: 'budget-exhausted',
      limit: 'cap',
    });
    // The same week a day later misses the full day.
    expect(
      decideCharge(entries, { ...weekRequest, window: '2026-03-16..2026-03-22' }, limits),
    ).toEqual({
      ok: true,
      code: 'charged',
    });
    const afterWeek = [charge('w', week, '1/2')];
    const day = {
      key: 'd2',
      scope: 'fares',
      window: '2026-03-12',
      analyst: 'alice',
      charge: privacyCharge(r('1/2')),
    };
    // Alice's quota (3/4) binds before the cap: the week already took 1/2 of her 2026-03-12.
    expect(decideCharge(afterWeek, day, limits)).toMatchObject({ ok: false, limit: 'quota' });
    expect(decideCharge(afterWeek, { ...day, analyst: 'bob' }, limits)).toEqual({
      ok: true,
      code: 'charged',
    });
  });

  it('never lets any day exceed its cap, whatever mix of days and weeks is admitted', () => {
    const start = Date.UTC(2026, 2, 1);
    const dayText = (i: number) => new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            first: fc.integer({ min: 0, max: 20 }),
            days: fc.constantFrom(1, 7),
            rho: fc.constantFrom('1/8', '1/4', '1/3', '1/2'),
          }),
          { maxLength: 30 },
        ),
        (requests) => {
          const entries: LedgerEntry[] = [];
          requests.forEach((q, i) => {
            const window = windowFor(dayText(q.first), q.days);
            const req = {
              key: `k${i}`,
              scope: 'fares',
              window,
              analyst: 'a',
              charge: privacyCharge(r(q.rho)),
            };
            if (decideCharge(entries, req, { capRho: r('1') }).ok)
              entries.push({ ...req, kind: 'charge' });
          });
          for (let d = 0; d < 28; d++) {
            const spent = tallyBucket(entries, 'fares', dayText(d)).bucket.rho;
            expect(spent.gt(r('1'))).toBe(false);
          }
        },
      ),
    );
  });
});
