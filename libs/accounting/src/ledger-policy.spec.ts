import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { privacyCharge } from './budget.js';
import {
  type ChargeRequest,
  chargeStatusOf,
  checkIdempotency,
  checkLimits,
  decideCharge,
  type LedgerEntry,
  type LedgerLimits,
  tallyBucket,
} from './ledger-policy.js';
import { decideRefund } from './refund-rule.js';

const FULL_SUITE = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const r = (text: string): Rational => Rational.parse(text);

function request(key: string, rho: string, extra: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    key,
    scope: 'fares',
    window: 'd1',
    analyst: 'alice',
    charge: privacyCharge(r(rho)),
    ...extra,
  };
}
const entry = (kind: LedgerEntry['kind'], req: ChargeRequest): LedgerEntry => ({ ...req, kind });

describe('ledger policy: tally', () => {
  it('nets charges minus refunds of one bucket, and of one analyst in it, exactly', () => {
    const a = request('a', '1/3');
    const b = request('b', '1/3', { analyst: 'bob', charge: privacyCharge(r('1/3'), r('1/1000')) });
    const c = request('c', '1/3');
    const elsewhere = request('d', '1', { window: 'd2' });
    const entries = [a, b, c, elsewhere].map((q) => entry('charge', q));
    entries.push(entry('refund', c));
    const t = tallyBucket(entries, 'fares', 'd1', 'alice');
    expect([t.bucket.rho, t.bucket.xi, t.analyst.rho, t.analyst.xi].map(String)).toEqual([
      '2/3',
      '1/1000',
      '1/3',
      '0',
    ]);
    // Without an analyst the analyst's share is zero, not the bucket's.
    expect(tallyBucket(entries, 'fares', 'd1').analyst.rho.toString()).toBe('0');
    expect(tallyBucket(entries, 'fares', 'd2').bucket.rho.toString()).toBe('1');
    expect(tallyBucket(entries, 'other', 'd1').bucket.rho.toString()).toBe('0');
  });
});

describe('ledger policy: limits', () => {
  const limits: LedgerLimits = { capRho: r('1'), quotaRho: r('1/2') };
  const spent = (bucket: string, analyst: string) => ({
    bucket: privacyCharge(r(bucket)),
    analyst: privacyCharge(r(analyst)),
  });

  it('allows reaching the cap and the quota exactly, and names the limit that refuses', () => {
    expect(checkLimits(spent('1/2', '0'), privacyCharge(r('1/2')), limits)).toEqual({ ok: true });
    expect(checkLimits(spent('0', '1/4'), privacyCharge(r('1/4')), limits)).toEqual({ ok: true });
    const overCap = checkLimits(spent('3/4', '0'), privacyCharge(r('1/3')), limits);
    expect(overCap).toMatchObject({ ok: false, code: 'budget-exhausted', limit: 'cap' });
    const overQuota = checkLimits(spent('1/2', '1/2'), privacyCharge(r('1/100')), limits);
    expect(overQuota).toMatchObject({ ok: false, code: 'budget-exhausted', limit: 'quota' });
    if (!overQuota.ok)
      expect([overQuota.spentRho, overQuota.limitRho].map(String)).toEqual(['1/2', '1/2']);
  });

  it('checks the cap before the quota, and ignores ξ (caps bound ρ)', () => {
    const both = checkLimits(spent('1', '1/2'), privacyCharge(r('1/10')), limits);
    expect(both).toMatchObject({ limit: 'cap' });
    const xiOnly = checkLimits(spent('0', '0'), privacyCharge(r('1/10'), r('5')), {
      capRho: r('1'),
    });
    expect(xiOnly.ok).toBe(true);
  });
});

describe('ledger policy: idempotency', () => {
  const first = request('k', '1/10');

  it('new key → new; same key and terms → already charged; other terms → conflict', () => {
    const entries = [entry('charge', first)];
    expect(checkIdempotency([], first)).toEqual({ ok: true, code: 'new' });
    expect(checkIdempotency(entries, request('other', '1/10'))).toEqual({ ok: true, code: 'new' });
    expect(checkIdempotency(entries, first)).toEqual({ ok: true, code: 'already-charged' });
    for (const changed of [
      request('k', '1/5'),
      request('k', '1/10', { analyst: 'mallory' }),
      request('k', '1/10', { window: 'd2' }),
      request('k', '1/10', { scope: 'other' }),
      request('k', '1/10', { charge: privacyCharge(r('1/10'), r('1/1000')) }),
    ])
      expect(checkIdempotency(entries, changed)).toEqual({
        ok: false,
        code: 'idempotency-conflict',
        reason: 'other-terms',
      });
  });

  it('the same charge after its data phase started or its settlement is a conflict (no second run)', () => {
    const entries = [entry('charge', first)];
    const progress = (dataPhaseStarted: boolean, settled: boolean) =>
      checkIdempotency(entries, first, { dataPhaseStarted, settled });
    expect(progress(false, false)).toEqual({ ok: true, code: 'already-charged' });
    expect(progress(true, false)).toMatchObject({ reason: 'data-phase-started' });
    expect(progress(false, true)).toMatchObject({ reason: 'settled' });
    expect(progress(true, true)).toMatchObject({ reason: 'settled' });
    // Other terms stay other terms, whatever the progress.
    expect(
      checkIdempotency(entries, request('k', '1/5'), { dataPhaseStarted: true, settled: true }),
    ).toMatchObject({ reason: 'other-terms' });
    expect(
      decideCharge(entries, first, { capRho: r('1') }, { dataPhaseStarted: true, settled: false }),
    ).toMatchObject({ ok: false, code: 'idempotency-conflict', reason: 'data-phase-started' });
  });

  it('a refunded key is a conflict whatever the terms, even the same ones', () => {
    const entries = [entry('charge', first), entry('refund', first)];
    expect(checkIdempotency(entries, first)).toEqual({
      ok: false,
      code: 'idempotency-conflict',
      reason: 'refunded',
    });
    expect(chargeStatusOf(entries, 'k')).toBe('refunded');
    expect(chargeStatusOf(entries.slice(0, 1), 'k')).toBe('charged');
    expect(chargeStatusOf(entries, 'nothing')).toBe('none');
  });
});

