import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCardDays } from '../src/connectors/card-days.js';
import { ConnectorError } from '../src/connectors/connector-error.js';
import { ReadScope } from '../src/connectors/read-scope.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-card-days-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount';
const row = (id: string, token: string, cents: string) =>
  `${id},20260310,2026-03-10T08:0${id}:00,${token},tap-on,A,${cents}`;

function fareFile(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
  return path;
}

describe("the paid-row reader a session's per-card connectors share", () => {
  it('parses a file and date once within a session, and again in the next session', async () => {
    const path = fareFile('shared.csv', [row('1', 'c1', '2.50'), row('2', 'c2', '1.00')]);
    const session = new ReadScope();
    const first = await readCardDays(path, '2026-03-10', {}, session);
    expect(await readCardDays(path, '2026-03-10', {}, session)).toEqual(first);
    expect((await readCardDays(path, '2026-03-10', {}, session)).byToken).toBe(first.byToken);
    expect([...first.byToken.keys()]).toEqual(['c1', 'c2']);
    // Another date is its own read; so is everything in another session, which sees a change.
    expect((await readCardDays(path, '2026-03-11', {}, session)).byToken.size).toBe(0);
    fareFile('shared.csv', [row('1', 'c1', '2.50'), row('2', 'c9', '1.00')]);
    const next = await readCardDays(path, '2026-03-10', {}, new ReadScope());
    expect([...next.byToken.keys()]).toEqual(['c1', 'c9']);
  });

  it('still refuses a caller whose keyed column the shared read lacks', async () => {
    const path = fareFile('no-product.csv', [row('1', 'c1', '2.50')]);
    const session = new ReadScope();
    expect((await readCardDays(path, '2026-03-10', {}, session)).rowsRead).toBe(1);
    const refused = await readCardDays(path, '2026-03-10', { product: true }, session).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConnectorError);
    expect((refused as Error).message).toMatch(/missing column\(s\) fare_product/);
  });

  it('does not keep a failed read: the next caller in the session reads again', async () => {
    const session = new ReadScope();
    const missing = join(dir, 'later.csv');
    await expect(readCardDays(missing, '2026-03-10', {}, session)).rejects.toThrow(/not found/);
    fareFile('later.csv', [row('1', 'c1', '2.50')]);
    expect((await readCardDays(missing, '2026-03-10', {}, session)).rowsRead).toBe(1);
  });
});
