import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { NoiseCommitDto, ResultReportDto, SessionAcceptDto } from './node-messages.js';
import { SessionKeysDto } from './coordinator-messages.js';
import { validateMessage } from './validate-message.js';
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
    ).toEqual(['outputs.0.values (matches)']);
    expect(() => validateMessage(SessionAcceptDto, 'not an object', 'accept')).toThrow(
      /must be a JSON object/,
    );
    expect(() => validateMessage(SessionAcceptDto, null, 'accept')).toThrow(WireError);
  });
});
