import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../support/managed-process.js';

/**
 * A failpoint freezes a real process at a named point (libs/failpoint) and the harness acts from
 * outside. Until the lead places the session's points, the mechanism is tested on a tiny script
 * that reaches one point between two lines of output, then idles until SIGTERM, which it handles
 * (a line, exit 0) the way a draining coordinator will.
 */
describe('fault harness: failpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-failpoint-'));
  const script = join(dir, 'reaches-a-failpoint.mjs');
  const library = pathToFileURL(resolve('dist/libs/failpoint/src/index.js')).href;
  writeFileSync(
    script,
    [
      `import { failpoint } from ${JSON.stringify(library)};`,
      `process.once('SIGTERM', () => { process.stdout.write('terminated\\n'); process.exit(0); });`,
      `process.stdout.write('before\\n');`,
      `failpoint('demo.point');`,
      `process.stdout.write('after\\n');`,
      `setInterval(() => undefined, 60_000);`,
    ].join('\n'),
  );
  const start = (armed: string): ManagedProcess =>
    ManagedProcess.spawn('demo', script, [], { CONCORD_FAILPOINTS: armed });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the process at the armed point, and SIGCONT carries it on', async () => {
    const demo = start('demo.point');
    await demo.waitForFailpoint('demo.point');
    expect(demo.isStopped()).toBe(true);
    // stdout and stderr are two pipes: their order in output() is not guaranteed.
    expect(demo.output()).toContain('before\n');
    expect(demo.output()).toContain('failpoint demo.point reached\n');
    expect(demo.output()).not.toContain('after');
    demo.resume();
    await demo.waitForOutput('after\n');
    expect(demo.isStopped()).toBe(false);
    expect(await demo.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('lets a stopped process be killed with SIGKILL where it stands', async () => {
    const killed = start('demo.point');
    await killed.waitForFailpoint('demo.point');
    expect(await killed.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killed.output()).not.toContain('after');
  });

  it('delivers SIGTERM to a stopped process (sent with SIGCONT) to its handler', async () => {
    const terminated = start('demo.point');
    await terminated.waitForFailpoint('demo.point');
    expect(await terminated.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    // A JavaScript handler runs on the event loop: the code after the point up to the next
    // await runs first, as it will before a coordinator's drain.
    expect(terminated.output()).toMatch(/after\nterminated\n$/);
    expect(terminated.output()).toContain('failpoint demo.point reached');
  });

  it('passes a point that is not armed', async () => {
    const demo = start('some.other.point');
    await demo.waitForOutput('after\n');
    expect(await demo.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(demo.output()).toBe('before\nafter\nterminated\n');
  });

  it('fails a wait that is not answered with the process’s own output', async () => {
    const demo = start('demo.point');
    await demo.waitForFailpoint('demo.point');
    const error = await demo.waitForFailpoint('never.reached', 200).then(
      () => new Error('answered'),
      (e: Error) => e,
    );
    expect(error.message).toMatch(
      /^demo: no answer in 200 ms while waiting for output failpoint never\.reached reached:\n/,
    );
    expect(error.message).toContain('failpoint demo.point reached');
    await demo.kill('SIGKILL');
  });
});
