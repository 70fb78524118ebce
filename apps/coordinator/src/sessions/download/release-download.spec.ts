import { buffer } from 'node:stream/consumers';
import { MessageHeader, MessageReader, tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { fieldById, fromBigInts } from '#concord/field';
import { describe, expect, it } from 'vitest';
import type { Session, StoredOutput } from '../session.js';
import { downloadFilename } from './download-filename.js';
import { releaseArrowStream } from './release-arrow.js';
import { releaseCsvChunks } from './release-csv.js';
import { type ReleaseTable, releaseTable } from './release-table.js';
import { decimalValues, storedValues, type StoredValues } from './stored-values.js';

/**
 * A completed session whose two outputs are broken down differently: `trips` over (stop, hour)
 * with the plan's axes in the other order, `fares` over (stop, value): each lacks an axis. Stop names need CSV quoting;
 * one axis is called `value`, a fixed column's name.
 */
function session(state: Session['state'] = 'completed'): Session {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    protocol: { id: 'sample', version: '1.0.0', hash: 'h', title: 't' },
    state,
    parameters: {},
    plan: {
      axes: [
        { name: 'hour', range: [7, 9] },
        { name: 'stop', values: ['Main St, north', 'Say "hi"'] },
        { name: 'value', values: ['only'] },
      ],
      outputs: [
        { name: 'trips', axes: ['stop', 'hour'], length: 6 },
        { name: 'fares', axes: ['stop', 'value'], length: 2 },
      ],
    } as unknown as Session['plan'],
    planHash: 'p',
    budgetRho: '1',
    requestId: 'r',
    requestedBy: 'a',
    error: state === 'aborted' ? { code: 'declined', message: 'no' } : null,
    transcriptHead: null,
    createdAt: new Date(0),
    admittedAt: new Date(0),
    completedAt: new Date(0),
  };
}

const released = (name: string, values: string[], halfWidth: bigint): StoredOutput => ({
  name,
  unit: 'u',
  values: storedValues(values.join(',')),
  intervalHalfWidth: halfWidth,
  confidenceLevel: '0.95',
});

const csvText = (table: ReleaseTable): string =>
  Buffer.concat([...releaseCsvChunks(table)]).toString('utf8');

// Stored in another order than the plan's: downloads follow the plan, as GET /reports/:id does.
const stored = [
  released('fares', ['-3', '120'], 9n),
  released('trips', ['1', '-2', '3', '40', '5', '-60'], 4n),
];

/** The rows every format must carry: trips row-major over (stop, hour), then fares. */
const expectedRows = [
  ['trips', '7', 'Main St, north', null, '1', '4', '0.95'],
  ['trips', '8', 'Main St, north', null, '-2', '4', '0.95'],
  ['trips', '9', 'Main St, north', null, '3', '4', '0.95'],
  ['trips', '7', 'Say "hi"', null, '40', '4', '0.95'],
  ['trips', '8', 'Say "hi"', null, '5', '4', '0.95'],
  ['trips', '9', 'Say "hi"', null, '-60', '4', '0.95'],
  ['fares', null, 'Main St, north', 'only', '-3', '9', '0.95'],
  ['fares', null, 'Say "hi"', 'only', '120', '9', '0.95'],
];
const header = [
  'output',
  'hour',
  'stop',
  'value_axis',
  'value',
  'interval_half_width',
  'confidence_level',
];

