import {
  type EnvelopeHeader,
  type RandomSource,
  sealEnvelope,
  sha256,
  toHex,
} from '#concord/crypto';

/** An encrypted envelope ready for the relay, with the digest the transcript will record. */
export interface OutboundEnvelope {
  readonly header: EnvelopeHeader;
  readonly bytes: Uint8Array;
  readonly digest: string;
}

/**
 * One chunk of a round, sealed when called: its nonce is drawn and its bytes encrypted then. A
 * driver that calls them one at a time, as the transport takes them, holds one sealed chunk
 * rather than a round's worth and overlaps sealing with the relay. Call each once, in order: the
 * nonces come from the session's random source in that order.
 */
export type PendingEnvelope = () => OutboundEnvelope;

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Splits a round's payload (given as pieces whose concatenation it is) into chunks of at most
 * `chunkBytes`, each sealed as its own envelope when its turn comes, so no single relayed message
 * exceeds the transport's size limit. The pieces are encrypted where they lie (nothing is
 * concatenated), so they must not change until the last chunk is sealed.
 */
export function sealChunks(
  key: Uint8Array,
  base: Omit<EnvelopeHeader, 'chunk' | 'chunks'>,
  payload: readonly Uint8Array[],
  chunkBytes: number,
  rng: RandomSource,
): PendingEnvelope[] {
  const total = payload.reduce((n, piece) => n + piece.length, 0);
  const chunks = Math.max(1, Math.ceil(total / chunkBytes));
  const out: PendingEnvelope[] = [];
  let piece = 0;
  let offset = 0; // into payload[piece]
  for (let chunk = 0; chunk < chunks; chunk++) {
    const pieces: Uint8Array[] = [];
    let room = chunkBytes;
    while (room > 0 && piece < payload.length) {
      const take = Math.min(room, payload[piece].length - offset);
      if (take > 0) pieces.push(payload[piece].subarray(offset, offset + take));
      room -= take;
      offset += take;
      if (offset === payload[piece].length) {
        piece++;
        offset = 0;
      }
    }
    const header = { ...base, chunk, chunks };
    out.push(() => {
      const bytes = sealEnvelope(key, header, pieces, rng);
      return { header, bytes, digest: envelopeDigest(bytes) };
    });
  }
  return out;
}

export function envelopeDigest(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/**
 * Puts one (round, sender) payload's chunks back in order as they arrive: each chunk is handed to
 * `deliver` as soon as every chunk before it was, so a receiver reads the payload chunk by chunk
 * (the relay keeps a sender's order; only a resend after a reconnection can overtake). `deliver`
 * must not keep the bytes it is given: a chunk's plaintext may be a buffer the caller reuses, so
 * a chunk that has to wait for an earlier one is copied.
 */
export class ChunkSequencer {
  private readonly seen: boolean[];
  private readonly waiting = new Map<number, Uint8Array>();
  private next = 0;

  constructor(
    readonly chunks: number,
    private readonly deliver: (plaintext: Uint8Array) => void,
  ) {
    this.seen = new Array<boolean>(chunks).fill(false);
  }

  /** Returns false when this chunk was already received. */
  add(chunk: number, plaintext: Uint8Array): boolean {
    if (this.seen[chunk]) return false;
    this.seen[chunk] = true;
    if (chunk !== this.next) {
      this.waiting.set(chunk, plaintext.slice());
      return true;
    }
    this.waiting.set(chunk, plaintext);
    for (let part = this.waiting.get(this.next); part; part = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      this.deliver(part);
    }
    return true;
  }

  complete(): boolean {
    return this.next === this.chunks;
  }
}
