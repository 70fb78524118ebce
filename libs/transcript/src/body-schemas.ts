import type { TranscriptEntryKind } from './entry-bodies.js';
import {
  array,
  boolean,
  either,
  hex,
  integer,
  literal,
  matching,
  object,
  record,
  type Schema,
  text,
} from './json-schema.js';

/**
 * The schema of every kind's body (`entry-bodies.ts` in checkable form). Keyed by kind, so a new
 * kind does not compile without its schema. Limits are generous: they catch a wrong shape, not a
 * long session.
 */

const party = literal([1, 2, 3], 'a party number (1, 2 or 3)');
/** An exact non-negative rational as `Rational.toString()` writes it ("0", "3", "1/20"). */
const rational = matching(/^(0|[1-9][0-9]*)(\/[1-9][0-9]*)?$/, 'an exact rational such as 1/20');
const decimal = matching(/^(0|[1-9][0-9]*)$/, 'a non-negative decimal integer');
const name = text(200);
const prose = text(10_000, 0);
const digest = hex(32);

export const BODY_SCHEMAS: Readonly<Record<TranscriptEntryKind, Schema>> = {
  'session.created': object({
    protocol: object({ id: name, version: name, hash: digest }),
    planHash: digest,
    parameters: record(/^[A-Za-z0-9_.-]{1,64}$/, 'parameter names', text(1000, 0), 100),
    budget: object({ mechanism: name, value: rational, rho: rational, xi: rational }),
    requestId: name,
    requestedBy: name,
    ledger: object({ scope: name, window: name, rho: rational, xi: rational }),
  }),
  'party.accepted': object(
    { party, agency: name, sessionKey: digest, signature: hex(64) },
    { jiffKey: digest, keyEpoch: integer(0) },
  ),
  'noise.committed': object({
    party,
    commitments: record(/^[123]$/, 'party numbers ("1" to "3")', digest, 3),
  }),
  envelope: object({
    round: matching(/^[a-z0-9-]{1,32}$/, 'a round name'),
    from: party,
    to: party,
    chunk: integer(0),
    chunks: integer(1),
    bytes: integer(0),
    digest,
  }),
  'jiff.started': object({
    computationId: name,
    prime: decimal,
    partyCount: integer(1),
    path: text(200),
  }),
  'jiff.relay': object({ from: party, to: party, messages: integer(0), digest }),
  'party.result': object({ party, resultDigest: digest }),
  'session.results': object(
    {
      resultDigest: digest,
      releaseDigest: digest,
      outputs: array(object({ name, cells: integer(1), intervalHalfWidth: decimal }), 1000),
    },
    // Absent for version 1 (over the values' text), so earlier transcripts parse unchanged.
    { releaseDigestVersion: literal([2], 'the release digest version 2') },
  ),
  'party.aborted': object({
    party,
    code: name,
    message: prose,
    suspects: array(party, 3),
  }),
  'session.aborted': object({
    code: name,
    message: prose,
    by: either(literal(['coordinator'], ''), party, 'coordinator or a party number (1, 2 or 3)'),
    dataPhaseStarted: boolean,
  }),
  'ledger.refunded': object({ requestId: name, rho: rational, xi: rational }),
};
