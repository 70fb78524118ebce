import { Rational } from '#concord/dp';
import { addCharges, type PrivacyCharge, ZERO_CHARGE } from './budget.js';
import type { ChargeStatus } from './refund-rule.js';
import { windowBuckets, windowCovers } from './ledger-window.js';

/**
 * The one charging policy of every privacy ledger (the coordinator's table and each agency
 * node's file): what a bucket has spent, whether a charge fits its cap and quota, and whether a
 * charge under a key already seen is a retry or a conflict. Pure functions over the entries a
 * ledger holds, so the ledgers differ only in how they store entries and serialise decisions.
 */

/** A charge or a refund, as every ledger records it (refunds repeat the charge they cancel). */
export interface LedgerEntry {
  /**
   * The idempotency key. The coordinator: the analyst and its request id; a node: the session
   * id. Opaque here: two entries belong to the same request exactly when their keys are equal.
   */
  readonly key: string;
  readonly kind: 'charge' | 'refund';
  /** The bucket: dataset scope and privacy-unit window. */
  readonly scope: string;
  readonly window: string;
  /** Who spends it: the analyst on the coordinator; absent on a node (it has no quotas). */
  readonly analyst?: string;
  readonly charge: PrivacyCharge;
}

/** What a caller asks to charge: an entry to be, minus its kind. */
export type ChargeRequest = Omit<LedgerEntry, 'kind'>;

/** The limits a ledger enforces. Caps and quotas bound ρ; ξ is recorded and added, not capped. */
export interface LedgerLimits {
  /** The bucket's ρ cap: the guarantee to riders, counting every analyst. */
  readonly capRho: Rational;
  /** What one analyst may spend in a bucket, carved out of the cap (the coordinator only). */
  readonly quotaRho?: Rational;
}

/** Net (ξ, ρ) of a bucket and of one analyst in it: charges minus refunds, exact. */
export interface BucketTally {
  readonly bucket: PrivacyCharge;
  /** ZERO_CHARGE when no analyst was asked for. */
  readonly analyst: PrivacyCharge;
}

/** Why a charge is refused or how it is accepted; `ok` tells whether the session may go on. */
export type ChargeDecision =
  /** New: the caller records the charge now (in the same critical section as the decision). */
  | { readonly ok: true; readonly code: 'charged' }
  /** A retry of a charge already recorded with the same terms: nothing to record. */
  | { readonly ok: true; readonly code: 'already-charged' }
  | BudgetExhausted
  | IdempotencyConflict
  /** ρ ≤ 0 or ξ < 0: not a charge at all. */
  | { readonly ok: false; readonly code: 'invalid-charge' };

/** Charging would take the bucket past its cap, or the analyst past its quota. */
export interface BudgetExhausted {
  readonly ok: false;
  readonly code: 'budget-exhausted';
  readonly limit: 'cap' | 'quota';
  /** ρ already spent against that limit, and the limit. */
  readonly spentRho: Rational;
  readonly limitRho: Rational;
}

/**
 * The key was used before for something else: other terms (bucket, analyst, ξ or ρ), or a
 * charge that was refunded. A refunded key never runs again: a refund says "nothing was
 * released", and a second run under the same key would make that false after the fact.
 */
export interface IdempotencyConflict {
  readonly ok: false;
  readonly code: 'idempotency-conflict';
  /**
   * `data-phase-started` and `settled` (agency nodes, which pass a key's progress): the same
   * charge again would run a second data phase, a second release, under one charge.
   */
  readonly reason: 'other-terms' | 'refunded' | 'data-phase-started' | 'settled';
}

/**
 * How far the session charged under a key went, where a ledger knows it (agency nodes). A
 * repeated charge is a harmless retry only before the data phase: the caller re-runs the session
 * on `already-charged`, and running again what already dealt noise would be a second release.
 */
export interface KeyProgress {
  readonly dataPhaseStarted: boolean;
  /** Settled as spent (completed, or kept after an abort). */
  readonly settled: boolean;
}

/** Whether a key is new, a retry of the same charge, or in conflict. */
export type IdempotencyDecision =
  { readonly ok: true; readonly code: 'new' | 'already-charged' } | IdempotencyConflict;

/** The outcome of the cap and quota check alone. */
export type LimitDecision = { readonly ok: true } | BudgetExhausted;

/**
 * Net (ξ, ρ) of bucket (scope, window) in `entries`, and of `analyst` in it. A span of days
 * (`ledger-window.ts`) is as full as its fullest day: each day counts every entry whose window
 * covers it, and the day with the most ρ spent (for the bucket, and apart for the analyst) is the
 * one a new charge must fit in, so fitting it fits every day of the span.
 */
export function tallyBucket(
  entries: Iterable<LedgerEntry>,
  scope: string,
  window: string,
  analyst?: string,
): BucketTally {
  const inScope = [...entries].filter((e) => e.scope === scope);
  let worst: BucketTally | undefined;
  for (const bucket of windowBuckets(window)) {
    const day = tallyOneBucket(inScope, bucket, analyst);
    worst = worst
      ? {
          bucket: day.bucket.rho.gt(worst.bucket.rho) ? day.bucket : worst.bucket,
          analyst: day.analyst.rho.gt(worst.analyst.rho) ? day.analyst : worst.analyst,
        }
      : day;
  }
  return worst ?? { bucket: ZERO_CHARGE, analyst: ZERO_CHARGE };
}

