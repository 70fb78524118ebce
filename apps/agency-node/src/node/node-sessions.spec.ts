import { describe, expect, it } from 'vitest';
import { FromNode } from '#concord/wire';
import { NodeWorld } from './node-world.spec-support.js';

function spent(world: NodeWorld, party: 1 | 2 | 3): string {
  const plan = (world.core.view.entries[0].body as { ledger: { scope: string; window: string } })
    .ledger;
  return world.ledgers[party - 1].spent(plan.scope, plan.window).toString();
}

describe('the agency node’s sessions, driven by the real core', { timeout: 60_000 }, () => {
  it('complete a session: every ledger charged once and settled as spent', async () => {
    const world = new NodeWorld('complete');
    world.connectAll();
    await world.run();
    expect(world.core.view.phase).toBe('completed');
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('1/2');
    }
    expect(world.refunds).toEqual([]);
  });

  it('record the go-ahead in the ledger before the first envelope leaves', async () => {
    const world = new NodeWorld('go-ahead');
    const seen: boolean[] = [];
    const original = world.toCore.push.bind(world.toCore);
    world.toCore.push = (...items) => {
      for (const m of items)
        if (m.event === FromNode.sessionEnvelope)
          seen.push(world.ledgers[m.from - 1].session(world.sessionId)?.dataPhaseStarted === true);
      return original(...items);
    };
    world.connectAll();
    await world.run();
    expect(seen.length).toBeGreaterThan(6);
    expect(seen.every(Boolean)).toBe(true);
  });

  it('an abort racing an input read: the late reader charges nothing, sends nothing, and every ledger ends at zero', async () => {
    const world = new NodeWorld('abort-race', { gate: [3] });
    world.connectAll();
    await world.run(); // parties 1 and 2 accept; party 3 is still reading
    expect(world.core.view.phase).toBe('inviting');
    world.handle({ type: 'decline', party: 2, code: 'busy', message: 'going away' });
    world.tickAfter(5_000); // the grace period passes
    await world.run(); // the abort reaches every node, party 3 mid-read
    expect(world.core.view.phase).toBe('aborted');
    world.gates.get(3)!(); // party 3's read finishes after the abort
    await world.run();
    expect(world.toCore.some((m) => m.from === 3)).toBe(false);
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('0');
    }
    expect(world.ledgers[2].session(world.sessionId)).toBeUndefined();
    expect(world.refunds).toEqual([1]);
  });

  it('an abort the late reader never heard of: it accepts, learns the outcome, and refunds', async () => {
    const world = new NodeWorld('abort-unheard', { gate: [3] });
    world.connectAll();
    await world.run();
    world.offline.add(3); // party 3 misses the abort
    world.handle({ type: 'decline', party: 2, code: 'busy', message: 'going away' });
    world.tickAfter(5_000);
    await world.run();
    world.offline.delete(3);
    world.gates.get(3)!();
    await world.run();
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('0');
    }
  });

  it('a node that fails before it committed refunds at once, as the coordinator does', async () => {
    const world = new NodeWorld('own-failure');
    // Party 1 receives forged session keys: its engine refuses them before it commits.
    world.rewrite = (party, event, payload) => {
      if (party !== 1 || event !== 'session.keys') return payload;
      const p = payload as { sessionId: string; acceptances: { signature: string }[] };
      return {
        ...p,
        acceptances: p.acceptances.map((a) => ({ ...a, signature: '0'.repeat(128) })),
      };
    };
    world.connectAll();
    await world.run();
    world.tickAfter(5_000);
    await world.run();
    expect(world.core.view.phase).toBe('aborted');
    const reports = world.core.view.entries.filter((e) => e.kind === 'party.aborted');
    expect(reports.map((e) => e.body)).toMatchObject([{ party: 1, code: 'peer-key-invalid' }]);
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('0');
    }
    expect(world.refunds).toEqual([1]);
  });
});
