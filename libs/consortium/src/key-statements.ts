import { canonicalBytes, fromHex, type IdentitySigner, toHex, verifyTagged } from '#concord/crypto';
import { ConcordError } from '#concord/errors';
import type {
  AgencySignature,
  KeyStatement,
  RevocationStatement,
  RotationStatement,
} from './consortium-types.js';

/** Why a key statement is refused (closed list; the message says which check failed). */
export type KeyStatementCode =
  | 'malformed-statement'
  | 'unknown-agency'
  | 'epoch-out-of-order'
  | 'effective-too-early'
  | 'key-reused'
  | 'bad-signature'
  | 'epoch-revoked'
  | 'unknown-epoch'
  | 'already-revoked'
  | 'key-mismatch'
  | 'revoked-before-valid'
  | 'wrong-signers'
  | 'signer-key-invalid'
  | 'incomplete-signatures';

export class KeyStatementError extends ConcordError<KeyStatementCode> {
  readonly domain = 'consortium';
}

/** The old key signs the rotation under this tag; the new key signs the same bytes under the next. */
export const ROTATION_PURPOSE = 'concord/key-rotation/v1';
export const ROTATION_POSSESSION_PURPOSE = 'concord/key-rotation/possession/v1';
/** Each of the two other agencies signs a revocation under this tag. */
export const REVOCATION_PURPOSE = 'concord/key-revocation/v1';

const iso = (t: number): string => new Date(t).toISOString();

/**
 * What both keys sign for a rotation. Bound to the consortium's name so that a statement made for
 * one consortium cannot be replayed into another that happens to pin the same key.
 */
export function rotationBytes(
  consortiumName: string,
  s: Omit<RotationStatement, 'type' | 'oldKeySignature' | 'newKeySignature'>,
): Uint8Array {
  return canonicalBytes({
    consortium: consortiumName,
    agencyId: s.agencyId,
    fromEpoch: s.fromEpoch,
    newEpoch: s.newEpoch,
    newPublicKey: s.newPublicKey,
    effectiveAt: iso(s.effectiveAt),
  });
}

/** What one revoking agency signs: the revocation, who signs, with which epoch, and when. */
export function revocationBytes(
  consortiumName: string,
  s: Omit<RevocationStatement, 'type' | 'signatures'>,
  signer: Omit<AgencySignature, 'signature'>,
): Uint8Array {
  return canonicalBytes({
    consortium: consortiumName,
    agencyId: s.agencyId,
    epoch: s.epoch,
    publicKey: s.publicKey,
    revokedAt: iso(s.revokedAt),
    reason: s.reason,
    signer: signer.agencyId,
    signerEpoch: signer.keyEpoch,
    signedAt: iso(signer.signedAt),
  });
}

/** Builds a rotation signed by the outgoing key (`oldKey`) and the incoming one (`newKey`). */
export function signRotation(
  consortiumName: string,
  s: Omit<RotationStatement, 'type' | 'oldKeySignature' | 'newKeySignature' | 'newPublicKey'>,
  oldKey: IdentitySigner,
  newKey: IdentitySigner,
): RotationStatement {
  const body = { ...s, newPublicKey: toHex(newKey.publicKey) };
  const bytes = rotationBytes(consortiumName, body);
  return {
    type: 'rotation',
    ...body,
    oldKeySignature: toHex(oldKey.signTagged(ROTATION_PURPOSE, bytes)),
    newKeySignature: toHex(newKey.signTagged(ROTATION_POSSESSION_PURPOSE, bytes)),
  };
}

/** Adds one agency's signature to a revocation (replacing an earlier one by the same agency). */
export function addRevocationSignature(
  consortiumName: string,
  s: RevocationStatement,
  signer: Omit<AgencySignature, 'signature'>,
  key: IdentitySigner,
): RevocationStatement {
  const signature = toHex(
    key.signTagged(REVOCATION_PURPOSE, revocationBytes(consortiumName, s, signer)),
  );
  return {
    ...s,
    signatures: [
      ...s.signatures.filter((x) => x.agencyId !== signer.agencyId),
      { ...signer, signature },
    ],
  };
}

export function verifyRotationSignatures(
  consortiumName: string,
  s: RotationStatement,
  oldKey: Uint8Array,
): 'ok' | 'old-key' | 'new-key' {
  const bytes = rotationBytes(consortiumName, s);
  if (!verifyTagged(oldKey, ROTATION_PURPOSE, bytes, fromHex(s.oldKeySignature))) return 'old-key';
  const newKey = fromHex(s.newPublicKey);
  if (!verifyTagged(newKey, ROTATION_POSSESSION_PURPOSE, bytes, fromHex(s.newKeySignature)))
    return 'new-key';
  return 'ok';
}

export function verifyRevocationSignature(
  consortiumName: string,
  s: RevocationStatement,
  signature: AgencySignature,
  signerKey: Uint8Array,
): boolean {
  return verifyTagged(
    signerKey,
    REVOCATION_PURPOSE,
    revocationBytes(consortiumName, s, signature),
    fromHex(signature.signature),
  );
}

