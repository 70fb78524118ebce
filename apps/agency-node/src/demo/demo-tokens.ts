import { existsSync, readFileSync } from 'node:fs';
import { replaceFileDurably } from '#concord/at-rest';
import type { ReportClient } from './report-client.js';

/**
 * The tokens `npm start` printed last time, by id, so the next start revokes them before it
 * prints new ones: a demo that runs every day must not leave a trail of live credentials.
 */
export async function revokePreviousDemoTokens(admin: ReportClient, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  let ids: unknown;
  try {
    ids = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    ids = [];
  }
  let revoked = 0;
  for (const id of Array.isArray(ids) ? ids : []) {
    if (typeof id !== 'string') continue;
    const { status } = await admin.request('DELETE', `/admin/tokens/${encodeURIComponent(id)}`);
    // 404: already revoked (or the database was reset); anything else is worth stopping for.
    if (status === 204) revoked++;
    else if (status !== 404 && status !== 400)
      throw new Error(`cannot revoke the previous demo token ${id}: HTTP ${status}`);
  }
  return revoked;
}

export function rememberDemoTokens(file: string, ids: readonly string[]): void {
  replaceFileDurably(file, `${JSON.stringify(ids)}\n`);
}
