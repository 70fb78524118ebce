import type { SessionAcceptance } from '#concord/engine';
import type { SessionPlan } from '#concord/protocol';
import type { TranscriptEntry } from '#concord/transcript';
import { type AbortCode, type NodeEngine, ToNode } from '#concord/wire';
import type { PartyNumber } from '#concord/transcript';
import { REPORTER } from './session-config.js';

/** The payloads the core sends to agency nodes (validated on arrival by the nodes' DTOs). */

export function invitation(
  sessionId: string,
  plan: SessionPlan,
  planHash: string,
  engine: NodeEngine,
): { event: string; payload: unknown } {
  return {
    event: ToNode.sessionInvite,
    payload: {
      ...(engine === 'jiff' ? { engine } : {}),
      sessionId,
      planHash,
      reporter: REPORTER,
      request: {
        protocolHash: plan.protocol.hash,
        parameters: plan.parameters,
        axisValues: Object.fromEntries(
          plan.axes.flatMap((a) => ('values' in a ? [[a.name, a.values]] : [])),
        ),
        budget: plan.budget.value,
      },
    },
  };
}

export function sessionKeys(
  sessionId: string,
  acceptances: readonly SessionAcceptance[],
): { event: string; payload: unknown } {
  return { event: ToNode.sessionKeys, payload: { sessionId, acceptances } };
}

/** The go-ahead: all three commitments, after which parties deal their noise and inputs. */
export function goAhead(
  sessionId: string,
  commitments: ReadonlyMap<PartyNumber, Readonly<Record<string, string>>>,
): { event: string; payload: unknown } {
  return {
    event: ToNode.sessionCommitments,
    payload: {
      sessionId,
      commitments: [...commitments].map(([party, c]) => ({ sessionId, party, commitments: c })),
    },
  };
}

export function sealRequest(
  sessionId: string,
  entries: readonly TranscriptEntry[],
): { event: string; payload: unknown } {
  return { event: ToNode.sessionSealRequest, payload: { sessionId, entries } };
}

export function resume(
  sessionId: string,
  recorded: {
    readonly accepted: boolean;
    readonly committed: boolean;
    readonly reported: boolean;
    readonly sealed: boolean;
  },
): { event: string; payload: unknown } {
  return { event: ToNode.sessionResume, payload: { sessionId, recorded } };
}

export function aborted(
  sessionId: string,
  code: AbortCode,
  message: string,
  refund: boolean,
): { event: string; payload: unknown } {
  return { event: ToNode.sessionAborted, payload: { sessionId, code, message, refund } };
}

export function completed(sessionId: string): { event: string; payload: unknown } {
  return { event: ToNode.sessionCompleted, payload: { sessionId } };
}
