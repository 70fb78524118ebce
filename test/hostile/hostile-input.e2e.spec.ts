import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JIFF_SOCKET_PATH, NODE_NAMESPACE, WireLimits } from '#concord/wire';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import {
  healthProbe,
  type HostileSocket,
  hostileSocket,
  keyFlood,
  nestedArrayText,
  nestedObject,
  problemCode,
  rawHttp,
} from './hostile-clients.js';

interface Report {
  id: string;
  state: string;
  error: { code: string } | null;
}

const MB = 1024 * 1024;
/**
 * A raw socket.io EVENT frame on the node namespace, built by hand (no client-side encoding; the
 * engine adds its own `4` message prefix).
 */
const nodeFrame = (event: string, payloadJson: string): string =>
  `2${NODE_NAMESPACE},["${event}",${payloadJson}]`;

/**
 * The hostile-input suite: a real coordinator and three connected agency nodes on loopback, and
 * attackers at the node namespace, the JIFF endpoint and every REST route. Every refusal must be
 * typed, nothing may answer 5xx, the nodes must stay connected and compute a report afterwards,
 * and /health must answer within 100 ms throughout the flood (the one timing bound the issue
 * asks for, measured from a process of its own).
 */
describe('hostile input', { timeout: 120_000 }, () => {
  let run: RunningConsortium;
  let probe: ReturnType<typeof healthProbe>;
  const attackers: HostileSocket[] = [];
  const phases: Record<string, number> = {};
  const nodeAttacker = async (address: string): Promise<HostileSocket> => {
    const s = await hostileSocket(`${run.coordinator.url}${NODE_NAMESPACE}`, {
      localAddress: address,
    });
    attackers.push(s);
    await s.next('auth.challenge');
    return s;
  };
  const jiffAttacker = async (address: string): Promise<HostileSocket> => {
    const s = await hostileSocket(run.coordinator.url, {
      localAddress: address,
      path: JIFF_SOCKET_PATH,
    });
    attackers.push(s);
    return s;
  };
  const refusalOf = async (s: HostileSocket): Promise<string> =>
    ((await s.next('coordinator.error')) as { code: string }).code;
  const jiffRefusalOf = async (s: HostileSocket): Promise<string> =>
    (JSON.parse((await s.next('error')) as string) as { code: string }).code;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1601' });
    // A report first: the consortium works before the flood (on a two-core machine the report's
    // own computation, not the flood, is what would slow /health down while it runs).
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    expect((await run.client.waitForReport<Report>(created.body.id)).state).toBe('completed');
    probe = healthProbe(run.coordinator.url);
    phases.setup = (await probe.read()).windowMax;
  }, 120_000);
  afterEach(async (context) => {
    phases[context.task.name.slice(0, 40)] = (await probe.read()).windowMax;
  });

  afterAll(async () => {
    for (const a of attackers) a.socket.disconnect();
    await probe?.stop();
    await run?.stop();
  });

  it('refuses oversized, flooded, deep and malformed frames before login at the node namespace', async () => {
    // A frame over the pre-login limit is refused by its length, before anything decodes it.
    const over = await nodeAttacker('127.0.0.2');
    over.socket.io.engine.write(
      nodeFrame('auth.response', JSON.stringify('x'.repeat(WireLimits.maxPreAuthFrameBytes))),
    );
    expect(await refusalOf(over)).toBe('frame-too-large');
    expect(await over.closed).toBe('io server disconnect');
    // Far larger ones are not even buffered: the transport ends the connection at their header.
    for (const payload of [
      JSON.stringify('x'.repeat(MB)),
      JSON.stringify({ agencyId: 'farepay', signature: 'ab', ...keyFlood(160_000) }), // 2.5 MB
      nestedArrayText(4 * MB), // 8 MB
      JSON.stringify('y'.repeat(WireLimits.maxFrameBytes - 1024)), // just under the 33 MB cap
    ]) {
      const a = await nodeAttacker('127.0.0.2');
      a.socket.io.engine.write(nodeFrame('auth.response', payload));
      await a.closed;
      expect(a.received.slice(1)).toEqual([]);
    }

    // Small but hostile frames get a typed refusal each and cost nothing more.
    const small = await nodeAttacker('127.0.0.2');
    const cases: [string, string][] = [
      [
        nodeFrame('auth.response', `{"agencyId":"farepay","held":${nestedArrayText(3000)}}`),
        'too-deep',
      ],
      [
        nodeFrame('auth.response', '{"constructor":{"name":"x"},"agencyId":"farepay"}'),
        'forbidden-key',
      ],
      [
        nodeFrame('auth.response', '{"__proto__":{"admin":true},"agencyId":"farepay"}'),
        'forbidden-key',
      ],
      [nodeFrame('session.accept', '{"sessionId":"x"}'), 'invalid-message'],
      [nodeFrame('no.such.event', '{}'), 'invalid-message'],
      [nodeFrame('auth.response', '"not an object"'), 'invalid-message'],
    ];
    for (const [frame, code] of cases) {
      small.socket.io.engine.write(frame);
      expect(await refusalOf(small)).toBe(code);
    }
    expect(small.isClosed()).toBe(false);
    // More frames than a login needs: refused and disconnected.
    small.socket.io.engine.write(nodeFrame('heartbeat', '{"seq":1}'));
    small.socket.io.engine.write(nodeFrame('heartbeat', '{"seq":2}'));
    small.socket.io.engine.write(nodeFrame('heartbeat', '{"seq":3}'));
    expect(await small.closed).toBe('io server disconnect');
    expect(small.received.map(([, p]) => (p as { code?: string }).code)).toContain(
      'too-many-frames',
    );

    // Frames socket.io cannot decode, text or binary: the connection ends, the process stays.
    for (const garbage of [
      '4garbage',
      '42/agency-nodes,["unterminated',
      Buffer.from([0xff, 0, 1]),
    ]) {
      const g = await nodeAttacker('127.0.0.2');
      g.socket.io.engine.write(garbage);
      await g.closed;
    }
    expect(run.coordinator.process.exitCode).toBeNull();
  });

  it('limits connections waiting for login per address, and failed logins per address', async () => {
    const waiting = await Promise.all(Array.from({ length: 8 }, () => nodeAttacker('127.0.0.3')));
    // The ninth is closed before its namespace answers.
    await expect(
      hostileSocket(`${run.coordinator.url}${NODE_NAMESPACE}`, { localAddress: '127.0.0.3' }),
    ).rejects.toThrow(/closed before connecting/);
    for (const w of waiting) w.socket.disconnect();

    const codes: string[] = [];
    for (let i = 0; i < 32; i++) {
      const a = await nodeAttacker('127.0.0.4');
      a.socket.emit('auth.response', { agencyId: 'farepay', signature: 'ab'.repeat(64) });
      codes.push(((await a.next('auth.result')) as { code: string }).code);
      await a.closed;
    }
    expect(codes.slice(0, 30).every((c) => c === 'refused')).toBe(true);
    expect(codes.at(-1)).toBe('rate-limited');
  });

  it('refuses oversized and malformed frames before initialization at the JIFF endpoint', async () => {
    const over = await jiffAttacker('127.0.0.5');
    over.socket.emit('initialization', 'x'.repeat(10_000));
    expect(await jiffRefusalOf(over)).toBe('frame-too-large');
    await over.closed;

    const big = await jiffAttacker('127.0.0.5');
    big.socket.emit('initialization', 'x'.repeat(1_000_000));
    await big.closed;
    expect(big.received).toEqual([]);

    const past = await jiffAttacker('127.0.0.5');
    past.socket.emit('initialization', 'x'.repeat(2 * MB)); // beyond socket.io's own 1 MiB cap
    await past.closed;

    const small = await jiffAttacker('127.0.0.5');
    const cases: [unknown[], string][] = [
      [['initialization', `{"computation_id":${nestedArrayText(3000)}}`], 'payload-too-large'],
      [['initialization', nestedObject(200)], 'invalid-payload'],
      [['initialization', '{"constructor":{"x":1},"computation_id":"c"}'], 'unknown-computation'],
      [['initialization', '{"computation_id": '], 'invalid-json'],
      [['share', '{}'], 'not-initialized'],
      [['no-such-event', '{}'], 'unknown-event'],
    ];
    for (const [args, code] of cases) {
      small.socket.emit(...(args as [string, ...unknown[]]));
      expect(await jiffRefusalOf(small)).toBe(code);
    }
    for (let i = 0; i < 12; i++) small.socket.emit('initialization', '{}');
    await small.closed;
    expect(
      small.received.map(([, p]) => (JSON.parse(p as string) as { code: string }).code),
    ).toContain('too-many-frames');

    const garbage = await jiffAttacker('127.0.0.5');
    garbage.socket.io.engine.write('2["unterminated');
    await garbage.closed;
    expect(run.coordinator.process.exitCode).toBeNull();
  });

  it('answers hostile requests on every REST route with a typed 4xx, never a 5xx', async () => {
    const admin = { authorization: `Bearer ${run.admin.token ?? ''}` };
    const json = { 'content-type': 'application/json' };
    const id = '0b7d4c4e-8c5a-4f7e-9a57-8d8f3f3c2a11';
    const routes: [string, string][] = [
      ['GET', '/me'],
      ['GET', '/admin/tokens'],
      ['POST', '/admin/tokens'],
      ['DELETE', `/admin/tokens/${id}`],
      ['GET', '/ledger'],
      ['GET', '/reports'],
      ['POST', '/reports'],
      ['GET', `/reports/${id}`],
      ['GET', `/reports/${id}/download`],
      ['GET', `/sessions/${id}/verification`],
      ['GET', `/sessions/${id}/transcript`],
      ['GET', '/agencies'],
      ['GET', '/catalogue'],
      ['GET', '/catalogue/revenue-per-boarding/axes'],
    ];
    const deep5000 = `{"protocol":"revenue-per-boarding","budget":"1/2","parameters":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const bodies: [string, Record<string, string>][] = [
      [deep5000, json],
      [`{"name":${nestedArrayText(5000)},"role":"admin"}`, json],
      ['{"constructor":{"prototype":{"x":1}},"name":"x","role":"admin"}', json],
      ['{"__proto__":{"role":"admin"},"name":"x"}', json],
      [JSON.stringify({ name: 'x'.repeat(60_000), role: 'analyst' }), json],
      [JSON.stringify({ protocol: 42, budget: [], parameters: 'no' }), json],
      [JSON.stringify(keyFlood(3000)), json],
      // Axis selections: too many values, a prototype key, a repeated and an unknown value.
      ...[
        { route: Array.from({ length: 20_000 }, (_, i) => `R${i}`) },
        JSON.parse('{"__proto__":["R1"]}') as object,
        { route: ['R1', 'R1'] },
        { nope: ['R1'] },
        { route: 'R1' },
      ].map((axes): [string, Record<string, string>] => [
        JSON.stringify({
          protocol: 'revenue-per-boarding',
          budget: '1/2',
          parameters: { serviceDate: '2026-03-10' },
          axes,
        }),
        json,
      ]),
      ['{"protocol": ', json],
      ['x'.repeat(70_000), json],
      [JSON.stringify({ name: 'a'.repeat(100_000) }), json],
      ['protocol=x', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['{"name":"x"}', { 'content-type': 'text/plain' }],
      ['{"name":"x"}', { 'content-type': 'application/json; charset=ebcdic' }],
      ['\u0000\u0001binary', { 'content-type': 'application/octet-stream' }],
    ];
    const answers: {
      what: string;
      status: number;
      code: string | undefined;
      overLimit: boolean;
    }[] = [];
    const ask = async (what: string, options: Parameters<typeof rawHttp>[1]): Promise<void> => {
      const a = await rawHttp(run.coordinator.url, options);
      const size = options.body?.length ?? 0;
      answers.push({ what, status: a.status, code: problemCode(a), overLimit: size > 64 * 1024 });
    };
    for (const [method, path] of routes) {
      for (const [body, headers] of method === 'GET' ? [] : bodies)
        await ask(`${method} ${path} ${body.slice(0, 30)}`, {
          method,
          path,
          body,
          headers: { ...admin, ...headers },
        });
      for (const query of [
        '?limit=abc',
        '?limit[]=1&values[a]=b',
        `?q=${'%7B'.repeat(3000)}`,
        '?values=%00',
      ])
        await ask(`${method} ${path}${query.slice(0, 20)}`, {
          method,
          path: `${path}${query}`,
          headers: admin,
        });
      await ask(`${method} ${path} huge header`, {
        method,
        path,
        headers: { ...admin, 'x-filler': 'z'.repeat(20_000) },
      });
      await ask(`${method} ${path} bad token`, {
        method,
        path,
        headers: { authorization: 'Bearer concord_made-up-token-000000000' },
        localAddress: '127.0.0.6',
      });
    }
    for (const path of [
      '/reports/not-a-uuid',
      `/reports/${id}/download?format=arrow&output=${'x'.repeat(5000)}`,
      `/reports/${id}/download?format=csv&output=a%0d%0aSet-Cookie:x`,
      `/sessions/${'x'.repeat(5000)}/transcript`,
      '/catalogue/revenue-per-boarding/accuracy?budget=1/2&axes=%7B',
      `/catalogue/revenue-per-boarding/accuracy?budget=1/2&axes=${encodeURIComponent('{"route":"R1"}')}`,
      `/catalogue/revenue-per-boarding/accuracy?budget=1/2&axes=${encodeURIComponent('{"nope":["R1"]}')}`,
      `/catalogue/revenue-per-boarding/accuracy?budget=1/2&axes=${encodeURIComponent('{"__proto__":["R1"]}')}`,
      `/catalogue/${'x'.repeat(5000)}/axes`,
      '/admin/tokens/%ff',
    ])
      await ask(`GET ${path.slice(0, 30)}`, { method: 'GET', path, headers: admin });
    await ask('DELETE /admin/tokens/%ff', {
      method: 'DELETE',
      path: '/admin/tokens/%ff',
      headers: admin,
    });

    // Nothing answers 5xx. Hostile bodies, headers, tokens and ids are refused; a query string
    // a route does not read may be ignored. Status 0: a body over the limit was refused before it
    // was read (the server closed the connection under the writer).
    const failed = answers.filter(
      (a) =>
        a.status >= 500 ||
        (a.status < 400 && !a.what.includes('?') && !(a.status === 0 && a.overLimit)),
    );
    expect(failed).toEqual([]);
    // Every refusal Nest answers is a typed problem; only the HTTP parser's own 431 has no body.
    const untyped = answers.filter(
      (a) => a.status >= 400 && a.code === undefined && a.status !== 431,
    );
    expect(untyped).toEqual([]);
    const byWhat = (prefix: string): string | undefined =>
      answers.find((a) => a.what.startsWith(prefix))?.code;
    expect(byWhat('POST /reports {"protocol":"revenue-per-boa')).toBe('too-deep');
    expect(byWhat('POST /admin/tokens {"name":[[[[[')).toBe('too-deep');
    expect(byWhat('POST /admin/tokens {"constructor"')).toBe('forbidden-key');
    expect(byWhat('POST /admin/tokens {"__proto__"')).toBe('forbidden-key');
    expect(byWhat('POST /reports {"protocol": ')).toBe('invalid-json');
    expect(['payload-too-large', undefined]).toContain(byWhat('POST /reports xxxxx'));
  });

  it('limits requests with made-up tokens per address before any token lookup', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof rawHttp>> | undefined;
    for (let i = 0; i < 40; i++) {
      last = await rawHttp(run.coordinator.url, {
        method: 'GET',
        path: '/reports',
        headers: { authorization: `Bearer concord_made-up-${i}-aaaaaaaaaaaaaaaa` },
        localAddress: '127.0.0.7',
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(problemCode(last!)).toBe('rate-limited');
    expect(Number(last!.retryAfter)).toBeGreaterThan(0);
    // Anonymous requests from another address count too.
    const anonymous: number[] = [];
    for (let i = 0; i < 32; i++)
      anonymous.push(
        (
          await rawHttp(run.coordinator.url, {
            method: 'GET',
            path: '/agencies',
            localAddress: '127.0.0.8',
          })
        ).status,
      );
    expect(anonymous.at(-1)).toBe(429);
    // The honest analyst, on its own address, is untouched.
    expect((await run.client.request('GET', '/reports')).status).toBe(200);
  });

  it('kept the consortium connected and /health answering within 100 ms throughout', async () => {
    const agencies = await run.client.request<{ connected: boolean }[]>('GET', '/agencies');
    expect(agencies.body.map((a) => a.connected)).toEqual([true, true, true]);
    const health = await probe.read();
    // The slowest /health answer of each phase, for the record when the bound below fails.
    console.log('slowest /health answer per phase (ms):', phases);
    expect(health.failures).toEqual([]);
    expect(health.samples).toBeGreaterThan(20);
    expect(health.max).toBeLessThan(100);
    // And the consortium still computes.
    const after = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    const done = await run.client.waitForReport<Report>(after.body.id);
    expect([done.state, done.error]).toEqual(['completed', null]);
    expect(run.coordinator.process.exitCode).toBeNull();
  });
});
