import { canonicalBytes, taggedHash, toHex, utf8 } from '#concord/crypto';

/** The relayed JIFF events whose payloads travel between parties (end-to-end encrypted). */
export type RelayedEvent = 'share' | 'open' | 'custom';

/**
 * One relayed message, as its sender, the server and its receiver can each compute it: the event,
 * the op id (`share`, `open`) or tag (`custom`), and the payload field as sent (the libsodium box
 * `{nonce, cipher}`, or the plain string of an unencrypted custom message). The receiver's copy
 * differs from the sender's only in `party_id`, which is left out. A retransmitted message has the
 * same digest, so each side counts it once.
 */
export function relayDigest(event: RelayedEvent, id: string, content: unknown): string {
  return toHex(taggedHash('concord/jiff/relay/v1', canonicalBytes({ event, id, content })));
}

/**
 * Digest of a set of relay digests (order-free: delivery is FIFO per receiver, but messages are
 * at-least-once, so each side deduplicates and sorts before hashing).
 */
export function relaySetDigest(digests: Iterable<string>): { messages: number; digest: string } {
  const sorted = [...new Set(digests)].sort();
  return {
    messages: sorted.length,
    digest: toHex(taggedHash('concord/jiff/relay-set/v1', utf8(sorted.join(',')))),
  };
}
