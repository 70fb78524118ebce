import pino from 'pino';
import type { Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicaLink } from '../cluster/replica-link.js';
import { Clock } from '../config/clock.js';
import { loadCoordinatorConfig } from '../config/coordinator-config.js';
import { MAX_ACCEPTED_PER_LOGIN, NodePresence } from './node-presence.js';

class ManualClock extends Clock {
  at = 1_000_000;
  now(): number {
    return this.at;
  }
}

/** Replicas joined as over Redis: a broadcast reaches every other replica's handlers. */
function cluster(names: string[], clock: Clock = new ManualClock()): Map<string, NodePresence> {
  const handlers = new Map<string, ((payload: unknown, from: string) => void)[]>();
  const config = loadCoordinatorConfig({ CONSORTIUM_FILE: 'c.json', PUBLIC_DATA_DIR: 'p' });
  const replicas = new Map<string, NodePresence>();
  for (const name of names) {
    const link = {
      clustered: true,
      on: (_kind: string, handle: (payload: unknown, from: string) => void) =>
        handlers.set(name, [...(handlers.get(name) ?? []), handle]),
      broadcast: (_kind: string, payload: unknown) => {
        // Through JSON, as the real link's codec carries it.
        const text = JSON.stringify(payload);
        for (const [other, hs] of handlers)
          if (other !== name) for (const h of hs) h(JSON.parse(text), name);
      },
    } as unknown as ReplicaLink;
    replicas.set(name, new NodePresence(config, pino({ level: 'silent' }), clock, link));
  }
  return replicas;
}

function socket(id: string): Socket {
  return { id, join: () => undefined, emit: () => true } as unknown as Socket;
}

const login = { party: 1 as const, agencyId: 'metro-transit', engine: 'native' as const };

describe('NodePresence: sessions a connected node accepted', () => {
  let replicas: Map<string, NodePresence>;
  afterEach(() => {
    for (const r of replicas.values()) r.onApplicationShutdown();
  });

  it('counts as held on every replica once accepted, though the login named none', () => {
    replicas = cluster(['a', 'b']);
    const [a, b] = [replicas.get('a')!, replicas.get('b')!];
    const s = socket('s1');
    a.register(s, { ...login, held: new Set(), unsettled: new Set() });
    expect(b.logins().map((l) => [...l.held])).toEqual([[]]);

    a.noteHeld(1, s, 'session-1');

    // What a replica taking over session-1 reads: the node on replica a holds it.
    expect([...a.logins()[0].held]).toEqual(['session-1']);
    expect([...b.logins()[0].held]).toEqual(['session-1']);
  });

  it('ignores a socket that is no longer the party’s connection', () => {
    replicas = cluster(['a']);
    const a = replicas.get('a')!;
    a.register(socket('old'), { ...login, held: new Set(), unsettled: new Set() });
    a.register(socket('new'), { ...login, held: new Set(['kept']), unsettled: new Set() });

    a.noteHeld(1, socket('old'), 'session-1');

    expect([...a.logins()[0].held]).toEqual(['kept']);
  });

  it('keeps the login’s ids and the most recent acceptances within the bound', () => {
    replicas = cluster(['a']);
    const a = replicas.get('a')!;
    const s = socket('s1');
    a.register(s, { ...login, held: new Set(['at-login']), unsettled: new Set() });
    for (let i = 0; i <= MAX_ACCEPTED_PER_LOGIN; i++) a.noteHeld(1, s, `session-${i}`);

    const held = [...a.logins()[0].held];
    expect(held).toHaveLength(MAX_ACCEPTED_PER_LOGIN + 1);
    expect(held.slice(0, 2)).toEqual(['at-login', 'session-1']);
    expect(held.at(-1)).toBe(`session-${MAX_ACCEPTED_PER_LOGIN}`);
  });

  it('forgets an acceptance older than SESSION_TIMEOUT_MS (its session has ended)', () => {
    const clock = new ManualClock();
    replicas = cluster(['a'], clock);
    const a = replicas.get('a')!;
    const s = socket('s1');
    a.register(s, { ...login, held: new Set(), unsettled: new Set() });
    a.noteHeld(1, s, 'old');
    clock.at += 300_000 + 1;
    a.noteHeld(1, s, 'recent');

    expect([...a.logins()[0].held]).toEqual(['recent']);
  });
});
