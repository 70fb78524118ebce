import { describe, expect, it } from 'vitest';
import type { TranscriptBodies, TranscriptEntryKind } from './entry-bodies.js';
import { parseTranscriptEntries } from './parse-entries.js';
import { appendEntry, type TranscriptEntry } from './transcript-entry.js';
import { TranscriptError } from './transcript-error.js';

const H = 'ab'.repeat(32);
const SIG = 'cd'.repeat(64);

/** One valid body of every kind. */
const VALID: { readonly [K in TranscriptEntryKind]: TranscriptBodies[K] } = {
  'session.created': {
    protocol: { id: 'revenue-per-boarding', version: '1.0.0', hash: H },
    planHash: H,
    parameters: { serviceDate: '2026-03-10' },
    budget: { mechanism: 'discrete-gaussian', value: '1/2', rho: '1/2', xi: '3/1000000' },
    requestId: 'request-1',
    requestedBy: 'alice',
    ledger: { scope: 'fares', window: '2026-03-10', rho: '1/2', xi: '3/1000000' },
  },
  'party.accepted': { party: 1, agency: 'metro-transit', sessionKey: H, signature: SIG },
  'noise.committed': { party: 2, commitments: { '1': H, '3': H } },
  envelope: { round: 'mul-1', from: 1, to: 2, chunk: 0, chunks: 2, bytes: 512, digest: H },
  'jiff.started': {
    computationId: 's',
    prime: '170141183460469231731687303715884105727',
    partyCount: 3,
    path: '/jiff',
  },
  'jiff.relay': { from: 3, to: 1, messages: 12, digest: H },
  'party.result': { party: 3, resultDigest: H },
  'session.results': {
    resultDigest: H,
    releaseDigest: H,
    outputs: [{ name: 'boardings', cells: 24, intervalHalfWidth: '27' }],
  },
  'party.aborted': { party: 2, code: 'inconsistent-opening', message: 'x', suspects: [1, 3] },
  'session.aborted': { code: 'declined', message: '', by: 2, dataPhaseStarted: false },
  'ledger.refunded': { requestId: 'request-1', rho: '1/2', xi: '0' },
};

const KINDS = Object.keys(VALID) as TranscriptEntryKind[];

/** A chain with one entry of `kind` (body as given) after a valid session.created. */
function chainWith(kind: TranscriptEntryKind, body: unknown): unknown[] {
  const first = appendEntry(
    's',
    undefined,
    'session.created',
    VALID['session.created'],
    new Date(0),
  );
  return [first, appendEntry('s', first as TranscriptEntry, kind, body as never, new Date(1))];
}

