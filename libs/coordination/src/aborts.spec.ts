import { describe, expect, it } from 'vitest';
import { entriesOf } from '#concord/transcript';
import { ToNode } from '#concord/wire';
import { SimulatedWorld } from './simulated-world.spec-support.js';

function runUntil(world: SimulatedWorld, phase: string): void {
  while (world.core.view.phase !== phase && world.network.length > 0) world.deliver();
  expect(world.core.view.phase).toBe(phase);
}

function abortEntry(world: SimulatedWorld) {
  return entriesOf(world.store.entries, 'session.aborted').at(-1)?.body;
}

describe('how sessions end without a release', () => {
  it('a decline waits the grace period for the other parties’ reasons, then aborts and refunds everywhere', () => {
    const world = new SimulatedWorld('aborts/decline');
    world.connectAll();
    world.handle({
      type: 'decline',
      now: world.now,
      party: 2,
      code: 'budget-exceeded',
      message: 'cap reached',
    });
    world.handle({
      type: 'decline',
      now: world.now,
      party: 3,
      code: 'invalid-data',
      message: 'bad row',
    });
    expect(world.core.view.phase).toBe('aborting');
    world.advance(world.rules.reportGraceMs);
    expect(world.core.view.phase).toBe('aborted');
    const body = abortEntry(world);
    expect(body).toMatchObject({ code: 'declined', by: 2, dataPhaseStarted: false });
    expect(body?.message).toContain('party 2 declined (budget-exceeded');
    expect(body?.message).toContain('party 3 declined (invalid-data');
    expect(world.store.refunds).toBe(1);
    expect(world.store.entries.at(-1)?.kind).toBe('ledger.refunded');
    expect(world.store.rowState).toBe('aborted');
    world.run();
    for (const p of [1, 2, 3] as const)
      expect(world.node(p).ended).toEqual({ outcome: 'aborted', refund: true });
  });

  it('an inconsistent opening: every party’s report and suspects are recorded, the session ends when all three reported', () => {
    const world = new SimulatedWorld('aborts/opening');
    world.connectAll();
    runUntil(world, 'computing');
    const report = (party: 1 | 2 | 3, suspects: number[]) =>
      world.handle({
        type: 'abort-report',
        now: world.now,
        party,
        code: 'inconsistent-opening',
        message: 'opened shares are inconsistent',
        suspects,
      });
    report(1, [2, 3]);
    report(2, [1, 3]);
    expect(world.core.view.phase).toBe('aborting');
    report(3, [1, 2, 9]);
    expect(world.core.view.phase).toBe('aborted');
    const reports = entriesOf(world.store.entries, 'party.aborted').map((e) => e.body);
    expect(reports.map((r) => [r.party, r.suspects])).toEqual([
      [1, [2, 3]],
      [2, [1, 3]],
      [3, [1, 2]],
    ]);
    expect(abortEntry(world)).toMatchObject({
      code: 'party-aborted',
      by: 1,
      dataPhaseStarted: true,
    });
    expect(abortEntry(world)?.message).toContain('suspects: party 1 and party 3');
    expect(world.store.refunds).toBe(0);
  });

  it('times out', () => {
    const world = new SimulatedWorld('aborts/timeout');
    world.connect(1);
    world.advance(world.rules.sessionTimeoutMs - 1);
    expect(world.core.view.phase).toBe('waiting');
    world.advance(1);
    expect(abortEntry(world)).toMatchObject({ code: 'timeout', by: 'coordinator' });
    expect(world.store.refunds).toBe(1);
  });

  it('a node that comes back without the session after it accepted aborts it at once', () => {
    const world = new SimulatedWorld('aborts/restarted');
    world.connectAll();
    runUntil(world, 'committing');
    world.disconnect(3);
    world.node(3).forget();
    world.connect(3);
    expect(abortEntry(world)).toMatchObject({
      code: 'party-restarted',
      by: 3,
      dataPhaseStarted: false,
    });
    expect(world.store.refunds).toBe(1);
  });

  it('a node that restarts before it accepted is simply invited again', () => {
    const world = new SimulatedWorld('aborts/reinvite');
    world.connectAll();
    // Party 3 dies before its invitation arrives.
    world.disconnect(3);
    world.node(3).forget();
    world.run();
    expect(world.core.view.phase).toBe('inviting');
    world.connect(3);
    world.run();
    expect(world.core.view.phase).toBe('completed');
  });

  it('a transient disconnect within the lease resumes; resent envelopes are deduplicated', () => {
    const world = new SimulatedWorld('aborts/transient');
    world.connectAll();
    runUntil(world, 'computing');
    world.disconnect(2);
    world.run(); // everything to party 2 is lost meanwhile
    world.advance(world.rules.nodeLeaseMs - 1);
    world.connect(2);
    world.run();
    expect(world.core.view.phase).toBe('completed');
    expect(world.store.refunds).toBe(0);
  });

  it('nodes on different engines are not invited', () => {
    const world = new SimulatedWorld('aborts/engines');
    world.connect(1);
    world.connect(2);
    world.connect(3, 'jiff');
    expect(abortEntry(world)).toMatchObject({ code: 'engine-mismatch', by: 'coordinator' });
    expect(world.network.some((d) => d.to === 'node' && d.event === ToNode.sessionInvite)).toBe(
      false,
    );
  });

  it('an internal failure of the adapter aborts the session', () => {
    const world = new SimulatedWorld('aborts/internal');
    world.connectAll();
    runUntil(world, 'committing');
    world.handle({
      type: 'internal-failure',
      now: world.now,
      message: 'the store refused a write',
    });
    expect(abortEntry(world)).toMatchObject({ code: 'internal-error', by: 'coordinator' });
    expect(world.store.refunds).toBe(1);
  });

  it('parties that open different results abort it without refund', () => {
    const world = new SimulatedWorld('aborts/disagree');
    world.connectAll();
    // Let everything through except party 3's result, which is replaced by another digest.
    while (world.network.length > 0) {
      const next = world.network[0];
      if (next.to === 'core' && next.message.type === 'result' && next.message.party === 3) {
        world.network.shift();
        world.handle({ ...next.message, digest: '9'.repeat(64), now: world.now });
        continue;
      }
      world.deliver();
    }
    expect(abortEntry(world)).toMatchObject({ code: 'results-disagree', dataPhaseStarted: true });
    expect(world.store.refunds).toBe(0);
  });
});
