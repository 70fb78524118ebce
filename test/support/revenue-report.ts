import type { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';

/** A report as `GET /reports/:id` serves it (the fields fault tests compare). */
export interface Report {
  readonly id: string;
  readonly state: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly outputs: readonly {
    readonly name: string;
    readonly values: readonly string[];
    readonly intervalHalfWidth: string;
  }[];
}

/** Asks for a small revenue-per-boarding report; resolves with its id once accepted (202). */
export async function requestRevenueReport(
  client: ReportClient,
  serviceDate: string,
  requestId: string,
): Promise<string> {
  const created = await client.request<{ id?: string }>('POST', '/reports', {
    protocol: 'revenue-per-boarding',
    parameters: { serviceDate },
    budget: '1/4',
    requestId,
  });
  if (created.status !== 202 || !created.body.id)
    throw new Error(`report not accepted: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Requests a revenue-per-boarding report and waits until it completes or aborts. */
export async function runRevenueReport(
  client: ReportClient,
  serviceDate: string,
  requestId: string,
): Promise<Report> {
  return client.waitForReport<Report>(await requestRevenueReport(client, serviceDate, requestId));
}
