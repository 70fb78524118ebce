import { describe, expect, it } from 'vitest';
import { randomBelow, seededRandom } from '#concord/crypto';
import { compileSessionPlan, outputErrorBars, readCatalogueDirectory } from '#concord/protocol';
import { derivedRatios, ratioCell } from './derived-ratios.js';
import type { ReleasedOutput } from './session.js';

const catalogue = readCatalogueDirectory('protocols');

describe('derived ratios: a range or a reason, in every cell of every catalogue report', () => {
  it('gives every ratio cell of every catalogue protocol a range or a reason, at the smallest and largest budget', () => {
    const random = seededRandom('derived-ratios');
    let cells = 0;
    for (const entry of catalogue.entries()) {
      const d = entry.analysis.definition;
      for (const budget of [d.privacy.minBudget, d.privacy.maxBudget]) {
        const plan = compileSessionPlan(entry.analysis, {
          sessionId: 's',
          parameters: { serviceDate: '2026-03-10' },
          axisValues: Object.fromEntries(
            d.axes.filter((a) => 'public' in a.source).map((a) => [a.name, ['A', 'B', 'C']]),
          ),
          budget,
          parties: { transit: 1, payments: 2, planning: 3 },
        });
        const outputs = new Map(
          plan.outputs.map((o): [string, ReleasedOutput] => {
            const h = outputErrorBars(o).halfWidth;
            // Values around zero and well above the noise: negative, zero, small and large.
            const values = Array.from({ length: o.length }, () => {
              const scale = [1n, h, 10n * h, 1000n * h][Number(randomBelow(random, 4n))];
              return String(BigInt(randomBelow(random, 2n * scale + 1n)) - scale);
            });
            return [
              o.name,
              {
                name: o.name,
                unit: o.unit,
                values,
                intervalHalfWidth: h,
                confidenceLevel: '0.95',
                noise: {},
              },
            ];
          }),
        );
        for (const ratio of derivedRatios(entry, outputs)) {
          ratio.intervals.forEach((interval, i) => {
            cells += 1;
            const reason = ratio.reasons[i];
            if (interval === null) expect(reason).toMatch(/^not estimable at this budget: /);
            else {
              expect(reason).toBeNull();
              expect(Number(interval[0])).toBeLessThanOrEqual(Number(interval[1]));
              if (ratio.unit === 'share') {
                expect(Number(interval[0])).toBeGreaterThanOrEqual(0);
                expect(Number(interval[1])).toBeLessThanOrEqual(1);
              }
            }
          });
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
  });

  it('says why 6 ± 27 boardings gives no revenue per boarding, and clips a share’s range to [0, 1]', () => {
    const thin = ratioCell('cents/boarding', 6200n, 1697n, 6n, 27n, 'boardings');
    expect(thin.interval).toBeNull();
    expect(thin.reason).toBe(
      'not estimable at this budget: the boardings released (6 ± 27) may be zero or negative, so the ratio is unbounded',
    );
    // (5 ± 20) / (100 ± 20): raw range [−0.1875, 0.3125] — a share cannot be negative.
    const share = ratioCell('share', 5n, 20n, 100n, 20n, 'total_taps');
    expect(share.interval).toEqual(['0.0000', '0.3125']);
    // A raw share above 1 is kept as released (the dashboard flags it), its range clipped.
    const over = ratioCell('share', 130n, 10n, 100n, 10n, 'total_taps');
    expect(over.value).toBe('1.3000');
    expect(over.interval).toEqual(['1.0000', '1.0000']);
  });
});
