import { describeError } from '#concord/errors';
import type { TranscriptEntry } from '#concord/transcript';
import type { SessionAction, SessionRowState } from './actions.js';
import type { SessionEvent } from './events.js';
import { accept, decline } from './handle-accept.js';
import { abortReport } from './handle-abort.js';
import { commit } from './handle-commit.js';
import { envelope, envelopeAck } from './handle-envelope.js';
import { jiffRelay } from './handle-jiff.js';
import { ended } from './handle-ended.js';
import { partyLost, partyOnline } from './handle-presence.js';
import { result } from './handle-result.js';
import { seal } from './handle-seal.js';
import { tick } from './handle-tick.js';
import { restoreState, type StoredSession } from './restore.js';
import type { SessionRules } from './session-config.js';
import { SessionContext } from './session-context.js';
import {
  type CoreState,
  engineOf,
  isFinal,
  PARTIES,
  type PartyDirectory,
  type PhaseName,
  type SessionRecord,
} from './session-state.js';

/** What the adapter may read of a session (for its API, metrics and tests). */
export interface SessionView {
  readonly id: string;
  readonly phase: PhaseName;
  readonly rowState: SessionRowState;
  readonly final: boolean;
  readonly entries: readonly TranscriptEntry[];
  readonly engine: 'native' | 'jiff' | undefined;
}

/**
 * The coordinator's rules for one session, sans I/O: events in, actions out. It holds no socket,
 * no database handle and no clock; the adapter feeds it what happened and carries out what it
 * returns, in order, making every `persist` durable before the actions after it (write-ahead).
 * `handle` never throws: an unexpected failure inside a rule aborts the session as
 * `internal-error`, and a property test holds it to that.
 */
export class SessionCore {
  private constructor(
    private readonly record: SessionRecord,
    private readonly parties: PartyDirectory,
    private readonly rules: SessionRules,
    private readonly state: CoreState,
  ) {}

  /**
   * A session just created: its row, charge and first transcript entry (`genesis`) were written
   * in one transaction by the store. It waits for the three nodes.
   */
  static created(
    record: SessionRecord,
    parties: PartyDirectory,
    rules: SessionRules,
    genesis: TranscriptEntry,
    now: number,
  ): SessionCore {
    return new SessionCore(record, parties, rules, {
      phase: { name: 'waiting' },
      rowState: 'created',
      entries: [genesis],
      acceptances: new Map(),
      commitments: new Map(),
      envelopes: new Map(),
      chunking: new Map(),
      results: new Map(),
      reporterOutputs: undefined,
      seals: new Map(),
      reports: [],
      presence: new Map(PARTIES.map((p) => [p, { online: false, since: now }])),
      deadline: record.startedAt + rules.sessionTimeoutMs,
      jiffRelay: new Map(),
      jiffMessages: 0,
    });
  }

  /**
   * A session rebuilt from the store after a restart, and the actions to take at once: a JIFF
   * computation that was running cannot resume (the endpoint's state died with the process).
   */
  static restored(
    record: SessionRecord,
    parties: PartyDirectory,
    rules: SessionRules,
    stored: StoredSession,
    now: number,
  ): { core: SessionCore; actions: SessionAction[] } {
    const core = new SessionCore(record, parties, rules, restoreState(record, stored, rules, now));
    const phase = core.state.phase;
    if (phase.name === 'computing' && engineOf(phase) === 'jiff') {
      const ctx = core.context(now);
      ctx.abort(
        'jiff-interrupted',
        'the coordinator restarted during the JIFF computation, which cannot resume',
        'coordinator',
      );
      return { core, actions: ctx.actions };
    }
    return { core, actions: [] };
  }

  get view(): SessionView {
    return {
      id: this.record.id,
      phase: this.state.phase.name,
      rowState: this.state.rowState,
      final: isFinal(this.state.phase),
      entries: this.state.entries,
      engine: engineOf(this.state.phase),
    };
  }

  handle(event: SessionEvent): SessionAction[] {
    const ctx = this.context(event.now);
    try {
      if (isFinal(this.state.phase)) {
        ended(ctx, event);
        return ctx.actions;
      }
      this.dispatch(ctx, event);
      ctx.commit();
      return ctx.actions;
    } catch (e) {
      // A rule failed unexpectedly: what it committed stands, the rest is dropped, and the
      // session aborts (an invariant broke; carrying on could release something wrong).
      ctx.discardPending();
      ctx.log('warn', `session rule failed: ${describeError(e)}`);
      ctx.abort(
        'internal-error',
        `the coordinator failed to handle a ${event.type} event`,
        'coordinator',
      );
      return ctx.actions;
    }
  }

  private dispatch(ctx: SessionContext, event: SessionEvent): void {
    switch (event.type) {
      case 'tick':
        return tick(ctx, event);
      case 'party-online':
        return partyOnline(ctx, event);
      case 'party-lost':
        return partyLost(ctx, event);
      case 'accept':
        return accept(ctx, event);
      case 'decline':
        return decline(ctx, event);
      case 'commit':
        return commit(ctx, event);
      case 'envelope':
        return envelope(ctx, event);
      case 'envelope-ack':
        return envelopeAck(ctx, event);
      case 'result':
        return result(ctx, event);
      case 'seal':
        return seal(ctx, event);
      case 'abort-report':
        return abortReport(ctx, event);
      case 'jiff-relay':
        return jiffRelay(ctx, event);
      case 'jiff-failed':
        return ctx.abort(
          'internal-error',
          `the JIFF computation could not be registered: ${event.message}`,
          'coordinator',
        );
      case 'internal-failure':
        return ctx.abort('internal-error', event.message, 'coordinator');
    }
  }

  private context(now: number): SessionContext {
    return new SessionContext(this.record, this.parties, this.rules, this.state, now);
  }
}
