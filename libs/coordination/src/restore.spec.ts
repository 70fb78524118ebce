import { toBigInts } from '#concord/field';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '#concord/transcript';
import { SESSION_ID, SimulatedWorld } from './simulated-world.spec-support.js';

/** The values a clean run releases (inputs plus every party's noise: deterministic here). */
function cleanRelease(): string[] {
  const world = new SimulatedWorld('restore');
  world.connectAll();
  world.run();
  return world.store.release!.map((o) => toBigInts(o.values).join(','));
}

describe('a coordinator restart', { timeout: 60_000 }, () => {
  const clean = cleanRelease();
  const steps = (() => {
    const world = new SimulatedWorld('restore');
    world.connectAll();
    world.run();
    return world.log.length;
  })();

  it('at every point of a session resumes it from the store alone and releases exactly the clean run’s values', () => {
    expect(steps).toBeGreaterThan(40);
    for (let k = 0; k < steps; k++) {
      const world = new SimulatedWorld('restore');
      world.crashAt = k;
      world.connectAll();
      world.run();
      if (!world.crashed) continue; // the run ended before action k
      world.crashCoordinator();
      world.connectAll();
      world.run();
      const where = `crash after action ${k} (${world.log[k - 1]?.type ?? 'none'})`;
      expect(world.core.view.phase, where).toBe('completed');
      expect(
        world.store.release!.map((o) => toBigInts(o.values).join(',')),
        where,
      ).toEqual(clean);
      expect(verifyChain(SESSION_ID, world.store.entries), where).toBeUndefined();
      const slots = world.store.entries.flatMap((e) =>
        e.kind === 'envelope'
          ? [`${e.body.round}|${e.body.from}|${e.body.to}|${e.body.chunk}`]
          : [],
      );
      expect(new Set(slots).size, where).toBe(slots.length);
      expect(world.store.refunds, where).toBe(0);
      for (const node of world.nodes) expect(node.ended, where).toEqual({ outcome: 'completed' });
    }
  });

  it('gives a party that does not come back the node lease, then aborts; no refund after the data phase', () => {
    const world = new SimulatedWorld('lease');
    world.crashAt = 60;
    world.connectAll();
    world.run();
    expect(world.crashed).toBe(true);
    world.crashCoordinator();
    world.connect(1);
    world.connect(2);
    world.run();
    world.advance(world.rules.nodeLeaseMs - 1);
    expect(world.core.view.phase).toBe('computing');
    world.advance(1);
    expect(world.core.view.phase).toBe('aborted');
    const aborted = world.store.entries.find((e) => e.kind === 'session.aborted');
    expect(aborted?.body).toMatchObject({
      code: 'party-disconnected',
      by: 3,
      dataPhaseStarted: true,
    });
    expect(world.store.refunds).toBe(0);
    world.run();
    expect(world.node(1).ended).toEqual({ outcome: 'aborted', refund: false });
  });
});
