import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomBelow, seededRandom } from '#concord/crypto';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import { ratioCell } from '../../apps/coordinator/src/sessions/derived-ratios.js';

interface RatioModule {
  ratioCell(
    unit: string,
    n: bigint,
    hn: bigint,
    d: bigint,
    hd: bigint,
    denominator: string,
  ): { value: string | null; range: [string, string] | null; reason: string | null };
}

/**
 * The dashboard computes ratios of sums over slices itself (the API lists single cells): its
 * rules must be the coordinator's, value, range and reason alike.
 */
describe('ratio cells of sums in the dashboard', () => {
  it('agree with the coordinator’s on random released values, every unit', async () => {
    const path = join(repoRoot(), 'apps/coordinator/dashboard/js/ratio.js');
    const dashboard = (await import(pathToFileURL(path).href)) as RatioModule;
    const random = seededRandom('ratio-parity');
    const draw = (scale: bigint): bigint => randomBelow(random, 2n * scale + 1n) - scale;
    let withRange = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const unit = ['share', 'cents/boarding', 'boardings/person'][i % 3];
      const hn = randomBelow(random, 2_000n);
      const hd = randomBelow(random, 200n);
      const [n, d] = [draw(50_000n), draw(1_000n)];
      const server = ratioCell(unit, n, hn, d, hd, 'boardings');
      const page = dashboard.ratioCell(unit, n, hn, d, hd, 'boardings');
      expect({ value: page.value, range: page.range, reason: page.reason }).toEqual({
        value: server.value,
        range: server.interval,
        reason: server.reason,
      });
      if (server.interval) withRange += 1;
    }
    expect(withRange).toBeGreaterThan(200);
  });

  it('exports every ratio cell to CSV with its range or its reason', async () => {
    const path = join(repoRoot(), 'apps/coordinator/dashboard/js/csv.js');
    const csv = (await import(pathToFileURL(path).href)) as {
      groupCsv(group: unknown): string;
    };
    const text = csv.groupCsv({
      axes: [{ name: 'hour', values: ['0', '1'] }],
      cells: 2,
      outputs: [{ name: 'boardings', values: ['6', '500'], intervalHalfWidth: '27' }],
      derived: [
        {
          name: 'rpb',
          values: ['1033.33', '170.00'],
          intervals: [null, ['150.00', '190.00']],
          reasons: [
            'not estimable at this budget: the boardings released (6 ± 27) may be zero or negative, so the ratio is unbounded',
            null,
          ],
        },
      ],
    });
    const [header, first, second] = text.split('\r\n');
    expect(header).toBe(
      'hour,boardings,boardings_interval_half_width,rpb,rpb_low,rpb_high,rpb_reason',
    );
    expect(first).toBe(
      '0,6,27,1033.33,,,"not estimable at this budget: the boardings released (6 ± 27) may be zero or negative, so the ratio is unbounded"',
    );
    expect(second).toBe('1,500,27,170.00,150.00,190.00,');
  });

  it('never exports a text cell a spreadsheet would run as a formula, and leaves negatives alone', async () => {
    const path = join(repoRoot(), 'apps/coordinator/dashboard/js/csv.js');
    const csv = (await import(pathToFileURL(path).href)) as {
      groupCsv(group: unknown): string;
    };
    const text = csv.groupCsv({
      axes: [{ name: 'route', values: ['=1+2', '-X'] }],
      cells: 2,
      outputs: [{ name: 'trips', values: ['-4', '5'], intervalHalfWidth: '3' }],
      derived: [],
    });
    const [, first, second] = text.split('\r\n');
    expect(first).toBe("'=1+2,-4,3");
    expect(second).toBe("'-X,5,3");
  });
});
