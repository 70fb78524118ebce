import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideRefund, privacyCharge } from '#concord/accounting';
import { seededRandom } from '#concord/crypto';
import { Rational } from '#concord/dp';
import type { FieldVector } from '#concord/field';
import { toBigInts } from '#concord/field';
import {
  type InProcessParty,
  type PendingEnvelope,
  PartySession,
  runSessionInProcess,
} from '#concord/engine';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { type PartyIndex, reconstructPair } from '#concord/sharing';
import type { TranscriptEntryKind } from '#concord/transcript';
import { dataPhaseStarted } from '#concord/wire';
import { NodeLedger } from '../../apps/agency-node/src/node/node-ledger.js';
import { PARTY_OF_ROLE, pinnedKeys, testIdentities } from './support/parties.js';
import { partyNoise } from './support/release-transcript.js';

// T18 refund rule (docs/privacy.md), on real sessions and the agencies' real ledgers: an
// abort before the data phase is refunded everywhere; once the data phase started nothing is
// refunded, and a node that dealt its noise keeps its charge even if the coordinator claims a
// refund. The coordinator's own ledger applies the same rule to its transcript against the
// database in apps/coordinator/src/ledger/ledger.service.spec.ts; here its verdict comes from
// the same policy function over the transcript's entry kinds.

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const identities = testIdentities('t18');
const plan = compileSessionPlan(entry.analysis, {
  sessionId: '00000000-0000-4000-8000-000000000018',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: PARTY_OF_ROLE,
});
const boardings = Array.from({ length: 24 }, (_, h) => (h * 7) % 50);
const revenue = Array.from({ length: 24 }, (_, h) => (h * 1231) % 40_000);
const noise = [1, 2, 3].map((p) => partyNoise(plan, `t18/noise/${p}`));

function parties(): [InProcessParty, InProcessParty, InProcessParty] {
  return ([1, 2, 3] as const).map((p): InProcessParty => ({
    identity: identities[p - 1],
    inputs: new Map(p === 1 ? [['boardings', boardings]] : p === 2 ? [['revenue', revenue]] : []),
    noise: noise[p - 1],
    rng: seededRandom(`t18/party/${p}`),
  })) as [InProcessParty, InProcessParty, InProcessParty];
}

/** The coordinator's verdict from the kinds its transcript holds (the ledger's own rule). */
function coordinatorRefunds(kinds: readonly TranscriptEntryKind[]): boolean {
  return decideRefund('charged', {
    ledger: 'coordinator',
    dataPhaseStarted: dataPhaseStarted(kinds.map((kind) => ({ kind }))),
  }).refund;
}
const ACCEPTED: TranscriptEntryKind[] = [
  'session.created',
  ...Array<'party.accepted'>(3).fill('party.accepted'),
];
const commitments = (n: number): TranscriptEntryKind[] =>
  Array<'noise.committed'>(n).fill('noise.committed');

