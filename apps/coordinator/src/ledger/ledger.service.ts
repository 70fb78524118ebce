import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  budgetDisplay,
  type BudgetDisplay,
  type ChargeDecision,
  chargeStatusOf,
  decideCharge,
  decideRefund,
  type LedgerLimits,
  type PrivacyCharge,
  privacyCharge,
  type RefundDecision,
  remainingDisplay,
  tallyBucket,
  windowBuckets,
} from '#concord/accounting';
import { Rational } from '#concord/dp';
import { LedgerEntryEntity } from '#concord/persistence';
import { TRANSCRIPT_KINDS, type TranscriptEntryKind } from '#concord/transcript';
import { dataPhaseStarted } from '#concord/wire';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { ledgerKey, type LedgerRow, policyEntry } from './ledger-rows.js';

/** The δ at which balances state ε (docs/privacy.md, 'Accounting'). */
export const LEDGER_DELTA = 1e-9;

export interface Charge {
  /** The analyst's idempotency key: unique per analyst, not globally. */
  readonly requestId: string;
  readonly sessionId: string;
  readonly scope: string;
  readonly window: string;
  readonly analyst: string;
  readonly rho: Rational;
  /** The release's ξ (distributed discrete Gaussian); recorded and added up, not capped. */
  readonly xi: Rational;
}

/** Exact ρ figures of one bucket, or of one analyst's share of it, and the ξ spent with them. */
export interface LedgerTotals {
  readonly spent: Rational;
  readonly cap: Rational;
  /** What one more charge may take: cap − spent, and for an analyst also the bucket's rest. */
  readonly remaining: Rational;
  readonly spentXi: Rational;
}

/**
 * A balance as analysts and operators see it: exact ρ and ξ (canonical rational text) and ε at
 * δ = `delta`, every rounding against the analyst — spent and cap up (the privacy loss is never
 * understated), remaining down (what is left is never overstated). Caps bound ρ; the ξ spent
 * (at most 10⁻³⁰ per release at the catalogue's noise levels) is added to ε wherever it is shown.
 */
export interface LedgerBalance {
  readonly scope: string;
  readonly window: string;
  /** The analyst the figures are for; null for the whole bucket. */
  readonly analyst: string | null;
  readonly delta: number;
  readonly spent: BudgetDisplay;
  readonly cap: BudgetDisplay;
  readonly remaining: BudgetDisplay;
  /** For an analyst: the whole bucket's figures (its cap binds every analyst together). */
  readonly bucket: {
    readonly spent: BudgetDisplay;
    readonly cap: BudgetDisplay;
    readonly remaining: BudgetDisplay;
  } | null;
}

/** How a charge went through: recorded now, or a retry of one already recorded. */
export type ChargeOutcome = Extract<ChargeDecision, { ok: true }>['code'];

/** Which session's charge to refund. */
export interface RefundRequest {
  readonly sessionId: string;
}

/**
 * The coordinator's copy of the privacy ledger: (ξ, ρ)-zCDP per (dataset scope, privacy-unit
 * window) bucket, in exact rationals; caps and quotas bound ρ. The bucket cap is the guarantee
 * to riders and counts every analyst; an optional per-analyst quota is an access policy carved
 * out of it. Every decision is the shared ledger policy's (`#concord/accounting`), the one the
 * agency nodes apply too; this service stores entries and serialises decisions. A charge is
 * taken before any data moves (check-and-charge in one transaction under a per-bucket advisory
 * lock, so concurrent requests never overspend), is idempotent per (analyst, request id), and
 * is refunded only when the session aborted before its data phase.
 */
@Injectable()
export class LedgerService {
  private readonly limits: LedgerLimits;

  constructor(
    config: CoordinatorConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: CoordinatorMetrics,
  ) {
    const capRho = Rational.parse(config.LEDGER_CAP_RHO);
    const quotaRho =
      config.LEDGER_ANALYST_QUOTA_RHO === undefined
        ? undefined
        : Rational.parse(config.LEDGER_ANALYST_QUOTA_RHO);
    if (quotaRho?.gt(capRho)) {
      throw new Error(
        `invalid coordinator configuration: LEDGER_ANALYST_QUOTA_RHO (${quotaRho.toString()}) exceeds LEDGER_CAP_RHO (${capRho.toString()}); a quota is carved out of the cap`,
      );
    }
    this.limits = { capRho, ...(quotaRho ? { quotaRho } : {}) };
  }

  /** ρ cap of every (scope, window) bucket. */
  get cap(): Rational {
    return this.limits.capRho;
  }

