import {
  appendEntry,
  type PartyNumber,
  type TranscriptBodies,
  type TranscriptEntry,
  type TranscriptEntryKind,
} from '#concord/transcript';
import { type AbortCode, dataPhaseStarted } from '#concord/wire';
import type { Milestone, PersistOp, SessionAction } from './actions.js';
import * as to from './node-messages.js';
import type { RefusalCode } from './refusal.js';
import type { SessionRules } from './session-config.js';
import {
  type CoreState,
  engineOf,
  PARTIES,
  type PartyDirectory,
  rowStateOf,
  type SessionPhase,
  type SessionRecord,
} from './session-state.js';

/**
 * One step of the core: the session's state, what it knows about the world, and the actions the
 * step produces. Handlers change the state only through these helpers, so every transcript entry
 * is chained, every durable change is queued before its effects, and every send is recorded.
 */
export class SessionContext {
  readonly actions: SessionAction[] = [];
  private pending: PersistOp[] = [];

  constructor(
    readonly record: SessionRecord,
    readonly parties: PartyDirectory,
    readonly rules: SessionRules,
    readonly state: CoreState,
    readonly now: number,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get phase(): SessionPhase {
    return this.state.phase;
  }

  get head(): TranscriptEntry | undefined {
    return this.state.entries.at(-1);
  }

  /** Chains an entry onto the transcript and queues its write. */
  append<K extends TranscriptEntryKind>(kind: K, body: TranscriptBodies[K]): TranscriptEntry {
    const entry = appendEntry(
      this.id,
      this.head,
      kind,
      body,
      new Date(this.now),
    ) as TranscriptEntry;
    this.state.entries.push(entry);
    this.pending.push({ op: 'append', entry });
    return entry;
  }

  /** Queues another durable change in the same transaction as the entries before it. */
  write(op: PersistOp): void {
    this.pending.push(op);
  }

  /** Moves to `phase`; queues the row's compare-and-set when its recorded state changes. */
  enter(
    phase: SessionPhase,
    extra: Omit<Extract<PersistOp, { op: 'transition' }>, 'op' | 'from' | 'to'> = {},
  ): void {
    const from = this.state.rowState;
    const to = rowStateOf(phase, from);
    this.state.phase = phase;
    if (to !== from) {
      this.write({ op: 'transition', from, to, ...extra });
      this.state.rowState = to;
    }
  }

  /** Ends the current transaction: what was queued must be durable before anything that follows. */
  commit(): void {
    if (this.pending.length === 0) return;
    this.actions.push({ type: 'persist', ops: this.pending });
    this.pending = [];
  }

  /**
   * Drops what was queued but not committed (a rule failed half-way): those entries leave the
   * chain again, so what follows chains onto what is, or will be, durable.
   */
  discardPending(): void {
    const dropped = new Set(this.pending.flatMap((op) => (op.op === 'append' ? [op.entry] : [])));
    this.pending = [];
    while (this.state.entries.length > 0 && dropped.has(this.state.entries.at(-1)!))
      this.state.entries.pop();
  }

  send(party: PartyNumber, message: { event: string; payload: unknown }): void {
    this.commit();
    this.actions.push({ type: 'send', party, event: message.event, payload: message.payload });
  }

  sendAll(message: { event: string; payload: unknown }): void {
    for (const p of PARTIES) this.send(p, message);
  }

  relay(party: PartyNumber, bytes: Uint8Array): void {
    this.commit();
    this.actions.push({ type: 'relay', party, bytes });
  }

  emit(action: SessionAction): void {
    this.commit();
    this.actions.push(action);
  }

  milestone(name: Milestone): void {
    this.emit({ type: 'milestone', name });
  }

  log(
    level: 'info' | 'warn',
    message: string,
    fields?: Record<string, string | number | boolean>,
  ): void {
    this.emit({ type: 'log', level, message, ...(fields ? { fields } : {}) });
  }

  isOnline(party: PartyNumber): boolean {
    return this.state.presence.get(party)?.online ?? false;
  }

  /**
   * Refuses a party's message. Every refusal but `session-not-running` is a protocol violation
   * an honest node never commits, so the session aborts, naming the party.
   */
  refuse(party: PartyNumber, code: RefusalCode, message: string): void {
    this.emit({ type: 'refuse', party, code, message });
    if (code !== 'session-not-running') {
      this.abort('relay-refused', `party ${party} broke the protocol (${code}): ${message}`, party);
    }
  }

  /**
   * Ends the session without a release, durably and at once: the abort entry (with whether the
   * data phase had begun), the refund and its entry only before the data phase, the row's final
   * state; then the parties learn the outcome, with the refund verdict their own ledgers follow.
   */
  abort(code: AbortCode, message: string, by: 'coordinator' | PartyNumber): void {
    if (this.phase.name === 'completed' || this.phase.name === 'aborted') return;
    const started = dataPhaseStarted(this.state.entries);
    this.append('session.aborted', { code, message, by, dataPhaseStarted: started });
    if (!started) {
      const { rho, xi } = this.record.plan.budget;
      this.write({ op: 'refund' });
      this.append('ledger.refunded', { requestId: this.record.requestId, rho, xi });
    }
    const jiff =
      engineOf(this.phase) === 'jiff' && this.state.entries.some((e) => e.kind === 'jiff.started');
    this.enter(
      { name: 'aborted', code, message, refunded: !started },
      { error: { code, message }, transcriptHead: this.head!.hash, completedAt: this.now },
    );
    if (jiff) this.emit({ type: 'remove-jiff' });
    this.sendAll(to.aborted(this.id, code, message, !started));
    this.log('warn', `session aborted: ${message}`, { code, refunded: !started });
    this.milestone('aborted');
    this.emit({ type: 'finished', outcome: 'aborted', code });
  }
}
