import { fromHex, toHex } from '#concord/crypto';
import type {
  Consortium,
  ConsortiumAgency,
  KeyEpoch,
  KeyStatement,
  RevocationStatement,
  RotationStatement,
} from './consortium-types.js';
import { epochValidAt } from './key-history.js';
import {
  KeyStatementError,
  type KeyStatementCode,
  verifyRevocationSignature,
  verifyRotationSignatures,
} from './key-statements.js';

export type ApplyResult =
  | { readonly ok: true; readonly consortium: Consortium; readonly change: string }
  | { readonly ok: false; readonly error: KeyStatementError };

const iso = (t: number): string => new Date(t).toISOString();

/**
 * Applies one rotation or revocation to a consortium after checking everything it claims: the
 * signatures (the outgoing and incoming keys for a rotation; the two other agencies, with keys
 * valid when they signed, for a revocation), that epochs follow each other, that a new epoch
 * starts after the one it replaces, and that no key is ever reused. Pure: the input is unchanged.
 */
export function applyStatement(consortium: Consortium, statement: KeyStatement): ApplyResult {
  try {
    const { agency, keys, change } =
      statement.type === 'rotation' ? rotate(consortium, statement) : revoke(consortium, statement);
    return {
      ok: true,
      change,
      consortium: {
        ...consortium,
        agencies: consortium.agencies.map((a) =>
          a.id === agency.id ? { ...a, keys, identityKey: keys.at(-1)!.publicKey } : a,
        ),
        statements: [...consortium.statements, statement],
      },
    };
  } catch (e) {
    if (e instanceof KeyStatementError) return { ok: false, error: e };
    throw e;
  }
}

function rotate(
  c: Consortium,
  s: RotationStatement,
): { agency: ConsortiumAgency; keys: KeyEpoch[]; change: string } {
  const agency = agencyNamed(c, s.agencyId);
  const newest = agency.keys.at(-1)!;
  if (s.fromEpoch !== newest.epoch || s.newEpoch !== newest.epoch + 1) {
    fail(
      'epoch-out-of-order',
      `a rotation of ${agency.id} must go from its newest epoch ${newest.epoch} to ${newest.epoch + 1}, not ${s.fromEpoch} to ${s.newEpoch}`,
    );
  }
  if (newest.revokedAt !== undefined) {
    fail(
      'epoch-revoked',
      `${agency.id}'s key epoch ${newest.epoch} is revoked: it cannot authorise its successor (see docs/security.md, revocation)`,
    );
  }
  if (newest.validFrom !== undefined && s.effectiveAt <= newest.validFrom) {
    fail(
      'effective-too-early',
      `epoch ${s.newEpoch} must take effect after epoch ${newest.epoch} began (${iso(newest.validFrom)}), not at ${iso(s.effectiveAt)}`,
    );
  }
  const used = c.agencies.flatMap((a) => a.keys.map((k) => toHex(k.publicKey)));
  if (used.includes(s.newPublicKey)) {
    fail('key-reused', 'the new key is already in this consortium’s history: use a fresh key');
  }
  const checked = verifyRotationSignatures(c.name, s, newest.publicKey);
  if (checked !== 'ok') {
    fail(
      'bad-signature',
      checked === 'old-key'
        ? `the rotation is not signed by ${agency.id}'s key of epoch ${newest.epoch}`
        : 'the rotation is not signed by the new key (proof that the rotating agency holds it)',
    );
  }
  const keys: KeyEpoch[] = [
    ...agency.keys.slice(0, -1),
    { ...newest, supersededAt: s.effectiveAt },
    { epoch: s.newEpoch, publicKey: fromHex(s.newPublicKey, 32), validFrom: s.effectiveAt },
  ];
  return {
    agency,
    keys,
    change: `${agency.id}: key epoch ${s.newEpoch} (${s.newPublicKey.slice(0, 16)}…) takes over from epoch ${s.fromEpoch} at ${iso(s.effectiveAt)}`,
  };
}

function revoke(
  c: Consortium,
  s: RevocationStatement,
): { agency: ConsortiumAgency; keys: KeyEpoch[]; change: string } {
  const agency = agencyNamed(c, s.agencyId);
  const key = agency.keys.find((k) => k.epoch === s.epoch);
  if (!key) fail('unknown-epoch', `${agency.id} has no key epoch ${s.epoch}`);
  if (toHex(key.publicKey) !== s.publicKey) {
    fail('key-mismatch', `the statement's key is not ${agency.id}'s key of epoch ${s.epoch}`);
  }
  if (key.revokedAt !== undefined) {
    fail('already-revoked', `${agency.id}'s key epoch ${s.epoch} is already revoked`);
  }
  if (key.validFrom !== undefined && s.revokedAt < key.validFrom) {
    fail(
      'revoked-before-valid',
      `epoch ${s.epoch} only began at ${iso(key.validFrom)}: revoke it from then, not ${iso(s.revokedAt)}`,
    );
  }
  const others = c.agencies.filter((a) => a.id !== agency.id).map((a) => a.id);
  const signers = s.signatures.map((x) => x.agencyId);
  const stranger = signers.find((id) => !others.includes(id));
  if (stranger !== undefined || new Set(signers).size !== signers.length) {
    fail(
      'wrong-signers',
      stranger === agency.id
        ? `${agency.id} cannot sign its own revocation: the two other agencies do`
        : stranger !== undefined
          ? `${stranger} is not one of the two other agencies (${others.join(', ')})`
          : 'an agency signed the revocation twice',
    );
  }
  const missing = others.filter((id) => !signers.includes(id));
  if (missing.length > 0) {
    fail(
      'incomplete-signatures',
      `the revocation still needs the signature of ${missing.join(' and ')}`,
    );
  }
  for (const sig of s.signatures) {
    const signer = agencyNamed(c, sig.agencyId);
    const valid = epochValidAt(c, signer.party, sig.keyEpoch, sig.signedAt);
    if (!valid.ok) {
      fail(
        'signer-key-invalid',
        `${sig.agencyId} signed at ${iso(sig.signedAt)} with a key not valid then: ${valid.refusal.message}`,
      );
    }
    if (!verifyRevocationSignature(c.name, s, sig, valid.key.publicKey)) {
      fail(
        'bad-signature',
        `${sig.agencyId}'s signature is not made by its key of epoch ${sig.keyEpoch}`,
      );
    }
  }
  const keys = agency.keys.map((k) =>
    k.epoch === s.epoch ? { ...k, revokedAt: s.revokedAt, revocationReason: s.reason } : k,
  );
  return {
    agency,
    keys,
    change: `${agency.id}: key epoch ${s.epoch} revoked from ${iso(s.revokedAt)} (${s.reason})`,
  };
}

function agencyNamed(c: Consortium, id: string): ConsortiumAgency {
  const agency = c.agencies.find((a) => a.id === id);
  if (!agency) fail('unknown-agency', `no agency ${id} in consortium ${c.name}`);
  return agency;
}

function fail(code: KeyStatementCode, message: string): never {
  throw new KeyStatementError(code, message);
}
