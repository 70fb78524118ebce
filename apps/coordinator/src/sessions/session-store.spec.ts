import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import type { PersistOp } from '#concord/coordination';
import { fieldWithLimbs, fromBigInts, toBigInts, vectorToBytes } from '#concord/field';
import {
  createScratchDatabase,
  dataSourceOptions,
  LedgerEntryEntity,
  ProtocolVersionEntity,
  type ScratchDatabase,
  SessionEntity,
  TranscriptEntryEntity,
} from '#concord/persistence';
import { type CatalogueEntry, readCatalogueDirectory } from '#concord/protocol';
import { appendEntry, type TranscriptEntry } from '#concord/transcript';
import type { AgenciesService } from '../agencies/agencies.service.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';
import type { NodeLogin, NodePresence } from '../gateway/node-presence.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { StaleSessionError } from '../database/database-errors.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import { LeaseLostError, SessionLeases } from './session-leases.js';
import { SessionChanges } from './session-changes.js';
import { SessionStore } from './session-store.js';
import { SessionsService } from './sessions.service.js';

// The session store's transactions against a real database (PGlite by default, PostgreSQL 15 with
// DATABASE_URL): a step's writes land together or not at all, a transition is compare-and-set,
// and the ledger refuses a refund the transcript does not allow, whatever the caller says.

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;

