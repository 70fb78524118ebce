import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChargeStatus,
  decideRefund,
  isKept,
  type RefundEvidence,
  type SessionOutcome,
} from './refund-rule.js';

const FULL_SUITE = process.env.CONCORD_STATISTICAL_SUITE === 'full';

const coordinator = (dataPhaseStarted: boolean): RefundEvidence => ({
  ledger: 'coordinator',
  dataPhaseStarted,
});
const node = (dataPhaseStarted: boolean, outcome: SessionOutcome): RefundEvidence => ({
  ledger: 'node',
  dataPhaseStarted,
  outcome,
});
const aborted = (coordinatorRefunds: boolean): SessionOutcome => ({
  kind: 'aborted',
  coordinatorRefunds,
});

describe('refund rule', () => {
  it('the coordinator refunds iff its data phase never started', () => {
    expect(decideRefund('charged', coordinator(false))).toEqual({ refund: true, code: 'refunded' });
    expect(decideRefund('charged', coordinator(true))).toEqual({
      refund: false,
      code: 'data-phase-started',
    });
  });

  it('a node refunds a coordinator’s abort only if told so and it never received the go-ahead', () => {
    expect(decideRefund('charged', node(false, aborted(true))).code).toBe('refunded');
    // The node dealt (it received the go-ahead): kept, whatever the coordinator says.
    expect(decideRefund('charged', node(true, aborted(true))).code).toBe('data-phase-started');
    expect(decideRefund('charged', node(true, aborted(false))).code).toBe('data-phase-started');
    // The coordinator keeps its charge: so does the node.
    expect(decideRefund('charged', node(false, aborted(false))).code).toBe('coordinator-kept');
  });

  it('a node refunds its own abort only before the go-ahead; a completed session is kept', () => {
    expect(decideRefund('charged', node(false, { kind: 'aborted-by-node' })).code).toBe('refunded');
    expect(decideRefund('charged', node(true, { kind: 'aborted-by-node' })).code).toBe(
      'data-phase-started',
    );
    for (const started of [false, true])
      expect(decideRefund('charged', node(started, { kind: 'completed' })).code).toBe('completed');
  });

  it('nothing to decide for a key not charged, refunded or settled', () => {
    const cases: [ChargeStatus, string][] = [
      ['none', 'not-charged'],
      ['refunded', 'already-refunded'],
      ['kept', 'already-settled'],
    ];
    for (const [status, code] of cases) {
      const decision = decideRefund(status, node(false, aborted(true)));
      expect(decision).toEqual({ refund: false, code });
      expect(isKept(decision)).toBe(false);
    }
    expect(isKept(decideRefund('charged', coordinator(true)))).toBe(true);
    expect(isKept(decideRefund('charged', node(false, aborted(false))))).toBe(true);
    expect(isKept(decideRefund('charged', coordinator(false)))).toBe(false);
  });
});

/**
 * One session across the coordinator and three nodes, with faults: the coordinator records k of
 * the three commitments (the data phase starts at the third, written before any go-ahead), each
 * go-ahead may be lost, a node that got it records that and then may crash before dealing, the
 * session completes only if all three dealt, a node may abort on its own, and the coordinator
 * may lie about refunds in its abort message.
 */
const scenario = fc.record({
  commitments: fc.integer({ min: 0, max: 3 }),
  goAheadDelivered: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  dealtAfterGoAhead: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  completes: fc.boolean(),
  abortsItself: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
  coordinatorLies: fc.boolean(),
  claimedRefund: fc.boolean(),
});

describe('refund rule: property over faulty sessions', () => {
  it('refunds never follow the data phase, and no ledger refunds a release', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const dataPhaseStarted = s.commitments === 3;
        const goAhead = s.goAheadDelivered.map((d) => dataPhaseStarted && d);
        const dealt = goAhead.map((g, i) => g && s.dealtAfterGoAhead[i]);
        const released = dealt.every(Boolean);
        const completed = released && s.completes;

        const coordinatorDecision = completed
          ? undefined
          : decideRefund('charged', coordinator(dataPhaseStarted));
        const coordinatorRefunds = coordinatorDecision?.refund ?? false;
        const told = s.coordinatorLies ? s.claimedRefund : coordinatorRefunds;

        const nodeDecisions = [0, 1, 2].map((i) =>
          decideRefund(
            'charged',
            node(
              goAhead[i],
              completed
                ? { kind: 'completed' }
                : s.abortsItself[i]
                  ? { kind: 'aborted-by-node' }
                  : aborted(told),
            ),
          ),
        );

        // Refunds never follow the data phase, on any ledger.
        if (coordinatorRefunds) expect(dataPhaseStarted).toBe(false);
        nodeDecisions.forEach((d, i) => {
          if (d.refund) expect(goAhead[i]).toBe(false);
          // A node whose noise left it never refunds, whatever the coordinator says.
          if (dealt[i]) expect(d.refund).toBe(false);
        });
        // A release (all three dealt) is charged on every ledger (an honest coordinator's too).
        if (released) {
          expect(coordinatorRefunds).toBe(false);
          expect(nodeDecisions.some((d) => d.refund)).toBe(false);
        }
        // With an honest coordinator, a node refunds a coordinator-decided abort exactly when
        // the coordinator refunded: the ledgers agree (57 against 44 cannot happen again).
        if (!s.coordinatorLies && !completed)
          nodeDecisions.forEach((d, i) => {
            if (!s.abortsItself[i]) expect(d.refund).toBe(coordinatorRefunds);
          });
      }),
      { numRuns: FULL_SUITE ? 20_000 : 2_000, seed: 0x7e18 },
    );
  });
});
