import { BODY_SCHEMAS } from './body-schemas.js';
import { TRANSCRIPT_KINDS, type TranscriptEntryKind } from './entry-bodies.js';
import { fieldName, hex, integer, type Schema, text } from './json-schema.js';
import { TranscriptError } from './transcript-error.js';
import type { TranscriptEntry } from './transcript-entry.js';

const ENTRY_FIELDS: Readonly<Record<string, Schema>> = {
  seq: integer(0),
  at: text(64),
  prevHash: hex(32),
  hash: hex(32),
};

/**
 * Reads a transcript that arrived as JSON (an export, a seal request, a database row): every
 * entry must have the documented envelope (seq, a known kind, at, prevHash and hash) and its
 * kind's body, exactly. It checks shape only: that the chain holds and what it says are
 * `verifyChain`'s and the verifier's business. Throws a `TranscriptError` naming the first bad
 * entry, the field and the rule.
 */
export function parseTranscriptEntries(value: unknown): TranscriptEntry[] {
  if (!Array.isArray(value))
    throw new TranscriptError('malformed-transcript', 'the transcript entries must be a list');
  value.forEach(checkEntry);
  return value as TranscriptEntry[];
}

function checkEntry(entry: unknown, index: number): void {
  const refuse = (what: string, why: string): never => {
    throw new TranscriptError('malformed-entry', `entry ${index}${what}: ${why}`, index);
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    refuse('', 'must be an object');
  const e = entry as Record<string, unknown>;
  const seq = integer(0)(e.seq, 'seq') === undefined ? `seq ${String(e.seq)}` : undefined;
  const kind = typeof e.kind === 'string' && isKind(e.kind) ? e.kind : undefined;
  const label = ` (${[seq, kind].filter((x) => x !== undefined).join(', ') || 'unreadable'})`;
  if (!('kind' in e)) refuse(label, 'kind is missing');
  if (!kind) {
    const shown = typeof e.kind === 'string' && /^[a-z.]{1,32}$/.test(e.kind) ? ` ${e.kind}` : '';
    refuse(label, `kind${shown} is not a transcript entry kind`);
  }
  for (const [field, schema] of Object.entries(ENTRY_FIELDS)) {
    if (!(field in e)) refuse(label, `${field} is missing`);
    const problem = schema(e[field], field);
    if (problem) refuse(label, problem);
  }
  if (!('body' in e)) refuse(label, 'body is missing');
  const problem = BODY_SCHEMAS[kind as TranscriptEntryKind](e.body, 'body');
  if (problem) refuse(label, problem);
  const extra = Object.keys(e).find((k) => !(k in ENTRY_FIELDS) && k !== 'kind' && k !== 'body');
  if (extra !== undefined) refuse(label, `has an unexpected field ${fieldName(extra)}`);
}

function isKind(kind: string): kind is TranscriptEntryKind {
  return (TRANSCRIPT_KINDS as readonly string[]).includes(kind);
}
