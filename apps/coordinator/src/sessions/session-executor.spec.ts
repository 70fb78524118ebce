import { describe, expect, it } from 'vitest';
import type { PersistOp, SessionAction } from '#concord/coordination';
import { type ExecutorPorts, SessionExecutor } from './session-executor.js';

const entry = (seq: number): PersistOp =>
  ({ op: 'append', entry: { seq } }) as unknown as PersistOp;
const persist = (...seqs: number[]): SessionAction => ({ type: 'persist', ops: seqs.map(entry) });
const send = (event: string): SessionAction => ({ type: 'send', party: 1, event, payload: {} });

/** Ports that record what happened, in order; writes resolve when the test says so. */
function recorder(options: { fail?: (attempt: number) => Error | undefined } = {}) {
  const log: string[] = [];
  let attempt = 0;
  const pending: (() => void)[] = [];
  const ports: ExecutorPorts = {
    persist: (ops) => {
      attempt++;
      const failure = options.fail?.(attempt);
      if (failure) return Promise.reject(failure);
      log.push(`write ${ops.map((o) => (o as { entry: { seq: number } }).entry.seq).join('+')}`);
      return new Promise<void>((r) => pending.push(r));
    },
    perform: (a) => log.push(a.type === 'send' ? `send ${a.event}` : a.type),
    retryable: (e) => (e as { code?: string }).code === 'ECONNREFUSED',
    failed: (e) => log.push(`failed ${String((e as Error).message)}`),
    retrying: (_, n) => log.push(`retry ${n}`),
  };
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      pending.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { ports, log, flush };
}

describe('the session executor', () => {
  it('performs nothing before the writes before it are durable, and writes a burst in one transaction', async () => {
    const { ports, log, flush } = recorder();
    const executor = new SessionExecutor(ports);
    executor.enqueue([persist(1), send('a')]);
    executor.enqueue([persist(2), send('b'), persist(3), send('c')]);
    expect(log).toEqual(['write 1']);
    await flush();
    expect(log).toEqual(['write 1', 'send a', 'write 2+3', 'send b', 'send c']);
  });

  it('never merges writes across a milestone', async () => {
    const { ports, log, flush } = recorder();
    const executor = new SessionExecutor(ports);
    executor.enqueue([persist(1), { type: 'milestone', name: 'invited' }, persist(2), send('x')]);
    await flush();
    expect(log).toEqual(['write 1', 'milestone', 'write 2', 'send x']);
  });

  it('runs actions enqueued from within an action, and after a drain that ended synchronously', async () => {
    const { ports, log, flush } = recorder();
    const executor = new SessionExecutor({
      ...ports,
      perform: (a) => {
        ports.perform(a);
        if (a.type === 'send' && a.event === 'first') executor.enqueue([send('nested')]);
      },
    });
    executor.enqueue([send('first')]);
    executor.enqueue([send('later')]);
    await flush();
    expect(log).toEqual(['send first', 'send nested', 'send later']);
    executor.enqueue([send('again')]);
    expect(log.at(-1)).toBe('send again');
    await executor.idle();
  });

  it('retries a write while the database is away, and stops on any other failure', async () => {
    const away = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const { ports, log, flush } = recorder({ fail: (n) => (n <= 2 ? away : undefined) });
    const executor = new SessionExecutor(ports);
    executor.enqueue([persist(1), send('after')]);
    for (let i = 0; i < 20 && !log.includes('send after'); i++) {
      await new Promise((r) => setTimeout(r, 120));
      await flush();
    }
    expect(log).toEqual(['retry 1', 'retry 2', 'write 1', 'send after']);

    const broken = recorder({ fail: () => new Error('duplicate key') });
    const stopped = new SessionExecutor(broken.ports);
    stopped.enqueue([persist(1), send('never')]);
    await broken.flush();
    stopped.enqueue([send('ignored')]);
    await broken.flush();
    expect(broken.log).toEqual(['failed duplicate key']);
  });
});
