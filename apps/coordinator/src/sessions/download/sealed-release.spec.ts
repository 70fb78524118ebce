import { fieldById, fromBigInts, vectorToBytes } from '#concord/field';
import {
  entryHash,
  releaseDigest,
  releaseDigestOfLimbs,
  type TranscriptEntry,
} from '#concord/transcript';
import { describe, expect, it } from 'vitest';
import { exportedRelease } from '../served-release.js';
import type { ReleasedOutput, Session, StoredOutput } from '../session.js';
import type { SessionSeal } from '../sessions.service.js';
import { assertSealedRelease as assertSealedText } from './sealed-release.js';
import { storedValues } from './stored-values.js';

const id = '00000000-0000-4000-8000-000000000002';

const stored: ReleasedOutput[] = [
  {
    name: 'trips',
    unit: 'trips',
    values: ['4', '-1', '17'],
    intervalHalfWidth: 6n,
    confidenceLevel: '0.95',
    noise: {},
  },
];

function session(transcriptHead: string): Session {
  return {
    id,
    state: 'completed',
    plan: { outputs: [{ name: 'trips' }] },
    transcriptHead,
  } as unknown as Session;
}

/** The release entry the agencies sealed over `sealedRelease`, and their three seals of it. */
function sealed(sealedRelease: readonly ReleasedOutput[]): {
  entry: TranscriptEntry<'session.results'>;
  seals: SessionSeal[];
} {
  const outputs = exportedRelease(session(''), asStored(sealedRelease))!.outputs;
  const unhashed = {
    seq: 9,
    kind: 'session.results' as const,
    at: '2026-12-05T00:00:00.000Z',
    body: { resultDigest: 'r', releaseDigest: releaseDigest(id, outputs), outputs: [] },
    prevHash: 'p',
  };
  const entry = { ...unhashed, hash: entryHash(unhashed) };
  const seals = [1, 2, 3].map((party) => ({
    party,
    agencyId: `a${party}`,
    headHash: entry.hash,
    signature: 's',
  }));
  return { entry, seals };
}

/** The release as the database stores it: each output's values one comma-separated text. */
const asStored = (release: readonly ReleasedOutput[]): StoredOutput[] =>
  release.map((o) => ({ ...o, values: storedValues(o.values.join(',')) }));

/** The check on the stored text, given the release as the agencies' values (split). */
const assertSealedRelease = (
  s: Session,
  release: readonly ReleasedOutput[],
  ...rest: Parameters<typeof assertSealedText> extends [unknown, unknown, ...infer R] ? R : never
): void => assertSealedText(s, asStored(release), ...rest);

const refusal = (detail: RegExp): unknown =>
  expect.objectContaining({
    code: 'not-released',
    message: expect.stringMatching(detail) as string,
  });

