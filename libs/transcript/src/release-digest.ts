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

/** What a release digest covers of each output besides its values. */
export type PublishedOutputHeader = Omit<PublishedOutput, 'values'>;

/**
 * Which release digest a release entry carries: 1 over the values' canonical decimal text, 2 over
 * their canonical field limbs. A release entry without `releaseDigestVersion` is version 1.
 */
export type ReleaseDigestVersion = 1 | 2;

/**
 * The version 1 release digest: tagged SHA-256 over the session id, each output's name, unit,
 * interval and confidence level (canonical JSON), then each output's value text. Releases whose
 * reporter sent decimal text (a node of an earlier release) still carry it, as does every release
 * sealed before version 2; verifiers recompute it from the text they were served.
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
  outputs: readonly PublishedOutputHeader[],
  valueBytes: readonly Uint8Array[],
): string {
  if (valueBytes.length !== outputs.length)
    throw new RangeError(`${outputs.length} outputs but ${valueBytes.length} value texts`);
  const header = canonicalBytes({ sessionId, outputs: outputs.map(headerOf) });
  return toHex(taggedHash('concord/release/v1', header, ...valueBytes));
}

/**
 * The version 2 release digest: tagged SHA-256 over the session id, the plan's field, each
 * output's name, unit, cell count, interval and confidence level (canonical JSON), then each
 * output's canonical limb bytes: exactly what the reporter sends, the coordinator stores and the
 * result digest covers. Hashing 4 MB of limbs takes milliseconds; writing a million values as text
 * first, as version 1 needs on every party and on every read, took a hundred or more.
 *
 * The published text stays bound to it: the text is the one canonical spelling of the limbs (no
 * leading zeros, no "-0", each value within the field's signed range), so a verifier holding the
 * text parses it strictly back into limbs (`publishedVector` in #concord/engine) and re-hashes.
 */
export function releaseDigestOfLimbs(
  sessionId: string,
  field: string,
  outputs: readonly (PublishedOutputHeader & { readonly cells: number })[],
  limbBytes: readonly Uint8Array[],
): string {
  if (limbBytes.length !== outputs.length)
    throw new RangeError(`${outputs.length} outputs but ${limbBytes.length} limb vectors`);
  const header = canonicalBytes({
    sessionId,
    field,
    outputs: outputs.map((o) => ({ ...headerOf(o), cells: o.cells })),
  });
  return toHex(taggedHash('concord/release/v2', header, ...limbBytes));
}

function headerOf(o: PublishedOutputHeader): PublishedOutputHeader {
  return {
    name: o.name,
    unit: o.unit,
    intervalHalfWidth: o.intervalHalfWidth,
    confidenceLevel: o.confidenceLevel,
  };
}
