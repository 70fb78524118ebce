import { randomBytes } from 'node:crypto';
import type { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';

/**
 * Requests one catalogue report `runs + 1` times, one after the other, through the API, and
 * returns the request-to-completion times of all but the first (a warm-up).
 */
export async function timeReports(
  client: ReportClient,
  request: { readonly protocol: string; readonly serviceDate: string; readonly label: string },
  runs: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const created = await client.request<{ id: string }>('POST', '/reports', {
      protocol: request.protocol,
      parameters: { serviceDate: request.serviceDate },
      budget: '1/2',
      requestId: `bench-${request.label}-${run}-${randomBytes(4).toString('hex')}`,
    });
    const report = await client.waitForReport<{ state: string }>(created.body.id, 600_000);
    if (report.state !== 'completed') throw new Error(`${request.protocol} report ${report.state}`);
    if (run > 0) times.push(performance.now() - started);
  }
  return times;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
