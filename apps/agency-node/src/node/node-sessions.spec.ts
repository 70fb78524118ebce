import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FromNode, parseEnvelopeRoute, ToNode } from '#concord/wire';
import { ConnectorCoverage } from '../connectors/connector-coverage.js';
import { CONNECTORS } from '../connectors/connectors.js';
import { NodeWorld } from './node-world.spec-support.js';
import { readPlanInputs } from './plan-inputs.js';

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

  it('hold at most their window of unacknowledged envelopes, sealing the next as each is acknowledged', async () => {
    // A window of one byte: one envelope at a time per node, in rounds of many 64-byte chunks.
    const world = new NodeWorld('window', { chunkBytes: 64, sendWindowBytes: 1 });
    const held = new Map<number, Set<string>>([1, 2, 3].map((p) => [p, new Set()]));
    const slot = (m: unknown): string => {
      const { round, from, to, chunk } = m as Record<string, unknown>;
      return `${String(round)}/${String(from)}/${String(to)}/${String(chunk)}`;
    };
    let most = 0;
    let sent = 0;
    const toCore = world.toCore.push.bind(world.toCore);
    world.toCore.push = (...items) => {
      for (const m of items) {
        if (m.event !== FromNode.sessionEnvelope) continue;
        const mine = held.get(m.from)!;
        mine.add(slot(parseEnvelopeRoute(m.payload)));
        most = Math.max(most, mine.size);
        sent++;
      }
      return toCore(...items);
    };
    const toNodes = world.toNodes.push.bind(world.toNodes);
    world.toNodes.push = (...items) => {
      for (const n of items)
        if (n.event === ToNode.sessionEnvelopeAck) held.get(n.party)!.delete(slot(n.payload));
      return toNodes(...items);
    };
    world.connectAll();
    await world.run();
    expect(world.core.view.phase).toBe('completed');
    expect(sent).toBeGreaterThan(30);
    expect(most).toBe(1);
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

  it('a node whose data has no rows for the date declines with no-data-for-date before sending anything, and the coordinator refunds', async () => {
    // Payments' real fare connector over a file holding 2026-03-09 only; the session asks for
    // 2026-03-10 (the node-world plan's date).
    const dir = mkdtempSync(join(tmpdir(), 'concord-no-data-'));
    const fareTransactions = join(dir, 'fare_transactions.csv');
    writeFileSync(
      fareTransactions,
      'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount\n' +
        't1,20260309,2026-03-09T08:00:00,tok1,tap-on,R1,2.50\n',
    );
    const data = { 'fare-revenue-by-route-hour': { fareTransactions } };
    const world = new NodeWorld('no-data-for-date', {
      readInputs: {
        2: (plan) =>
          readPlanInputs(plan, 2, {
            connectors: CONNECTORS,
            data,
            coverage: new ConnectorCoverage(data, { now: () => 0, databaseEveryMs: 0 }),
            logger: pino({ level: 'silent' }),
          }),
      },
    });
    const fromPayments: string[] = [];
    const original = world.toCore.push.bind(world.toCore);
    world.toCore.push = (...items) => {
      for (const m of items) if (m.from === 2) fromPayments.push(m.event);
      return original(...items);
    };
    world.connectAll();
    // The real connector reads a file: deliver until payments has answered.
    for (let i = 0; i < 200 && fromPayments.length === 0; i++) {
      await world.run();
      await new Promise((r) => setTimeout(r, 5));
    }
    await world.run();
    world.tickAfter(5_000); // the other parties' grace period to say why too
    await world.run();
    expect(world.core.view.phase).toBe('aborted');
    const declined = world.core.view.entries.filter((e) => e.kind === 'party.aborted');
    expect(declined.map((e) => e.body)).toMatchObject([{ party: 2, code: 'no-data-for-date' }]);
    expect(JSON.stringify(declined[0].body)).toContain('2026-03-10');
    // Payments sent its decline and nothing else: no acceptance, no commitment, no envelope.
    expect(fromPayments).toEqual([FromNode.sessionDecline]);
    expect(world.ledgers[1].session(world.sessionId)).toBeUndefined();
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('0');
    }
    expect(world.refunds).toEqual([1]);
  });

  it('a node whose own key lapsed before its engine was made declines with key-not-valid, uncharged, and the coordinator refunds', async () => {
    const world = new NodeWorld('key-lapsed', { keyLapsed: [3] });
    world.connectAll();
    await world.run();
    world.tickAfter(5_000);
    await world.run();
    expect(world.core.view.phase).toBe('aborted');
    const declined = world.core.view.entries.filter((e) => e.kind === 'party.aborted');
    expect(declined.map((e) => e.body)).toMatchObject([{ party: 3, code: 'key-not-valid' }]);
    expect(world.ledgers[2].session(world.sessionId)).toBeUndefined();
    for (const p of [1, 2, 3] as const) {
      expect(world.ledgers[p - 1].unsettled()).toEqual([]);
      expect(spent(world, p)).toBe('0');
    }
  });
});
