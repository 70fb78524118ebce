import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { cdpEpsilon } from '#concord/accounting';
import { Rational } from '#concord/dp';
import {
  createScratchDatabase,
  dataSourceOptions,
  LedgerEntryEntity,
  ProtocolVersionEntity,
  type ScratchDatabase,
  SessionEntity,
  TranscriptEntryEntity,
} from '#concord/persistence';
import { CoordinatorError } from '../common/coordinator-error.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { type Charge, LEDGER_DELTA, LedgerService } from './ledger.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';

// The coordinator's ledger against a real database: PGlite in memory by default (one pooled
// connection), the real PostgreSQL 15 when DATABASE_URL is set (a pool of 20, so concurrent
// transactions really contend for the bucket's advisory lock). docs/privacy.md: T14
// (concurrency), T15 (idempotency), T18 (refund rule, coordinator side), plus quotas and balances.

const REAL_POSTGRES = Boolean(process.env.DATABASE_URL);
// CI runs on PostgreSQL (20 repeats, the CI size of T14). The embedded PGlite takes one
// connection, so its transactions are serialised by the pool and never contend for the lock:
// three repeats cover the logic there at a fraction of the time (~12 ms per transaction).
const T14_REPEATS = process.env.CONCORD_STATISTICAL_SUITE === 'full' ? 100 : REAL_POSTGRES ? 20 : 3;

function config(cap: string, quota?: string): CoordinatorConfig {
  const c = new CoordinatorConfig();
  c.LEDGER_CAP_RHO = cap;
  if (quota !== undefined) c.LEDGER_ANALYST_QUOTA_RHO = quota;
  return c;
}

function isCode(code: CoordinatorError['code']): (e: unknown) => boolean {
  return (e) => e instanceof CoordinatorError && e.code === code;
}

