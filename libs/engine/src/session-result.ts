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
 * canonical limb bytes: exactly what the reporter sends and the coordinator stores. Binary rather
 * than JSON, so a million-cell release hashes in milliseconds; anyone holding the decimal values
 * re-encodes them in the plan's field to check it.
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

const decimals = new WeakMap<OpenedOutput, string>();

/**
 * The opened values as comma-separated canonical decimal integers: what the release digest
 * covers and what analysts are served (the wire and the database carry the limbs). Computed once
 * per output: every party hashes it before sealing, and the coordinator for the release entry.
 */
export function outputDecimals(output: OpenedOutput): string {
  let text = decimals.get(output);
  if (text === undefined) {
    let values: Float64Array | undefined;
    try {
      values = toSafeIntegers(output.vector);
    } catch {
      values = undefined; // beyond 2^53: the exact, slower path
    }
    text = values ? safeIntegerText(values) : toBigInts(output.vector).join(',');
    decimals.set(output, text);
  }
  return text;
}

/**
 * Safe integers as comma-separated decimals, written digit by digit into one buffer with each
 * value's end (the offset just past its last digit) noted on the way: a million values take a
 * fraction of what formatting each number as a string and joining them does.
 */
export function safeIntegerDecimals(values: Float64Array): { bytes: Buffer; ends: Uint32Array } {
  // At most 16 digits and a sign per value, and a comma between values.
  const out = Buffer.allocUnsafe(Math.max(0, values.length * 18 - 1));
  const ends = new Uint32Array(values.length);
  const digits = new Uint8Array(16);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out[at++] = 44; // ','
    let v = values[i];
    if (v < 0) {
      out[at++] = 45; // '-'
      v = -v;
    }
    let n = 0;
    do {
      const q = Math.floor(v / 10);
      digits[n++] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
    while (n > 0) out[at++] = digits[--n];
    ends[i] = at;
  }
  return { bytes: out.subarray(0, at), ends };
}

function safeIntegerText(values: Float64Array): string {
  return safeIntegerDecimals(values).bytes.toString('latin1');
}
