import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';
import type { ProtocolDefinition } from './protocol-definition.js';

/** The canonical hash agencies approve: tagged SHA-256 over RFC 8785 JSON of the declaration. */
export function protocolHash(definition: ProtocolDefinition): string {
  return toHex(taggedHash('concord/protocol/v1', canonicalBytes(definition)));
}
