import {
  type ChargeDecision,
  decideCharge,
  decideRefund,
  isKept,
  type PrivacyCharge,
  type RefundDecision,
  type SessionOutcome,
  tallyBucket,
} from '#concord/accounting';
import type { Rational } from '#concord/dp';
import { describeError } from '#concord/errors';
import { type LedgerStore, plaintextLedgerStore } from './ledger-store.js';
import { NodeLedgerError } from './node-ledger-error.js';
import type { NodeMetrics } from './node-metrics.js';
import {
  HEADER_LINE,
  type LedgerLine,
  lineText,
  linkLine,
  parseLedgerFile,
  type UnlinkedLine,
} from './node-ledger-lines.js';
import { type NodeSessionRecord, NodeLedgerState } from './node-ledger-state.js';

/** How a session ended, as the coordinator tells a node (`session.completed`, `session.aborted`). */
export type NodeSettlement = Exclude<SessionOutcome, { kind: 'aborted-by-node' }>;

export interface NodeLedgerOptions {
  /** The clock stamped on lines (informative only). */
  readonly now?: () => Date;
  /** Counts charges, refusals and refund verdicts (once durable), when the node serves metrics. */
  readonly metrics?: NodeMetrics;
}

/**
 * This agency's own copy of the privacy ledger, in (ξ, ρ)-zCDP: its veto and its refunds, decided
 * by the same policy as the coordinator's (`#concord/accounting`). A session that would take a
 * (scope, window) bucket's ρ past the agency's cap is refused: a release needs all three noise
 * sharings, so any one agency can veto (docs/privacy.md, 'The ledger'). ξ is recorded, not capped.
 *
 * Each session goes charge → [data-phase-started] → refund or settled. A charge counts as spent
 * until it is settled; a refund happens only for a session that ended before this node received
 * the go-ahead (see `settle` and `refundOwnAbort`). The file is append-only JSON lines, each
 * write made durable before the call returns (write, fsync, rename, fsync the directory), and
 * checked line by line when loaded: a file that fails is refused, never used or overwritten.
 * A node keeps the file sealed (`ledgerStoreFor`, docs/security.md 'Encryption at rest'); given a
 * bare path, the ledger is in clear (tests, and `atRest: { plaintext: 'demo-only' }`).
 */
export class NodeLedger {
  private readonly state = new NodeLedgerState();
  private text: string;
  private readonly now: () => Date;
  private readonly metrics: NodeMetrics | undefined;
  private readonly store: LedgerStore;
  private readonly path: string;

  constructor(
    file: string | LedgerStore,
    private readonly cap: Rational,
    options: NodeLedgerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.metrics = options.metrics;
    this.store = typeof file === 'string' ? plaintextLedgerStore(file) : file;
    const path = (this.path = this.store.path);
    // A file that does not open (tampered, wrong KEK, plaintext where sealed is configured)
    // throws here: the node does not start, and never falls back to an empty ledger.
    const text = this.store.read();
    if (text === undefined) {
      this.text = `${HEADER_LINE}\n`;
      return;
    }
    this.text = text;
    parseLedgerFile(path, this.text).forEach((line, i) => {
      const problem = this.state.problem(line);
      if (problem)
        throw new NodeLedgerError(
          'invalid-sequence',
          `ledger file ${path}, line ${i + 2}: ${problem} (session ${line.sessionId})`,
        );
      this.state.apply(line);
    });
  }

  /** ρ spent in a bucket (what the cap bounds), pending charges included, exact. */
  spent(scope: string, window: string): Rational {
    return tallyBucket(this.state.entries, scope, window).bucket.rho;
  }

  /** ξ spent in a bucket, pending charges included, exact. */
  spentXi(scope: string, window: string): Rational {
    return tallyBucket(this.state.entries, scope, window).bucket.xi;
  }

