import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { ReleasedOutput, Session, StoredOutput } from '../session.js';
import { releaseCsvChunks } from './release-csv.js';
import { releaseTable } from './release-table.js';
import { storedValues } from './stored-values.js';

/**
 * The CSV download, byte for byte, against csv-stringify encoding every field of every row on its
 * own (the slow way, seconds for a million rows): a decimal integer as it is (a number, never a
 * formula: `escape_formulas` leaves its minus alone), any other text quoted where needed and
 * neutralised where a spreadsheet would run it. The fast layout must write exactly these bytes.
 */
const INTEGER = /^-?\d+$/;
const OPTIONS = { escape_formulas: true } as const;

function libraryField(field: string | number | bigint): string {
  if (typeof field !== 'string') return stringify([[field]], { ...OPTIONS, eof: false });
  if (INTEGER.test(field)) return field;
  // Memoised only so the 50,000-row case stays quick: the library still encodes every text.
  let encoded = encodedText.get(field);
  if (encoded === undefined) {
    encoded = stringify([[field]], { ...OPTIONS, eof: false });
    encodedText.set(field, encoded);
  }
  return encoded;
}
const encodedText = new Map<string, string>();

interface Axis {
  readonly name: string;
  readonly values?: string[];
  readonly range?: [number, number];
}

/** Labels a spreadsheet or a CSV parser could trip on. */
const AWKWARD = [
  'Main St, north',
  'Say "hi"',
  'line\nbreak',
  'carriage\rreturn',
  '=HYPERLINK("http://x")',
  '+1',
  '-minus',
  '@SUM(A1)',
  '\ttab',
  '\rleading return',
  '',
  'Zürich Hbf ✓',
  ' padded ',
  '007',
];

const AXES: Axis[] = [
  { name: 'hour', range: [-2, 1] },
  { name: 'stop', values: AWKWARD },
  { name: 'value', values: ['only', '-1'] },
  { name: 'output', values: ['a,b'] },
];

/** Output name, its axes (its own order), its level, its half-width. */
const OUTPUTS: [string, string[], string, bigint][] = [
  ['trips', ['stop', 'hour'], '0.95', 4n],
  ['fares, net', ['hour'], '0.9', 0n],
  ['=evil', ['value', 'stop', 'output'], '0.95', 123456789012345678901234567n],
  ['"quoted"', [], '0.95', 7n],
];

const size = (a: Axis): number => a.values?.length ?? a.range![1] - a.range![0] + 1;
const axis = (name: string): Axis => AXES.find((a) => a.name === name)!;
const cellsOf = (axes: string[]): number => axes.reduce((n, a) => n * size(axis(a)), 1);

function session(): Session {
  return {
    id: '00000000-0000-4000-8000-000000000003',
    protocol: { id: 'awkward', version: '1.0.0', hash: 'h', title: 't' },
    state: 'completed',
    plan: {
      axes: AXES,
      outputs: OUTPUTS.map(([name, axes]) => ({ name, axes, length: cellsOf(axes) })),
    },
    error: null,
  } as unknown as Session;
}

/** Values of every shape a release holds: negative, zero, beyond 64 bits. */
function values(n: number, salt: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i * 31 + salt;
    if (k % 11 === 0) return '0';
    if (k % 13 === 0) return `-${k}98765432109876543210`;
    return String((k % 2 ? -1 : 1) * ((k * 7919) % 100_003));
  });
}

function stored(valuesOf: (name: string, n: number, o: number) => string[]): ReleasedOutput[] {
  return OUTPUTS.map(([name, axes, level, halfWidth], o) => ({
    name,
    unit: 'u',
    values: valuesOf(name, cellsOf(axes), o),
    intervalHalfWidth: halfWidth,
    confidenceLevel: level,
    noise: {},
  }));
}

/**
 * The rows as csv-stringify lays them out: cells row-major over each output's own axes, columns
 * in plan order, an absent axis empty, a range axis its integer, a decimal integer as a bigint.
 */
function libraryCsv(release: readonly ReleasedOutput[], only?: string): string {
  const header = ['output', 'hour', 'stop', 'value_axis', 'output_axis'];
  const rows: unknown[][] = [[...header, 'value', 'interval_half_width', 'confidence_level']];
  for (const [name, axes] of OUTPUTS) {
    if (only !== undefined && name !== only) continue;
    const out = release.find((r) => r.name === name)!;
    for (let cell = 0; cell < out.values.length; cell += 1) {
      const index = new Map<string, number>();
      let rest = cell;
      for (const a of [...axes].reverse()) {
        index.set(a, rest % size(axis(a)));
        rest = Math.floor(rest / size(axis(a)));
      }
      const v = out.values[cell];
      rows.push([
        name,
        ...AXES.map((a) => {
          const i = index.get(a.name);
          if (i === undefined) return '';
          return a.range ? a.range[0] + i : a.values![i];
        }),
        v,
        out.intervalHalfWidth,
        out.confidenceLevel,
      ]);
    }
  }
  return libraryRows(rows);
}