function tallyOneBucket(
  entries: readonly LedgerEntry[],
  bucket: string,
  analyst: string | undefined,
): BucketTally {
  let total = ZERO_CHARGE;
  let own = ZERO_CHARGE;
  for (const e of entries) {
    if (!windowCovers(e.window, bucket)) continue;
    const signed = e.kind === 'charge' ? e.charge : negated(e.charge);
    total = addCharges(total, signed);
    if (analyst !== undefined && e.analyst === analyst) own = addCharges(own, signed);
  }
  return { bucket: total, analyst: own };
}

/**
 * Whether `charge` fits on top of `spent`: the bucket's ρ within the cap and, when a quota is
 * set, the analyst's ρ within the quota. Reaching a limit exactly is allowed. The cap is checked
 * first: it is the guarantee to riders, the quota only an access policy.
 */
export function checkLimits(
  spent: BucketTally,
  charge: PrivacyCharge,
  limits: LedgerLimits,
): LimitDecision {
  if (spent.bucket.rho.add(charge.rho).gt(limits.capRho))
    return exhausted('cap', spent.bucket.rho, limits.capRho);
  if (limits.quotaRho && spent.analyst.rho.add(charge.rho).gt(limits.quotaRho))
    return exhausted('quota', spent.analyst.rho, limits.quotaRho);
  return { ok: true };
}

/**
 * Idempotency of `request` against the entries recorded under its key: none → new; a charge
 * with the same terms → already charged (unless `progress` says the session went past its data
 * phase start or was settled: conflict); a charge with other terms → conflict; a refund →
 * conflict, whatever the terms.
 */
export function checkIdempotency(
  entries: Iterable<LedgerEntry>,
  request: ChargeRequest,
  progress?: KeyProgress,
): IdempotencyDecision {
  let charged: LedgerEntry | undefined;
  for (const e of entries) {
    if (e.key !== request.key) continue;
    if (e.kind === 'refund') return conflict('refunded');
    charged = e;
  }
  if (!charged) return { ok: true, code: 'new' };
  if (!sameTerms(charged, request)) return conflict('other-terms');
  if (progress?.settled) return conflict('settled');
  if (progress?.dataPhaseStarted) return conflict('data-phase-started');
  return { ok: true, code: 'already-charged' };
}

/**
 * The whole charging decision over `entries`, which must hold at least every entry of the
 * request's scope whose window shares a day with the request's, and every entry under its key (a ledger may pass more), and the key's
 * `progress` where the ledger tracks it. Order: a charge that
 * is not one is refused; then the key decides (a retry is not charged twice and not checked
 * against a cap it already counts in); only a new key is checked against the limits.
 */
export function decideCharge(
  entries: readonly LedgerEntry[],
  request: ChargeRequest,
  limits: LedgerLimits,
  progress?: KeyProgress,
): ChargeDecision {
  if (request.charge.rho.sign() <= 0 || request.charge.xi.sign() < 0)
    return { ok: false, code: 'invalid-charge' };
  const idempotency = checkIdempotency(entries, request, progress);
  switch (idempotency.code) {
    case 'already-charged':
      return { ok: true, code: 'already-charged' };
    case 'idempotency-conflict':
      return idempotency;
    case 'new': {
      const spent = tallyBucket(entries, request.scope, request.window, request.analyst);
      const limit = checkLimits(spent, request.charge, limits);
      return limit.ok ? { ok: true, code: 'charged' } : limit;
    }
  }
}

/** Whether an earlier charge and a new request are the same charge: bucket, analyst, ξ and ρ. */
function sameTerms(charged: LedgerEntry, request: ChargeRequest): boolean {
  return (
    charged.scope === request.scope &&
    charged.window === request.window &&
    charged.analyst === request.analyst &&
    charged.charge.rho.equals(request.charge.rho) &&
    charged.charge.xi.equals(request.charge.xi)
  );
}

function exhausted(
  limit: 'cap' | 'quota',
  spentRho: Rational,
  limitRho: Rational,
): BudgetExhausted {
  return { ok: false, code: 'budget-exhausted', limit, spentRho, limitRho };
}

function conflict(reason: IdempotencyConflict['reason']): IdempotencyConflict {
  return { ok: false, code: 'idempotency-conflict', reason };
}

function negated(c: PrivacyCharge): PrivacyCharge {
  return { rho: Rational.ZERO.sub(c.rho), xi: Rational.ZERO.sub(c.xi) };
}

/** Where the charge under `key` stands in charge and refund entries alone. */
export function chargeStatusOf(
  entries: Iterable<LedgerEntry>,
  key: string,
): Exclude<ChargeStatus, 'kept'> {
  let status: Exclude<ChargeStatus, 'kept'> = 'none';
  for (const e of entries) {
    if (e.key !== key) continue;
    if (e.kind === 'refund') return 'refunded';
    status = 'charged';
  }
  return status;
}
