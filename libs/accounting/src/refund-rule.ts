/**
 * The one refund rule of every privacy ledger. "Was anything opened?" is answered conservatively
 * by "did the data phase start?": the data phase starts when the coordinator's transcript holds
 * all three noise commitments, and only then does it send the go-ahead after which parties deal
 * noise and inputs. A charge is refunded only for a session that ended before its data phase.
 *
 * - The coordinator refunds iff its transcript says the data phase never started (the third
 *   commitment is written before any go-ahead is sent).
 * - An agency node records, durably, that it received the go-ahead before it deals anything. It
 *   refunds an aborted session only if the coordinator's abort says so AND it never received the
 *   go-ahead; a session it aborted itself, only if it never received the go-ahead. Its noise then
 *   never left it, so no release can contain it, whatever the coordinator claims; and it received
 *   the go-ahead only after the coordinator's transcript had the third commitment, so the two
 *   never disagree in the direction that would refund an opened release.
 * - A completed session is never refunded.
 */

/** Where a ledger's charge for one key stands. `kept`: settled as spent (agency nodes only). */
export type ChargeStatus = 'none' | 'charged' | 'refunded' | 'kept';

/** How a session ended, as an agency node learns it. */
export type SessionOutcome =
  | { readonly kind: 'completed' }
  /** The coordinator aborted it; `coordinatorRefunds` is the coordinator's own refund verdict. */
  | { readonly kind: 'aborted'; readonly coordinatorRefunds: boolean }
  /** The node aborted it itself (its engine failed, a peer broke the protocol, …). */
  | { readonly kind: 'aborted-by-node' };

/** What a ledger knows when it decides a refund. */
export type RefundEvidence =
  /** The coordinator, from the session's own transcript. */
  | { readonly ledger: 'coordinator'; readonly dataPhaseStarted: boolean }
  /** An agency node: whether it recorded the go-ahead, and the outcome it learned. */
  | {
      readonly ledger: 'node';
      readonly dataPhaseStarted: boolean;
      readonly outcome: SessionOutcome;
    };

/**
 * The verdict. `refund: true` → the ledger records the refund. Otherwise the code says why not;
 * `completed`, `data-phase-started` and `coordinator-kept` settle the charge as spent (a node
 * records that), the others leave the ledger as it is.
 */
export type RefundDecision =
  | { readonly refund: true; readonly code: 'refunded' }
  | {
      readonly refund: false;
      readonly code:
        | 'not-charged'
        | 'already-refunded'
        | 'already-settled'
        | 'completed'
        | 'data-phase-started'
        | 'coordinator-kept';
    };

/** The verdicts that settle a charge as spent for good. */
export const KEPT_CODES = ['completed', 'data-phase-started', 'coordinator-kept'] as const;
export type KeptCode = (typeof KEPT_CODES)[number];

/** Applies the refund rule to a charge in `status` given `evidence`. */
export function decideRefund(status: ChargeStatus, evidence: RefundEvidence): RefundDecision {
  switch (status) {
    case 'none':
      return noRefund('not-charged');
    case 'refunded':
      return noRefund('already-refunded');
    case 'kept':
      return noRefund('already-settled');
    case 'charged':
      break;
  }
  if (evidence.ledger === 'node' && evidence.outcome.kind === 'completed')
    return noRefund('completed');
  if (evidence.dataPhaseStarted) return noRefund('data-phase-started');
  if (
    evidence.ledger === 'node' &&
    evidence.outcome.kind === 'aborted' &&
    !evidence.outcome.coordinatorRefunds
  )
    return noRefund('coordinator-kept');
  return { refund: true, code: 'refunded' };
}

/** True for a verdict after which the charge is settled as spent. */
export function isKept(
  decision: RefundDecision,
): decision is { readonly refund: false; readonly code: KeptCode } {
  return (KEPT_CODES as readonly string[]).includes(decision.code);
}

function noRefund(code: Exclude<RefundDecision, { refund: true }>['code']): RefundDecision {
  return { refund: false, code };
}
