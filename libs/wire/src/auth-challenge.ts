import { canonicalBytes, fromHex, type IdentitySigner, toHex, verifyTagged } from '#concord/crypto';

/** Challenge–response login of an agency node: its identity key signs a fresh nonce. */
const PURPOSE = 'concord/node-auth/v1';

function message(nonce: string, agencyId: string, coordinator: string): Uint8Array {
  return canonicalBytes({ nonce, agencyId, coordinator });
}

export function signAuthChallenge(
  identity: IdentitySigner,
  nonce: string,
  agencyId: string,
  coordinator: string,
): string {
  return toHex(identity.signTagged(PURPOSE, message(nonce, agencyId, coordinator)));
}

export function verifyAuthChallenge(
  publicKey: Uint8Array,
  nonce: string,
  agencyId: string,
  coordinator: string,
  signature: string,
): boolean {
  if (!/^[0-9a-f]{128}$/.test(signature)) return false;
  return verifyTagged(
    publicKey,
    PURPOSE,
    message(nonce, agencyId, coordinator),
    fromHex(signature),
  );
}