function libraryRows([header, ...rows]: unknown[][]): string {
  const records = rows.map((r) => `${r.map((f) => libraryField(f as string)).join(',')}\r\n`);
  return stringify([header], { ...OPTIONS, record_delimiter: 'windows' }) + records.join('');
}

/** The release as the database stores it: each output's values one comma-separated text. */
const asStored = (release: readonly ReleasedOutput[]): StoredOutput[] =>
  release.map((o) => ({ ...o, values: storedValues(o.values.join(',')) }));

const csvOf = (s: Session, release: readonly ReleasedOutput[], only?: string): string =>
  Buffer.concat([...releaseCsvChunks(releaseTable(s, asStored(release), only))]).toString('utf8');

const download = (release: readonly ReleasedOutput[], only?: string): string =>
  csvOf(session(), release, only);

describe('CSV download layout', () => {
  it('writes exactly the bytes csv-stringify would, labels quoted and formulas neutralised', () => {
    const release = stored((_, n, o) => values(n, o));
    const csv = download(release);
    expect(csv).toBe(libraryCsv(release));
    // The fixture does exercise what it claims to.
    expect(csv).toContain('\r\ntrips,-2,"Main St, north",,,');
    expect(csv).toContain(`\r\n'=evil,,"Say ""hi""",-1,"a,b",`);
    expect(csv).toContain('\r\n"fares, net",1,,,,');
    expect(csv).toContain(`,"'\rleading return",`);
    expect(csv).toContain(`,'@SUM(A1),`);
    expect(csv).toContain('"line\nbreak"');
    expect(csv).toContain(',123456789012345678901234567,0.95\r\n');
    expect(csv).toMatch(/,-\d+98765432109876543210,/);
  });

  it('writes one output alone the same way', () => {
    const release = stored((_, n, o) => values(n, o));
    for (const [name] of OUTPUTS) expect(download(release, name)).toBe(libraryCsv(release, name));
  });

  it('hands a stored value that is not a decimal integer to the library as text', () => {
    const odd = ['=1+2', '-', '', '1.5', '+3', '-0', '12 ', '١٢'];
    const release = stored((_, n) => Array.from({ length: n }, (_, i) => odd[i % odd.length]));
    const csv = download(release);
    expect(csv).toBe(libraryCsv(release));
    expect(csv).toContain(`,'=1+2,4,0.95\r\n`);
    expect(csv).toContain(`,-0,4,0.95\r\n`);
  });

  it('writes a range axis’s integers as String() does, past 32 bits and up to the largest safe one', () => {
    for (const range of [
      [2 ** 31 - 3, 2 ** 31 + 2],
      [-(2 ** 31) - 2, -(2 ** 31) + 2],
      [-12, 12],
      [2 ** 53 - 4, 2 ** 53 - 1],
      [-(2 ** 53) + 1, -(2 ** 53) + 4],
    ] as [number, number][]) {
      const wide = session();
      const plan = wide.plan as unknown as { axes: Axis[]; outputs: unknown[] };
      const cells = range[1] - range[0] + 1;
      plan.axes = [{ name: 'day', range }];
      plan.outputs = [{ name: 'result', axes: ['day'], length: cells }];
      const release = [
        {
          name: 'result',
          unit: 'u',
          values: values(cells, 5),
          intervalHalfWidth: 1n,
          confidenceLevel: '0.95',
          noise: {},
        },
      ];
      expect(csvOf(wide, release)).toBe(
        libraryRows([
          ['output', 'day', 'value', 'interval_half_width', 'confidence_level'],
          ...release[0].values.map((v, i) => ['result', String(range[0] + i), v, '1', '0.95']),
        ]),
      );
    }
  });

  it('stays the same across chunk boundaries (a grid far larger than one chunk)', () => {
    // 3,572 hours × the 14 awkward stops: multi-byte labels land on chunk boundaries too.
    const hours = 3_572;
    const cells = hours * AWKWARD.length;
    const big = session();
    const plan = big.plan as unknown as { axes: Axis[]; outputs: unknown[] };
    plan.axes = [
      { name: 'stop', values: AWKWARD },
      { name: 'cell', range: [-5, hours - 6] },
    ];
    plan.outputs = [{ name: 'result', axes: ['cell', 'stop'], length: cells }];
    const release = [
      {
        name: 'result',
        unit: 'u',
        values: values(cells, 3),
        intervalHalfWidth: 9n,
        confidenceLevel: '0.95',
        noise: {},
      },
    ];
    const csv = csvOf(big, release);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(4 * 256 * 1024);
    const expected = libraryRows([
      ['output', 'stop', 'cell', 'value', 'interval_half_width', 'confidence_level'],
      ...release[0].values.map((v, i) => [
        'result',
        AWKWARD[i % AWKWARD.length],
        String(Math.floor(i / AWKWARD.length) - 5),
        v,
        '9',
        '0.95',
      ]),
    ]);
    expect(csv).toBe(expected);
  });
});
