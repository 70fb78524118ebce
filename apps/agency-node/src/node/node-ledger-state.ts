import {
  type ChargeStatus,
  type KeyProgress,
  type LedgerEntry,
  privacyCharge,
} from '#concord/accounting';
import { Rational } from '#concord/dp';
import { GENESIS, type LedgerLine, type UnlinkedLine } from './node-ledger-lines.js';

/** Where one session stands on this node's ledger. */
export interface NodeSessionRecord {
  readonly scope: string;
  readonly window: string;
  /** `charged` until settled: counted as spent while pending. */
  readonly status: Exclude<ChargeStatus, 'none'>;
  /** The node recorded the coordinator's go-ahead (it may have dealt noise since). */
  readonly dataPhaseStarted: boolean;
}

/**
 * The ledger's lines folded into what the policy and the node ask: the charges and refunds (for
 * the shared policy, keyed by session id), and each session's progress. `problem` states the
 * rules of what may follow what, the same when a line is written and when the file is loaded,
 * so a file the node would not have written is refused.
 */
export class NodeLedgerState {
  private readonly records = new Map<string, NodeSessionRecord>();
  private readonly policyEntries: LedgerEntry[] = [];
  private headHash = GENESIS;

  /** Charges and refunds, as the ledger policy reads them. */
  get entries(): readonly LedgerEntry[] {
    return this.policyEntries;
  }

  /** The hash of the last line (what the next line links to). */
  get head(): string {
    return this.headHash;
  }

  session(sessionId: string): NodeSessionRecord | undefined {
    return this.records.get(sessionId);
  }

  status(sessionId: string): ChargeStatus {
    return this.records.get(sessionId)?.status ?? 'none';
  }

  progress(sessionId: string): KeyProgress {
    const r = this.records.get(sessionId);
    return { dataPhaseStarted: r?.dataPhaseStarted ?? false, settled: r?.status === 'kept' };
  }

  /** Sessions charged and neither refunded nor settled, in the order they were charged. */
  unsettled(): string[] {
    return [...this.records].filter(([, r]) => r.status === 'charged').map(([id]) => id);
  }

  /** Why `line` may not come next, or undefined if it may. */
  problem(line: UnlinkedLine): string | undefined {
    const r = this.records.get(line.sessionId);
    if (line.kind === 'charge')
      return r ? 'a session is charged once (a refunded session never again)' : undefined;
    if (!r) return `a ${line.kind} line follows its session's charge`;
    if (r.status !== 'charged')
      return `nothing follows a session's ${r.status === 'refunded' ? 'refund' : 'settlement'}`;
    switch (line.kind) {
      case 'data-phase-started':
        return r.dataPhaseStarted ? 'the data phase starts once' : undefined;
      case 'refund':
        return r.dataPhaseStarted ? 'no refund after the data phase started' : undefined;
      case 'settled':
        return line.reason === 'data-phase-started' && !r.dataPhaseStarted
          ? 'kept for its data phase, but no data-phase-started line precedes it'
          : undefined;
    }
  }

  /** Folds in a line `problem` accepted. */
  apply(line: LedgerLine): void {
    const r = this.records.get(line.sessionId);
    switch (line.kind) {
      case 'charge':
        this.records.set(line.sessionId, {
          scope: line.scope,
          window: line.window,
          status: 'charged',
          dataPhaseStarted: false,
        });
        this.policyEntries.push({
          key: line.sessionId,
          kind: 'charge',
          scope: line.scope,
          window: line.window,
          charge: privacyCharge(Rational.parse(line.rho), Rational.parse(line.xi)),
        });
        break;
      case 'data-phase-started':
        this.records.set(line.sessionId, { ...r!, dataPhaseStarted: true });
        break;
      case 'refund': {
        this.records.set(line.sessionId, { ...r!, status: 'refunded' });
        const charge = this.policyEntries.find(
          (e) => e.key === line.sessionId && e.kind === 'charge',
        )!;
        this.policyEntries.push({ ...charge, kind: 'refund' });
        break;
      }
      case 'settled':
        this.records.set(line.sessionId, { ...r!, status: 'kept' });
        break;
    }
    this.headHash = line.hash;
  }
}