describe('LedgerService (coordinator privacy ledger)', { timeout: 60_000 }, () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let bucketCounter = 0;
  /** A bucket no other test touches. */
  const freshWindow = (): string => `2026-01-01#${++bucketCounter}`;
  const charge = (window: string, rho: string, extra: Partial<Charge> = {}): Charge => ({
    requestId: randomUUID(),
    sessionId: randomUUID(),
    scope: 'fares-and-ridership',
    window,
    analyst: 'analyst-a',
    rho: Rational.parse(rho),
    xi: Rational.ZERO,
    ...extra,
  });

  beforeAll(async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: REAL_POSTGRES ? 20 : db.poolSize }));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  describe('configuration', () => {
    it('reads the cap and the optional analyst quota exactly, and refuses a quota above the cap', () => {
      const plain = new LedgerService(config('4'), ds, new CoordinatorMetrics());
      expect(plain.cap.equals(Rational.of(4))).toBe(true);
      expect(plain.quota).toBeUndefined();
      expect(
        new LedgerService(config('4', '1/3'), ds, new CoordinatorMetrics()).quota?.toString(),
      ).toBe('1/3');
      expect(() => new LedgerService(config('1', '2'), ds, new CoordinatorMetrics())).toThrow(
        /LEDGER_ANALYST_QUOTA_RHO/,
      );
    });
  });

  describe('charges', () => {
    it('are exact rationals: three charges of 1/3 fill a cap of 1 exactly, nothing more fits', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      for (let i = 0; i < 3; i++)
        await ds.transaction((m) => ledger.charge(m, charge(window, '1/3')));
      expect((await ledger.spent(ds.manager, 'fares-and-ridership', window)).rho.toString()).toBe(
        '1',
      );
      await expect(
        ds.transaction((m) => ledger.charge(m, charge(window, '1/1000000'))),
      ).rejects.toSatisfy(isCode('budget-exhausted'));
      // A float ledger would hold 0.9999999999999999 here and let the last charge in.
      expect(1 / 3 + 1 / 3 + 1 / 3 + 1e-6 > 1).toBe(true);
    });

    it('refuse non-positive amounts', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      await expect(
        ds.transaction((m) => ledger.charge(m, charge(freshWindow(), '0'))),
      ).rejects.toSatisfy(isCode('invalid-request'));
    });

    it('keep per-analyst quotas inside the bucket cap, which binds all analysts together', async () => {
      const ledger = new LedgerService(config('1', '1/2'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const as = (analyst: string, rho: string) =>
        ds.transaction((m) => ledger.charge(m, charge(window, rho, { analyst })));
      await as('alice', '1/4');
      await as('alice', '1/4');
      await expect(as('alice', '1/100')).rejects.toThrow(/alice's quota 1\/2/);
      await as('bob', '1/2');
      // Carol has spent nothing, but the bucket (the guarantee to riders) is full.
      await expect(as('carol', '1/100')).rejects.toThrow(/exceed the cap 1 /);
      expect((await ledger.totals('fares-and-ridership', window, 'carol')).own.remaining).toEqual(
        Rational.ZERO,
      );
    });
  });

  describe('ξ', () => {
    it('is recorded with each charge, added up, refunded with it, bound into idempotency and shown in ε', async () => {
      const ledger = new LedgerService(config('4'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const xi = Rational.parse('1/1000');
      const first = charge(window, '1/2', { xi });
      await ds.transaction((m) => ledger.charge(m, first));
      await ds.transaction((m) => ledger.charge(m, charge(window, '1/2', { xi })));
      const spent = await ledger.spent(ds.manager, 'fares-and-ridership', window);
      expect([spent.rho.toString(), spent.xi.toString()]).toEqual(['1', '1/500']);
      // The same request id with another ξ is another charge, not a retry.
      await expect(
        ds.transaction((m) => ledger.charge(m, { ...first, xi: Rational.ZERO })),
      ).rejects.toSatisfy(isCode('idempotency-conflict'));

      const balance = await ledger.balance('fares-and-ridership', window);
      expect(balance.spent.xi).toBe('1/500');
      const withoutXi = await ledger.balance('fares-and-ridership', freshWindow());
      expect(withoutXi.spent.xi).toBe('0');
      // ε of (ξ, ρ)-zCDP is ε(ρ) + ξ: ρ = 1 alone gives ε ≈ 8.44 at δ = 1e-9.
      expect(balance.spent.epsilon).toBeGreaterThanOrEqual(8.44 + 0.002);

      await ds.transaction((m) => ledger.refund(m, { sessionId: first.sessionId }));
      const after = await ledger.spent(ds.manager, 'fares-and-ridership', window);
      expect([after.rho.toString(), after.xi.toString()]).toEqual(['1/2', '1/1000']);
    });

    it('refuses a negative ξ', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      await expect(
        ds.transaction((m) =>
          ledger.charge(m, charge(freshWindow(), '1/10', { xi: Rational.parse('-1/10') })),
        ),
      ).rejects.toSatisfy(isCode('invalid-request'));
    });
  });

  describe('balance', () => {
    it('reports spent, cap and remaining exactly and as ε at δ = 1e-9, rounded against the analyst', async () => {
      const ledger = new LedgerService(config('4', '1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      await ds.transaction((m) => ledger.charge(m, charge(window, '1/10', { analyst: 'alice' })));
      await ds.transaction((m) => ledger.charge(m, charge(window, '3/10', { analyst: 'bob' })));

      const bucket = await ledger.balance('fares-and-ridership', window);
      expect(bucket.analyst).toBeNull();
      expect(bucket.delta).toBe(LEDGER_DELTA);
      expect([bucket.spent.rho, bucket.cap.rho, bucket.remaining.rho]).toEqual([
        '2/5',
        '4',
        '18/5',
      ]);
      expect(bucket.bucket).toBeNull();
      // Spent and cap: ε rounded up (never understates the privacy loss).
      expect(bucket.spent.epsilon).toBe(cdpEpsilon(Rational.parse('2/5'), 1e-9));
      expect(Number(bucket.spent.epsilonText)).toBeGreaterThanOrEqual(bucket.spent.epsilon);
      expect(bucket.cap.epsilon).toBe(cdpEpsilon(4, 1e-9));
      // Remaining: ε rounded down (never overstates what is left).
      const exactRemaining = cdpEpsilon(Rational.parse('18/5'), 1e-9);
      expect(bucket.remaining.epsilon).toBeLessThan(exactRemaining);
      expect(bucket.remaining.epsilon).toBeGreaterThan(exactRemaining * (1 - 1e-8));
      expect(Number(bucket.remaining.epsilonText)).toBeLessThanOrEqual(bucket.remaining.epsilon);
      expect((await ledger.balance('fares-and-ridership', freshWindow())).spent.epsilon).toBe(0);
      // Known value (docs/privacy.md, 'Accounting'): rho = 1/2 gives epsilon 6.474 at delta 1e-9.
      const half = freshWindow();
      await ds.transaction((m) => ledger.charge(m, charge(half, '1/2')));
      const halfSpent = (await ledger.balance('fares-and-ridership', half)).spent;
      expect(halfSpent.epsilon).toBeCloseTo(6.474, 3);

      const alice = await ledger.balance('fares-and-ridership', window, 'alice');
      expect(alice.analyst).toBe('alice');
      expect([alice.spent.rho, alice.cap.rho, alice.remaining.rho]).toEqual(['1/10', '1', '9/10']);
      expect(alice.bucket?.spent.rho).toBe('2/5');
    });

    it('limits an analyst’s remaining budget by the bucket’s', async () => {
      const ledger = new LedgerService(config('1', '3/4'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      await ds.transaction((m) => ledger.charge(m, charge(window, '3/4', { analyst: 'bob' })));
      const alice = await ledger.balance('fares-and-ridership', window, 'alice');
      expect([alice.spent.rho, alice.cap.rho, alice.remaining.rho]).toEqual(['0', '3/4', '1/4']);
      expect(alice.remaining.epsilonText).not.toBe('');
    });
  });

  describe('T14 concurrency: 200 concurrent charges of ρ = 1/100 against cap 1', () => {
    it(`lets exactly 100 through, ${T14_REPEATS} times over fresh buckets, never overspending`, async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      for (let repeat = 0; repeat < T14_REPEATS; repeat++) {
        const window = freshWindow();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 200 }, () =>
            ds.transaction((m) => ledger.charge(m, charge(window, '1/100'))),
          ),
        );
        const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
        const refused = outcomes.filter(
          (o) => o.status === 'rejected' && isCode('budget-exhausted')(o.reason),
        ).length;
        expect({ repeat, ok, refused }).toEqual({ repeat, ok: 100, refused: 100 });
        const spent = await ledger.spent(ds.manager, 'fares-and-ridership', window);
        expect(spent.rho.toString()).toBe('1');
        expect(await ds.manager.countBy(LedgerEntryEntity, { window })).toBe(100);
      }
    }, 240_000);
  });

  describe('spans of days (weekly protocols)', () => {
    let weekCounter = 0;
    /** The seven days of a week no other test touches, and the span that covers them. */
    const freshWeek = (): { days: string[]; span: string } => {
      const first = Date.UTC(2100, 0, 1) + 40 * 86_400_000 * ++weekCounter;
      const days = Array.from({ length: 7 }, (_, i) =>
        new Date(first + i * 86_400_000).toISOString().slice(0, 10),
      );
      return { days, span: `${days[0]}..${days[6]}` };
    };
    const dayAfter = (day: string): string =>
      new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

    it('charge a week to each of its days, refuse what one day cannot take, and refund every day', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const { days, span } = freshWeek();
      const scope = 'fares-and-ridership';
      await ds.transaction((m) => ledger.charge(m, charge(days[3], '1/2')));
      const week = charge(span, '1/2');
      await ds.transaction((m) => ledger.charge(m, week));
      for (const day of days)
        expect((await ledger.spent(ds.manager, scope, day)).rho.toString()).toBe(
          day === days[3] ? '1' : '1/2',
        );
      expect((await ledger.spent(ds.manager, scope, dayAfter(days[6]))).rho.toString()).toBe('0');
      // Day 3 is full: neither a day charge on it nor another week through it fits.
      await expect(
        ds.transaction((m) => ledger.charge(m, charge(days[3], '1/100'))),
      ).rejects.toSatisfy(isCode('budget-exhausted'));
      await expect(
        ds.transaction((m) => ledger.charge(m, charge(span, '1/100'))),
      ).rejects.toSatisfy(isCode('budget-exhausted'));
      // The next day outside the week, and a retry of the week's own request, go through.
      await ds.transaction((m) => ledger.charge(m, charge(dayAfter(days[6]), '1')));
      expect(await ds.transaction((m) => ledger.charge(m, week))).toBe('already-charged');
      // Refunded before its data phase, the week gives back every day.
      const refund = await ds.transaction((m) => ledger.refund(m, { sessionId: week.sessionId }));
      expect(refund.refund).toBe(true);
      for (const day of days)
        expect((await ledger.spent(ds.manager, scope, day)).rho.toString()).toBe(
          day === days[3] ? '1/2' : '0',
        );
    });

    it('never overspend a day when weeks and days race for it, and refuse only what did not fit', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const scope = 'fares-and-ridership';
      for (let repeat = 0; repeat < T14_REPEATS; repeat++) {
        const { days } = freshWeek();
        // Weeks shifted by 0..3 days and single days, 1/10 each, all at once.
        const spans = [0, 1, 2, 3].map((shift) => {
          const first = new Date(Date.parse(days[0]) + shift * 86_400_000);
          const last = new Date(first.getTime() + 6 * 86_400_000);
          return `${first.toISOString().slice(0, 10)}..${last.toISOString().slice(0, 10)}`;
        });
        const windows = Array.from({ length: 60 }, (_, i) =>
          i % 3 === 0 ? days[i % 7] : spans[i % 4],
        );
        const outcomes = await Promise.allSettled(
          windows.map((window) => ds.transaction((m) => ledger.charge(m, charge(window, '1/10')))),
        );
        for (const o of outcomes)
          if (o.status === 'rejected') expect(o.reason).toSatisfy(isCode('budget-exhausted'));
        const spent = new Map<string, string>();
        for (let d = 0; d < 10; d++) {
          const day = new Date(Date.parse(days[0]) + d * 86_400_000).toISOString().slice(0, 10);
          const rho = (await ledger.spent(ds.manager, scope, day)).rho;
          expect(rho.gt(Rational.ONE)).toBe(false);
          spent.set(day, rho.toString());
        }
        // Every refusal had a full day in its window (spending only grows, so it still is).
        outcomes.forEach((o, i) => {
          if (o.status === 'fulfilled') return;
          const window = windows[i];
          const covered = window.includes('..')
            ? [...spent.keys()].filter((d) => d >= window.slice(0, 10) && d <= window.slice(12))
            : [window];
          expect(covered.some((d) => spent.get(d) === '1')).toBe(true);
        });
      }
    }, 240_000);
  });

  describe('T15 idempotency by request id', () => {
    it('charges a request retried 10 times once, sequentially and concurrently', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/10');
      const first = await ds.transaction((m) => ledger.charge(m, c));
      expect(first).toBe('charged');
      for (let i = 0; i < 10; i++)
        expect(await ds.transaction((m) => ledger.charge(m, c))).toBe('already-charged');
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, () => ds.transaction((m) => ledger.charge(m, c))),
      );
      expect(concurrent).toEqual(new Array<string>(10).fill('already-charged'));
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/10');
      expect(await ds.manager.countBy(LedgerEntryEntity, { requestId: c.requestId })).toBe(1);
    });

    it('charges once across a crash between charge and open (a new process retries)', async () => {
      const window = freshWindow();
      const c = charge(window, '1/10');
      // Process 1 charges (its transaction commits), then dies before any opening.
      if (!REAL_POSTGRES) {
        // The embedded server takes one client: the crashed process's pool is the test's.
        await ds.transaction((m) =>
          new LedgerService(config('1'), ds, new CoordinatorMetrics()).charge(m, c),
        );
      } else {
        const crashed = new DataSource(dataSourceOptions(db.url, { poolSize: 1 }));
        await crashed.initialize();
        await crashed.transaction((m) =>
          new LedgerService(config('1'), crashed, new CoordinatorMetrics()).charge(m, c),
        );
        await crashed.destroy();
      }
      // Process 2 (a fresh service) sees the client's 10 retries of the same request.
      const restarted = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const retries = await Promise.all(
        Array.from({ length: 10 }, () => ds.transaction((m) => restarted.charge(m, c))),
      );
      expect(retries.filter((r) => r !== 'already-charged')).toEqual([]);
      expect((await restarted.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/10');
      // The restarted coordinator aborts the unfinished session and, its data phase never having
      // started, refunds it; a later retry with the same id is a conflict, never a second free run.
      expect(await ds.transaction((m) => restarted.refund(m, { sessionId: c.sessionId }))).toEqual({
        refund: true,
        code: 'refunded',
      });
      await expect(ds.transaction((m) => restarted.charge(m, c))).rejects.toSatisfy(
        isCode('idempotency-conflict'),
      );
      expect((await restarted.spent(ds.manager, c.scope, window)).rho.toString()).toBe('0');
    });

    it('refuses the same request id of the same analyst for another amount or bucket', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/10');
      await ds.transaction((m) => ledger.charge(m, c));
      for (const changed of [
        { ...c, rho: Rational.parse('1/5') },
        { ...c, xi: Rational.parse('1/1000') },
        { ...c, window: freshWindow() },
        { ...c, scope: 'another-scope' },
      ]) {
        await expect(ds.transaction((m) => ledger.charge(m, changed))).rejects.toSatisfy(
          isCode('idempotency-conflict'),
        );
      }
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/10');
    });

    it('scopes request ids per analyst: another analyst’s same id is another charge', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/10', { analyst: 'alice' });
      const fromBob = { ...c, analyst: 'bob', sessionId: randomUUID(), rho: Rational.parse('1/5') };
      expect(await ds.transaction((m) => ledger.charge(m, c))).toBe('charged');
      expect(await ds.transaction((m) => ledger.charge(m, fromBob))).toBe('charged');
      expect(await ds.transaction((m) => ledger.charge(m, fromBob))).toBe('already-charged');
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('3/10');
      // Refunding bob's session leaves alice's charge under the same request id alone.
      await ds.transaction((m) => ledger.refund(m, { sessionId: fromBob.sessionId }));
      expect(await ds.transaction((m) => ledger.charge(m, c))).toBe('already-charged');
      await expect(ds.transaction((m) => ledger.charge(m, fromBob))).rejects.toSatisfy(
        isCode('idempotency-conflict'),
      );
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/10');
    });

    it('refuses the same key charged concurrently for two buckets (one wins, one conflicts)', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const c = charge(freshWindow(), '1/10');
      const outcomes = await Promise.allSettled([
        ds.transaction((m) => ledger.charge(m, c)),
        ds.transaction((m) => ledger.charge(m, { ...c, window: freshWindow() })),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect(refused?.reason).toSatisfy(isCode('idempotency-conflict'));
    });
  });

  describe('T18 refunds: only before the data phase', () => {
    let protocolVersionId: string;

    beforeAll(async () => {
      protocolVersionId = randomUUID();
      await ds.manager.insert(ProtocolVersionEntity, {
        id: protocolVersionId,
        protocolId: 'ledger-spec',
        version: '1.0.0',
        hash: 'a'.repeat(64),
        title: 'Ledger spec',
        definition: {},
      });
    });

    /** A session row and a transcript of the given entry kinds after `session.created`. */
    async function sessionWith(c: Charge, kinds: readonly string[]): Promise<void> {
      await ds.manager.insert(SessionEntity, {
        id: c.sessionId,
        protocolVersionId,
        state: 'running',
        parameters: {},
        plan: {},
        planHash: 'b'.repeat(64),
        budgetRho: c.rho.toString(),
        requestId: c.requestId,
        requestedBy: c.analyst,
      });
      await ds.manager.insert(
        TranscriptEntryEntity,
        ['session.created', ...kinds].map((kind, seq) => ({
          sessionId: c.sessionId,
          seq,
          kind,
          at: new Date(0).toISOString(),
          body: kind === 'envelope' ? { round: 'open', from: 1, to: 2, chunk: 0 } : {},
          prevHash: '0'.repeat(64),
          hash: String(seq).padStart(64, '0'),
        })),
      );
    }

    const ACCEPTED = ['party.accepted', 'party.accepted', 'party.accepted'];
    const COMMITTED = ['noise.committed', 'noise.committed', 'noise.committed'];

    it('refunds a session aborted before its data phase (two commitments of three), once', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/4');
      await ds.transaction((m) => ledger.charge(m, c));
      await sessionWith(c, [...ACCEPTED, ...COMMITTED.slice(0, 2), 'session.aborted']);
      const refund = () => ds.transaction((m) => ledger.refund(m, { sessionId: c.sessionId }));
      expect(await refund()).toEqual({ refund: true, code: 'refunded' });
      expect(await refund()).toEqual({ refund: false, code: 'already-refunded' });
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('0');
      expect(await ds.transaction((m) => ledger.refund(m, { sessionId: randomUUID() }))).toEqual({
        refund: false,
        code: 'not-charged',
      });
    });

    it('never refunds once the third commitment is recorded, though nothing was opened', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/4');
      await ds.transaction((m) => ledger.charge(m, c));
      // The go-ahead may have gone out: noise may have left a party, so the charge stays.
      await sessionWith(c, [...ACCEPTED, ...COMMITTED]);
      expect(await ds.transaction((m) => ledger.refund(m, { sessionId: c.sessionId }))).toEqual({
        refund: false,
        code: 'data-phase-started',
      });
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/4');
    });

    it('never refunds after an opening, whatever the caller believes', async () => {
      const ledger = new LedgerService(config('1'), ds, new CoordinatorMetrics());
      const window = freshWindow();
      const c = charge(window, '1/4');
      await ds.transaction((m) => ledger.charge(m, c));
      await sessionWith(c, [...ACCEPTED, ...COMMITTED, 'envelope', 'envelope']);
      expect(
        (await ds.transaction((m) => ledger.refund(m, { sessionId: c.sessionId }))).refund,
      ).toBe(false);
      expect((await ledger.spent(ds.manager, c.scope, window)).rho.toString()).toBe('1/4');
    });
  });
});