describe('T18 refunds on the agencies’ replicas', { timeout: 60_000 }, () => {
  let dir: string;
  let ledgers: [NodeLedger, NodeLedger, NodeLedger];
  const spent = (l: NodeLedger) => l.spent(plan.privacyUnit.scope, plan.privacyUnit.window);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-t18-'));
    ledgers = ([1, 2, 3] as const).map((p) => {
      const ledger = new NodeLedger(join(dir, `party-${p}.ledger.jsonl`), Rational.of(4));
      // Each node charges when it accepts the invitation.
      const decision = ledger.charge(
        plan.sessionId,
        plan.privacyUnit.scope,
        plan.privacyUnit.window,
        privacyCharge(Rational.parse(plan.budget.rho), Rational.parse(plan.budget.xi)),
      );
      expect(decision.code).toBe('charged');
      return ledger;
    }) as [NodeLedger, NodeLedger, NodeLedger];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A party that records the go-ahead on its ledger before it deals anything, as nodes must. */
  const recordsGoAhead = (o: ConstructorParameters<typeof PartySession>[0]) =>
    new (class extends PartySession {
      override shareInputs(inputs: ReadonlyMap<string, ArrayLike<number>>): PendingEnvelope[] {
        ledgers[this.self - 1].markDataPhaseStarted(plan.sessionId);
        return super.shareInputs(inputs);
      }
    })(o);

  it('an abort before the data phase is refunded on every ledger', () => {
    const pinned = pinnedKeys(identities);
    const sessions = ([1, 2, 3] as const).map((self) =>
      recordsGoAhead({
        self,
        plan,
        identity: identities[self - 1],
        pinnedKeys: pinned,
        rng: seededRandom(`t18/early/${self}`),
      }),
    );
    const acceptances = sessions.map((s) => s.acceptance());
    for (const s of sessions) s.receiveAcceptances(acceptances);
    sessions.forEach((s, i) => s.commitNoise(noise[i]));
    // Aborted here (a peer's commitment never arrived, say): the coordinator recorded two of the
    // three commitments, so it sent no go-ahead and nothing left any party.
    const refund = coordinatorRefunds([...ACCEPTED, ...commitments(2), 'session.aborted']);
    expect(refund).toBe(true);
    sessions.forEach((s, i) => {
      expect(s.sent).toEqual([]);
      expect(
        ledgers[i].settle(plan.sessionId, { kind: 'aborted', coordinatorRefunds: refund }),
      ).toEqual({
        refund: true,
        code: 'refunded',
      });
      expect(spent(ledgers[i]).toString()).toBe('0');
    });
  });

  it('a completed session is kept on every ledger, whatever is claimed afterwards', () => {
    const run = runSessionInProcess(plan, parties(), { createSession: recordsGoAhead });
    expect(run.results).toHaveLength(3);
    expect(coordinatorRefunds([...ACCEPTED, ...commitments(3), 'envelope'])).toBe(false);
    for (const ledger of ledgers) {
      expect(ledger.session(plan.sessionId)?.dataPhaseStarted).toBe(true);
      expect(ledger.settle(plan.sessionId, { kind: 'completed' })).toEqual({
        refund: false,
        code: 'completed',
      });
      // A later claim of an abort with a refund changes nothing.
      expect(
        ledger.settle(plan.sessionId, { kind: 'aborted', coordinatorRefunds: true }).code,
      ).toBe('already-settled');
      expect(spent(ledger).toString()).toBe(plan.budget.rho);
    }
  });

  it('a node that dealt its noise but never opened is not refunded, even when the coordinator claims a refund', () => {
    // The coordinator colludes with party 3: it withholds party 3's input from party 1 (so party 1
    // never reaches its opening) and relays party 2's opening to party 3 only, then aborts.
    const opened = new Map<PartyIndex, FieldVector[]>();
    class Recording extends PartySession {
      override shareInputs(inputs: ReadonlyMap<string, ArrayLike<number>>): PendingEnvelope[] {
        ledgers[this.self - 1].markDataPhaseStarted(plan.sessionId);
        return super.shareInputs(inputs);
      }
      protected override openShares(): FieldVector[] {
        const shares = super.openShares();
        opened.set(this.self, shares);
        return shares;
      }
    }
    const relayedOpen: string[] = [];
    const run = runSessionInProcess(plan, parties(), {
      createSession: (o) => new Recording(o),
      relay: (e) => {
        const { round, from, to } = e.header;
        if (to === 1 && from === 3) return undefined;
        if (round === 'open' && to !== 3) return undefined;
        if (round === 'open') relayedOpen.push(`${from}->${to}`);
        return e.bytes;
      },
    });
    expect(run.results).toEqual([]);
    const [s1] = run.sessions;
    // Party 1 never sent an opening: the rule "refund if this node did not open" would refund.
    expect(s1.sent.some((r) => r.round === 'open')).toBe(false);
    expect(s1.sent.some((r) => r.round === 'input')).toBe(true);
    // Yet party 3 holds two points of every output, party 1's noise included: a release.
    expect(relayedOpen).toContain('2->3');
    const leaked = plan.outputs.map((_, i) =>
      toBigInts(reconstructPair(2, opened.get(2)![i], 3, opened.get(3)![i])),
    );
    const exact = [boardings, revenue];
    leaked.forEach((values, i) =>
      values.forEach((v, c) =>
        expect(v).toBe(BigInt(exact[i][c]) + noise[0][i][c] + noise[1][i][c] + noise[2][i][c]),
      ),
    );
    // The lying coordinator's abort says "refund"; party 1 received the go-ahead before it dealt,
    // so it keeps its charge. An honest coordinator would not refund either (data phase started).
    expect(
      ledgers[0].settle(plan.sessionId, { kind: 'aborted', coordinatorRefunds: true }),
    ).toEqual({
      refund: false,
      code: 'data-phase-started',
    });
    expect(spent(ledgers[0]).toString()).toBe(plan.budget.rho);
    expect(
      coordinatorRefunds([...ACCEPTED, ...commitments(3), 'envelope', 'session.aborted']),
    ).toBe(false);
  });
});
