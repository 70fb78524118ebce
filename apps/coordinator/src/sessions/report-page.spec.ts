import { describe, expect, it } from 'vitest';
import type { ReportResponse } from './report.presenter.js';
import { pageOfReport } from './report-page.js';

const cells = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);

/** A report whose two outputs differ in size, and a ratio over the first. */
const report = {
  id: 'r',
  outputs: [
    { name: 'trips', values: cells(10, 't'), intervalHalfWidth: '4' },
    { name: 'total', values: cells(2, 's'), intervalHalfWidth: '9' },
  ],
  derived: [
    {
      name: 'share',
      values: cells(10, 'v'),
      intervals: cells(10, 'i').map((x) => [x, x] as const),
      reasons: cells(10, 'r'),
    },
  ],
} as unknown as ReportResponse;

describe('a page of a report', () => {
  it('slices every output and derived ratio at the same cells, the rest untouched', () => {
    const page = pageOfReport(report, 4, 3);
    expect(page.outputs[0].values).toEqual(['t4', 't5', 't6']);
    expect(page.outputs[0].intervalHalfWidth).toBe('4');
    // A smaller output ends early: its page may be short or empty.
    expect(page.outputs[1].values).toEqual([]);
    expect(page.derived[0].values).toEqual(['v4', 'v5', 'v6']);
    expect(page.derived[0].intervals).toEqual([
      ['i4', 'i4'],
      ['i5', 'i5'],
      ['i6', 'i6'],
    ]);
    expect(page.derived[0].reasons).toEqual(['r4', 'r5', 'r6']);
    expect(page.page).toEqual({ offset: 4, limit: 3, cells: 10 });
    expect(report.outputs[0].values).toHaveLength(10);
  });

  it('pages through every cell exactly once', () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 10; offset += 4) {
      seen.push(...pageOfReport(report, offset, 4).outputs[0].values);
    }
    expect(seen).toEqual(report.outputs[0].values);
  });
});
