import { utf8 } from '#concord/crypto';
import { describe, expect, it } from 'vitest';
import { type PublishedOutput, releaseDigest, releaseDigestOfBytes } from './release-digest.js';

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
