import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import {
  createScratchDatabase,
  dataSourceOptions,
  ProtocolVersionEntity,
  type ScratchDatabase,
  SessionEntity,
  TranscriptEntryEntity,
} from '#concord/persistence';
import { verifyChain } from '#concord/transcript';
import { TranscriptService } from './transcript.service.js';

describe('the transcript service', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let service: TranscriptService;
  const sessionId = '6f1c2a4e-1b2c-4d5e-8f90-123456789abc';

  beforeAll(async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: db.poolSize }));
    await ds.initialize();
    await ds.runMigrations();
    const version = await ds.getRepository(ProtocolVersionEntity).save({
      protocolId: 'p',
      version: '1.0.0',
      hash: 'a'.repeat(64),
      title: 't',
      definition: {},
    });
    await ds.getRepository(SessionEntity).insert({
      id: sessionId,
      protocolVersionId: version.id,
      state: 'running',
      parameters: {},
      plan: {},
      planHash: 'b'.repeat(64),
      budgetRho: '1/2',
      requestId: 'req-transcript-spec',
      requestedBy: 'test',
    });
    service = new TranscriptService(ds.getRepository(TranscriptEntryEntity));
    await ds.transaction((m) =>
      service.start(m, sessionId, { planHash: 'b'.repeat(64) } as never, new Date()),
    );
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('chains entries at once, writes them behind in order, and reads back an intact chain', async () => {
    const appended = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        service.append(sessionId, 'envelope', { round: 'input', chunk: i } as never),
      ),
    );
    expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const entries = await service.entries(sessionId);
    expect(entries).toHaveLength(201);
    expect(entries.slice(1).map((e) => (e.kind === 'envelope' ? e.body.chunk : -1))).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(verifyChain(sessionId, entries)).toBeUndefined();
    expect(entries.at(-1)!.hash).toBe(appended.at(-1)!.hash);
  });

  it('continues the chain of a session it did not start (after a restart)', async () => {
    const fresh = new TranscriptService(ds.getRepository(TranscriptEntryEntity));
    const entry = await fresh.append(sessionId, 'session.aborted', {
      code: 'internal-error',
    } as never);
    const entries = await fresh.entries(sessionId);
    expect(entry.seq).toBe(201);
    expect(verifyChain(sessionId, entries)).toBeUndefined();
  });
});
