import { canonicalBytes, fromHex, type IdentitySigner, toHex, verifyTagged } from '#concord/crypto';

/**
 * The socket.io path of the coordinator's JIFF-compatible endpoint (its own socket.io server on the
 * coordinator's HTTP port, accepting Engine.IO 3 clients; the node gateway stays on the default path).
 */
export const JIFF_SOCKET_PATH = '/jiff/socket.io';

/** An agency's JIFF credential: its identity key's signature over the computation and its slot. */
const CREDENTIAL_PURPOSE = 'concord/jiff-credential/v1';

function credentialStatement(computationId: string, partyId: number): Uint8Array {
  return canonicalBytes({ computationId, partyId });
}

/**
 * The credential a node puts in JIFF's `initialization.credential`: no shared secret, only a
 * signature the coordinator checks against the identity key it pinned for that party. It is bound
 * to one computation and one roster slot, so it cannot claim another session or another slot.
 */
export function signJiffCredential(
  identity: IdentitySigner,
  computationId: string,
  partyId: number,
): string {
  return toHex(
    identity.signTagged(CREDENTIAL_PURPOSE, credentialStatement(computationId, partyId)),
  );
}

export function verifyJiffCredential(
  publicKey: Uint8Array,
  computationId: string,
  partyId: number,
  credential: string,
): boolean {
  if (typeof credential !== 'string' || !/^[0-9a-f]{128}$/.test(credential)) return false;
  return verifyTagged(
    publicKey,
    CREDENTIAL_PURPOSE,
    credentialStatement(computationId, partyId),
    fromHex(credential),
  );
}
