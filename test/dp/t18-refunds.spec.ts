import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import type { FieldVector } from '#concord/field';
import { toBigInts } from '#concord/field';
import { type InProcessParty, PartySession, runSessionInProcess } from '#concord/engine';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { type PartyIndex, reconstructPair } from '#concord/sharing';
import { mayRefund } from '../../apps/agency-node/src/node/node-ledger.js';
import { PARTY_OF_ROLE, pinnedKeys, testIdentities } from './support/parties.js';
import { partyNoise } from './support/release-transcript.js';

// T18 refund rule (dp-design.md section 8): an abort before any opening is refunded, an abort
// after an opening is not. The coordinator's side (its ledger refuses a refund once an `open`
// envelope is in the transcript) is tested against the database in
// apps/coordinator/src/ledger/ledger.service.spec.ts; this is the agencies' side, on real
// sessions: when may a node give its own replica's charge back?

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

describe('T18 refunds on the agencies’ replicas', { timeout: 60_000 }, () => {
  it('an abort before the node dealt anything is refunded', () => {
    const pinned = pinnedKeys(identities);
    const sessions = ([1, 2, 3] as const).map(
      (self) =>
        new PartySession({
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
    // Aborted here (say a peer declined or disconnected): commitments only, nothing sent.
    for (const s of sessions) {
      expect(s.sent).toEqual([]);
      expect(mayRefund(s.sent)).toBe(true);
    }
  });

  it('an abort after the opening is not refunded', () => {
    const run = runSessionInProcess(plan, parties());
    expect(run.results).toHaveLength(3);
    for (const s of run.sessions) expect(mayRefund(s.sent)).toBe(false);
  });

  it('a node that dealt its noise but never opened is not refunded: the others may have opened', () => {
    // The coordinator colludes with party 3: it withholds party 3's input from party 1 (so party 1
    // never reaches its opening) and relays party 2's opening to party 3 only, then aborts.
    const opened = new Map<PartyIndex, FieldVector[]>();
    class Recording extends PartySession {
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
    // So the node keeps the charge (its noise left it), and so does the coordinator (it
    // relayed an opening).
    expect(mayRefund(s1.sent)).toBe(false);
  });
});
