import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  addRevocationSignature,
  agencyById,
  applyStatement,
  type Consortium,
  consortiumToJson,
  keyAt,
  type KeyStatement,
  keyStatementToJson,
  parseConsortium,
  parseIsoTime,
  parseKeyStatement,
  type RevocationStatement,
  signRotation,
} from '#concord/consortium';
import { inMemorySigner, toHex } from '#concord/crypto';
import { ConfigurationError } from '#concord/errors';
import { readIdentityFile } from '../keys/identity-file.js';

/**
 * `concord keys rotate`, `concord consortium revoke` and `concord consortium update`: the signed
 * statements that change an agency's key history, and applying them to a consortium file
 * (docs/security.md, key rotation and revocation). Every statement is checked against the
 * consortium before it is written, so a file that leaves here applies.
 */

export function keysRotate(options: {
  consortium: string;
  agency: string;
  oldKey: string;
  newKey: string;
  effective: string;
  out: string;
}): void {
  const consortium = readConsortium(options.consortium);
  const agency = agencyById(consortium, options.agency);
  if (!agency)
    throw flag('--agency', `an agency of the consortium (${ids(consortium)})`, options.agency);
  const old = readKey(options.oldKey, '--old-key', agency.id);
  const next = readKey(options.newKey, '--new-key', agency.id);
  const newest = agency.keys.at(-1)!;
  if (toHex(old.publicKey) !== toHex(newest.publicKey)) {
    throw flag('--old-key', `the key file of ${agency.id}'s newest epoch (${newest.epoch})`);
  }
  const effectiveAt = time(options.effective, '--effective');
  const statement = signRotation(
    consortium.name,
    { agencyId: agency.id, fromEpoch: newest.epoch, newEpoch: newest.epoch + 1, effectiveAt },
    inMemorySigner(old.secretKey, 'plain-file'),
    inMemorySigner(next.secretKey, 'plain-file'),
  );
  const change = check(consortium, statement);
  writeStatement(options.out, statement);
  process.stdout.write(`wrote ${options.out}: ${change}\n`);
  if (effectiveAt < Date.now()) {
    process.stdout.write(
      'warning: the effective time is in the past: sessions signed with the old key since then will no longer verify\n',
    );
  }
}

export function consortiumRevoke(options: {
  consortium: string;
  agency?: string;
  epoch?: string;
  revokedAt?: string;
  reason?: string;
  signerKey: string;
  statement?: string;
  out: string;
}): void {
  const consortium = readConsortium(options.consortium);
  const given = revocationFromFlags(options);
  let statement: RevocationStatement;
  if (options.statement !== undefined) {
    const existing = parseKeyStatement(readJson(options.statement, '--statement'));
    if (existing.type !== 'revocation') throw flag('--statement', 'a revocation statement');
    // Flags repeated with --statement must say the same thing.
    const mismatch = (Object.keys(given) as (keyof typeof given)[]).find(
      (k) => given[k] !== undefined && given[k] !== existing[k],
    );
    if (mismatch !== undefined)
      throw flag(`--${mismatch}`, 'the value the --statement file already holds');
    statement = existing;
  } else {
    const { agencyId, epoch, revokedAt, reason } = given;
    if (agencyId === undefined || epoch === undefined || revokedAt === undefined || !reason) {
      throw flag(
        '--agency, --epoch, --revoked-at and --reason',
        'given (or --statement, to add a signature to an existing revocation)',
      );
    }
    const agency = agencyById(consortium, agencyId);
    const key = agency?.keys.find((k) => k.epoch === epoch);
    if (!agency || !key) throw flag('--agency/--epoch', 'an agency and one of its key epochs');
    statement = {
      type: 'revocation',
      agencyId,
      epoch,
      publicKey: toHex(key.publicKey),
      revokedAt,
      reason,
      signatures: [],
    };
  }
  const { agencyId: signerId, identity } = readIdentityFile(resolve(options.signerKey));
  const signer = agencyById(consortium, signerId);
  if (!signer)
    throw flag('--signer-key', `the key file of an agency of the consortium (${ids(consortium)})`);
  if (signer.id === statement.agencyId) {
    throw flag('--signer-key', `a key of one of the two other agencies, not ${signer.id}'s own`);
  }
  const now = Date.now();
  const inForce = keyAt(consortium, signer.party, now);
  if (!inForce.ok || toHex(inForce.key.publicKey) !== toHex(identity.publicKey)) {
    throw flag('--signer-key', `${signer.id}'s key in force now`);
  }
  statement = addRevocationSignature(
    consortium.name,
    statement,
    { agencyId: signer.id, keyEpoch: inForce.key.epoch, signedAt: now },
    inMemorySigner(identity.secretKey, 'plain-file'),
  );
  const result = applyStatement(consortium, statement);
  if (!result.ok && result.error.code !== 'incomplete-signatures') throw result.error;
  writeStatement(options.out, statement);
  process.stdout.write(
    result.ok
      ? `wrote ${options.out}: signed by ${signer.id}; complete (${result.change}); apply it with concord consortium update\n`
      : `wrote ${options.out}: signed by ${signer.id}; ${result.error.message}\n`,
  );
}