  /**
   * Charges a session the node is about to accept (its engine exists; only acceptance is left).
   * `charged` is recorded durably before this returns; `already-charged` is a repeated invitation
   * of a session still before its data phase, with the same terms. Refusals: `budget-exhausted`
   * (the veto), `idempotency-conflict` (other terms; a refunded session; a session whose data
   * phase started or that was settled: running it again would be a second release), and
   * `invalid-charge`.
   */
  charge(sessionId: string, scope: string, window: string, charge: PrivacyCharge): ChargeDecision {
    const decision = decideCharge(
      this.state.entries,
      { key: sessionId, scope, window, charge },
      { capRho: this.cap },
      this.state.progress(sessionId),
    );
    if (decision.code === 'charged')
      this.record({
        kind: 'charge',
        sessionId,
        scope,
        window,
        rho: charge.rho.toString(),
        xi: charge.xi.toString(),
        at: this.stamp(),
      });
    this.metrics?.ledgerCharge(decision);
    return decision;
  }

  /**
   * Records that the node received the go-ahead for `sessionId`; durable when this returns, and
   * must return before the node deals any noise or input. From here on the session is never
   * refunded on this ledger. Repeating it is harmless (a resent go-ahead). Throws `not-charged`
   * or `session-closed` for a session this ledger does not hold open: the node must not deal.
   */
  markDataPhaseStarted(sessionId: string): void {
    const r = this.state.session(sessionId);
    if (!r)
      throw new NodeLedgerError(
        'not-charged',
        `session ${sessionId} is not charged on this ledger`,
      );
    if (r.status !== 'charged')
      throw new NodeLedgerError(
        'session-closed',
        `session ${sessionId} was already ${r.status === 'refunded' ? 'refunded' : 'settled'}`,
      );
    if (r.dataPhaseStarted) return;
    this.record({ kind: 'data-phase-started', sessionId, at: this.stamp() });
  }

  /**
   * Settles a session with the outcome the coordinator reported: completed → kept; aborted →
   * refunded only if the coordinator refunded too (`coordinatorRefunds`) and this node never
   * received the go-ahead, kept otherwise. Repeating it changes nothing. Returns the verdict.
   */
  settle(sessionId: string, outcome: NodeSettlement): RefundDecision {
    return this.decide(sessionId, outcome);
  }

  /**
   * Settles a session this node aborted itself: refunded only if it never received the go-ahead
   * (its noise never left it, so no release can include it), kept otherwise.
   */
  refundOwnAbort(sessionId: string): RefundDecision {
    return this.decide(sessionId, { kind: 'aborted-by-node' });
  }

  /**
   * Sessions charged and not yet settled (after a restart, or while the coordinator was
   * unreachable): counted as spent until the node learns their outcome.
   */
  unsettled(): string[] {
    return this.state.unsettled();
  }

  /** Where a session stands on this ledger, if it was ever charged here. */
  session(sessionId: string): NodeSessionRecord | undefined {
    return this.state.session(sessionId);
  }

  private decide(sessionId: string, outcome: SessionOutcome): RefundDecision {
    const decision = decideRefund(this.state.status(sessionId), {
      ledger: 'node',
      dataPhaseStarted: this.state.progress(sessionId).dataPhaseStarted,
      outcome,
    });
    if (decision.refund)
      this.record({
        kind: 'refund',
        sessionId,
        outcome: outcome.kind === 'aborted-by-node' ? 'aborted-by-node' : 'aborted',
        at: this.stamp(),
      });
    else if (isKept(decision))
      this.record({ kind: 'settled', sessionId, reason: decision.code, at: this.stamp() });
    this.metrics?.ledgerRefundDecided(decision.code);
    return decision;
  }

  /** Appends a line: durable on disk first, then in memory (a failed write changes nothing). */
  private record(unlinked: UnlinkedLine): void {
    const problem = this.state.problem(unlinked);
    // The policy decided; a rule broken here is a bug in this class, never written down.
    if (problem)
      throw new NodeLedgerError(
        'invalid-sequence',
        `refusing to write a ${unlinked.kind} line for session ${unlinked.sessionId}: ${problem}`,
      );
    const line: LedgerLine = linkLine(unlinked, this.state.head);
    const text = `${this.text}${lineText(line)}\n`;
    try {
      this.store.write(text);
    } catch (e) {
      throw new NodeLedgerError(
        'write-failed',
        `could not record a ${line.kind} line in ${this.path}: ${describeError(e)}`,
        { cause: e },
      );
    }
    this.text = text;
    this.state.apply(line);
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
