import type { JiffAction } from './actions.js';
import { credentialDigest, readCredential, sameCredential, verifies } from './credential.js';
import { JiffServerError } from './jiff-error.js';
import { enqueuePublicKeys, publicKeyMap, replay } from './mailbox.js';
import { isServerPartyId, normalisePartyId } from './party-id.js';
import { parsePayload } from './payload.js';
import { parsePublicKey } from './public-key.js';
import type { ComputationState, JiffContext, PartyState } from './state.js';

/**
 * `initialization` (docs/jiff.md, 9.3) against a roster fixed by the host: only
 * registered computations, a credential the host accepts, and a party slot that is free or was
 * claimed earlier with the same credential and key by a socket that is gone.
 */
export function handleInitialization(
  ctx: JiffContext,
  socketId: string,
  args: readonly unknown[],
): JiffAction[] {
  const msg = parsePayload(args, ctx.limits);
  const computationId = msg.computation_id;
  const computation =
    typeof computationId === 'string' ? ctx.state.computations.get(computationId) : undefined;
  if (computation === undefined) {
    throw new JiffServerError(
      'unknown-computation',
      'computation_id is not a computation issued by Concord',
    );
  }
  if (isServerPartyId(msg.party_id)) {
    throw new JiffServerError(
      'reserved-party-id',
      'party ids of the form sK are reserved for the server',
    );
  }
  if (msg.party_count !== undefined && msg.party_count !== null) {
    if (normalisePartyId(msg.party_count, Number.MAX_SAFE_INTEGER) !== computation.partyCount) {
      throw new JiffServerError(
        'party-count-mismatch',
        `this computation has ${computation.partyCount} parties`,
      );
    }
  }
  const credential = readCredential(msg.credential, ctx.limits);
  const publicKey = parsePublicKey(msg.public_key);
  if (publicKey === undefined) {
    throw new JiffServerError(
      'invalid-public-key',
      'public_key must be 32 bytes written "[b0,…,b31]"',
    );
  }
  // A socket is one party for its whole life; re-sending initialization on it is idempotent.
  const binding = ctx.state.sockets.get(socketId);
  const requestedId = msg.party_id ?? undefined;
  if (
    binding !== undefined &&
    (binding.computationId !== computation.id ||
      (requestedId !== undefined &&
        normalisePartyId(requestedId, computation.partyCount) !== binding.partyId))
  ) {
    throw new JiffServerError(
      'socket-already-initialized',
      'this socket already initialized as another party',
    );
  }

  const digest = credentialDigest(credential);
  const slotId = requestedId ?? binding?.partyId;
  const party =
    slotId === undefined
      ? findSlot(computation, socketId, credential, digest, publicKey)
      : claimSlot(computation, slotId, socketId, credential, digest, publicKey);

  const keyIsNew = party.publicKey === undefined;
  party.credentialDigest = digest;
  party.publicKey = publicKey;
  party.socketId = socketId;
  ctx.state.sockets.set(socketId, { computationId: computation.id, partyId: party.id });
  computation.lastActivity = ctx.now();

  const actions: JiffAction[] = [
    {
      kind: 'emit',
      socketId,
      event: 'initialization',
      payload: JSON.stringify({
        party_id: party.id,
        party_count: computation.partyCount,
        public_keys: publicKeyMap(computation),
      }),
    },
  ];
  if (keyIsNew) {
    for (const other of computation.parties.values()) {
      if (other !== party && other.publicKey !== undefined) {
        actions.push(...enqueuePublicKeys(ctx, computation, other));
      }
    }
  }
  actions.push(...replay(computation, party));
  return actions;
}

/** The slot the client named; every refusal says why without revealing who holds it. */
function claimSlot(
  computation: ComputationState,
  rawId: unknown,
  socketId: string,
  credential: string,
  digest: Uint8Array,
  publicKey: string,
): PartyState {
  const id = normalisePartyId(rawId, computation.partyCount);
  const party = id === undefined ? undefined : computation.parties.get(id);
  if (party === undefined) {
    throw new JiffServerError(
      'invalid-party-id',
      `party_id must be an integer in 1..${computation.partyCount}`,
    );
  }
  if (!verifies(computation.verifyCredential, party.id, credential)) {
    throw new JiffServerError(
      'invalid-credential',
      `the credential is not valid for party ${party.id}`,
    );
  }
  if (party.credentialDigest !== undefined && !sameCredential(party.credentialDigest, digest)) {
    throw new JiffServerError(
      'invalid-credential',
      `party ${party.id} was claimed with another credential`,
    );
  }
  if (party.socketId !== undefined && party.socketId !== socketId) {
    throw new JiffServerError(
      'party-already-connected',
      `party ${party.id} is connected on another socket`,
    );
  }
  if (party.publicKey !== undefined && party.publicKey !== publicKey) {
    throw new JiffServerError(
      'key-mismatch',
      `party ${party.id} must re-initialize with the public key its peers already hold`,
    );
  }
  return party;
}

/**
 * No `party_id`: the lowest slot this credential may take (stock JIFF hands out the lowest free
 * id; here the roster decides which ids a credential may hold).
 */
function findSlot(
  computation: ComputationState,
  socketId: string,
  credential: string,
  digest: Uint8Array,
  publicKey: string,
): PartyState {
  for (const party of computation.parties.values()) {
    if (party.socketId !== undefined && party.socketId !== socketId) continue;
    if (party.credentialDigest !== undefined && !sameCredential(party.credentialDigest, digest))
      continue;
    if (party.publicKey !== undefined && party.publicKey !== publicKey) continue;
    if (verifies(computation.verifyCredential, party.id, credential)) return party;
  }
  throw new JiffServerError(
    'invalid-credential',
    'no free party slot of this computation accepts the credential',
  );
}
