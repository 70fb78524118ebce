import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rememberDemoTokens,
  revokePreviousDemoTokens,
} from '../../apps/agency-node/src/demo/demo-tokens.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Problem {
  type: string;
  status: number;
  code: string;
}

/** Who may call what: tokens, roles, rate limits and the OpenAPI description, over real HTTP. */
describe('API access', { timeout: 60_000 }, () => {
  let run: RunningConsortium;

  beforeAll(async () => {
    run = await startRunningConsortium({
      seed: '5',
      startNodes: false,
      env: { RATE_LIMIT_PER_MINUTE: '40' },
    });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('refuses calls without a valid token with a 401 problem, and serves health and docs publicly', async () => {
    const anonymous = new ReportClient(run.coordinator.url);
    const denied = await anonymous.request<Problem>('GET', '/reports');
    expect([denied.status, denied.body.code, denied.body.type]).toEqual([
      401,
      'unauthorized',
      'https://concord.example/problems/unauthorized',
    ]);
    expect(
      (await anonymous.as('concord_not-a-real-token-at-all').request('GET', '/reports')).status,
    ).toBe(401);
    expect((await anonymous.request('GET', '/health')).status).toBe(200);
    const docs = await anonymous.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/docs.json',
    );
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/reports',
        '/reports/{id}',
        '/sessions/{id}/transcript',
        '/admin/tokens',
      ]),
    );
  });

  it('enforces roles: analysts request, auditors read, only admins manage tokens', async () => {
    const analyst = run.client;
    const auditor = await run.admin.withNewToken('e2e-auditor', 'auditor');
    expect(
      (await analyst.request<Problem>('POST', '/admin/tokens', { name: 'x-y', role: 'admin' }))
        .status,
    ).toBe(403);
    const auditorPost = await auditor.request<Problem>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect([auditorPost.status, auditorPost.body.code]).toEqual([403, 'forbidden']);
    expect((await auditor.request('GET', '/reports')).status).toBe(200);
    expect((await analyst.request('GET', '/agencies')).status).toBe(200);
  });

  it('stops honouring a revoked token', async () => {
    const issued = await run.admin.request<{ id: string; token: string }>('POST', '/admin/tokens', {
      name: 'short-lived',
      role: 'analyst',
    });
    const holder = run.admin.as(issued.body.token);
    expect((await holder.request('GET', '/reports')).status).toBe(200);
    expect((await run.admin.request('DELETE', `/admin/tokens/${issued.body.id}`)).status).toBe(204);
    expect((await holder.request('GET', '/reports')).status).toBe(401);
    const listed = await run.admin.request<{ id: string; revoked: boolean }[]>(
      'GET',
      '/admin/tokens',
    );
    expect(listed.body.find((t) => t.id === issued.body.id)?.revoked).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
  });

  it('lets a token expire: 401 after its expiresIn, with the reason said to its holder', async () => {
    const issued = await run.admin.request<{ id: string; token: string; expiresAt: string }>(
      'POST',
      '/admin/tokens',
      { name: 'brief-analyst', role: 'analyst', expiresIn: '2s' },
    );
    expect(issued.status).toBe(201);
    const holder = run.admin.as(issued.body.token);
    expect((await holder.request('GET', '/reports')).status).toBe(200);
    // Wait for the expiry instant itself (a condition, not a timing claim).
    await new Promise((r) => setTimeout(r, Date.parse(issued.body.expiresAt) - Date.now() + 50));
    const expired = await holder.request<Problem & { detail: string }>('GET', '/reports');
    expect([expired.status, expired.body.code]).toEqual([401, 'unauthorized']);
    expect(expired.body.detail).toContain('expired');
    const listed = await run.admin.request<
      { id: string; state: string; lastUsedAt: string | null; expiresAt: string }[]
    >('GET', '/admin/tokens');
    const row = listed.body.find((t) => t.id === issued.body.id);
    expect(row?.state).toBe('expired');
    expect(row?.expiresAt).toBe(issued.body.expiresAt);
    expect(row?.lastUsedAt).not.toBeNull();
  });

  it('gives every token an expiry, refuses a malformed or too long one, and lists no secret', async () => {
    const plain = await run.admin.request<{ id: string; token: string; expiresAt: string }>(
      'POST',
      '/admin/tokens',
      { name: 'default-lifetime', role: 'auditor' },
    );
    const days = (Date.parse(plain.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    for (const expiresIn of ['forever', '0d', '401d', '1.5h']) {
      const bad = await run.admin.request<Problem>('POST', '/admin/tokens', {
        name: 'bad-lifetime',
        role: 'analyst',
        expiresIn,
      });
      expect([expiresIn, bad.status]).toEqual([expiresIn, 400]);
    }
    const listed = await run.admin.request<{ id: string; state: string }[]>('GET', '/admin/tokens');
    expect(listed.body.find((t) => t.id === plain.body.id)?.state).toBe('active');
    expect(JSON.stringify(listed.body)).not.toContain(plain.body.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash|token_hash/);
  });

  it('revokes the demo tokens the previous npm start printed, and only those', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'concord-demo-tokens-')), 'demo-tokens.json');
    const before = await run.admin.issueToken('analyst', 'analyst');
    const unrelated = await run.admin.issueToken('someone-else', 'analyst');
    rememberDemoTokens(file, [before.id]);
    expect(await revokePreviousDemoTokens(run.admin, file)).toBe(1);
    expect((await before.client.request('GET', '/reports')).status).toBe(401);
    expect((await unrelated.client.request('GET', '/reports')).status).toBe(200);
    // A second start finds them already revoked: nothing to do, no error.
    expect(await revokePreviousDemoTokens(run.admin, file)).toBe(0);
  });

  it('rate-limits a token with a 429 problem', async () => {
    const caller = await run.admin.withNewToken('busy-analyst', 'analyst');
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await caller.request('GET', '/agencies')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await caller.request<Problem>('GET', '/agencies');
    expect([limited.status, limited.body.code]).toEqual([429, 'rate-limited']);
  });
});