function refusal(value: unknown): TranscriptError {
  try {
    parseTranscriptEntries(value);
  } catch (e) {
    if (e instanceof TranscriptError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('parseTranscriptEntries', () => {
  it('accepts every kind with its documented body, optional fields included', () => {
    for (const kind of KINDS)
      expect(parseTranscriptEntries(chainWith(kind, VALID[kind]))).toHaveLength(2);
    const jiff = { ...VALID['party.accepted'], jiffKey: H };
    expect(parseTranscriptEntries(chainWith('party.accepted', jiff))).toHaveLength(2);
    expect(
      parseTranscriptEntries(
        chainWith('session.aborted', { ...VALID['session.aborted'], by: 'coordinator' }),
      ),
    ).toHaveLength(2);
    const v2 = { ...VALID['session.results'], releaseDigestVersion: 2 };
    expect(parseTranscriptEntries(chainWith('session.results', v2))).toHaveLength(2);
    expect(parseTranscriptEntries([])).toEqual([]);
  });

  it.each(KINDS)(
    'refuses a %s body missing a field, with another field or of the wrong type',
    (kind) => {
      const body = VALID[kind] as unknown as Record<string, unknown>;
      const [field] = Object.keys(body);
      const missing = Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));
      const label = `entry 1 (seq 1, ${kind})`;
      expect(refusal(chainWith(kind, missing)).message).toBe(`${label}: body.${field} is missing`);
      expect(refusal(chainWith(kind, { ...body, extra: 1 })).message).toBe(
        `${label}: body has an unexpected field extra`,
      );
      expect(refusal(chainWith(kind, [])).message).toBe(`${label}: body must be an object`);
      const e = refusal(chainWith(kind, { ...body, [field]: { nested: true } }));
      expect(e.code).toBe('malformed-entry');
      expect(e.index).toBe(1);
      expect(e.message).toMatch(new RegExp(`^${label.replace(/[().]/g, '\\$&')}: body\\.${field}`));
    },
  );

  it.each([
    [
      'session.created',
      { ledger: { ...VALID['session.created'].ledger, rho: '0.5' } },
      'body.ledger.rho must be an exact rational such as 1/20',
    ],
    [
      'session.created',
      { protocol: { id: 'p', version: '1', hash: 'AB'.repeat(32) } },
      'body.protocol.hash must be 64 lowercase hex digits',
    ],
    [
      'session.created',
      { parameters: { 'bad name': 'x' } },
      'body.parameters keys must be parameter names',
    ],
    ['party.accepted', { party: 4 }, 'body.party must be a party number (1, 2 or 3)'],
    ['party.accepted', { signature: H }, 'body.signature must be 128 lowercase hex digits'],
    ['party.accepted', { jiffKey: 'zz' }, 'body.jiffKey must be 64 lowercase hex digits'],
    [
      'noise.committed',
      { commitments: { '4': H } },
      'body.commitments keys must be party numbers ("1" to "3")',
    ],
    [
      'noise.committed',
      { commitments: { '1': 'x' } },
      'body.commitments.1 must be 64 lowercase hex digits',
    ],
    ['envelope', { chunk: -1 }, 'body.chunk must be a non-negative integer'],
    ['envelope', { chunks: 0 }, 'body.chunks must be a positive integer'],
    ['envelope', { round: 'Input!' }, 'body.round must be a round name'],
    ['envelope', { bytes: 1.5 }, 'body.bytes must be a non-negative integer'],
    ['jiff.started', { prime: '0x7f' }, 'body.prime must be a non-negative decimal integer'],
    ['jiff.relay', { messages: '12' }, 'body.messages must be a non-negative integer'],
    [
      'party.result',
      { resultDigest: H.slice(2) },
      'body.resultDigest must be 64 lowercase hex digits',
    ],
    [
      'session.results',
      { outputs: [{ name: 'b', cells: 0, intervalHalfWidth: '1' }] },
      'body.outputs[0].cells must be a positive integer',
    ],
    [
      'session.results',
      { outputs: [{ name: 'b', cells: 1, intervalHalfWidth: '-1' }] },
      'body.outputs[0].intervalHalfWidth must be a non-negative decimal integer',
    ],
    ['session.results', { outputs: {} }, 'body.outputs must be an array'],
    [
      'session.results',
      { releaseDigestVersion: 1 },
      'body.releaseDigestVersion must be the release digest version 2',
    ],
    ['party.aborted', { suspects: [1, 5] }, 'body.suspects[1] must be a party number (1, 2 or 3)'],
    [
      'session.aborted',
      { by: 'party 2' },
      'body.by must be coordinator or a party number (1, 2 or 3)',
    ],
    ['session.aborted', { dataPhaseStarted: 'no' }, 'body.dataPhaseStarted must be true or false'],
    ['ledger.refunded', { xi: '' }, 'body.xi must be an exact rational such as 1/20'],
  ] as const)('refuses a %s body whose %o breaks its rule', (kind, change, rule) => {
    const body = { ...VALID[kind], ...change };
    expect(refusal(chainWith(kind, body)).message).toBe(`entry 1 (seq 1, ${kind}): ${rule}`);
  });

  it('refuses an entry envelope that breaks its rules, naming what it can read of the entry', () => {
    const [first, second] = chainWith('party.result', VALID['party.result']) as Record<
      string,
      unknown
    >[];
    const cases: [unknown, string][] = [
      [
        { ...second, kind: 'ledger.charged' },
        'entry 1 (seq 1): kind ledger.charged is not a transcript entry kind',
      ],
      [{ ...second, kind: 7 }, 'entry 1 (seq 1): kind is not a transcript entry kind'],
      [{ ...second, seq: -1 }, 'entry 1 (party.result): seq must be a non-negative integer'],
      [
        { ...second, hash: 'x' },
        'entry 1 (seq 1, party.result): hash must be 64 lowercase hex digits',
      ],
      [
        { ...second, prevHash: undefined },
        'entry 1 (seq 1, party.result): prevHash must be 64 lowercase hex digits',
      ],
      [
        { ...second, at: 5 },
        'entry 1 (seq 1, party.result): at must be a string of 1 to 64 characters',
      ],
      [{ ...second, note: 'x' }, 'entry 1 (seq 1, party.result): has an unexpected field note'],
      [(({ body: _, ...rest }) => rest)(second), 'entry 1 (seq 1, party.result): body is missing'],
      [(({ kind: _, ...rest }) => rest)(second), 'entry 1 (seq 1): kind is missing'],
      ['entry', 'entry 1: must be an object'],
    ];
    for (const [bad, message] of cases) {
      const e = refusal([first, bad]);
      expect([e.code, e.message]).toEqual(['malformed-entry', message]);
    }
    expect(refusal({ entries: [] })).toMatchObject({
      code: 'malformed-transcript',
      message: 'the transcript entries must be a list',
    });
  });
});
