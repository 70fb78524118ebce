import fc from 'fast-check';
import { toBigInts } from '#concord/field';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { verifyChain } from '#concord/transcript';
import { pick, SESSION_ID, SimulatedWorld } from './simulated-world.spec-support.js';

function cleanRelease(): string[] {
  const world = new SimulatedWorld('property');
  world.connectAll();
  world.run();
  return world.store.release!.map((o) => toBigInts(o.values).join(','));
}

/**
 * Delivers a session's messages in a random order, duplicating and dropping some; when nothing is
 * left in flight a random party's connection drops and comes back (holding its session), which is
 * how real nodes recover lost messages. Returns the finished world.
 */
function chaoticRun(seed: number, dropRate: number, duplicateRate: number): SimulatedWorld {
  const world = new SimulatedWorld('property');
  const rng = seededRandom(`property/${seed}`);
  world.connectAll();
  for (let step = 0; step < 20_000 && !world.core.view.final; step++) {
    if (world.network.length === 0) {
      const party = (pick(rng, 3) + 1) as 1 | 2 | 3;
      world.disconnect(party);
      world.connect(party);
      continue;
    }
    const i = pick(rng, world.network.length);
    const roll = pick(rng, 1000);
    if (roll < dropRate) world.network.splice(i, 1);
    else if (roll < dropRate + duplicateRate) world.network.push(world.network[i]);
    else world.deliver(i);
  }
  return world;
}

describe(
  'the core with three real party engines under a chaotic network',
  { timeout: 120_000 },
  () => {
    const clean = cleanRelease();

    it('completes with exactly the clean run’s release whatever the order, duplicates and drops', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.integer({ min: 0, max: 200 }),
          fc.integer({ min: 0, max: 300 }),
          (seed, dropRate, duplicateRate) => {
            const world = chaoticRun(seed, dropRate, duplicateRate);
            expect(world.core.view.phase).toBe('completed');
            expect(world.store.release!.map((o) => toBigInts(o.values).join(','))).toEqual(clean);
            expect(verifyChain(SESSION_ID, world.store.entries)).toBeUndefined();
            const slots = world.store.entries.flatMap((e) =>
              e.kind === 'envelope'
                ? [`${e.body.round}|${e.body.from}|${e.body.to}|${e.body.chunk}`]
                : [],
            );
            expect(new Set(slots).size).toBe(slots.length);
            expect(world.store.refunds).toBe(0);
          },
        ),
        { seed: 20261204, numRuns: 25 },
      );
    });
  },
);
