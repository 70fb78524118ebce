import {
  canonicalBytes,
  fromHex,
  type IdentityKeyPair,
  signTagged,
  toHex,
  verifyTagged,
} from '#concord/crypto';
import type { PartyIndex } from '#concord/sharing';

/**
 * A party's consent to a session: its fresh X25519 session key, bound to the session and the
 * plan hash, signed by its long-term identity key. Peers check it against the identity keys they
 * pinned, so a coordinator cannot substitute a key it controls.
 */
export interface SessionAcceptance {
  readonly sessionId: string;
  readonly party: PartyIndex;
  readonly planHash: string;
  readonly sessionKey: string;
  /**
   * JIFF mode only: the X25519 public key (hex) of this party's JIFF client. Signed with the rest,
   * so peers can check the key the JIFF server distributes for this party against it.
   */
  readonly jiffKey?: string;
  readonly signature: string;
}

const PURPOSE = 'concord/session-key/v1';

/** The signed statement; without `jiffKey` it is exactly the native statement. */
function statement(a: Omit<SessionAcceptance, 'signature'>): Uint8Array {
  return canonicalBytes({
    sessionId: a.sessionId,
    party: a.party,
    planHash: a.planHash,
    sessionKey: a.sessionKey,
    ...(a.jiffKey === undefined ? {} : { jiffKey: a.jiffKey }),
  });
}

export function signAcceptance(
  identity: IdentityKeyPair,
  a: Omit<SessionAcceptance, 'signature'>,
): SessionAcceptance {
  return { ...a, signature: toHex(signTagged(identity.secretKey, PURPOSE, statement(a))) };
}

export function verifyAcceptance(pinnedKey: Uint8Array, a: SessionAcceptance): boolean {
  if (!/^[0-9a-f]{64}$/.test(a.sessionKey) || !/^[0-9a-f]{128}$/.test(a.signature)) return false;
  if (a.jiffKey !== undefined && !/^[0-9a-f]{64}$/.test(a.jiffKey)) return false;
  return verifyTagged(pinnedKey, PURPOSE, statement(a), fromHex(a.signature));
}
