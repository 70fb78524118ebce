import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import {
  createScratchDatabase,
  dataSourceOptions,
  LedgerEntryEntity,
  ProtocolVersionEntity,
  type ScratchDatabase,
  SessionEntity,
  TranscriptEntryEntity,
} from '#concord/persistence';
import {
  type AxisSelection,
  type CatalogueEntry,
  readCatalogueDirectory,
  selectAxisValues,
} from '#concord/protocol';
import type { AgenciesService } from '../agencies/agencies.service.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';
import type { NodeLogin, NodePresence } from '../gateway/node-presence.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import type { CreateReportDto } from './dto/create-report.dto.js';
import { SessionLeases } from './session-leases.js';
import { SessionsService } from './sessions.service.js';

// Request ids are idempotency keys scoped per analyst (SessionsService.create) against a real
// database: PGlite by default, PostgreSQL 15 when DATABASE_URL is set.

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;

describe('SessionsService.create: request ids per analyst', { timeout: 60_000 }, () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let sessions: SessionsService;
  let counter = 0;
  /** The nodes the presence stub reports (a test announces coverage through it). */
  const logins: NodeLogin[] = [];
  /** A request id no other test uses. */
  const freshId = (): string => `sessions-spec-${++counter}`;
  const dto = (requestId: string, extra: Partial<CreateReportDto> = {}): CreateReportDto => ({
    protocol: 'revenue-per-boarding',
    parameters: { serviceDate: '2026-03-10' },
    budget: '1/100',
    requestId,
    ...extra,
  });
  const isCode =
    (code: CoordinatorError['code']) =>
    (e: unknown): boolean =>
      e instanceof CoordinatorError && e.code === code;

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
    // The catalogue and the consortium as the services use them (files and boot stay out).
    const catalogue = {
      find: (id: string, v?: string): CatalogueEntry => {
        if (id !== entry.analysis.definition.id || (v && v !== entry.analysis.definition.version))
          throw new CoordinatorError('unknown-protocol', `no protocol ${id}`);
        return entry;
      },
      axisValues: (_e: CatalogueEntry, selection?: AxisSelection) =>
        selectAxisValues(entry.analysis.definition, { route: ['R1', 'R2'] }, selection),
      versionId: () => version.id,
    } as unknown as CatalogueService;
    const agencies = {
      partyMap: () => ({ transit: 1, payments: 2, planning: 3 }),
      byRole: (role: string) => {
        const party = { transit: 1, payments: 2, planning: 3 }[role];
        return party ? { id: `${role}-agency`, party } : undefined;
      },
    } as unknown as AgenciesService;
    const presence = { logins: () => logins } as unknown as NodePresence;
    const config = new CoordinatorConfig();
    config.LEDGER_CAP_RHO = '4';
    sessions = new SessionsService(
      ds,
      catalogue,
      agencies,
      new LedgerService(config, ds, new CoordinatorMetrics()),
      new TranscriptService(ds.getRepository(TranscriptEntryEntity)),
      new SessionLeases(ds, config),
      new CoordinatorMetrics(),
      presence,
    );
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const charges = (requestId: string) =>
    ds.manager.findBy(LedgerEntryEntity, { requestId, kind: 'charge' });

  it('refuses a date a node announced it lacks, naming the agency, and charges nothing', async () => {
    const login = (party: 1 | 2 | 3, agencyId: string, coverage: NodeLogin['coverage']) => ({
      party,
      agencyId,
      engine: 'native' as const,
      held: new Set<string>(),
      unsettled: new Set<string>(),
      coverage,
    });
    logins.push(
      login(1, 'transit-agency', {
        inputs: [
          {
            connector: 'apc-boardings-by-route-hour',
            kind: 'dated',
            dates: ['2026-03-09/2026-03-11'],
          },
        ],
      }),
      login(2, 'payments-agency', {
        inputs: [{ connector: 'fare-revenue-by-route-hour', kind: 'dated', dates: ['2026-03-10'] }],
      }),
    );
    try {
      const id = freshId();
      const before = await ds.manager.count(LedgerEntryEntity);
      const refusal = sessions.create(
        dto(id, { parameters: { serviceDate: '2026-03-11' } }),
        'alice',
      );
      await expect(refusal).rejects.toSatisfy(isCode('no-data-for-date'));
      await expect(refusal).rejects.toThrow(
        /payments-agency: revenue via fare-revenue-by-route-hour/,
      );
      await expect(refusal).rejects.not.toThrow(/transit-agency/);
      expect(await ds.manager.count(LedgerEntryEntity)).toBe(before);
      expect(await ds.manager.countBy(SessionEntity, { requestId: id })).toBe(0);
      // Not a date at all is the protocol's refusal, not a coverage one.
      await expect(
        sessions.create(dto(freshId(), { parameters: { serviceDate: '2026-02-30' } }), 'alice'),
      ).rejects.toMatchObject({ code: 'invalid-parameters' });
      // A date both hold is served.
      expect((await sessions.create(dto(freshId()), 'alice')).created).toBe(true);
    } finally {
      logins.length = 0;
    }
  });

  it('returns the existing session for the same request again, charged once', async () => {
    const id = freshId();
    const first = await sessions.create(dto(id), 'alice');
    expect(first.created).toBe(true);
    // The same budget written another way is the same request.
    const again = await sessions.create(dto(id, { budget: '0.01', version: '1.0.0' }), 'alice');
    expect(again).toMatchObject({ created: false, session: { id: first.session.id } });
    // Selecting every value of an axis is no selection: the same grid, the same request.
    const all = await sessions.create(dto(id, { axes: { route: ['R2', 'R1'] } }), 'alice');
    expect(all).toMatchObject({ created: false, session: { id: first.session.id } });
    expect(await charges(id)).toHaveLength(1);
  });

  it('answers the same id with another request by idempotency-conflict, never the old report', async () => {
    const id = freshId();
    await sessions.create(dto(id), 'alice');
    for (const other of [
      dto(id, { budget: '1/50' }),
      dto(id, { parameters: { serviceDate: '2026-03-11' } }),
      dto(id, { axes: { route: ['R1'] } }),
    ])
      await expect(sessions.create(other, 'alice')).rejects.toSatisfy(
        isCode('idempotency-conflict'),
      );
    expect(await charges(id)).toHaveLength(1);
  });

  it('lets two analysts use the same request id for their own requests', async () => {
    const id = freshId();
    const alice = await sessions.create(dto(id), 'alice');
    const bob = await sessions.create(dto(id, { budget: '1/50' }), 'bob');
    expect(bob.created).toBe(true);
    expect(bob.session.id).not.toBe(alice.session.id);
    const rows = await charges(id);
    expect(rows.map((r) => [r.analyst, r.rho]).sort()).toEqual([
      ['alice', '1/100'],
      ['bob', '1/50'],
    ]);
    // Each analyst's retry finds its own session.
    expect((await sessions.create(dto(id), 'alice')).session.id).toBe(alice.session.id);
    expect((await sessions.create(dto(id, { budget: '1/50' }), 'bob')).session.id).toBe(
      bob.session.id,
    );
  });

  it('creates one session for concurrent copies of one request', async () => {
    const id = freshId();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => sessions.create(dto(id), 'carol')),
    );
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.session.id)).size).toBe(1);
    expect(await charges(id)).toHaveLength(1);
  });

  it('stores the fingerprint, and refuses to repeat an id recorded before fingerprints', async () => {
    const id = freshId();
    const { session } = await sessions.create(dto(id), 'dave');
    const row = await ds.manager.findOneByOrFail(SessionEntity, { id: session.id });
    expect(row.requestFingerprint).toMatch(/^[0-9a-f]{64}$/);
    await ds.manager.update(SessionEntity, { id: session.id }, { requestFingerprint: null });
    await expect(sessions.create(dto(id), 'dave')).rejects.toSatisfy(
      isCode('idempotency-conflict'),
    );
  });
});
