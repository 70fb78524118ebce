import { fromHex, type IdentitySigner, utf8, verifyTagged } from '#concord/crypto';

/** What a party signs to seal a transcript: the session and the head hash it verified. */
const SEAL_PURPOSE = 'concord/transcript/seal/v1';

function sealMessage(sessionId: string, headHash: string): Uint8Array {
  return utf8(`${sessionId}\n${headHash}`);
}

export function signSeal(
  identity: IdentitySigner,
  sessionId: string,
  headHash: string,
): Uint8Array {
  return identity.signTagged(SEAL_PURPOSE, sealMessage(sessionId, headHash));
}

export function verifySeal(
  publicKey: Uint8Array,
  sessionId: string,
  headHash: string,
  signatureHex: string,
): boolean {
  if (!/^[0-9a-f]{128}$/.test(signatureHex)) return false;
  return verifyTagged(
    publicKey,
    SEAL_PURPOSE,
    sealMessage(sessionId, headHash),
    fromHex(signatureHex),
  );
}
