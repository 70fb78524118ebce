import { describe, expect, it } from 'vitest';
import { applyStatement, genesisConsortium, signRotation } from '#concord/consortium';
import { generateIdentityKeyPair, inMemorySigner, seededRandom } from '#concord/crypto';
import { readCatalogueDirectory } from '#concord/protocol';
import type { SessionInviteDto } from '#concord/wire';
import { decideInvitation } from './invitation-policy.js';

const rng = seededRandom('invitation-policy');
const ids = [0, 1, 2].map(() => generateIdentityKeyPair(rng));
const genesis = genesisConsortium(
  'policy',
  (['transit', 'payments', 'planning'] as const).map((role, i) => ({
    id: `agency-${i + 1}`,
    name: `Agency ${i + 1}`,
    role,
    party: (i + 1) as 1 | 2 | 3,
    identityKey: ids[i].publicKey,
  })),
);
const T = Date.parse('2027-01-01T00:00:00Z');
const rotated = applyStatement(
  genesis,
  signRotation(
    'policy',
    { agencyId: 'agency-2', fromEpoch: 0, newEpoch: 1, effectiveAt: T },
    inMemorySigner(ids[1].secretKey, 'plain-file'),
    inMemorySigner(generateIdentityKeyPair(rng).secretKey, 'plain-file'),
  ),
);
if (!rotated.ok) throw rotated.error;
// The key checks come before anything about the protocol: a bare invitation reaches them.
const invite = {
  engine: 'jiff',
  request: { protocolHash: 'x' },
} as unknown as SessionInviteDto;
const decide = (party: number, keyEpoch: number, now: number) =>
  decideInvitation(invite, {
    engine: 'native',
    approvedProtocols: [],
    catalogue: readCatalogueDirectory('protocols'),
    consortium: rotated.consortium,
    identity: { party, keyEpoch, now },
  });

describe('an invitation, by the keys in force', () => {
  it('is declined by a node holding a key that is not in force now', () => {
    const stale = decide(2, 0, T + 1);
    expect(stale).toMatchObject({ ok: false, code: 'key-not-valid' });
    expect(!stale.ok && stale.message).toMatch(/holds key epoch 0, but epoch 1 is in force now/);
    expect(decide(2, 1, T - 1)).toMatchObject({ ok: false, code: 'key-not-valid' });
  });

  it('goes on to the usual checks when every key is in force', () => {
    expect(decide(2, 0, T - 1)).toMatchObject({ ok: false, code: 'engine-mismatch' });
    expect(decide(1, 0, T + 1)).toMatchObject({ ok: false, code: 'engine-mismatch' });
  });
});
