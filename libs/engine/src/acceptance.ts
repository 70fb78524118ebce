import {
  canonicalBytes,
  fromHex,
  type IdentityKeyPair,
  signTagged,
  toHex,
  verifyTagged,
} from '#concord/crypto';
import type { PartyIndex } from '#concord/sharing';
import { EngineError } from './engine-error.js';

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
  /**
   * Which epoch of the party's identity key signs (docs/security.md, key rotation). Signed with
   * the rest, so a seal is checked with the key the party itself named. Absent in acceptances made
   * before key epochs existed: those are epoch 0, signed without the field.
   */
  readonly keyEpoch?: number;
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
    ...(a.keyEpoch === undefined ? {} : { keyEpoch: a.keyEpoch }),
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
  if (a.keyEpoch !== undefined && !(Number.isSafeInteger(a.keyEpoch) && a.keyEpoch >= 0))
    return false;
  return verifyTagged(pinnedKey, PURPOSE, statement(a), fromHex(a.signature));
}

/**
 * Checks the three relayed acceptances against the pinned identity keys, this session and plan,
 * and the engine's mode (a JIFF key present exactly in JIFF mode), and that this party's own
 * acceptance carries the keys it generated. A forged or substituted key aborts naming its party.
 */
export function checkAcceptances(
  list: readonly SessionAcceptance[],
  expected: {
    readonly sessionId: string;
    readonly planHash: string;
    readonly pinnedKeys: ReadonlyMap<PartyIndex, Uint8Array>;
    /** The epoch of each pinned key: the one valid now in this node's consortium file (absent: 0). */
    readonly keyEpochs?: ReadonlyMap<PartyIndex, number>;
    readonly self: PartyIndex;
    readonly own: { readonly sessionKey: string; readonly jiffKey?: string };
  },
): Map<PartyIndex, SessionAcceptance> {
  const jiff = expected.own.jiffKey !== undefined;
  const accepted = new Map<PartyIndex, SessionAcceptance>();
  for (const p of [1, 2, 3] as const) {
    const a = list.find((x) => x.party === p);
    const pinned = expected.pinnedKeys.get(p);
    if (
      !a ||
      !pinned ||
      a.sessionId !== expected.sessionId ||
      a.planHash !== expected.planHash ||
      (a.jiffKey !== undefined) !== jiff ||
      !verifyAcceptance(pinned, a)
    ) {
      throw new EngineError(
        'peer-key-invalid',
        `party ${p}'s ${jiff ? 'JIFF' : 'session'} key is not signed by its pinned identity key for this plan`,
        [p],
      );
    }
    const epoch = expected.keyEpochs?.get(p) ?? 0;
    if ((a.keyEpoch ?? 0) !== epoch) {
      throw new EngineError(
        'peer-key-invalid',
        `party ${p} accepted with its key epoch ${a.keyEpoch ?? 0}, but epoch ${epoch} is the one valid now in this agency's consortium file`,
        [p],
      );
    }
    accepted.set(p, a);
  }
  const own = accepted.get(expected.self);
  if (own?.sessionKey !== expected.own.sessionKey || own.jiffKey !== expected.own.jiffKey) {
    throw new EngineError(
      'peer-key-invalid',
      'the relayed acceptances replace this party’s own keys',
    );
  }
  return accepted;
}
