import { generateIdentitySigner, type IdentitySigner, seededRandom } from '#concord/crypto';
import { type Consortium, parseConsortium } from '#concord/consortium';
import { type PartyIndex } from '#concord/sharing';

/** The role → party map every test plan uses (the demo consortium's). */
export const PARTY_OF_ROLE = { transit: 1, payments: 2, planning: 3 } as const;

/** Three seeded identities, one per party (index 0 is party 1). */
export function testIdentities(
  seed: string,
): readonly [IdentitySigner, IdentitySigner, IdentitySigner] {
  const rng = seededRandom(`test/dp/identities/${seed}`);
  return [generateIdentitySigner(rng), generateIdentitySigner(rng), generateIdentitySigner(rng)];
}

/** The consortium file an auditor would pin for those identities. */
export function testConsortium(identities: readonly IdentitySigner[]): Consortium {
  const agencies = [
    { id: 'metro-transit', name: 'Metro Transit Authority', role: 'transit', party: 1 },
    { id: 'farepay', name: 'FarePay Processing', role: 'payments', party: 2 },
    { id: 'city-planning', name: 'City Planning Department', role: 'planning', party: 3 },
  ];
  return parseConsortium({
    name: 'Test City',
    agencies: agencies.map((a, i) => ({
      ...a,
      identityKey: Buffer.from(identities[i].publicKey).toString('hex'),
    })),
  });
}

export function pinnedKeys(identities: readonly IdentitySigner[]): Map<PartyIndex, Uint8Array> {
  return new Map<PartyIndex, Uint8Array>(
    identities.map((id, i) => [(i + 1) as PartyIndex, id.publicKey]),
  );
}
