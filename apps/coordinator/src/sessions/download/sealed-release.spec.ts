import { entryHash, releaseDigest, type TranscriptEntry } from '#concord/transcript';
import { describe, expect, it } from 'vitest';
import { exportedRelease } from '../served-release.js';
import type { ReleasedOutput, Session } from '../session.js';
import type { SessionSeal } from '../sessions.service.js';
import { assertSealedRelease } from './sealed-release.js';

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
  const outputs = exportedRelease(session(''), sealedRelease)!.outputs;
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
});
