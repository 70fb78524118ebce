import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';

interface Readiness {
  status: string;
  details: Record<string, { status: string; message?: string }>;
}

interface AccessLine {
  msg: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  reason?: string;
  address?: string;
}

/**
 * The coordinator's probes and logs against a real process: readiness follows its database
 * (stopped and restarted behind a proxy) while liveness never does; every problem document, its
 * X-Request-Id header and its access log line carry the same request id; a failed sign-in is
 * logged without the token.
 */
describe('health probes and logs', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({
      seed: '7301',
      databaseProxy: true,
      startNodes: false,
      coordinatorEnv: { LOG_LEVEL: 'info' },
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  const probe = async (path: string) => {
    const res = await fetch(`${run.url}${path}`);
    return { status: res.status, body: (await res.json()) as Readiness };
  };
  const until = async (path: string, status: number): Promise<Readiness> => {
    for (let i = 0; i < 100; i++) {
      const answer = await probe(path);
      if (answer.status === status) return answer.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${path} never answered ${status}`);
  };
  /** The coordinator's JSON log lines (stdout) that `match`. */
  const logLines = (match: (line: AccessLine) => boolean): AccessLine[] =>
    run.coordinator
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as AccessLine)
      .filter(match);

  it('readiness fails while the database is down and recovers; liveness stays up', async () => {
    const ready = await probe('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
    });
    expect(ready.body.details).not.toHaveProperty('redis');

    await run.databaseLink!.down('refuse');
    const down = await until('/health/ready', 503);
    expect(down.status).toBe('error');
    expect(down.details.database.status).toBe('down');
    // Nothing about where the database is.
    expect(JSON.stringify(down)).not.toMatch(/127\.0\.0\.1|postgres(ql)?:/);
    for (const path of ['/health/live', '/health'])
      expect((await probe(path)).status, path).toBe(200);

    await run.databaseLink!.up();
    const back = await until('/health/ready', 200);
    expect(back.details.database.status).toBe('up');
  }, 60_000);

  it('repeats one request id in the problem, its X-Request-Id header and the access log', async () => {
    const res = await fetch(`${run.url}/reports?limit=5`, {
      headers: { 'x-request-id': 'e2e-trace.401_a' },
    });
    const problem = (await res.json()) as { status: number; code: string; requestId: string };
    expect([res.status, problem.code]).toEqual([401, 'unauthorized']);
    expect(problem.requestId).toBe('e2e-trace.401_a');
    expect(res.headers.get('x-request-id')).toBe('e2e-trace.401_a');

    // An id a log could misread is replaced by a fresh one, the same in all three places.
    const invalid = await fetch(`${run.url}/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${run.client.token!}`,
        'x-request-id': 'forged id\twith tab',
      },
      body: JSON.stringify({ protocol: 7 }),
    });
    const body = (await invalid.json()) as { status: number; requestId: string };
    expect(body.status).toBe(400);
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(invalid.headers.get('x-request-id')).toBe(body.requestId);

    await run.coordinator.waitForOutput(body.requestId);
    const [first] = logLines((l) => l.msg === 'http request' && l.requestId === 'e2e-trace.401_a');
    expect(first).toMatchObject({ method: 'GET', path: '/reports', status: 401 });
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    const [second] = logLines((l) => l.msg === 'http request' && l.requestId === body.requestId);
    expect(second).toMatchObject({ method: 'POST', path: '/reports', status: 400 });
  });

  it('logs a failed sign-in with its reason and request id, never the token', async () => {
    const token = 'concord_not-a-real-token-but-long-enough-to-check';
    const res = await fetch(`${run.url}/reports`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    const requestId = res.headers.get('x-request-id')!;
    await run.coordinator.waitForOutput(/"msg":"sign-in refused"/);
    const [refused] = logLines((l) => l.msg === 'sign-in refused' && l.requestId === requestId);
    expect(refused).toMatchObject({ reason: 'unknown-token', address: '127.0.0.1' });
    expect(run.coordinator.output()).not.toContain(token);
  });
});
