import 'reflect-metadata';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type AddressInfo, createServer, type Server } from 'node:net';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCoordinatorConfig } from '../config/coordinator-config.js';
import { ReadinessChecks } from './readiness-checks.js';

/**
 * Just enough of Redis for a ping: each command (a RESP array of bulk strings) is answered +PONG
 * when it is PING, +OK otherwise (the client's AUTH and CLIENT SETINFO).
 */
function pongServer(port = 0): Promise<Server> {
  const server = createServer((socket) =>
    socket.on('data', (chunk: Buffer) => {
      const commands = [...chunk.toString().matchAll(/(?:^|\r\n)\*\d+\r\n\$\d+\r\n(\w+)/g)];
      for (const [, name] of commands)
        socket.write(name.toLowerCase() === 'ping' ? '+PONG\r\n' : '+OK\r\n');
    }),
  );
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const answering = { query: () => Promise.resolve([{ '?column?': 1 }]) } as unknown as DataSource;
const refusing = {
  query: () =>
    Promise.reject(
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' }),
    ),
} as unknown as DataSource;

function checks(db: DataSource, redisUrl?: string): ReadinessChecks {
  const config = loadCoordinatorConfig({
    CONSORTIUM_FILE: 'c.json',
    PUBLIC_DATA_DIR: 'p',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });
  return new ReadinessChecks(new HealthIndicatorService(), db, config, pino({ level: 'silent' }));
}

describe('readiness checks', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('reports the database up, or down with its error code and not its address', async () => {
    expect(await checks(answering).database()).toMatchObject({ database: { status: 'up' } });
    const down = await checks(refusing).database();
    expect(down).toMatchObject({ database: { status: 'down', message: 'ECONNREFUSED' } });
    expect(JSON.stringify(down)).not.toContain('10.0.0.7');
  });

  it('has no Redis check without REDIS_URL', () => {
    expect(checks(answering).redisPing()).toBeUndefined();
  });

  it('pings Redis: down while nothing listens, up once it does', async () => {
    // A port where nothing listens now and Redis will: taken from a first server, closed.
    const first = await pongServer();
    const port = (first.address() as AddressInfo).port;
    await new Promise((r) => first.close(r));
    const readiness = checks(answering, `redis://:secret@127.0.0.1:${port}`);
    cleanups.push(() => readiness.onApplicationShutdown());
    const down = await readiness.redisPing()!;
    expect(down).toMatchObject({ redis: { status: 'down' } });
    expect(JSON.stringify(down)).not.toContain('secret');

    const server = await pongServer(port);
    cleanups.push(() => new Promise((r) => server.close(r)));
    let result = down;
    for (let i = 0; i < 50 && result.redis.status !== 'up'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await readiness.redisPing()!;
    }
    expect(result).toMatchObject({ redis: { status: 'up' } });
  });
});
