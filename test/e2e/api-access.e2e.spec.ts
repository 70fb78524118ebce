import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('rate-limits a token with a 429 problem', async () => {
    const caller = await run.admin.withNewToken('busy-analyst', 'analyst');
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await caller.request('GET', '/agencies')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await caller.request<Problem>('GET', '/agencies');
    expect([limited.status, limited.body.code]).toEqual([429, 'rate-limited']);
  });
});
