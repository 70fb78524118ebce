import { type LedgerEntry, privacyCharge, windowBuckets } from '#concord/accounting';
import { Rational } from '#concord/dp';
import type { LedgerEntryEntity } from '#concord/persistence';

/** The columns of a ledger entry the policy needs. */
export type LedgerRow = Pick<
  LedgerEntryEntity,
  'requestId' | 'kind' | 'scope' | 'window' | 'analyst' | 'rho' | 'xi'
>;

/**
 * The coordinator's idempotency key: a request id belongs to the analyst who chose it, so the
 * key is the pair. JSON keeps the pair unambiguous whatever characters either part holds.
 */
export function ledgerKey(analyst: string, requestId: string): string {
  return JSON.stringify([analyst, requestId]);
}

/** A stored row as the ledger policy sees it (exact rationals parsed from their text). */
export function policyEntry(row: LedgerRow): LedgerEntry {
  return {
    key: ledgerKey(row.analyst, row.requestId),
    // The table's CHECK allows only these two; reading anything else as a charge could only
    // overstate what was spent, never release budget.
    kind: row.kind === 'refund' ? 'refund' : 'charge',
    scope: row.scope,
    window: row.window,
    analyst: row.analyst,
    charge: privacyCharge(Rational.parse(row.rho), Rational.parse(row.xi)),
  };
}

/**
 * The buckets the entries charged: a span of days (a week's or 30 days' window) is a charge to
 * each of its days, so each day is listed, never the span itself; newest window first, then scope.
 */
export function ledgerBuckets(
  windows: readonly { readonly scope: string; readonly window: string }[],
): { scope: string; window: string }[] {
  const seen = new Map<string, { scope: string; window: string }>();
  for (const { scope, window } of windows)
    for (const bucket of windowBuckets(window))
      seen.set(JSON.stringify([scope, bucket]), { scope, window: bucket });
  return [...seen.values()].sort((a, b) =>
    a.window === b.window ? a.scope.localeCompare(b.scope) : a.window < b.window ? 1 : -1,
  );
}
