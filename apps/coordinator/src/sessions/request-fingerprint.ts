import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';
import { Rational } from '#concord/dp';

/** What makes two report requests the same request. */
export interface CanonicalRequest {
  /** The canonical hash of the protocol definition the request resolved to (id and version). */
  readonly protocolHash: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The budget as the analyst wrote it ("0.5" and "1/2" are the same budget). */
  readonly budget: string;
  /** The values of each axis the analyst narrowed, in the public order; absent if none was. */
  readonly axes?: Readonly<Record<string, readonly string[]>>;
}

/**
 * SHA-256 (hex) over the canonical request: RFC 8785 JSON of the resolved protocol, the
 * parameters, the budget as an exact rational and any axis selection. A repeated request id is the same request
 * only if this matches; the request id itself is not part of it (it is the key, not the terms).
 */
export function requestFingerprint(request: CanonicalRequest): string {
  return toHex(
    taggedHash(
      'concord/report-request/v1',
      canonicalBytes({
        protocolHash: request.protocolHash,
        parameters: request.parameters,
        budget: Rational.parse(request.budget).toString(),
        // Only when present, so a request without a selection keeps the fingerprint it had.
        ...(request.axes === undefined ? {} : { axes: request.axes }),
      }),
    ),
  );
}
