import { canonicalBytes, taggedHash, toHex, utf8 } from '#concord/crypto';

/** One output exactly as it is published: what analysts read and auditors re-hash. */
export interface PublishedOutput {
  readonly name: string;
  readonly unit: string;
  /** The noisy cell values as canonical decimal integers separated by commas ("12,-3,0"). */
  readonly values: string;
  /** The exact interval half-width, a decimal integer. */
  readonly intervalHalfWidth: string;
  /** The interval's confidence level as published (e.g. "0.95"). */
  readonly confidenceLevel: string;
}

/**
 * The digest of a release: tagged SHA-256 over the session id, each output's name, unit, interval
 * and confidence level (canonical JSON), then each output's value text. Every agency recomputes it
 * from the values it opened before sealing; the coordinator's `/verification` and `concord audit
 * verify` recompute it from the values they serve or were given. Text, not field limbs, because
 * the text is what analysts are served and auditors hold (the coordinator stores the limbs and
 * writes this text from them): a changed digit anywhere changes the digest.
 */
export function releaseDigest(sessionId: string, outputs: readonly PublishedOutput[]): string {
  return releaseDigestOfBytes(
    sessionId,
    outputs,
    outputs.map((o) => utf8(o.values)),
  );
}

/**
 * The same digest with each output's value text given as its UTF-8 bytes: for a server holding
 * a million-cell release as bytes, so it never makes the text a string only to encode it again.
 */
export function releaseDigestOfBytes(
  sessionId: string,
  outputs: readonly Omit<PublishedOutput, 'values'>[],
  valueBytes: readonly Uint8Array[],
): string {
  if (valueBytes.length !== outputs.length)
    throw new RangeError(`${outputs.length} outputs but ${valueBytes.length} value texts`);
  const header = canonicalBytes({
    sessionId,
    outputs: outputs.map((o) => ({
      name: o.name,
      unit: o.unit,
      intervalHalfWidth: o.intervalHalfWidth,
      confidenceLevel: o.confidenceLevel,
    })),
  });
  return toHex(taggedHash('concord/release/v1', header, ...valueBytes));
}