describe('serving only the sealed release', () => {
  it('passes the release the three agencies sealed', () => {
    const { entry, seals } = sealed(stored);
    expect(() => assertSealedRelease(session(entry.hash), stored, entry, seals)).not.toThrow();
  });

  it('refuses a value or an interval changed in the database since', () => {
    const { entry, seals } = sealed(stored);
    const value = [{ ...stored[0], values: ['5', '-1', '17'] }];
    const interval = [{ ...stored[0], intervalHalfWidth: 5n }];
    for (const altered of [value, interval])
      expect(() => assertSealedRelease(session(entry.hash), altered, entry, seals)).toThrow(
        refusal(/do not hash to the release digest/),
      );
  });

  it('refuses a release entry that is missing, altered or not the sealed head, and missing seals', () => {
    const { entry, seals } = sealed(stored);
    expect(() => assertSealedRelease(session(entry.hash), stored, undefined, seals)).toThrow(
      refusal(/no release entry/),
    );
    const forged = { ...entry, body: { ...entry.body, releaseDigest: 'f'.repeat(64) } };
    expect(() => assertSealedRelease(session(entry.hash), stored, forged, seals)).toThrow(
      refusal(/not the transcript head/),
    );
    expect(() => assertSealedRelease(session('other'), stored, entry, seals)).toThrow(
      refusal(/not the transcript head/),
    );
    expect(() =>
      assertSealedRelease(session(entry.hash), stored, entry, seals.slice(0, 2)),
    ).toThrow(refusal(/2 of the three parties sealed/));
  });

  it('hashes the stored text as it is: any change to it, even one the values would hide, is refused', () => {
    const many: ReleasedOutput[] = [
      {
        ...stored[0],
        values: Array.from({ length: 100_000 }, (_, i) => String(((i * 7919) % 20_011) - 9_000)),
      },
    ];
    const { entry, seals } = sealed(many);
    const text = many[0].values.join(',');
    expect(() => assertSealedText(session(entry.hash), asStored(many), entry, seals)).not.toThrow();
    const last = text.length - 1;
    const digit = String.fromCharCode(((text.charCodeAt(last) - 48 + 1) % 10) + 48);
    for (const valuesText of [
      text.slice(0, last) + digit, // the last digit of the last value
      `${text},0`, // a value more
      text.slice(0, text.lastIndexOf(',')), // a value fewer
      ` ${text}`, // a space a number parser would skip
      text.replace(',', ',+'), // a plus sign BigInt would accept
    ])
      expect(() =>
        assertSealedText(
          session(entry.hash),
          [{ ...asStored(many)[0], values: storedValues(valuesText) }],
          entry,
          seals,
        ),
      ).toThrow(refusal(/do not hash to the release digest/));
  });
});

describe('serving only the sealed release, under the version 2 digest (over the limbs)', () => {
  const field = fieldById('rns31x1');
  const vector = fromBigInts(field, [4n, -1n, 17n]);
  const v2Session = (transcriptHead: string): Session =>
    ({
      ...session(transcriptHead),
      plan: { field: field.id, outputs: [{ name: 'trips', length: 3 }] },
    }) as unknown as Session;
  const withLimbs = (bytes: Uint8Array, fieldId = field.id): StoredOutput[] => [
    { ...asStored(stored)[0], limbs: { field: fieldId, bytes } },
  ];

  function sealedV2(): { entry: TranscriptEntry<'session.results'>; seals: SessionSeal[] } {
    const header = {
      name: 'trips',
      unit: 'trips',
      intervalHalfWidth: '6',
      confidenceLevel: '0.95',
    };
    const digest = releaseDigestOfLimbs(
      id,
      field.id,
      [{ ...header, cells: 3 }],
      [vectorToBytes(vector)],
    );
    const { seals } = sealed(stored);
    const unhashed = {
      seq: 9,
      kind: 'session.results' as const,
      at: '2026-12-05T00:00:00.000Z',
      body: {
        resultDigest: 'r',
        releaseDigest: digest,
        releaseDigestVersion: 2 as const,
        outputs: [],
      },
      prevHash: 'p',
    };
    const entry = { ...unhashed, hash: entryHash(unhashed) };
    return { entry, seals: seals.map((s) => ({ ...s, headHash: entry.hash })) };
  }

  it('passes the stored limbs the agencies sealed, and a text row that spells exactly them', () => {
    const { entry, seals } = sealedV2();
    const s = v2Session(entry.hash);
    expect(() => assertSealedText(s, withLimbs(vectorToBytes(vector)), entry, seals)).not.toThrow();
    expect(() => assertSealedText(s, asStored(stored), entry, seals)).not.toThrow();
  });

  it('refuses a limb changed, limbs of another field, and text spelled another way', () => {
    const { entry, seals } = sealedV2();
    const s = v2Session(entry.hash);
    const changed = vectorToBytes(vector).slice();
    changed[0] ^= 1;
    for (const altered of [
      withLimbs(changed),
      withLimbs(vectorToBytes(vector), 'rns31x2'),
      [{ ...asStored(stored)[0], values: storedValues('04,-1,17') }],
      [{ ...asStored(stored)[0], values: storedValues('4,-1,17,0') }],
    ])
      expect(() => assertSealedText(s, altered, entry, seals)).toThrow(
        refusal(/do not hash to the release digest/),
      );
  });
});