describe('ledger policy: the charging decision', () => {
  const limits: LedgerLimits = { capRho: r('1') };

  it('refuses non-charges, then lets the key decide before the cap', () => {
    expect(decideCharge([], request('z', '0'), limits)).toEqual({
      ok: false,
      code: 'invalid-charge',
    });
    expect(
      decideCharge(
        [],
        request('n', '1/10', { charge: { rho: r('1/10'), xi: r('-1/10') } }),
        limits,
      ),
    ).toMatchObject({ code: 'invalid-charge' });

    // A bucket filled by this very key: its retry is not refused by the cap it already counts in.
    const full = request('full', '1');
    const entries = [entry('charge', full)];
    expect(decideCharge(entries, full, limits)).toEqual({ ok: true, code: 'already-charged' });
    expect(decideCharge(entries, request('more', '1/100'), limits)).toMatchObject({
      ok: false,
      code: 'budget-exhausted',
      limit: 'cap',
    });
    expect(decideCharge([], request('fresh', '1'), limits)).toEqual({ ok: true, code: 'charged' });
  });

  it('three charges of 1/3 fill a cap of 1 exactly; a float ledger would let a fourth in', () => {
    const entries: LedgerEntry[] = [];
    for (const key of ['a', 'b', 'c']) {
      const q = request(key, '1/3');
      expect(decideCharge(entries, q, limits).code).toBe('charged');
      entries.push(entry('charge', q));
    }
    expect(decideCharge(entries, request('d', '1/1000000'), limits).code).toBe('budget-exhausted');
  });
});

// Random interleavings of charges (some retried, some conflicting, some over the limits) and
// refunds (some after the data phase), applied the way a ledger applies decisions.
const ANALYSTS = ['alice', 'bob', 'carol'] as const;
const BUCKETS = [
  ['fares', 'd1'],
  ['fares', 'd2'],
] as const;
const operation = fc.oneof(
  fc.record({
    op: fc.constant('charge' as const),
    key: fc.integer({ min: 0, max: 11 }),
    analyst: fc.constantFrom(...ANALYSTS),
    bucket: fc.constantFrom(...BUCKETS),
    rho: fc.tuple(fc.integer({ min: -1, max: 40 }), fc.integer({ min: 1, max: 40 })),
    xi: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    op: fc.constant('refund' as const),
    key: fc.integer({ min: 0, max: 11 }),
    dataPhaseStarted: fc.boolean(),
  }),
);

describe('ledger policy: property', () => {
  it('a sequence of decisions never exceeds the cap or a quota, and never double-charges a key', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 60 }),
        fc.constantFrom<LedgerLimits>(
          { capRho: r('1') },
          { capRho: r('1'), quotaRho: r('1/2') },
          { capRho: r('3/2'), quotaRho: r('1/3') },
        ),
        (ops, limits) => {
          const entries: LedgerEntry[] = [];
          for (const o of ops) {
            const key = `k${o.key}`;
            if (o.op === 'charge') {
              const q: ChargeRequest = {
                key,
                scope: o.bucket[0],
                window: o.bucket[1],
                analyst: o.analyst,
                charge: { rho: Rational.of(o.rho[0], o.rho[1]), xi: Rational.of(o.xi, 1000) },
              };
              const before = chargeStatusOf(entries, key);
              const d = decideCharge(entries, q, limits);
              if (d.code === 'charged') {
                expect(before).toBe('none');
                entries.push(entry('charge', q));
              }
              if (before === 'refunded') expect(d).toMatchObject({ reason: 'refunded' });
            } else {
              const decision = decideRefund(chargeStatusOf(entries, key), {
                ledger: 'coordinator',
                dataPhaseStarted: o.dataPhaseStarted,
              });
              if (decision.refund) {
                expect(o.dataPhaseStarted).toBe(false);
                const charge = entries.find((e) => e.key === key && e.kind === 'charge')!;
                entries.push({ ...charge, kind: 'refund' });
              }
            }
            for (const [scope, window] of BUCKETS) {
              const bucket = tallyBucket(entries, scope, window).bucket;
              expect(bucket.rho.lte(limits.capRho) && bucket.rho.sign() >= 0).toBe(true);
              expect(bucket.xi.sign()).toBeGreaterThanOrEqual(0);
              for (const analyst of ANALYSTS) {
                const own = tallyBucket(entries, scope, window, analyst).analyst.rho;
                if (limits.quotaRho) expect(own.lte(limits.quotaRho)).toBe(true);
              }
            }
          }
          for (let k = 0; k < 12; k++) {
            const kinds = entries.filter((e) => e.key === `k${k}`).map((e) => e.kind);
            expect(['', 'charge', 'charge,refund']).toContain(kinds.join(','));
          }
        },
      ),
      { numRuns: FULL_SUITE ? 10_000 : 500, seed: 0x1ed9e2 },
    );
  });
});