export function consortiumUpdate(options: {
  consortium: string;
  statement: string;
  out?: string;
}): void {
  const consortium = readConsortium(options.consortium);
  const statement = parseKeyStatement(readJson(options.statement, '--statement'));
  const result = applyStatement(consortium, statement);
  if (!result.ok) throw result.error;
  const out = resolve(options.out ?? options.consortium);
  // Written whole, then renamed: a reader never sees half a consortium file.
  const temporary = `${out}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(consortiumToJson(result.consortium), null, 2)}\n`);
  renameSync(temporary, out);
  process.stdout.write(
    `${result.change}\nwrote ${options.out ?? options.consortium} (consortium v2, ${result.consortium.statements.length} statement(s)); restart the nodes, and the coordinator (or send it SIGHUP), to pick it up\n`,
  );
}

function revocationFromFlags(options: {
  agency?: string;
  epoch?: string;
  revokedAt?: string;
  reason?: string;
}): { agencyId?: string; epoch?: number; revokedAt?: number; reason?: string } {
  if (options.epoch !== undefined && !/^\d{1,6}$/.test(options.epoch))
    throw flag('--epoch', 'a key epoch number (0, 1, …)', options.epoch);
  return {
    agencyId: options.agency,
    epoch: options.epoch === undefined ? undefined : Number(options.epoch),
    revokedAt:
      options.revokedAt === undefined ? undefined : time(options.revokedAt, '--revoked-at'),
    reason: options.reason,
  };
}

function check(consortium: Consortium, statement: KeyStatement): string {
  const result = applyStatement(consortium, statement);
  if (!result.ok) throw result.error;
  return result.change;
}

function readConsortium(file: string): Consortium {
  return parseConsortium(readJson(file, '--consortium'));
}

function readKey(file: string, setting: string, agencyId: string) {
  const { agencyId: owner, identity } = readIdentityFile(resolve(file));
  if (owner !== agencyId) throw flag(setting, `a key file of ${agencyId}`, owner);
  return identity;
}

function readJson(file: string, setting: string): unknown {
  try {
    return JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown;
  } catch (e) {
    throw flag(setting, 'a readable JSON file', e instanceof Error ? e.message : String(e));
  }
}

function writeStatement(out: string, statement: KeyStatement): void {
  writeFileSync(resolve(out), `${JSON.stringify(keyStatementToJson(statement), null, 2)}\n`);
}

function time(value: string, setting: string): number {
  try {
    return parseIsoTime(value, setting);
  } catch {
    throw flag(setting, 'an ISO-8601 time with a time zone, e.g. 2027-01-01T00:00:00Z', value);
  }
}

function ids(consortium: Consortium): string {
  return consortium.agencies.map((a) => a.id).join(', ');
}

function flag(setting: string, requirement: string, shown?: string): ConfigurationError {
  return new ConfigurationError({
    setting,
    requirement,
    ...(shown === undefined ? {} : { shown: JSON.stringify(shown) }),
  });
}
