import type { JiffAction } from './actions.js';
import { errorAction } from './error-action.js';
import { JiffServerError } from './jiff-error.js';
import { generateServerPublicKey } from './public-key.js';
import {
  type ComputationState,
  createPartyState,
  type CredentialVerifier,
  type JiffContext,
  type JiffServerState,
} from './state.js';

/** What the host declares before any client may join: the roster is fixed in advance. */
export interface ComputationRegistration {
  /** The id Concord issues; clients pass it as JIFF's `computation_id`. */
  readonly computationId: string;
  readonly partyCount: number;
  /** Epoch milliseconds (same clock as `now`) after which `sweep` drops the computation. */
  readonly expiresAt: number;
  readonly verifyCredential: CredentialVerifier;
}

export function registerComputation(ctx: JiffContext, registration: ComputationRegistration): void {
  const { computationId, partyCount, expiresAt, verifyCredential } = registration;
  const { limits, state } = ctx;
  if (
    typeof computationId !== 'string' ||
    computationId.length === 0 ||
    computationId.length > limits.maxIdLength
  ) {
    throw new JiffServerError('invalid-registration', 'computationId must be a non-empty string');
  }
  if (!Number.isInteger(partyCount) || partyCount < 1 || partyCount > limits.maxPartyCount) {
    throw new JiffServerError(
      'invalid-registration',
      `partyCount must be an integer in 1..${limits.maxPartyCount}`,
    );
  }
  if (!Number.isFinite(expiresAt) || expiresAt <= ctx.now()) {
    throw new JiffServerError('invalid-registration', 'expiresAt must be a time in the future');
  }
  if (typeof verifyCredential !== 'function') {
    throw new JiffServerError('invalid-registration', 'verifyCredential must be a function');
  }
  if (state.computations.has(computationId)) {
    throw new JiffServerError('duplicate-computation', 'this computation id is already registered');
  }
  if (state.computations.size >= limits.maxComputations) {
    throw new JiffServerError('capacity', `at most ${limits.maxComputations} computations at once`);
  }
  const parties = new Map(
    Array.from({ length: partyCount }, (_, i) => [i + 1, createPartyState(i + 1)]),
  );
  const computation: ComputationState = {
    id: computationId,
    partyCount,
    expiresAt,
    verifyCredential,
    serverPublicKey: generateServerPublicKey(ctx.random),
    parties,
    dealer: new Map(),
    completedOps: new Set(),
    checkedZp: new Map(),
    dealerShares: 0,
    lastActivity: ctx.now(),
  };
  state.computations.set(computationId, computation);
}

/** Forgets a computation and unbinds its sockets; returns the ids of the sockets that were bound. */
export function dropComputation(state: JiffServerState, computationId: string): string[] {
  const computation = state.computations.get(computationId);
  if (computation === undefined) return [];
  state.computations.delete(computationId);
  state.dealerShares -= computation.dealerShares;
  const sockets: string[] = [];
  for (const party of computation.parties.values()) {
    state.mailboxBytes -= party.mailboxBytes;
    if (party.socketId === undefined) continue;
    sockets.push(party.socketId);
    state.sockets.delete(party.socketId);
  }
  return sockets;
}

/** Drops a computation on the host's behalf, telling and disconnecting its connected clients. */
export function removeComputation(
  ctx: JiffContext,
  computationId: string,
  reason: JiffServerError,
): JiffAction[] {
  return dropComputation(ctx.state, computationId).flatMap((socketId) => [
    errorAction(socketId, 'computation', reason),
    { kind: 'disconnect' as const, socketId, reason: reason.code },
  ]);
}

/** Drops computations past their expiry or idle for `limits.idleTimeoutMs`. */
export function sweep(ctx: JiffContext, now: number): JiffAction[] {
  const expired: string[] = [];
  for (const computation of ctx.state.computations.values()) {
    if (
      now >= computation.expiresAt ||
      now - computation.lastActivity >= ctx.limits.idleTimeoutMs
    ) {
      expired.push(computation.id);
    }
  }
  const reason = new JiffServerError(
    'computation-expired',
    'the computation expired and was dropped',
  );
  return expired.flatMap((id) => removeComputation(ctx, id, reason));
}
