import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
  areDateRanges,
  expandDateRanges,
  intersectDateRanges,
  windowStarts,
  MAX_DATE_RANGES,
  NodeCoverageDto,
  rangesInclude,
  toDateRanges,
} from './data-coverage.js';
import { validateMessage } from './validate-message.js';

describe('data coverage on the wire', () => {
  it('merges consecutive days into canonical ranges, across month ends, ignoring non-dates', () => {
    expect(
      toDateRanges(['2026-03-02', '2026-02-28', '2026-03-01', '2026-03-01', '2026-03-05', 'x']),
    ).toEqual(['2026-02-28/2026-03-02', '2026-03-05']);
    expect(toDateRanges([])).toEqual([]);
    const everyOtherDay = Array.from({ length: MAX_DATE_RANGES + 1 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1 + 2 * i)).toISOString().slice(0, 10),
    );
    expect(() => toDateRanges(everyOtherDay)).toThrow(RangeError);
  });

  it('answers membership, expansion and intersection on ranges', () => {
    const ranges = ['2026-03-01/2026-03-03', '2026-03-10'];
    expect(rangesInclude(ranges, '2026-03-02')).toBe(true);
    expect(rangesInclude(ranges, '2026-03-04')).toBe(false);
    expect(rangesInclude(ranges, '2026-02-30')).toBe(false);
    expect(expandDateRanges(ranges, 3)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(intersectDateRanges(ranges, ['2026-03-03/2026-03-12'])).toEqual([
      '2026-03-03',
      '2026-03-10',
    ]);
  });

  it('gives the days a window of several held days may start on', () => {
    const ranges = ['2026-03-01/2026-03-07', '2026-03-09/2026-03-20', '2026-03-25/2026-03-30'];
    // A week fits once in the first range, six times in the second, never in the third.
    expect(windowStarts(ranges, 7)).toEqual(['2026-03-01', '2026-03-09/2026-03-14']);
    expect(windowStarts(ranges, 1)).toEqual(ranges);
    expect(windowStarts(['2026-02-25/2026-03-03'], 7)).toEqual(['2026-02-25']);
    expect(windowStarts([], 7)).toEqual([]);
  });

  it('accepts only canonical ranges of real dates', () => {
    expect(areDateRanges(['2026-03-01/2026-03-03', '2026-03-05'])).toBe(true);
    for (const bad of [
      ['2026-03-03/2026-03-01'], // backwards
      ['2026-03-01', '2026-03-02'], // adjacent: not merged
      ['2026-03-05', '2026-03-01'], // descending
      ['2026-02-30'], // not a date
      ['20260301'],
    ])
      expect(areDateRanges(bad), JSON.stringify(bad)).toBe(false);
  });

  it('validates the announcement: kinds, connector names, dates only as canonical ranges, bounded', () => {
    const ok = {
      inputs: [
        { connector: 'fare-revenue-by-route-hour', kind: 'dated', dates: ['2026-03-10'] },
        { connector: 'population-by-zone', kind: 'any-date' },
      ],
    };
    expect(validateMessage(NodeCoverageDto, ok, 'node.coverage').inputs).toHaveLength(2);
    for (const bad of [
      { inputs: [{ connector: 'x', kind: 'dated', dates: [] }] },
      { inputs: [{ connector: 'fare', kind: 'sometimes' }] },
      { inputs: [{ connector: 'fare', kind: 'dated' }] },
      { inputs: [{ connector: 'fare', kind: 'dated', dates: ['2026-03-10', '2026-03-11'] }] },
      { inputs: [{ connector: 'fare', kind: 'dated', dates: ['2026-03-10'], rows: 5 }] },
      {
        inputs: Array.from({ length: 17 }, (_, i) => ({ connector: `c${i}x`, kind: 'any-date' })),
      },
    ])
      expect(() => validateMessage(NodeCoverageDto, bad, 'node.coverage')).toThrow(
        /node.coverage is invalid/,
      );
  });

  it('offers a weekly protocol the first days of the whole weeks inside the ranges', () => {
    const ranges = ['2026-03-01/2026-03-10', '2026-03-12', '2026-03-20/2026-03-26'];
    expect(windowStarts(ranges, 7)).toEqual(['2026-03-01/2026-03-04', '2026-03-20']);
    expect(windowStarts(ranges, 1)).toEqual(ranges);
    expect(windowStarts(['2026-03-01/2026-03-06'], 7)).toEqual([]);
  });
});
