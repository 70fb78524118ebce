import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';

/** The noisy outputs a session released, as every party reconstructed them. */
export interface SessionResult {
  readonly outputs: readonly { readonly name: string; readonly values: readonly bigint[] }[];
  /** Tagged hash of the canonical result; all three parties report it and must agree. */
  readonly digest: string;
}

export function resultDigest(sessionId: string, outputs: SessionResult['outputs']): string {
  return toHex(
    taggedHash(
      'concord/result/v1',
      canonicalBytes({
        sessionId,
        outputs: outputs.map((o) => ({ name: o.name, values: o.values.map(String) })),
      }),
    ),
  );
}
