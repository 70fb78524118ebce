import { describe, expect, it } from 'vitest';
import {
  generateIdentityKeyPair,
  type IdentityKeyPair,
  inMemorySigner,
  seededRandom,
  toHex,
} from '#concord/crypto';
import { applyStatement } from './apply-statement.js';
import type { Consortium, KeyStatement, RevocationStatement } from './consortium-types.js';
import { consortiumToJson, parseConsortium } from './consortium.js';
import { epochValidAt, keyAt, keyByEpoch } from './key-history.js';
import {
  addRevocationSignature,
  keyStatementToJson,
  parseKeyStatement,
  signRotation,
} from './key-statements.js';

const rng = seededRandom('key-history');
const pair = (): IdentityKeyPair => generateIdentityKeyPair(rng);
const signer = (p: IdentityKeyPair) => inMemorySigner(p.secretKey, 'plain-file');
const T = (s: string): number => Date.parse(s);
const [transit, payments, planning] = [pair(), pair(), pair()];
const v1 = {
  name: 'Demo City',
  agencies: [
    {
      id: 'metro-transit',
      name: 'Metro',
      role: 'transit',
      party: 1,
      identityKey: toHex(transit.publicKey),
    },
    {
      id: 'farepay',
      name: 'FarePay',
      role: 'payments',
      party: 2,
      identityKey: toHex(payments.publicKey),
    },
    {
      id: 'city-planning',
      name: 'Planning',
      role: 'planning',
      party: 3,
      identityKey: toHex(planning.publicKey),
    },
  ],
};
const genesis = parseConsortium(v1);
const next = pair();
const rotation = signRotation(
  genesis.name,
  { agencyId: 'metro-transit', fromEpoch: 0, newEpoch: 1, effectiveAt: T('2027-01-01T00:00:00Z') },
  signer(transit),
  signer(next),
);

function applied(c: Consortium, s: KeyStatement): Consortium {
  const r = applyStatement(c, s);
  if (!r.ok) throw r.error;
  return r.consortium;
}

function revocation(
  c: Consortium,
  over: Partial<RevocationStatement> = {},
  signers: [string, IdentityKeyPair, number][] = [
    ['farepay', payments, 0],
    ['city-planning', planning, 0],
  ],
  signedAt = T('2027-02-01T00:00:00Z'),
): RevocationStatement {
  const base: RevocationStatement = {
    type: 'revocation',
    agencyId: 'metro-transit',
    epoch: 1,
    publicKey: toHex(next.publicKey),
    revokedAt: T('2027-01-15T00:00:00Z'),
    reason: 'laptop stolen',
    signatures: [],
    ...over,
  };
  return signers.reduce(
    (s, [agencyId, key, keyEpoch]) =>
      addRevocationSignature(c.name, s, { agencyId, keyEpoch, signedAt }, signer(key)),
    base,
  );
}

const refusal = (c: Consortium, s: KeyStatement): string | undefined => {
  const r = applyStatement(c, s);
  return r.ok ? undefined : r.error.code;
};

