import type { PartyIndex } from '#concord/sharing';
import type { PendingEnvelope } from './envelope-chunks.js';
import { PartySession, type PartySessionOptions } from './party-session.js';

/**
 * A party that appends `extra` zero bytes its peers never expect to its payload of `round`:
 * what a receiver's per-round size cap must refuse while the padding arrives.
 */
export function paddingSession(
  round: string,
  extra: number,
): new (options: PartySessionOptions) => PartySession {
  return class Padding extends PartySession {
    protected override seal(
      sealed: string,
      to: PartyIndex,
      payload: readonly Uint8Array[],
    ): PendingEnvelope[] {
      return super.seal(
        sealed,
        to,
        sealed === round ? [...payload, new Uint8Array(extra)] : payload,
      );
    }
  };
}