describe('SessionStore', { timeout: 60_000 }, () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let sessions: SessionsService;
  let store: SessionStore;
  let leases: SessionLeases;
  let counter = 0;

  beforeAll(async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: db.poolSize }));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const version = await ds.getRepository(ProtocolVersionEntity).save({
      protocolId: entry.analysis.definition.id,
      version: entry.analysis.definition.version,
      hash: entry.hash,
      title: entry.analysis.definition.title,
      definition: {},
    });
    const catalogue = {
      find: (): CatalogueEntry => entry,
      axisValues: () => ({ route: ['R1'] }),
      versionId: () => version.id,
    } as unknown as CatalogueService;
    const agencies = {
      partyMap: () => ({ transit: 1, payments: 2, planning: 3 }),
      byRole: (role: string) => {
        const party = { transit: 1, payments: 2, planning: 3 }[role];
        return party ? { id: `${role}-agency`, party } : undefined;
      },
    } as unknown as AgenciesService;
    const logins: NodeLogin[] = [];
    const presence = { logins: () => logins } as unknown as NodePresence;
    const config = new CoordinatorConfig();
    config.MAX_RUNNING_SESSIONS = 1_000;
    config.REPLICA_ID = 'replica-a';
    leases = new SessionLeases(ds, config);
    const ledger = new LedgerService(config, ds, new CoordinatorMetrics());
    sessions = new SessionsService(
      ds,
      catalogue,
      agencies,
      ledger,
      new TranscriptService(ds.getRepository(TranscriptEntryEntity)),
      leases,
      new CoordinatorMetrics(),
      presence,
    );
    store = new SessionStore(ds, ledger, leases, new CoordinatorMetrics(), new SessionChanges());
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** A new session (row, charge, genesis entry) and its stored record. */
  async function fresh() {
    const { session } = await sessions.create(
      {
        protocol: 'revenue-per-boarding',
        parameters: { serviceDate: '2026-03-10' },
        budget: '1/100',
        requestId: `store-spec-${++counter}`,
      },
      'analyst',
    );
    await leases.heartbeat(true);
    const loaded = (await store.load(session.id))!;
    return { id: session.id, entries: [...loaded.stored.entries] };
  }

  /** The next entry of the chain (a body of the given kind; the store does not read bodies). */
  function next(
    id: string,
    entries: TranscriptEntry[],
    kind: 'noise.committed' | 'party.accepted',
  ) {
    const body =
      kind === 'noise.committed'
        ? { party: (entries.length % 3) + 1, commitments: {} }
        : { party: 1, agency: 'a', sessionKey: 'k', signature: 's' };
    const e = appendEntry(id, entries.at(-1), kind, body as never, new Date()) as TranscriptEntry;
    entries.push(e);
    return { op: 'append', entry: e } as const;
  }

  it('writes a step’s entries and its transition together, and the transition is compare-and-set', async () => {
    const { id, entries } = await fresh();
    await store.persist(id, [
      next(id, entries, 'party.accepted'),
      { op: 'transition', from: 'created', to: 'inviting' },
    ]);
    expect((await store.load(id))!.stored.rowState).toBe('inviting');

    // A second writer that still believes the row is `created` fails, and nothing of its step lands.
    const stale: PersistOp[] = [
      next(id, entries, 'party.accepted'),
      { op: 'transition', from: 'created', to: 'aborted' },
    ];
    await expect(store.persist(id, stale)).rejects.toBeInstanceOf(StaleSessionError);
    const after = (await store.load(id))!.stored;
    expect(after.rowState).toBe('inviting');
    expect(after.entries).toHaveLength(2);
  });

  it('refunds only while the data phase has not begun, and never half-writes a refused refund', async () => {
    const before = await fresh();
    await store.persist(before.id, [{ op: 'refund' }]);
    const refunds = await ds
      .getRepository(LedgerEntryEntity)
      .findBy({ sessionId: before.id, kind: 'refund' });
    expect(refunds).toHaveLength(1);

    const after = await fresh();
    const commitments = [1, 2, 3].map(() => next(after.id, after.entries, 'noise.committed'));
    await store.persist(after.id, commitments);
    // Three commitments are in: the data phase began, the ledger refuses, the step is undone.
    const attempt: PersistOp[] = [
      next(after.id, after.entries, 'party.accepted'),
      { op: 'refund' },
      { op: 'transition', from: 'created', to: 'aborted' },
    ];
    await expect(store.persist(after.id, attempt)).rejects.toSatisfy(
      (e) => e instanceof CoordinatorError && e.code === 'conflict',
    );
    const stored = (await store.load(after.id))!.stored;
    expect(stored.rowState).toBe('created');
    expect(stored.entries).toHaveLength(4);
    expect(
      await ds.getRepository(LedgerEntryEntity).findBy({ sessionId: after.id, kind: 'refund' }),
    ).toEqual([]);
  });

  it('fences every write with the lease: a replica that lost a session writes nothing', async () => {
    const { id, entries } = await fresh();
    expect((await store.load(id))!.owner).toBe('replica-a');
    // Replica b finds the lease lapsed (as if replica a had stalled past it) and claims it.
    await ds.query(`UPDATE sessions SET lease_until = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    const written = entries.length;
    const b = new SessionLeases(ds, Object.assign(new CoordinatorConfig(), { REPLICA_ID: 'b' }));
    expect((await b.heartbeat(true)).owned).toContain(id);
    await expect(store.persist(id, [next(id, entries, 'party.accepted')])).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect((await store.load(id))!.stored.entries).toHaveLength(written);
    // Replica a's own heartbeat no longer lists it, and does not take it back while b renews.
    expect((await leases.heartbeat(true)).owned).not.toContain(id);
    expect((await store.load(id))!.owner).toBe('b');
  });

  it('reads a stored release back byte for byte, limbs and decimals', async () => {
    const { id, entries } = await fresh();
    // Two limbs a value, 5,000 values: 40 kB, which PostgreSQL's base64 wraps over 500 lines;
    // the edges of the field and negative values (p − k) among them.
    const field = fieldWithLimbs(2);
    const values = Array.from({ length: 5_000 }, (_, i) =>
      i % 3 === 0 ? -BigInt(i) : BigInt(i) * 7_919n ** 3n,
    );
    values[1] = field.maxMagnitude;
    values[2] = -field.maxMagnitude;
    const vector = fromBigInts(field, values);
    await store.persist(id, [
      next(id, entries, 'party.accepted'),
      {
        op: 'release',
        outputs: [
          {
            name: 'boardings',
            unit: 'boardings',
            values: vector,
            cells: values.length,
            intervalHalfWidth: 12n,
            confidenceLevel: '0.95',
            noise: { mechanism: 'test' },
          },
        ],
      },
    ]);
    const [stored] = await sessions.storedRelease(id);
    expect(Buffer.from(stored.limbs!.bytes)).toEqual(Buffer.from(vectorToBytes(vector)));
    const [released] = await sessions.results(id);
    expect(released.values).toEqual(toBigInts(vector).map(String));
    expect(released.values[3]).toBe('-3');
  });

  it('renews the lease and arms the idle-transaction timeout in the same statement', async () => {
    const { id } = await fresh();
    await ds.query(`UPDATE sessions SET lease_until = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    const seen = await ds.transaction(async (m) => {
      const [{ before }] = await m.query<{ before: string }[]>(
        `SELECT current_setting('idle_in_transaction_session_timeout') AS before`,
      );
      await leases.fence(m, id);
      const [{ after, renewed }] = await m.query<{ after: string; renewed: boolean }[]>(
        `SELECT current_setting('idle_in_transaction_session_timeout') AS after,
           lease_until > now() AS renewed FROM sessions WHERE id = $1`,
        [id],
      );
      return { before, after, renewed };
    });
    // A replica frozen inside this transaction would be cut off after 5 s idle, not hold the row.
    expect(seen).toEqual({ before: '0', after: '5s', renewed: true });
    // Only for that transaction (it is SET LOCAL): the pooled connection goes back unchanged.
    const [{ now }] = await ds.query<{ now: string }[]>(
      `SELECT current_setting('idle_in_transaction_session_timeout') AS now`,
    );
    expect(now).toBe('0');
  });

  it('admits from a fair queue up to the bound, and says where each waiting session stands', async () => {
    // Nothing else runs: earlier tests' sessions are over.
    await ds.query(
      `UPDATE sessions SET state = 'aborted' WHERE state IN ('created', 'inviting', 'running', 'sealing')`,
    );
    const config = Object.assign(new CoordinatorConfig(), {
      REPLICA_ID: 'replica-q',
      MAX_RUNNING_SESSIONS: 2,
      MAX_QUEUED_SESSIONS: 1,
    });
    const q = new SessionLeases(ds, config);
    const request = async (analyst: string) =>
      (
        await sessions.create(
          {
            protocol: 'revenue-per-boarding',
            parameters: { serviceDate: '2026-03-10' },
            budget: '1/100',
            requestId: `queue-${++counter}`,
          },
          analyst,
        )
      ).session.id;
    const [a1, a2, a3] = [await request('alice'), await request('alice'), await request('alice')];
    const b1 = await request('bob');
    // Round-robin across analysts: bob's first request comes before alice's second.
    expect(await Promise.all([a1, b1, a2, a3].map((id) => q.queuePosition(id)))).toEqual([
      1, 2, 3, 4,
    ]);
    const first = await q.heartbeat(true);
    expect(first.owned).toEqual([a1, b1]);
    expect(first.admitted.map((a) => a.id).sort()).toEqual([a1, b1].sort());
    expect(first.admitted.every((a) => a.waitedSeconds > 0)).toBe(true);
    expect(await q.heartbeat(true)).toEqual({ owned: [a1, b1], admitted: [] });
    expect(await q.queuePosition(a1)).toBeNull();
    expect(await q.queuePosition(a3)).toBe(2);
    // A full queue refuses before anything is created or charged.
    await expect(q.assertQueueOpen()).rejects.toSatisfy(
      (e) => e instanceof CoordinatorError && e.code === 'unavailable',
    );
    // A session ends: the next one in the queue is admitted; a draining replica admits none.
    await ds.query(`UPDATE sessions SET state = 'completed' WHERE id = $1`, [a1]);
    expect((await q.heartbeat(false)).owned).toEqual([b1]);
    expect((await q.heartbeat(true)).owned).toEqual([b1, a2]);
    const admitted = await ds.getRepository(SessionEntity).findOneByOrFail({ id: a2 });
    expect(admitted.admittedAt).toBeInstanceOf(Date);
    expect(admitted.leaseUntil!.getTime()).toBeGreaterThan(admitted.admittedAt!.getTime());
  });
});