describe('release downloads', () => {
  it('writes CSV with one row per cell, axes in plan order, quoted where needed, CRLF', () => {
    const csv = csvText(releaseTable(session(), stored));
    expect(csv.split('\r\n')[0]).toBe(header.join(','));
    expect(csv).toContain('\r\ntrips,7,"Main St, north",,1,4,0.95\r\n');
    expect(csv).toContain('\r\nfares,,"Say ""hi""",only,120,9,0.95\r\n');
    const rows = parse(csv);
    expect(rows).toEqual([header, ...expectedRows.map((r) => r.map((f) => f ?? ''))]);
  });

  it('never writes a text field a spreadsheet would run as a formula, and leaves numbers alone', () => {
    const hostile = session();
    const plan = hostile.plan as unknown as { axes: { name: string; values?: string[] }[] };
    plan.axes[1].values = ['=HYPERLINK("http://x")', '@SUM(A1)'];
    const csv = csvText(releaseTable(hostile, stored));
    const rows: string[][] = parse(csv);
    const stops = new Set(rows.slice(1).map((r) => r[2]));
    expect(stops).toEqual(new Set(['\'=HYPERLINK("http://x")', "'@SUM(A1)"]));
    expect(rows.slice(1).map((r) => r[4])).toEqual(expectedRows.map((r) => r[4]));
  });

  it('writes one Arrow stream that reads back as the same table, with nulls for missing axes', async () => {
    const table = tableFromIPC(await buffer(releaseArrowStream(releaseTable(session(), stored))));
    expect(table.schema.fields.map((f) => f.name)).toEqual(header);
    expect(table.schema.metadata.get('concord.report')).toBe(session().id);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Dictionary<Int8, Utf8>',
      'Int32',
      'Dictionary<Int8, Utf8>',
      'Dictionary<Int8, Utf8>',
      'Int64',
      'Int64',
      'Dictionary<Int8, Utf8>',
    ]);
    const rows = table
      .toArray()
      .map((row: Record<string, string | bigint | null>) =>
        header.map((h) => (row[h] === null ? null : String(row[h]))),
      );
    expect(rows).toEqual(expectedRows);
  });

  it('numbers each dictionary with the narrowest indices that hold it, and reads back every entry', async () => {
    const names = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const wide: Session = {
      ...session(),
      plan: {
        axes: [
          { name: 'zone', values: names(128, 'z') },
          { name: 'stop', values: names(129, 's') },
          { name: 'card', values: names(32_769, 'c') },
        ],
        outputs: [
          { name: 'by_zone', axes: ['zone'], length: 128 },
          { name: 'by_stop', axes: ['stop'], length: 129 },
          { name: 'by_card', axes: ['card'], length: 32_769 },
        ],
      } as unknown as Session['plan'],
    };
    const zeros = (n: number) => new Array<string>(n).fill('0');
    const table = tableFromIPC(
      await buffer(
        releaseArrowStream(
          releaseTable(wide, [
            released('by_zone', zeros(128), 1n),
            released('by_stop', zeros(129), 1n),
            released('by_card', zeros(32_769), 1n),
          ]),
        ),
      ),
    );
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Dictionary<Int8, Utf8>',
      'Dictionary<Int8, Utf8>',
      'Dictionary<Int16, Utf8>',
      'Dictionary<Int32, Utf8>',
      'Int64',
      'Int64',
      'Dictionary<Int8, Utf8>',
    ]);
    expect(table.getChild('zone')!.get(127)).toBe('z127');
    expect(table.getChild('stop')!.get(128 + 128)).toBe('s128');
    const card = table.getChild('card')!;
    expect(card.get(128 + 129 + 32_768)).toBe('c32768');
    expect(card.get(128 + 129)).toBe('c0');
  });

  it('writes the same release as the same Arrow bytes, whatever was written before', async () => {
    const first = await buffer(releaseArrowStream(releaseTable(session(), stored)));
    // Another file in between would have moved a process-wide dictionary id counter.
    await buffer(releaseArrowStream(releaseTable(session(), stored)));
    const again = await buffer(releaseArrowStream(releaseTable(session(), stored)));
    expect(again.equals(first)).toBe(true);
  });

  it('sends each dictionary once, however many record batches follow (no replacements)', async () => {
    const cells = 70_000;
    const big = session();
    const plan = big.plan as unknown as { axes: unknown[]; outputs: unknown[] };
    plan.axes[0] = { name: 'hour', range: [0, cells - 1] };
    plan.outputs = [{ name: 'trips', axes: ['hour', 'stop'], length: cells * 2 }];
    const values = Array.from({ length: cells * 2 }, (_, i) => String(i - 5));
    const bytes = await buffer(
      releaseArrowStream(releaseTable(big, [released('trips', values, 4n)])),
    );
    const reader = new MessageReader(bytes);
    const kinds: MessageHeader[] = [];
    for (let m = reader.readMessage(); m; m = reader.readMessage()) {
      kinds.push(m.headerType);
      reader.readMessageBody(m.bodyLength);
    }
    // Schema, the output, stop, value-axis and level dictionaries once, then three batches.
    expect(kinds.filter((k) => k === MessageHeader.DictionaryBatch)).toHaveLength(4);
    expect(kinds.filter((k) => k === MessageHeader.RecordBatch)).toHaveLength(3);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(cells * 2);
    expect(table.get(cells * 2 - 1)!.toJSON()).toMatchObject({
      hour: cells - 1,
      stop: 'Say "hi"',
      value: BigInt(cells * 2 - 6),
    });
  });

  it('reads every value into int64 exactly, across 32-bit halves and the 15-digit fast path', async () => {
    const texts = ['0', '-0', '-1', '2147483648', '-2147483649', '4294967295', '4294967296'];
    texts.push('-4294967296', '-4294967297', '999999999999999', '-999999999999999');
    texts.push('1000000000000000', '-1000000000000001', '9223372036854775807');
    texts.push('-9223372036854775808', '123456789012345', '-98765432109876');
    const exact = session();
    const plan = exact.plan as unknown as { axes: unknown[]; outputs: unknown[] };
    plan.axes[0] = { name: 'hour', range: [1, texts.length] };
    plan.outputs = [{ name: 'trips', axes: ['hour'], length: texts.length }];
    const bytes = await buffer(
      releaseArrowStream(releaseTable(exact, [released('trips', texts, 4n)])),
    );
    const column = tableFromIPC(bytes).getChild('value')!;
    expect(texts.map((_, i) => column.get(i) as bigint)).toEqual(texts.map((t) => BigInt(t)));
  });

  it('downloads values decoded from stored limbs as the same bytes as their text, in both formats', async () => {
    const texts = ['0', '-1', '2147483648', '-2147483649', '4294967296', '-999999999999999'];
    texts.push('9007199254740991', '-9007199254740991', '123456789012345');
    const exact = session();
    const plan = exact.plan as unknown as { axes: unknown[]; outputs: unknown[] };
    plan.axes[0] = { name: 'hour', range: [1, texts.length] };
    plan.outputs = [{ name: 'trips', axes: ['hour'], length: texts.length }];
    const fromText = [released('trips', texts, 4n)];
    const vector = fromBigInts(fieldById('rns31x3'), texts.map(BigInt));
    const fromLimbs = [{ ...fromText[0], values: decimalValues(vector) }];
    expect(fromLimbs[0].values.numbers).toBeDefined();
    expect(csvText(releaseTable(exact, fromLimbs))).toBe(csvText(releaseTable(exact, fromText)));
    const arrow = async (s: StoredOutput[]) => buffer(releaseArrowStream(releaseTable(exact, s)));
    expect((await arrow(fromLimbs)).equals(await arrow(fromText))).toBe(true);
    // Arrow reads the decoded integers only: values whose text cannot be read still download.
    const numbersOnly = { ...fromLimbs[0].values } as Record<string, unknown>;
    for (const key of ['bytes', 'ends'])
      Object.defineProperty(numbersOnly, key, {
        get: () => {
          throw new Error(`the Arrow download read the values' ${key}`);
        },
      });
    const withoutText = [{ ...fromText[0], values: numbersOnly as unknown as StoredValues }];
    expect((await arrow(withoutText)).equals(await arrow(fromText))).toBe(true);
  });

  it('writes a range axis beyond int32 as int64', async () => {
    const wide = session();
    const plan = wide.plan as unknown as { axes: { name: string; range?: number[] }[] };
    plan.axes[0] = { name: 'hour', range: [2 ** 31 - 1, 2 ** 31 + 1] };
    const table = tableFromIPC(await buffer(releaseArrowStream(releaseTable(wide, stored))));
    expect(String(table.schema.fields[1].type)).toBe('Int64');
    const hours = table.getChild('hour')!;
    expect([0, 1, 2].map((i) => hours.get(i) as bigint)).toEqual([
      2n ** 31n - 1n,
      2n ** 31n,
      2n ** 31n + 1n,
    ]);
  });

  it('serves one output when asked, with the same figures', () => {
    const table = releaseTable(session(), stored, 'fares');
    expect(table.rows).toBe(2);
    const rows = parse(csvText(table));
    expect(rows).toEqual([header, ...expectedRows.slice(6).map((r) => r.map((f) => f ?? ''))]);
  });

  it('refuses a report that is not completed, and an output the plan does not have', () => {
    for (const state of ['running', 'sealing', 'aborted'] as const)
      expect(() => releaseTable(session(state), stored)).toThrow(
        expect.objectContaining({ code: 'not-released' }),
      );
    expect(() => releaseTable(session(), stored, 'boardings')).toThrow(
      expect.objectContaining({
        code: 'invalid-request',
        message: expect.stringContaining('its outputs: trips, fares') as string,
      }),
    );
  });

  it('refuses a stored release whose length is not its grid’s, rather than misplace values', () => {
    const short = [released('trips', ['1', '2'], 4n), stored[0]];
    expect(() => releaseTable(session(), short)).toThrow(/stores 2 values for its 6-cell grid/);
  });

  it('refuses, before streaming, an Arrow download of a value beyond int64 (CSV still carries it)', () => {
    const huge = [released('trips', ['1', '2', '3', '4', '5', '9223372036854775808'], 4n)];
    const table = releaseTable(session(), huge);
    expect(() => releaseArrowStream(table)).toThrow(
      expect.objectContaining({ code: 'invalid-request' }),
    );
    expect(csvText(table)).toContain(',9223372036854775808,4,0.95\r\n');
    const edge = [released('trips', ['1', '2', '3', '4', '5', '-9223372036854775808'], 4n)];
    expect(() => releaseArrowStream(releaseTable(session(), edge))).not.toThrow();
  });

  it('names the file from safe characters only', () => {
    expect(downloadFilename('sample', session().id, 'arrow', 'fares')).toBe(
      `sample-${session().id}-fares.arrows`,
    );
    expect(downloadFilename('a"b;c/..', 'id', 'csv')).toBe('a_b_c_..-id.csv');
  });
});
