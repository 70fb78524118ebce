import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from './events.js';
import { SimulatedWorld } from './simulated-world.spec-support.js';

const party = fc.constantFrom(1 as const, 2 as const, 3 as const);
const anyNumber = fc.oneof(fc.integer({ min: -5, max: 10 }), fc.constant(Number.NaN));
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const text = fc.string({ maxLength: 40 });

/** Events of every kind with hostile contents (the gateway's DTOs would refuse many of them). */
const hostileEvent: fc.Arbitrary<Omit<SessionEvent, 'now'>> = fc.oneof(
  fc.record({ type: fc.constant('tick' as const) }),
  fc.record({
    type: fc.constant('party-online' as const),
    party,
    engine: fc.constantFrom('native' as const, 'jiff' as const),
    holdsSession: fc.boolean(),
  }),
  fc.record({ type: fc.constant('party-lost' as const), party }),
  fc.record({
    type: fc.constant('accept' as const),
    party,
    acceptance: fc.record({
      sessionId: text,
      party,
      planHash: hex(64),
      sessionKey: fc.oneof(hex(64), text),
      signature: fc.oneof(hex(128), text),
    }),
  }),
  fc.record({ type: fc.constant('decline' as const), party, code: text, message: text }),
  fc.record({
    type: fc.constant('commit' as const),
    party,
    claimedParty: anyNumber,
    commitments: fc.dictionary(fc.constantFrom('1', '2', '3', '4', ''), hex(64)),
  }),
  fc.record({
    type: fc.constant('envelope' as const),
    party,
    route: fc.record({
      sessionId: text,
      round: fc.constantFrom('input', 'open', 'mul-1', 'mul-9', 'nope'),
      from: party,
      to: party,
      chunk: fc.integer({ min: 0, max: 5 }),
      chunks: fc.integer({ min: 1, max: 5 }),
    }),
    bytes: fc.uint8Array({ maxLength: 64 }),
    digest: hex(64),
  }),
  fc.record({
    type: fc.constant('envelope-ack' as const),
    party,
    ack: fc.record({ round: text, from: party, to: party, chunk: anyNumber, digest: text }),
  }),
  fc.record({
    type: fc.constant('result' as const),
    party,
    claimedParty: anyNumber,
    digest: fc.oneof(hex(64), text),
    outputs: fc.option(fc.array(fc.record({ name: text, values: text }), { maxLength: 3 }), {
      nil: undefined,
    }),
  }),
  fc.record({
    type: fc.constant('seal' as const),
    party,
    claimedParty: anyNumber,
    headHash: fc.oneof(hex(64), text),
    signature: fc.oneof(hex(128), text),
  }),
  fc.record({
    type: fc.constant('abort-report' as const),
    party,
    code: text,
    message: text,
    suspects: fc.array(anyNumber, { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('jiff-relay' as const),
    from: anyNumber,
    to: anyNumber,
    digest: text,
  }),
  fc.record({ type: fc.constant('jiff-failed' as const), message: text }),
  fc.record({ type: fc.constant('internal-failure' as const), message: text }),
);

describe('the session core', { timeout: 120_000 }, () => {
  it('never throws, whatever arrives in whatever phase, and ends in a consistent state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        fc.array(fc.tuple(hostileEvent, fc.integer({ min: 0, max: 20_000 })), { maxLength: 30 }),
        (honestSteps, events) => {
          const world = new SimulatedWorld('never-throws');
          world.connectAll();
          world.run(honestSteps);
          for (const [event, elapsed] of events) {
            world.now += elapsed;
            expect(() => world.handle({ ...event, now: world.now } as SessionEvent)).not.toThrow();
          }
          const view = world.core.view;
          // The store applied every write (compare-and-set included) without complaint, and a final
          // session has a final row.
          if (view.final) expect(['completed', 'aborted']).toContain(world.store.rowState);
          expect(world.store.rowState).toBe(view.rowState);
        },
      ),
      { seed: 1204, numRuns: 150 },
    );
  });
});