  /** ρ one analyst may spend per bucket, if quotas are configured. */
  get quota(): Rational | undefined {
    return this.limits.quotaRho;
  }

  /**
   * Charges inside the caller's transaction. Idempotent per (analyst, request id): a retry of the
   * same charge (same bucket and amounts) records nothing and returns `already-charged`; the same
   * key with other terms, or after its refund, is `idempotency-conflict` (a refunded request
   * never runs again); over the cap or the analyst's quota, `budget-exhausted`.
   */
  async charge(m: EntityManager, c: Charge): Promise<ChargeOutcome> {
    await lockWindow(m, c.scope, c.window);
    // One read (after the locks, so it sees every charge committed before): the entries that may
    // share a day with the window, and this key's own, wherever it was charged.
    // (Plain SQL: this runs inside the buckets' critical section, 4000 times in T14.)
    const rows = await m.query<LedgerRow[]>(
      `SELECT request_id AS "requestId", kind, scope, "window", analyst, rho, xi FROM ledger_entries
       WHERE (scope = $1 AND ("window" = ANY($2) OR "window" LIKE '%..%'))
          OR (analyst = $3 AND request_id = $4)`,
      [c.scope, windowBuckets(c.window), c.analyst, c.requestId],
    );
    const decision = decideCharge(
      rows.map(policyEntry),
      {
        key: ledgerKey(c.analyst, c.requestId),
        scope: c.scope,
        window: c.window,
        analyst: c.analyst,
        charge: { rho: c.rho, xi: c.xi },
      },
      this.limits,
    );
    if (!decision.ok) {
      // Counted here: a refusal writes nothing, so no rollback can undo it.
      this.metrics.ledgerRefused(decision.code);
      throw refusal(decision, c);
    }
    if (decision.code === 'charged') {
      try {
        await m.query(
          `INSERT INTO ledger_entries (request_id, session_id, kind, scope, "window", analyst, rho, xi)
           VALUES ($1, $2, 'charge', $3, $4, $5, $6, $7)`,
          [
            c.requestId,
            c.sessionId,
            c.scope,
            c.window,
            c.analyst,
            c.rho.toString(),
            c.xi.toString(),
          ],
        );
      } catch (e) {
        // The same key charged concurrently for another bucket (a lock of its own): a conflict.
        if (isUniqueViolation(e))
          throw new CoordinatorError(
            'idempotency-conflict',
            `request ${c.requestId} of ${c.analyst} was charged concurrently for another bucket`,
            { cause: e },
          );
        throw e;
      }
    }
    return decision.code;
  }

  /**
   * Refunds a session's charge once, and only if its data phase never started: the ledger reads
   * the session's transcript itself (all three noise commitments recorded = started), so no
   * caller can give back budget a release may have consumed. Returns the policy's verdict;
   * `refund` says whether this call refunded.
   */
  async refund(m: EntityManager, { sessionId }: RefundRequest): Promise<RefundDecision> {
    const charge = await m.findOneBy(LedgerEntryEntity, { sessionId, kind: 'charge' });
    if (!charge) return decideRefund('none', { ledger: 'coordinator', dataPhaseStarted: false });
    await lockWindow(m, charge.scope, charge.window);
    const key = await m.find(LedgerEntryEntity, {
      where: { analyst: charge.analyst, requestId: charge.requestId },
    });
    const transcript = await transcriptKinds(m, sessionId);
    const decision = decideRefund(
      chargeStatusOf(key.map(policyEntry), ledgerKey(charge.analyst, charge.requestId)),
      { ledger: 'coordinator', dataPhaseStarted: dataPhaseStarted(transcript) },
    );
    if (decision.refund)
      await m.insert(LedgerEntryEntity, {
        ...charge,
        id: undefined,
        createdAt: undefined,
        kind: 'refund',
      });
    return decision;
  }

  /** (ξ, ρ) spent in a bucket: charges minus refunds, exact. */
  async spent(m: EntityManager, scope: string, window: string): Promise<PrivacyCharge> {
    return tallyBucket(await bucketEntries(m, scope, window), scope, window).bucket;
  }

  /**
   * Exact totals of a bucket, or of one analyst in it: the analyst's cap is its quota (the bucket
   * cap when no quota is set) and its remaining budget is also limited by the bucket's.
   */
  async totals(
    scope: string,
    window: string,
    analyst?: string,
    m: EntityManager = this.db.manager,
  ): Promise<{ own: LedgerTotals; bucket: LedgerTotals }> {
    const spent = tallyBucket(await bucketEntries(m, scope, window), scope, window, analyst);
    const bucket = totalsOf(spent.bucket, this.limits.capRho);
    if (analyst === undefined) return { own: bucket, bucket };
    const own = totalsOf(spent.analyst, this.limits.quotaRho ?? this.limits.capRho);
    return {
      own: { ...own, remaining: Rational.min(own.remaining, bucket.remaining) },
      bucket,
    };
  }

