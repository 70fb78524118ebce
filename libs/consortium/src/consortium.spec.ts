import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair, seededRandom, toHex } from '#concord/crypto';
import { consortiumToJson, parseConsortium } from './consortium.js';

const rng = seededRandom('consortium');
const key = (): string => toHex(generateIdentityKeyPair(rng).publicKey);
const valid = {
  name: 'Demo City',
  agencies: [
    { id: 'metro-transit', name: 'Metro Transit', role: 'transit', party: 1, identityKey: key() },
    { id: 'farepay', name: 'FarePay', role: 'payments', party: 2, identityKey: key() },
    { id: 'city-planning', name: 'City Planning', role: 'planning', party: 3, identityKey: key() },
  ],
};

describe('consortium files', () => {
  it('parse, sort by party and round-trip', () => {
    const c = parseConsortium({ ...valid, agencies: [...valid.agencies].reverse() });
    expect(c.agencies.map((a) => a.party)).toEqual([1, 2, 3]);
    // A v1 file is read as epoch 0 of each agency and written back as v2.
    expect(c.agencies.map((a) => a.keys.map((k) => k.epoch))).toEqual([[0], [0], [0]]);
    const v2 = consortiumToJson(c);
    expect(v2).toMatchObject({ format: 'concord-consortium/v2', name: valid.name, statements: [] });
    expect(parseConsortium(v2)).toEqual(c);
  });

  it.each([
    ['not an object', []],
    ['two agencies', { ...valid, agencies: valid.agencies.slice(0, 2) }],
    [
      'duplicate role',
      {
        ...valid,
        agencies: [valid.agencies[0], { ...valid.agencies[1], role: 'transit' }, valid.agencies[2]],
      },
    ],
    [
      'duplicate party',
      {
        ...valid,
        agencies: [valid.agencies[0], { ...valid.agencies[1], party: 1 }, valid.agencies[2]],
      },
    ],
    [
      'bad key',
      {
        ...valid,
        agencies: [{ ...valid.agencies[0], identityKey: 'abc' }, ...valid.agencies.slice(1)],
      },
    ],
    [
      'same key twice',
      {
        ...valid,
        agencies: [
          valid.agencies[0],
          { ...valid.agencies[1], identityKey: valid.agencies[0].identityKey },
          valid.agencies[2],
        ],
      },
    ],
    [
      'bad id',
      { ...valid, agencies: [{ ...valid.agencies[0], id: '../etc' }, ...valid.agencies.slice(1)] },
    ],
  ])('refuse %s', (_, json) => {
    expect(() => parseConsortium(json)).toThrow(/consortium|agenc|role|party|identity|id/);
  });
});