describe('key history', () => {
  const rotated = applied(genesis, rotation);

  it('reads a v1 file as epoch 0, valid from the beginning', () => {
    expect(genesis.agencies[0].keys).toEqual([{ epoch: 0, publicKey: transit.publicKey }]);
    const k = keyAt(genesis, 1, 0);
    expect(k.ok && k.key.epoch).toBe(0);
    expect(keyAt(genesis, 4, 0)).toMatchObject({
      ok: false,
      refusal: { reason: 'unknown-agency' },
    });
  });

  it('hands over at the effective time, and says why an epoch is not valid', () => {
    const before = keyAt(rotated, 1, T('2026-12-31T23:59:59.999Z'));
    const after = keyAt(rotated, 1, T('2027-01-01T00:00:00Z'));
    expect(before.ok && before.key.epoch).toBe(0);
    expect(after.ok && after.key.epoch).toBe(1);
    expect(keyByEpoch(rotated, 1, 1)?.publicKey).toEqual(next.publicKey);
    expect(rotated.agencies[0].identityKey).toEqual(next.publicKey);
    expect(epochValidAt(rotated, 1, 0, T('2027-01-02T00:00:00Z'))).toMatchObject({
      ok: false,
      refusal: { reason: 'superseded', epoch: 0, since: T('2027-01-01T00:00:00Z') },
    });
    expect(epochValidAt(rotated, 1, 1, T('2026-06-01T00:00:00Z'))).toMatchObject({
      ok: false,
      refusal: { reason: 'not-yet-valid', epoch: 1 },
    });
    expect(epochValidAt(rotated, 1, 2, 0)).toMatchObject({
      ok: false,
      refusal: { reason: 'unknown-epoch' },
    });
    // Other agencies are untouched.
    expect(rotated.agencies[1]).toEqual(genesis.agencies[1]);
  });

  it('revokes from the declared compromise time on, not before', () => {
    const revoked = applied(rotated, revocation(rotated));
    const before = keyAt(revoked, 1, T('2027-01-14T00:00:00Z'));
    expect(before.ok && before.key.epoch).toBe(1);
    const after = keyAt(revoked, 1, T('2027-01-15T00:00:00Z'));
    expect(after).toMatchObject({ ok: false, refusal: { reason: 'revoked', epoch: 1 } });
    expect(!after.ok && after.refusal.message).toMatch(/revoked since 2027-01-15.*laptop stolen/);
  });

  it('round-trips v2 files, re-checking every statement', () => {
    const revoked = applied(rotated, revocation(rotated));
    const json = JSON.parse(JSON.stringify(consortiumToJson(revoked))) as Record<string, unknown>;
    expect(json.format).toBe('concord-consortium/v2');
    const again = parseConsortium(json);
    expect(again).toEqual(revoked);
    expect(consortiumToJson(again)).toEqual(json);
    // A history that its statements do not produce is refused…
    const tampered = structuredClone(json) as { agencies: { keys: { supersededAt?: string }[] }[] };
    tampered.agencies[0].keys[0].supersededAt = '2028-01-01T00:00:00.000Z';
    expect(() => parseConsortium(tampered)).toThrow(/not the history its statements produce/);
    // …and so is a statement that no longer checks out.
    const forged = structuredClone(json) as { statements: { effectiveAt?: string }[] };
    forged.statements[0].effectiveAt = '2027-01-02T00:00:00.000Z';
    expect(() => parseConsortium(forged)).toThrow(/statements\[0\] is refused: .*not signed/);
    expect(() => parseConsortium({ ...json, format: 'v3' })).toThrow(/format/);
    expect(() => parseConsortium({ ...json, statements: undefined })).toThrow(/statements/);
  });
});

describe('rotation refusals', () => {
  it.each<[string, () => KeyStatement, string]>([
    ['unknown agency', () => ({ ...rotation, agencyId: 'nobody' }), 'unknown-agency'],
    ['skipped epoch', () => ({ ...rotation, newEpoch: 2 }), 'epoch-out-of-order'],
    ['stale epoch', () => ({ ...rotation, fromEpoch: 1, newEpoch: 2 }), 'epoch-out-of-order'],
    [
      'reused key',
      () =>
        signRotation(
          genesis.name,
          { agencyId: 'metro-transit', fromEpoch: 0, newEpoch: 1, effectiveAt: 0 },
          signer(transit),
          signer(payments),
        ),
      'key-reused',
    ],
    [
      'changed effective time',
      () => ({ ...rotation, effectiveAt: rotation.effectiveAt + 1 }),
      'bad-signature',
    ],
    [
      'no proof of possession',
      () => ({ ...rotation, newKeySignature: rotation.oldKeySignature }),
      'bad-signature',
    ],
    [
      'signed by another agency',
      () =>
        signRotation(
          genesis.name,
          { agencyId: 'metro-transit', fromEpoch: 0, newEpoch: 1, effectiveAt: 0 },
          signer(payments),
          signer(pair()),
        ),
      'bad-signature',
    ],
    [
      'signed for another consortium',
      () =>
        signRotation(
          'Other City',
          { agencyId: 'metro-transit', fromEpoch: 0, newEpoch: 1, effectiveAt: 0 },
          signer(transit),
          signer(pair()),
        ),
      'bad-signature',
    ],
  ])('%s', (_, statement, code) => {
    expect(refusal(genesis, statement())).toBe(code);
  });

  it('an epoch starting no later than the previous one', () => {
    const rotated = applied(genesis, rotation);
    const third = pair();
    const early = signRotation(
      genesis.name,
      { agencyId: 'metro-transit', fromEpoch: 1, newEpoch: 2, effectiveAt: rotation.effectiveAt },
      signer(next),
      signer(third),
    );
    expect(refusal(rotated, early)).toBe('effective-too-early');
    const later = { ...early, effectiveAt: rotation.effectiveAt + 1 };
    expect(refusal(rotated, later)).toBe('bad-signature');
  });

  it('from a revoked epoch', () => {
    const rotated = applied(genesis, rotation);
    const revoked = applied(rotated, revocation(rotated));
    const s = signRotation(
      genesis.name,
      {
        agencyId: 'metro-transit',
        fromEpoch: 1,
        newEpoch: 2,
        effectiveAt: T('2027-03-01T00:00:00Z'),
      },
      signer(next),
      signer(pair()),
    );
    expect(refusal(revoked, s)).toBe('epoch-revoked');
  });
});

