import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import type { OutboundEnvelope } from './envelope-chunks.js';
import { type InProcessParty, runSessionInProcess } from './in-process-run.js';
import { NativeSessionEngine } from './native-engine.js';
import { PartySession } from './party-session.js';
import type { EngineOutput } from './session-engine.js';
import type { SessionResult } from './session-result.js';

const rng = seededRandom('native-engine-spec');
const identities = [1, 2, 3].map(() => generateIdentitySigner(rng));
const pinned = new Map(identities.map((id, i) => [(i + 1) as PartyIndex, id.publicKey]));
const plan = compileSessionPlan(
  readCatalogueDirectory('protocols').find('revenue-per-boarding')!.analysis,
  {
    sessionId: 'native-engine-spec',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { route: ['R1', 'R2'] },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  },
);
const cells = 48;
const inputs = [
  new Map([['boardings', Array.from({ length: cells }, (_, i) => (i * 37) % 500)]]),
  new Map([['revenue', Array.from({ length: cells }, (_, i) => (i * 7919) % 100000)]]),
  new Map<string, number[]>(),
];
const noise = (k: number): number[][] =>
  [0, 1].map((o) => Array.from({ length: cells }, (_, i) => ((i + k + o) % 7) - 3));

function inProcess(i: number): InProcessParty {
  return {
    identity: identities[i],
    inputs: inputs[i],
    noise: noise(i).map((v) => v.map(BigInt)),
    rng: seededRandom(`party-${i}`),
  };
}

describe('the native engine sending within a window of unacknowledged envelopes', () => {
  it('seals a chunk only when the transport has room, taking in peers’ envelopes meanwhile', () => {
    const reference = runSessionInProcess(plan, [inProcess(0), inProcess(1), inProcess(2)], {
      chunkBytes: 64,
    });

    // One unacknowledged envelope per party: every multi-chunk round pauses after each chunk.
    const unacked = [new Set<string>(), new Set<string>(), new Set<string>()];
    const wire: OutboundEnvelope[] = [];
    const results = new Map<PartyIndex, SessionResult>();
    const parties: PartySession[] = [];
    let pauses = 0;
    const engines = [0, 1, 2].map(
      (i) =>
        new NativeSessionEngine(
          {
            self: (i + 1) as PartyIndex,
            plan,
            identity: identities[i],
            pinnedKeys: pinned,
            rng: seededRandom(`party-${i}`),
            chunkBytes: 64,
          },
          (o) => (parties[i] = new PartySession(o)),
        ),
    );
    const outputs: EngineOutput[] = engines.map((engine, i) => ({
      send: (e) => {
        expect(unacked[i].size).toBe(0);
        unacked[i].add(e.digest);
        wire.push(e);
      },
      hasRoom: () => {
        if (unacked[i].size > 0) pauses++;
        return unacked[i].size === 0;
      },
      finished: (r) => results.set(engine.self, r),
      failed: (e) => {
        throw e;
      },
    }));
    const acceptances = engines.map((e) => e.acceptance());
    for (const e of engines) e.receiveAcceptances(acceptances);
    const commitments = engines.map((e, i) => e.commitNoise(noise(i)));
    for (const e of engines) for (const c of commitments) e.receiveCommitment(c);

    engines.forEach((e, i) => e.begin(inputs[i], outputs[i]));
    // Transit's input round is many 64-byte chunks: one is sealed, the rest wait for room.
    expect(parties[0].sent).toHaveLength(1);

    // The relay delivers in order; each receiver acknowledges at once, as a node does, and the
    // sender goes on. Peers' envelopes thus reach a party while it is still sending a step: each
    // is taken in at once all the same (nothing waits in memory holding an envelope).
    for (let e = wire.shift(); e; e = wire.shift()) {
      const { from, to } = e.header;
      const taken = parties[to - 1].received.length;
      engines[to - 1].receiveEnvelope(e.bytes, outputs[to - 1]);
      expect(parties[to - 1].received).toHaveLength(taken + 1);
      unacked[from - 1].delete(e.digest);
      engines[from - 1].resume(outputs[from - 1]);
    }
    expect(pauses).toBeGreaterThan(20);
    expect([...results.values()].map((r) => r.digest)).toEqual(
      reference.results.map((r) => r.digest),
    );
    // The same envelopes as the synchronous run (their nonces may be drawn in another order).
    const slots = (sent: readonly { round: string; to: number; chunk: number }[]): string[] =>
      sent.map((r) => `${r.round}/${r.to}/${r.chunk}`).sort();
    expect(parties.map((p) => slots(p.sent))).toEqual(reference.sessions.map((s) => slots(s.sent)));
  });
});
