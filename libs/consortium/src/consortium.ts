import { fromHex, toHex } from '#concord/crypto';
import { applyStatement } from './apply-statement.js';
import {
  AGENCY_ROLES,
  type AgencyRole,
  type Consortium,
  type ConsortiumAgency,
  ConsortiumError,
  type KeyEpoch,
} from './consortium-types.js';
import { keyStatementToJson, parseIsoTime, parseKeyStatement } from './key-statements.js';

/** The `format` of a consortium file with key histories. A file without `format` is v1. */
export const CONSORTIUM_FORMAT_V2 = 'concord-consortium/v2';

const ID = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * Parses and validates a consortium file (JSON): exactly three agencies, one per role and per
 * party index, distinct ids and distinct 32-byte identity keys.
 *
 * v1 (no `format`): one `identityKey` per agency, read as its epoch 0. v2: each agency lists its
 * key history (`keys`) and the file carries the signed `statements` that produced it; the
 * statements are replayed from the epoch-0 keys and must yield exactly the listed history, so
 * anyone holding the file can re-check every rotation and revocation in it.
 */
export function parseConsortium(json: unknown): Consortium {
  if (!isRecord(json)) throw new ConsortiumError('consortium file must be a JSON object');
  const { name, agencies, format } = json;
  if (format !== undefined && format !== CONSORTIUM_FORMAT_V2) {
    throw new ConsortiumError(
      `consortium.format must be "${CONSORTIUM_FORMAT_V2}" (or absent: v1)`,
    );
  }
  const v2 = format === CONSORTIUM_FORMAT_V2;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new ConsortiumError('consortium.name must be a non-empty string');
  }
  if (!Array.isArray(agencies) || agencies.length !== 3) {
    throw new ConsortiumError('consortium.agencies must list exactly three agencies');
  }
  const parsed = agencies.map((a, i) => parseAgency(a, i, v2));
  const distinct = (f: (a: ConsortiumAgency) => unknown): boolean =>
    new Set(parsed.map(f)).size === 3;
  if (!distinct((a) => a.id)) throw new ConsortiumError('agency ids must be distinct');
  if (!distinct((a) => a.role)) throw new ConsortiumError('each role must appear once');
  if (!distinct((a) => a.party)) throw new ConsortiumError('each party index must appear once');
  if (!distinct((a) => toHex(a.keys[0].publicKey))) {
    throw new ConsortiumError('identity keys must be distinct');
  }
  const sorted = [...parsed].sort((a, b) => a.party - b.party);
  const genesis: Consortium = {
    name,
    agencies: sorted.map((a) => ({ ...a, keys: [{ epoch: 0, publicKey: a.keys[0].publicKey }] })),
    statements: [],
  };
  if (!v2) return genesis;
  const { statements } = json;
  if (!Array.isArray(statements)) {
    throw new ConsortiumError('consortium.statements must be an array (empty when no key changed)');
  }
  let replayed = genesis;
  statements.forEach((s, i) => {
    const result = applyStatement(replayed, parseKeyStatement(s, `consortium.statements[${i}]`));
    if (!result.ok) {
      throw new ConsortiumError(`consortium.statements[${i}] is refused: ${result.error.message}`);
    }
    replayed = result.consortium;
  });
  for (const declared of sorted) {
    const derived = replayed.agencies.find((a) => a.id === declared.id)!;
    if (
      JSON.stringify(keyHistoryToJson(derived.keys)) !==
      JSON.stringify(keyHistoryToJson(declared.keys))
    ) {
      throw new ConsortiumError(
        `agency ${declared.id}'s keys are not the history its statements produce: re-create the file with \`concord consortium update\``,
      );
    }
  }
  return replayed;
}

function parseAgency(a: unknown, i: number, v2: boolean): ConsortiumAgency {
  const at = `consortium.agencies[${i}]`;
  if (!isRecord(a)) throw new ConsortiumError(`${at} must be an object`);
  const { id, name, role, party } = a;
  if (typeof id !== 'string' || !ID.test(id))
    throw new ConsortiumError(`${at}.id must match ${ID}`);
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new ConsortiumError(`${at}.name must be a non-empty string`);
  }
  if (typeof role !== 'string' || !AGENCY_ROLES.includes(role as AgencyRole)) {
    throw new ConsortiumError(`${at}.role must be one of ${AGENCY_ROLES.join(', ')}`);
  }
  if (party !== 1 && party !== 2 && party !== 3)
    throw new ConsortiumError(`${at}.party must be 1, 2 or 3`);
  const keys = v2
    ? parseKeyHistory(a.keys, `${at}.keys`)
    : [{ epoch: 0, publicKey: hexKey(a.identityKey, `${at}.identityKey`) }];
  return { id, name, role: role as AgencyRole, party, identityKey: keys.at(-1)!.publicKey, keys };
}

