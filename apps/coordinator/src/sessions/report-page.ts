import type { ReportResponse } from './report.presenter.js';

/** The cells a paged report carries: offset and limit as asked, `cells` the largest output's. */
export interface ReportPage {
  readonly offset: number;
  readonly limit: number;
  readonly cells: number;
}

/** Most cells one page may ask for: a million decimal values is about 10 MB of JSON. */
export const MAX_PAGE_CELLS = 1_000_000;

/**
 * One page of a report: every output's values, and every derived ratio's values, ranges and
 * reasons, from cell `offset` (row-major over the output's axes) for at most `limit` cells. The
 * rest of the report (grid, intervals, privacy, transcript) is the whole report's. For a large
 * report JSON is read page by page; the download (`GET /reports/:id/download`) serves it whole.
 */
export function pageOfReport(
  report: ReportResponse,
  offset: number,
  limit: number,
): ReportResponse & { readonly page: ReportPage } {
  const slice = <T>(cells: readonly T[]): T[] => cells.slice(offset, offset + limit);
  return {
    ...report,
    outputs: report.outputs.map((o) => ({ ...o, values: slice(o.values) })),
    derived: report.derived.map((d) => ({
      ...d,
      values: slice(d.values),
      intervals: slice(d.intervals),
      reasons: slice(d.reasons),
    })),
    page: {
      offset,
      limit,
      cells: Math.max(0, ...report.outputs.map((o) => o.values.length)),
    },
  };
}