  /**
   * The balance of a bucket, or of one analyst in it: spent, cap and remaining, exact and as ε
   * at δ = 1e-9 (tight zCDP conversion), rounded against the analyst.
   */
  async balance(
    scope: string,
    window: string,
    analyst?: string,
    m: EntityManager = this.db.manager,
  ): Promise<LedgerBalance> {
    const { own, bucket } = await this.totals(scope, window, analyst, m);
    const shown = (t: LedgerTotals) => ({
      spent: budgetDisplay(privacyCharge(t.spent, t.spentXi), LEDGER_DELTA),
      cap: budgetDisplay(privacyCharge(t.cap), LEDGER_DELTA),
      remaining: remainingDisplay(privacyCharge(t.remaining), LEDGER_DELTA),
    });
    return {
      scope,
      window,
      analyst: analyst ?? null,
      delta: LEDGER_DELTA,
      ...shown(own),
      bucket: analyst === undefined ? null : shown(bucket),
    };
  }
}

function totalsOf(spent: PrivacyCharge, cap: Rational): LedgerTotals {
  return {
    spent: spent.rho,
    cap,
    remaining: Rational.max(Rational.ZERO, cap.sub(spent.rho)),
    spentXi: spent.xi,
  };
}

/** The policy's refusal as the coordinator's error (mapped to one HTTP status by the filter). */
function refusal(decision: Extract<ChargeDecision, { ok: false }>, c: Charge): CoordinatorError {
  switch (decision.code) {
    case 'invalid-charge':
      return new CoordinatorError('invalid-request', 'a ledger charge must have ρ > 0 and ξ ≥ 0');
    case 'idempotency-conflict':
      return new CoordinatorError(
        'idempotency-conflict',
        decision.reason === 'refunded'
          ? `request ${c.requestId} was refunded; a new request needs a new request id`
          : `request ${c.requestId} was already charged for another bucket or amount`,
      );
    case 'budget-exhausted':
      return new CoordinatorError(
        'budget-exhausted',
        decision.limit === 'cap'
          ? `charging ρ = ${c.rho.toString()} would exceed the cap ${decision.limitRho.toString()} of ${c.scope} for ${c.window} (spent ${decision.spentRho.toString()})`
          : `charging ρ = ${c.rho.toString()} would exceed analyst ${c.analyst}'s quota ${decision.limitRho.toString()} of ${c.scope} for ${c.window} (spent ${decision.spentRho.toString()})`,
      );
  }
}

/** The entries of `scope` that may count against a day of `window` (the policy picks them). */
async function bucketEntries(m: EntityManager, scope: string, window: string) {
  const rows = await m.query<LedgerRow[]>(
    `SELECT request_id AS "requestId", kind, scope, "window", analyst, rho, xi FROM ledger_entries
     WHERE scope = $1 AND ("window" = ANY($2) OR "window" LIKE '%..%')`,
    [scope, windowBuckets(window)],
  );
  return rows.map(policyEntry);
}

/** The kinds of a session's transcript entries, in order (what `dataPhaseStarted` reads). */
async function transcriptKinds(
  m: EntityManager,
  sessionId: string,
): Promise<{ kind: TranscriptEntryKind }[]> {
  const rows = await m.query<{ kind: string }[]>(
    'SELECT kind FROM transcript_entries WHERE session_id = $1 ORDER BY seq',
    [sessionId],
  );
  return rows.filter((r): r is { kind: TranscriptEntryKind } => KINDS.has(r.kind));
}

const KINDS: ReadonlySet<string> = new Set(TRANSCRIPT_KINDS);

/** A unique index refused the row (PostgreSQL and PGlite report SQLSTATE 23505). */
function isUniqueViolation(e: unknown): boolean {
  const driverError = (e as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === '23505';
}

/**
 * Serialises every transaction touching one of the window's buckets (released at commit or
 * rollback): a span locks each of its days, in order, so a span and a day that share a day never
 * decide at once, and two spans cannot deadlock.
 */
async function lockWindow(m: EntityManager, scope: string, window: string): Promise<void> {
  for (const bucket of [...windowBuckets(window)].sort())
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledger:${scope}:${bucket}`]);
}
