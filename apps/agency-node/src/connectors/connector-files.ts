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
