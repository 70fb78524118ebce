import { canonicalJson, sha256, toHex, utf8 } from '#concord/crypto';
import { type CityParams } from './params.js';

/** SHA-256 (hex) of the RFC 8785 canonical JSON of the resolved parameters. */
export function paramsHash(params: CityParams): string {
  return toHex(sha256(utf8(canonicalJson(params))));
}
