import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectorCoverage } from './connector-coverage.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-coverage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ConnectorCoverage over a fare file', () => {
  it('finds a date whose first rows do not count, and not a date none of whose rows count', async () => {
    const fare = join(dir, 'fare_transactions.csv');
    writeFileSync(
      fare,
      [
        'service_date,fare_action,token_id',
        // The 10th opens with a balance load (not a tap): the rows after it must still be read.
        '20260310,balance-load,a',
        '20260310,balance-load,b',
        '20260310,tap-off,c',
        '20260310,tap-on,d',
        // The 11th holds taps off only: a tap-on connector does not hold it, a tap one does.
        '20260311,tap-off,e',
        ' 20260311 ,tap-off,f',
        // The 12th holds no tap at all.
        '20260312,balance-load,g',
      ].join('\n'),
    );
    const coverage = new ConnectorCoverage(
      {
        'fare-revenue-by-route-hour': { fareTransactions: fare },
        'taps-by-stop-product': { fareTransactions: fare },
      },
      { now: () => 0, databaseEveryMs: 1000 },
    );
    expect(await coverage.compute()).toEqual([
      { connector: 'fare-revenue-by-route-hour', kind: 'dated', dates: ['2026-03-10/2026-03-11'] },
      { connector: 'taps-by-stop-product', kind: 'dated', dates: ['2026-03-10'] },
    ]);
  });
});
