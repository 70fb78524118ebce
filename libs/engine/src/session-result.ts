import { concatBytes, taggedHash, toHex, utf8 } from '#concord/crypto';
import { type FieldVector, toBigInts, toSafeIntegers, vectorToBytes } from '#concord/field';

/** One released output: the opened (noisy) vector, in the plan's field. */
export interface OpenedOutput {
  readonly name: string;
  readonly vector: FieldVector;
}

/** The noisy outputs a session released, as every party reconstructed them. */
export interface SessionResult {
  readonly outputs: readonly OpenedOutput[];
  /** Tagged hash of the opened vectors; all three parties report it and must agree. */
  readonly digest: string;
}

/**
 * The result digest: tagged SHA-256 over the session id and, per output, its name, length and
 * canonical limb bytes. Binary rather than JSON, so a million-cell release hashes in milliseconds;
 * anyone holding the decimal values re-encodes them in the plan's field to check it.
 */
export function resultDigest(sessionId: string, outputs: readonly OpenedOutput[]): string {
  const parts: Uint8Array[] = [utf8(sessionId)];
  for (const o of outputs) {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, o.vector.length);
    parts.push(utf8(o.name), header, vectorToBytes(o.vector));
  }
  return toHex(taggedHash('concord/result/v2', concatBytes(...parts)));
}

/** The opened values as signed integers. */
export function outputValues(output: OpenedOutput): bigint[] {
  return toBigInts(output.vector);
}

/** The opened values as comma-separated decimal integers (the wire and storage form). */
export function outputDecimals(output: OpenedOutput): string {
  try {
    return toSafeIntegers(output.vector).join(',');
  } catch {
    return toBigInts(output.vector).join(',');
  }
}