describe('revocation refusals', () => {
  const rotated = applied(genesis, rotation);
  it.each<[string, () => KeyStatement, string]>([
    ['unknown agency', () => revocation(rotated, { agencyId: 'nobody' }), 'unknown-agency'],
    ['unknown epoch', () => revocation(rotated, { epoch: 5 }), 'unknown-epoch'],
    [
      'another key',
      () => revocation(rotated, { publicKey: toHex(payments.publicKey) }),
      'key-mismatch',
    ],
    [
      'before the epoch began',
      () => revocation(rotated, { revokedAt: T('2026-01-01T00:00:00Z') }),
      'revoked-before-valid',
    ],
    [
      'signed by the revoked agency itself',
      () =>
        revocation(rotated, {}, [
          ['metro-transit', next, 1],
          ['farepay', payments, 0],
        ]),
      'wrong-signers',
    ],
    [
      'signed twice by one agency',
      () => ({
        ...revocation(rotated, {}, [['farepay', payments, 0]]),
        signatures: [
          ...revocation(rotated, {}, [['farepay', payments, 0]]).signatures,
          { ...revocation(rotated, {}, [['farepay', payments, 0]]).signatures[0] },
        ],
      }),
      'wrong-signers',
    ],
    [
      'one signature only',
      () => revocation(rotated, {}, [['farepay', payments, 0]]),
      'incomplete-signatures',
    ],
    [
      'a signer key of an unknown epoch',
      () =>
        revocation(rotated, {}, [
          ['farepay', payments, 3],
          ['city-planning', planning, 0],
        ]),
      'signer-key-invalid',
    ],
    [
      'a signature by the wrong key',
      () =>
        revocation(rotated, {}, [
          ['farepay', planning, 0],
          ['city-planning', planning, 0],
        ]),
      'bad-signature',
    ],
    [
      'a changed reason',
      () => ({ ...revocation(rotated), reason: 'nothing happened' }),
      'bad-signature',
    ],
  ])('%s', (_, statement, code) => {
    expect(refusal(rotated, statement())).toBe(code);
  });

  it('twice', () => {
    const revoked = applied(rotated, revocation(rotated));
    expect(refusal(revoked, revocation(revoked))).toBe('already-revoked');
  });

  it('signed with a key that was superseded when it signed', () => {
    // farepay rotates at 2027-01-10; it then signs with epoch 0 on 2027-02-01: refused.
    const fp1 = pair();
    const fpRotated = applied(
      rotated,
      signRotation(
        genesis.name,
        { agencyId: 'farepay', fromEpoch: 0, newEpoch: 1, effectiveAt: T('2027-01-10T00:00:00Z') },
        signer(payments),
        signer(fp1),
      ),
    );
    expect(refusal(fpRotated, revocation(fpRotated))).toBe('signer-key-invalid');
    const ok = revocation(fpRotated, {}, [
      ['farepay', fp1, 1],
      ['city-planning', planning, 0],
    ]);
    expect(refusal(fpRotated, ok)).toBeUndefined();
  });
});

describe('statement files', () => {
  it('round-trip through JSON and refuse malformed ones', () => {
    const json = JSON.parse(JSON.stringify(keyStatementToJson(rotation))) as Record<
      string,
      unknown
    >;
    expect(json.effectiveAt).toBe('2027-01-01T00:00:00.000Z');
    expect(parseKeyStatement(json)).toEqual(rotation);
    expect(() => parseKeyStatement({ type: 'other' })).toThrow(/rotation" or "revocation/);
    expect(() => parseKeyStatement({ ...json, effectiveAt: 'tomorrow' })).toThrow(/ISO-8601/);
    expect(() => parseKeyStatement({ ...json, extra: 1 })).toThrow(/unknown field "extra"/);
    expect(() => parseKeyStatement([])).toThrow(/JSON object/);
  });
});