/** Parses a key history in its JSON form (`keys` of a v2 agency; also how the coordinator stores it). */
export function parseKeyHistory(v: unknown, at: string): KeyEpoch[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 1000) {
    throw new ConsortiumError(`${at} must list the agency's key epochs, epoch 0 first`);
  }
  return v.map((k, i) => {
    const where = `${at}[${i}]`;
    if (!isRecord(k)) throw new ConsortiumError(`${where} must be an object`);
    if (k.epoch !== i) throw new ConsortiumError(`${where}.epoch must be ${i}`);
    const time = (field: string): number | undefined => {
      const t = k[field];
      if (t === undefined || t === null) return undefined;
      try {
        return parseIsoTime(t, `${where}.${field}`);
      } catch (e) {
        throw new ConsortiumError((e as Error).message);
      }
    };
    const validFrom = time('validFrom');
    const supersededAt = time('supersededAt');
    const revokedAt = time('revokedAt');
    const reason = k.revocationReason;
    if (reason !== undefined && typeof reason !== 'string') {
      throw new ConsortiumError(`${where}.revocationReason must be a string`);
    }
    return {
      epoch: i,
      publicKey: hexKey(k.publicKey, `${where}.publicKey`),
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(supersededAt === undefined ? {} : { supersededAt }),
      ...(revokedAt === undefined ? {} : { revokedAt }),
      ...(reason === undefined ? {} : { revocationReason: reason }),
    };
  });
}

function hexKey(v: unknown, at: string): Uint8Array {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) {
    throw new ConsortiumError(`${at} must be 64 lowercase hex characters`);
  }
  return fromHex(v, 32);
}

export function agencyByParty(consortium: Consortium, party: number): ConsortiumAgency | undefined {
  return consortium.agencies.find((a) => a.party === party);
}

export function agencyById(consortium: Consortium, id: string): ConsortiumAgency | undefined {
  return consortium.agencies.find((a) => a.id === id);
}

export function agencyByRole(consortium: Consortium, role: AgencyRole): ConsortiumAgency {
  const agency = consortium.agencies.find((a) => a.role === role);
  if (!agency) throw new ConsortiumError(`no agency has role ${role}`);
  return agency;
}

/** A consortium of three agencies at epoch 0 (tests, demo setup): no history yet. */
export function genesisConsortium(
  name: string,
  agencies: readonly Omit<ConsortiumAgency, 'keys'>[],
): Consortium {
  return parseConsortium({
    name,
    agencies: agencies.map((a) => ({ ...a, identityKey: toHex(a.identityKey) })),
  });
}

/** The JSON form written to disk: v2 (key history and statements). */
export function consortiumToJson(consortium: Consortium): Record<string, unknown> {
  return {
    format: CONSORTIUM_FORMAT_V2,
    name: consortium.name,
    agencies: consortium.agencies.map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      party: a.party,
      keys: keyHistoryToJson(a.keys),
    })),
    statements: consortium.statements.map(keyStatementToJson),
  };
}

/** The JSON form of a key history (times as ISO-8601; `validFrom` null for epoch 0). */
export function keyHistoryToJson(keys: readonly KeyEpoch[]): Record<string, unknown>[] {
  const iso = (t: number | undefined): string | null =>
    t === undefined ? null : new Date(t).toISOString();
  return keys.map((k) => ({
    epoch: k.epoch,
    publicKey: toHex(k.publicKey),
    validFrom: iso(k.validFrom),
    ...(k.supersededAt === undefined ? {} : { supersededAt: iso(k.supersededAt) }),
    ...(k.revokedAt === undefined
      ? {}
      : { revokedAt: iso(k.revokedAt), revocationReason: k.revocationReason ?? '' }),
  }));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
