import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import { requestRevenueReport } from '../support/revenue-report.js';

/** The fields of `GET /reports/:id` a download must reproduce. */
interface JsonReport {
  id: string;
  state: string;
  grid: { name: string; values?: string[] }[];
  outputs: {
    name: string;
    axes: string[];
    values: string[];
    intervalHalfWidth: string;
    confidenceLevel: string;
  }[];
}

interface Problem {
  status: number;
  code: string;
  detail: string;
}

/**
 * The rows a download must hold, built from the JSON alone: per output in the JSON's order, per
 * cell in its row-major order over the output's axes, the axis values in the grid's order (null
 * where the output lacks the axis), then the value, half-width and level as served.
 */
function rowsOfJson(report: JsonReport, only?: string): (string | null)[][] {
  return report.outputs
    .filter((o) => only === undefined || o.name === only)
    .flatMap((o) => {
      const sizes = o.axes.map((a) => report.grid.find((g) => g.name === a)!.values!.length);
      return o.values.map((value, cell) => {
        const at = new Map<string, string>();
        let rest = cell;
        for (let i = o.axes.length - 1; i >= 0; i -= 1) {
          const axis = report.grid.find((g) => g.name === o.axes[i])!;
          at.set(axis.name, axis.values![rest % sizes[i]]);
          rest = Math.floor(rest / sizes[i]);
        }
        return [
          o.name,
          ...report.grid.map((g) => at.get(g.name) ?? null),
          value,
          o.intervalHalfWidth,
          o.confidenceLevel,
        ];
      });
    });
}

/**
 * `GET /reports/:id/download` against a real coordinator, three agency node processes and a
 * completed revenue-per-boarding report: the CSV and the Arrow stream hold the JSON's values,
 * cell for cell; bad queries and unreleased reports are refused with typed problems.
 */
describe('downloading a report’s release', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  let report: JsonReport;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '6060' });
    const id = await requestRevenueReport(run.client, run.serviceDate, 'download-report-1');
    report = await run.client.waitForReport<JsonReport>(id);
    if (report.state !== 'completed') throw new Error(`report ${report.state}`);
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  /** A raw GET with the analyst's token: the body as bytes, and the headers. */
  async function download(
    query: string,
    id = report.id,
    token = run.client.token,
  ): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const res = await fetch(`${run.coordinator.url}/reports/${id}/download${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  const problem = (body: Buffer): Problem => JSON.parse(body.toString('utf8')) as Problem;

  it('serves the release as CSV, cell for cell the JSON’s values, intervals and levels', async () => {
    const res = await download('?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="revenue-per-boarding-${report.id}.csv"`,
    );
    const [header, ...rows] = parse(res.body.toString('utf8'));
    expect(header).toEqual([
      'output',
      ...report.grid.map((g) => g.name),
      'value',
      'interval_half_width',
      'confidence_level',
    ]);
    const expected = rowsOfJson(report);
    expect(report.outputs.map((o) => o.name)).toEqual(['boardings', 'revenue']);
    expect(rows.length).toBe(report.outputs.reduce((n, o) => n + o.values.length, 0));
    expect(rows).toEqual(expected.map((r) => r.map((f) => f ?? '')));
  });

  it('serves the release as an Arrow IPC stream holding the same table', async () => {
    const res = await download('?format=arrow');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="revenue-per-boarding-${report.id}.arrows"`,
    );
    const table = tableFromIPC(res.body);
    const names = table.schema.fields.map((f) => f.name);
    expect(String(table.schema.fields[names.indexOf('value')].type)).toBe('Int64');
    const rows = table
      .toArray()
      .map((row: Record<string, string | bigint | null>) =>
        names.map((n) => (row[n] === null ? null : String(row[n]))),
      );
    expect(rows).toEqual(rowsOfJson(report));
  });

  it('serves one output when asked, in either format', async () => {
    const csv = await download('?format=csv&output=revenue');
    expect(csv.headers.get('content-disposition')).toContain(`${report.id}-revenue.csv`);
    const [, ...rows] = parse(csv.body.toString('utf8'));
    expect(rows).toEqual(rowsOfJson(report, 'revenue').map((r) => r.map((f) => f ?? '')));
    const arrow = tableFromIPC((await download('?format=arrow&output=boardings')).body);
    expect(arrow.numRows).toBe(report.outputs.find((o) => o.name === 'boardings')!.values.length);
    expect(new Set(arrow.getChild('output')!.toArray() as string[])).toEqual(
      new Set(['boardings']),
    );
  });

  it('refuses an unknown format, a missing one, a bad or unknown output and stray parameters with 400', async () => {
    for (const query of [
      '?format=xlsx',
      '',
      '?format=csv&format=arrow',
      '?format=csv&output=Not-A-Name',
      '?format=csv&extra=1',
    ]) {
      const res = await download(query);
      expect([res.status, problem(res.body).code], query).toEqual([400, 'invalid-request']);
    }
    const unknown = await download('?format=arrow&output=fares');
    expect([unknown.status, problem(unknown.body).code]).toEqual([400, 'invalid-request']);
    expect(problem(unknown.body).detail).toMatch(
      /no output "fares" \(its outputs: boardings, revenue\)/,
    );
  });

  it('pages the JSON: every cell once across pages, as the whole report serves it', async () => {
    const cells = Math.max(...report.outputs.map((o) => o.values.length));
    const size = Math.ceil(cells / 3);
    const seen = new Map<string, string[]>(report.outputs.map((o) => [o.name, []]));
    for (let offset = 0; offset < cells; offset += size) {
      const page = await run.client.request<JsonReport & { page: unknown }>(
        'GET',
        `/reports/${report.id}?offset=${offset}&limit=${size}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.page).toEqual({ offset, limit: size, cells });
      for (const o of page.body.outputs) seen.get(o.name)!.push(...o.values);
    }
    for (const o of report.outputs) expect(seen.get(o.name)).toEqual(o.values);
    for (const query of [
      '?offset=5',
      '?limit=0',
      '?limit=1000001',
      '?offset=-1&limit=5',
      '?limit=x',
      '?limit=5&estimates=true',
    ]) {
      const res = await run.client.request<Problem>('GET', `/reports/${report.id}${query}`);
      expect([res.status, res.body.code], query).toEqual([400, 'invalid-request']);
    }
  });

  it('answers as GET /reports/:id does for an unknown report and without a token', async () => {
    const missing = await download('?format=csv', '00000000-0000-4000-8000-000000000000');
    expect([missing.status, problem(missing.body).code]).toEqual([404, 'not-found']);
    const anonymous = await download('?format=csv', report.id, '');
    expect([anonymous.status, problem(anonymous.body).code]).toEqual([401, 'unauthorized']);
  });

  it('refuses a report that has not completed with 409 not-released, then serves it once sealed', async () => {
    const id = await requestRevenueReport(run.client, run.serviceDate, 'download-report-2');
    // Straight after the 202: the session is queued or running, its release not sealed.
    const early = await download('?format=csv', id);
    expect([early.status, problem(early.body).code]).toEqual([409, 'not-released']);
    expect(problem(early.body).detail).toMatch(/only a completed report's sealed release/);
    const done = await run.client.waitForReport<JsonReport>(id);
    expect(done.state).toBe('completed');
    const later = await download('?format=csv', id);
    expect(later.status).toBe(200);
    const [, ...rows] = parse(later.body.toString('utf8'));
    expect(rows).toEqual(rowsOfJson(done).map((r) => r.map((f) => f ?? '')));
  });
});
