import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import {
  AuthResponseDto,
  NoiseCommitDto,
  ResultReportDto,
  SessionAcceptDto,
} from './node-messages.js';
import { SessionInviteDto, SessionKeysDto } from './coordinator-messages.js';
import { signJiffCredential, verifyJiffCredential } from './jiff-session.js';
import { validateMessage } from './validate-message.js';
import { isDecimalList } from './validators.js';
import { WireError } from './wire-error.js';

const id = '0b7d4c4e-8c5a-4f7e-9a57-8d8f3f3c2a11';
const hex = (n: number): string => 'ab'.repeat(n);
const acceptance = {
  sessionId: id,
  party: 2,
  planHash: hex(32),
  sessionKey: hex(32),
  signature: hex(64),
};

function issuesOf(f: () => unknown): readonly string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof WireError) return e.issues;
    throw e;
  }
  return [];
}

describe('decimal lists', () => {
  it('accept signed integers separated by commas, in linear time for a million values', () => {
    expect(isDecimalList('12,-3,0', 60)).toBe(true);
    for (const bad of ['', ',', '1,', ',1', '1,,2', '--1', '1-', '1 2', '+1', '1.5', '12345678901'])
      expect(isDecimalList(bad, 10)).toBe(false);
    const million = Array.from({ length: 1_000_000 }, (_, i) => String(i - 500_000)).join(',');
    expect(isDecimalList(million, 60)).toBe(true);
  });
});

describe('wire messages', () => {
  it('accept well-formed messages', () => {
    expect(
      validateMessage(SessionAcceptDto, { sessionId: id, acceptance }, 'accept').acceptance.party,
    ).toBe(2);
    expect(
      validateMessage(
        SessionKeysDto,
        { sessionId: id, acceptances: [acceptance, acceptance, acceptance] },
        'keys',
      ),
    ).toBeDefined();
    expect(
      validateMessage(
        NoiseCommitDto,
        { sessionId: id, party: 1, commitments: { '2': hex(32), '3': hex(32) } },
        'c',
      ),
    ).toBeDefined();
  });

  it('refuse unknown properties, bad nesting, wrong types and oversized arrays, naming the fields', () => {
    expect(
      issuesOf(() =>
        validateMessage(SessionAcceptDto, { sessionId: id, acceptance, extra: 1 }, 'accept'),
      ),
    ).toEqual(['extra (whitelistValidation)']);
    expect(
      issuesOf(() =>
        validateMessage(
          SessionAcceptDto,
          { sessionId: id, acceptance: { ...acceptance, party: 4 } },
          'a',
        ),
      ),
    ).toEqual(['acceptance.party (max)']);
    expect(
      issuesOf(() =>
        validateMessage(
          NoiseCommitDto,
          { sessionId: id, party: 1, commitments: { '9': hex(32), '3': hex(32) } },
          'c',
        ),
      ),
    ).toEqual(['commitments (isCommitmentMap)']);
    expect(
      issuesOf(() =>
        validateMessage(
          ResultReportDto,
          {
            sessionId: id,
            party: 1,
            resultDigest: hex(32),
            outputs: [{ name: 'x', values: '1,two' }],
          },
          'r',
        ),
      ),
    ).toEqual(['outputs.0.values (isDecimalList)']);
    // Results as limbs: bytes (a Buffer, as socket.io delivers an attachment), whole 32-bit limbs.
    const report = (limbs: unknown) =>
      issuesOf(() =>
        validateMessage(
          ResultReportDto,
          { sessionId: id, party: 1, resultDigest: hex(32), outputs: [{ name: 'x', limbs }] },
          'r',
        ),
      );
    expect(report(Buffer.alloc(8, 1))).toEqual([]);
    for (const bad of [Buffer.alloc(6), Buffer.alloc(0), [1, 0, 0, 0], 'AQAAAA==', 7])
      expect(report(bad)).toEqual(['outputs.0.limbs (isLimbBytes)']);
    expect(() => validateMessage(SessionAcceptDto, 'not an object', 'accept')).toThrow(
      /must be a JSON object/,
    );
    expect(() => validateMessage(SessionAcceptDto, null, 'accept')).toThrow(WireError);
  });
});

describe('JIFF mode on the wire', () => {
  it('carries the engine and the JIFF key as optional, validated fields', () => {
    const auth = { agencyId: 'farepay', signature: hex(64) };
    expect(validateMessage(AuthResponseDto, auth, 'a').engine).toBeUndefined();
    expect(validateMessage(AuthResponseDto, { ...auth, engine: 'jiff' }, 'a').engine).toBe('jiff');
    expect(
      issuesOf(() => validateMessage(AuthResponseDto, { ...auth, engine: 'mpc' }, 'a')),
    ).toEqual(['engine (isIn)']);
    const jiffAcceptance = { ...acceptance, jiffKey: hex(32) };
    expect(
      validateMessage(SessionAcceptDto, { sessionId: id, acceptance: jiffAcceptance }, 'accept')
        .acceptance.jiffKey,
    ).toBe(hex(32));
    expect(
      issuesOf(() =>
        validateMessage(
          SessionAcceptDto,
          { sessionId: id, acceptance: { ...acceptance, jiffKey: 'ab' } },
          'accept',
        ),
      ),
    ).toEqual(['acceptance.jiffKey (matches)']);
    const invite = {
      sessionId: id,
      planHash: hex(32),
      reporter: 1,
      request: { axisValues: {}, budget: '1/2', parameters: {}, protocolHash: hex(32) },
    };
    expect(validateMessage(SessionInviteDto, { ...invite, engine: 'jiff' }, 'i').engine).toBe(
      'jiff',
    );
    expect(validateMessage(SessionInviteDto, invite, 'i').engine).toBeUndefined();
  });

  it('signs a JIFF credential for one computation and one slot, verified against the pinned key', () => {
    const rng = seededRandom('jiff-credential');
    const agency = generateIdentitySigner(rng);
    const other = generateIdentitySigner(rng);
    const credential = signJiffCredential(agency, id, 2);
    expect(verifyJiffCredential(agency.publicKey, id, 2, credential)).toBe(true);
    expect(verifyJiffCredential(other.publicKey, id, 2, credential)).toBe(false);
    expect(verifyJiffCredential(agency.publicKey, id, 1, credential)).toBe(false);
    expect(verifyJiffCredential(agency.publicKey, 'another', 2, credential)).toBe(false);
    expect(verifyJiffCredential(agency.publicKey, id, 2, 'zz')).toBe(false);
  });
});
