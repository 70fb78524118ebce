import type { PlanInput } from '#concord/protocol';
import { ConnectorError } from './connector-error.js';

/**
 * The named files a connector needs from the node configuration, or a configuration error that
 * names the connector and every missing entry.
 */
export function requireFiles<const K extends string>(
  connector: string,
  files: Readonly<Record<string, string>>,
  names: readonly K[],
): Record<K, string> {
  const missing = names.filter((n) => !files[n]);
  if (missing.length > 0) {
    throw new ConnectorError(
      'node configuration',
      undefined,
      undefined,
      `connector ${connector} needs file(s) ${missing.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  return Object.fromEntries(names.map((n) => [n, files[n]])) as Record<K, string>;
}

/**
 * The input's declared contribution bound, which a connector bounding per privacy unit cannot
 * work without: a protocol error naming the input otherwise.
 */
export function requireContribution(input: PlanInput): NonNullable<PlanInput['contribution']> {
  if (!input.contribution) {
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `input ${input.name} declares no contribution bound`,
    );
  }
  return input.contribution;
}

/** A per-card connector's card list (the join's tokens, in order), or a clear refusal. */
export function requireCards(
  connector: string,
  cards: readonly string[] | undefined,
): readonly string[] {
  if (!cards) {
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `connector ${connector} reads per card and needs the join's card list`,
    );
  }
  return cards;
}
