import { utf8 } from '#concord/crypto';
import { describe, expect, it } from 'vitest';
import {
  type PublishedOutput,
  releaseDigest,
  releaseDigestOfBytes,
  releaseDigestOfLimbs,
} from './release-digest.js';

const outputs: PublishedOutput[] = [
  {
    name: 'riders',
    unit: 'count',
    values: '12,-3,0',
    intervalHalfWidth: '9',
    confidenceLevel: '0.95',
  },
  {
    name: 'cents',
    unit: 'cents',
    values: '1500',
    intervalHalfWidth: '40',
    confidenceLevel: '0.95',
  },
];

describe('the release digest over value bytes', () => {
  it('is the digest of the same text, and changes with any byte of it', () => {
    const digest = releaseDigest('s-1', outputs);
    expect(
      releaseDigestOfBytes(
        's-1',
        outputs,
        outputs.map((o) => utf8(o.values)),
      ),
    ).toBe(digest);
    expect(releaseDigestOfBytes('s-1', outputs, [utf8('12,-3,1'), utf8('1500')])).not.toBe(digest);
    // The boundary between outputs is part of what is hashed.
    expect(releaseDigestOfBytes('s-1', outputs, [utf8('12,-3,01'), utf8('500')])).not.toBe(digest);
    expect(() => releaseDigestOfBytes('s-1', outputs, [utf8('1')])).toThrow(RangeError);
  });
});

describe('the release digest over limbs (version 2)', () => {
  const headers = outputs.map((o, i) => ({ ...o, cells: i === 0 ? 3 : 1 }));
  const limbs = [
    new Uint8Array([12, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]),
    new Uint8Array([220, 5, 0, 0]),
  ];

  it('binds the session, the field, every header field and every limb byte', () => {
    const digest = releaseDigestOfLimbs('s-1', 'rns31x1', headers, limbs);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(releaseDigestOfLimbs('s-1', 'rns31x1', headers, limbs)).toBe(digest);
    expect(releaseDigestOfLimbs('s-2', 'rns31x1', headers, limbs)).not.toBe(digest);
    expect(releaseDigestOfLimbs('s-1', 'rns31x2', headers, limbs)).not.toBe(digest);
    for (const change of [
      { name: 'x' },
      { unit: 'x' },
      { cells: 4 },
      { intervalHalfWidth: '10' },
      { confidenceLevel: '0.9' },
    ]) {
      const changed = [{ ...headers[0], ...change }, headers[1]];
      expect(releaseDigestOfLimbs('s-1', 'rns31x1', changed, limbs)).not.toBe(digest);
    }
    const flipped = limbs.map((l) => l.slice());
    flipped[1][3] ^= 1;
    expect(releaseDigestOfLimbs('s-1', 'rns31x1', headers, flipped)).not.toBe(digest);
    // The boundary between outputs is hashed: the same bytes split elsewhere differ.
    const moved = [limbs[0].subarray(0, 8), new Uint8Array([...limbs[0].subarray(8), ...limbs[1]])];
    expect(releaseDigestOfLimbs('s-1', 'rns31x1', headers, moved)).not.toBe(digest);
    expect(() => releaseDigestOfLimbs('s-1', 'rns31x1', headers, [limbs[0]])).toThrow(RangeError);
  });

  it('is never the version 1 digest of the same release', () => {
    expect(releaseDigestOfLimbs('s-1', 'rns31x1', headers, limbs)).not.toBe(
      releaseDigestOfBytes('s-1', outputs, limbs),
    );
  });
});
