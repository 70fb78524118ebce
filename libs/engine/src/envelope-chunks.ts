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

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Splits a round's payload into chunks of at most `chunkBytes` and seals each as its own
 * envelope, so no single relayed message exceeds the transport's size limit.
 */
export function sealChunks(
  key: Uint8Array,
  base: Omit<EnvelopeHeader, 'chunk' | 'chunks'>,
  payload: Uint8Array,
  chunkBytes: number,
  rng: RandomSource,
): OutboundEnvelope[] {
  const chunks = Math.max(1, Math.ceil(payload.length / chunkBytes));
  const out: OutboundEnvelope[] = [];
  for (let chunk = 0; chunk < chunks; chunk++) {
    const header = { ...base, chunk, chunks };
    const bytes = sealEnvelope(
      key,
      header,
      payload.subarray(chunk * chunkBytes, (chunk + 1) * chunkBytes),
      rng,
    );
    out.push({ header, bytes, digest: envelopeDigest(bytes) });
  }
  return out;
}

export function envelopeDigest(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/** Collects the chunks of one (round, sender) payload until it is complete. */
export class ChunkAssembler {
  private readonly parts: (Uint8Array | undefined)[];
  private received = 0;

  constructor(readonly chunks: number) {
    this.parts = new Array<Uint8Array | undefined>(chunks);
  }

  /** Returns false when this chunk was already received. */
  add(chunk: number, plaintext: Uint8Array): boolean {
    if (this.parts[chunk]) return false;
    this.parts[chunk] = plaintext;
    this.received++;
    return true;
  }

  complete(): boolean {
    return this.received === this.chunks;
  }

  payload(): Uint8Array {
    // One chunk (every vector up to the chunk size) is already the payload: no copy.
    if (this.chunks === 1) return this.parts[0]!;
    return Buffer.concat(this.parts as Uint8Array[]);
  }
}
