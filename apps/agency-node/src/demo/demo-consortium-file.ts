import { writeFileSync } from 'node:fs';
import { type AgencyRole, consortiumToJson, parseConsortium } from '#concord/consortium';

/** The demos' consortium file ("Demo City"): the three agencies' pinned keys, checked, as JSON. */
export function writeDemoConsortium(
  file: string,
  agencies: readonly {
    id: string;
    name: string;
    role: AgencyRole;
    party: 1 | 2 | 3;
    identityKey: string;
  }[],
): void {
  const consortium = parseConsortium({
    name: 'Demo City',
    agencies: agencies.map(({ id, name, role, party, identityKey }) => ({
      id,
      name,
      role,
      party,
      identityKey,
    })),
  });
  writeFileSync(file, `${JSON.stringify(consortiumToJson(consortium), null, 2)}\n`);
}