/** The JSON form of a statement (times as ISO-8601). */
export function keyStatementToJson(s: KeyStatement): Record<string, unknown> {
  if (s.type === 'rotation') {
    return {
      type: 'rotation',
      agencyId: s.agencyId,
      fromEpoch: s.fromEpoch,
      newEpoch: s.newEpoch,
      newPublicKey: s.newPublicKey,
      effectiveAt: iso(s.effectiveAt),
      oldKeySignature: s.oldKeySignature,
      newKeySignature: s.newKeySignature,
    };
  }
  return {
    type: 'revocation',
    agencyId: s.agencyId,
    epoch: s.epoch,
    publicKey: s.publicKey,
    revokedAt: iso(s.revokedAt),
    reason: s.reason,
    signatures: s.signatures.map((x) => ({
      agencyId: x.agencyId,
      keyEpoch: x.keyEpoch,
      signedAt: iso(x.signedAt),
      signature: x.signature,
    })),
  };
}

const HEX32 = /^[0-9a-f]{64}$/;
const HEX64 = /^[0-9a-f]{128}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a statement from untrusted JSON (shape only; `applyStatement` checks its meaning). */
export function parseKeyStatement(json: unknown, at = 'statement'): KeyStatement {
  const r = record(json, at);
  if (r.type === 'rotation') {
    exactKeys(r, at, [
      'type',
      'agencyId',
      'fromEpoch',
      'newEpoch',
      'newPublicKey',
      'effectiveAt',
      'oldKeySignature',
      'newKeySignature',
    ]);
    return {
      type: 'rotation',
      agencyId: text(r.agencyId, `${at}.agencyId`, 63),
      fromEpoch: epoch(r.fromEpoch, `${at}.fromEpoch`),
      newEpoch: epoch(r.newEpoch, `${at}.newEpoch`),
      newPublicKey: hex(r.newPublicKey, `${at}.newPublicKey`, HEX32),
      effectiveAt: time(r.effectiveAt, `${at}.effectiveAt`),
      oldKeySignature: hex(r.oldKeySignature, `${at}.oldKeySignature`, HEX64),
      newKeySignature: hex(r.newKeySignature, `${at}.newKeySignature`, HEX64),
    };
  }
  if (r.type === 'revocation') {
    exactKeys(r, at, [
      'type',
      'agencyId',
      'epoch',
      'publicKey',
      'revokedAt',
      'reason',
      'signatures',
    ]);
    if (!Array.isArray(r.signatures) || r.signatures.length > 2)
      throw malformed(`${at}.signatures must be an array of at most two signatures`);
    return {
      type: 'revocation',
      agencyId: text(r.agencyId, `${at}.agencyId`, 63),
      epoch: epoch(r.epoch, `${at}.epoch`),
      publicKey: hex(r.publicKey, `${at}.publicKey`, HEX32),
      revokedAt: time(r.revokedAt, `${at}.revokedAt`),
      reason: text(r.reason, `${at}.reason`, 500),
      signatures: r.signatures.map((x, i) => {
        const where = `${at}.signatures[${i}]`;
        const s = record(x, where);
        exactKeys(s, where, ['agencyId', 'keyEpoch', 'signedAt', 'signature']);
        return {
          agencyId: text(s.agencyId, `${where}.agencyId`, 63),
          keyEpoch: epoch(s.keyEpoch, `${where}.keyEpoch`),
          signedAt: time(s.signedAt, `${where}.signedAt`),
          signature: hex(s.signature, `${where}.signature`, HEX64),
        };
      }),
    };
  }
  throw malformed(`${at}.type must be "rotation" or "revocation"`);
}

function malformed(message: string): KeyStatementError {
  return new KeyStatementError('malformed-statement', message);
}

function record(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw malformed(`${at} must be a JSON object`);
  return v as Record<string, unknown>;
}

function exactKeys(r: Record<string, unknown>, at: string, keys: readonly string[]): void {
  const extra = Object.keys(r).find((k) => !keys.includes(k));
  if (extra !== undefined) throw malformed(`${at} has an unknown field "${extra}"`);
}

function text(v: unknown, at: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw malformed(`${at} must be a non-empty string of at most ${max} characters`);
  return v;
}

function epoch(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw malformed(`${at} must be a non-negative integer`);
  return v;
}

function hex(v: unknown, at: string, pattern: RegExp): string {
  if (typeof v !== 'string' || !pattern.test(v))
    throw malformed(`${at} must be ${pattern === HEX32 ? 64 : 128} lowercase hex characters`);
  return v;
}

/** An ISO-8601 time with its offset, to epoch ms. */
export function parseIsoTime(v: unknown, at: string): number {
  const t = typeof v === 'string' && ISO.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t))
    throw malformed(`${at} must be an ISO-8601 time with a time zone, e.g. 2027-01-01T00:00:00Z`);
  return t;
}
const time = parseIsoTime;
