import type { SessionAcceptance } from '#concord/engine';
import { entriesOf, type PartyNumber, type TranscriptEntry } from '#concord/transcript';
import { type AbortCode, envelopeSlot, type NodeEngine } from '#concord/wire';
import type { SealRecord, SessionRowState } from './actions.js';
import type { SessionRules } from './session-config.js';
import {
  type CoreState,
  PARTIES,
  type PartyPresence,
  type SessionPhase,
  type SessionRecord,
} from './session-state.js';

/** What the store holds of an unfinished session. */
export interface StoredSession {
  readonly rowState: SessionRowState;
  readonly entries: readonly TranscriptEntry[];
  readonly seals: readonly SealRecord[];
}

/**
 * Rebuilds a session's state from its durable record alone (after a restart): everything the
 * core decided was written before it took effect, so the transcript says how far the session got.
 * Every party starts offline as of `now` (its lease runs from the restart); the reporter's value
 * text is not in the transcript and is asked for again if the results are not yet released.
 */
export function restoreState(
  record: SessionRecord,
  stored: StoredSession,
  rules: SessionRules,
  now: number,
): CoreState {
  const { entries } = stored;
  const acceptances = new Map<PartyNumber, SessionAcceptance>();
  for (const e of entriesOf(entries, 'party.accepted')) {
    acceptances.set(e.body.party, {
      sessionId: record.id,
      party: e.body.party,
      planHash: record.planHash,
      sessionKey: e.body.sessionKey,
      ...(e.body.jiffKey === undefined ? {} : { jiffKey: e.body.jiffKey }),
      ...(e.body.keyEpoch === undefined ? {} : { keyEpoch: e.body.keyEpoch }),
      signature: e.body.signature,
    });
  }
  const envelopes = new Map<string, string>();
  const chunking = new Map<string, number>();
  for (const e of entriesOf(entries, 'envelope')) {
    envelopes.set(envelopeSlot(e.body), e.body.digest);
    chunking.set(`${e.body.round}|${e.body.from}|${e.body.to}`, e.body.chunks);
  }
  const presence = new Map<PartyNumber, PartyPresence>(
    PARTIES.map((p) => [p, { online: false, since: now }]),
  );
  const state: CoreState = {
    phase: { name: 'waiting' },
    rowState: stored.rowState,
    entries: [...entries],
    acceptances,
    commitments: new Map(
      entriesOf(entries, 'noise.committed').map((e) => [e.body.party, e.body.commitments]),
    ),
    envelopes,
    chunking,
    results: new Map(
      entriesOf(entries, 'party.result').map((e) => [e.body.party, e.body.resultDigest]),
    ),
    reporterOutputs: undefined,
    seals: new Map(stored.seals.map((s) => [s.party, s])),
    reports: entriesOf(entries, 'party.aborted').map((e) => e.body),
    presence,
    deadline: Math.max(record.startedAt + rules.sessionTimeoutMs, now + rules.nodeLeaseMs),
    jiffRelay: new Map(),
    jiffMessages: 0,
  };
  state.phase = phaseOf(state, entries, rules, now);
  return state;
}

function phaseOf(
  state: CoreState,
  entries: readonly TranscriptEntry[],
  rules: SessionRules,
  now: number,
): SessionPhase {
  if (state.rowState === 'completed') return { name: 'completed' };
  const aborted = entriesOf(entries, 'session.aborted').at(-1);
  if (state.rowState === 'aborted' || aborted) {
    return {
      name: 'aborted',
      code: (aborted?.body.code ?? 'internal-error') as AbortCode,
      message: aborted?.body.message ?? 'the session was aborted',
      refunded: entries.some((e) => e.kind === 'ledger.refunded'),
    };
  }
  if (state.reports.length > 0) {
    const first = state.reports[0];
    const declined = state.acceptances.size < 3 && !state.acceptances.has(first.party);
    return {
      name: 'aborting',
      until: now + rules.reportGraceMs,
      code: declined ? 'declined' : 'party-aborted',
      by: first.party,
    };
  }
  const engine: NodeEngine | undefined = entries.some((e) => e.kind === 'jiff.started')
    ? 'jiff'
    : state.acceptances.size === 0
      ? undefined
      : [...state.acceptances.values()].some((a) => a.jiffKey !== undefined)
        ? 'jiff'
        : 'native';
  if (engine === undefined) return { name: 'waiting' };
  const released = entriesOf(entries, 'session.results').at(-1);
  if (released) return { name: 'sealing', engine, head: released.hash };
  if (state.commitments.size === 3) return { name: 'computing', engine };
  if (state.acceptances.size === 3) return { name: 'committing', engine };
  return { name: 'inviting', engine };
}
