import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import { ESTIMATE_LABEL } from '../../apps/coordinator/src/sessions/report-estimates.js';

interface EstimatesModule {
  ESTIMATE_LABEL: string;
  estimatesCsv(report: unknown): string;
  statedErrorText(estimates: unknown, unit: string): string;
}

/** The dashboard's estimates wording and CSV, loaded as the browser loads them. */
describe('post-processed estimates in the dashboard', () => {
  let page: EstimatesModule;
  beforeAll(async () => {
    const path = join(repoRoot(), 'apps/coordinator/dashboard/js/estimates.js');
    page = (await import(pathToFileURL(path).href)) as EstimatesModule;
  });

  it('uses the API’s label', () => {
    expect(page.ESTIMATE_LABEL).toBe(ESTIMATE_LABEL);
  });

  it('states the simulated error beside the raw error, or why there is none', () => {
    const text = page.statedErrorText(
      {
        label: ESTIMATE_LABEL,
        values: [1],
        statedError: {
          simulated: 'synthetic medium city (seed 2026), 4 releases at ρ = 1/2',
          budget: '1/2',
          rawRmse: 14,
          estimateRmse: 10.9,
          rawTotalRmse: 476,
          estimateTotalRmse: 476,
        },
      },
      'boardings',
    );
    expect(text).toContain('measured by simulation');
    expect(text).toContain('10.9 for the post-processed estimate');
    expect(text).toContain('14.0 for the released values');
    expect(
      page.statedErrorText(
        {
          label: ESTIMATE_LABEL,
          values: [1],
          statedError: null,
          statedErrorReason: 'not measured',
        },
        'taps',
      ),
    ).toContain('not measured');
  });

  it('writes a CSV with the released value, its interval and the estimate for every cell', () => {
    const csv = page.estimatesCsv({
      grid: [
        { name: 'route', values: ['R1', 'R2'] },
        { name: 'hour', values: ['0', '1'] },
      ],
      outputs: [
        {
          name: 'boardings',
          axes: ['route', 'hour'],
          values: ['3', '-2', '5', '1'],
          intervalHalfWidth: '27',
          estimates: { label: ESTIMATE_LABEL, values: [2.5, 0, 4.5, 0] },
        },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'output,cell,axes,released_value,interval_half_width,post_processed_estimate',
      'boardings,0,route=R1 hour=0,3,27,2.5',
      'boardings,1,route=R1 hour=1,-2,27,0',
      'boardings,2,route=R2 hour=0,5,27,4.5',
      'boardings,3,route=R2 hour=1,1,27,0',
    ]);
  });
});
