import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCardDays } from '../src/connectors/card-days.js';
import { ConnectorError } from '../src/connectors/connector-error.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-card-days-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount';
const row = (id: string, token: string, cents: string) =>
  `${id},20260310,2026-03-10T08:0${id}:00,${token},tap-on,A,${cents}`;

function fareFile(name: string, rows: string[], mtime: number): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
  utimesSync(path, mtime, mtime);
  return path;
}

describe('the paid-row reader the per-card connectors share', () => {
  it('parses a file version and date once for every connector of a session', async () => {
    const path = fareFile('shared.csv', [row('1', 'c1', '2.50'), row('2', 'c2', '1.00')], 1e9);
    const first = await readCardDays(path, '2026-03-10');
    const second = await readCardDays(path, '2026-03-10');
    expect(second.byToken).toBe(first.byToken);
    expect([...first.byToken.keys()]).toEqual(['c1', 'c2']);
    // Another date of the same file is its own read.
    expect((await readCardDays(path, '2026-03-11')).byToken.size).toBe(0);
  });

  it('reads the file again once it changed, never serving the old rows', async () => {
    const path = fareFile('changing.csv', [row('1', 'c1', '2.50')], 1e9);
    expect((await readCardDays(path, '2026-03-10')).byToken.size).toBe(1);
    fareFile('changing.csv', [row('1', 'c1', '2.50'), row('2', 'c9', '1.00')], 1e9 + 60);
    const changed = await readCardDays(path, '2026-03-10');
    expect([...changed.byToken.keys()]).toEqual(['c1', 'c9']);
  });

  it('still refuses a caller whose keyed column the shared read lacks', async () => {
    const path = fareFile('no-product.csv', [row('1', 'c1', '2.50')], 1e9);
    expect((await readCardDays(path, '2026-03-10')).rowsRead).toBe(1);
    const refused = await readCardDays(path, '2026-03-10', { product: true }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConnectorError);
    expect((refused as Error).message).toMatch(/missing column\(s\) fare_product/);
  });
});
