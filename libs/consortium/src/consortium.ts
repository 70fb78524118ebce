import { ConcordError } from '#concord/errors';
import { fromHex } from '#concord/crypto';

/** The three roles of a Concord consortium; each maps to one Shamir evaluation point. */
export type AgencyRole = 'transit' | 'payments' | 'planning';
export const AGENCY_ROLES: readonly AgencyRole[] = ['transit', 'payments', 'planning'];

export interface ConsortiumAgency {
  /** Stable identifier, e.g. `metro-transit`. */
  readonly id: string;
  readonly name: string;
  readonly role: AgencyRole;
  /** The agency's Shamir evaluation point (1, 2 or 3). */
  readonly party: 1 | 2 | 3;
  /** Ed25519 identity public key, pinned out of band. */
  readonly identityKey: Uint8Array;
}

export interface Consortium {
  readonly name: string;
  readonly agencies: readonly ConsortiumAgency[];
}

export class ConsortiumError extends ConcordError<'invalid-consortium'> {
  readonly domain = 'consortium';
  constructor(message: string) {
    super('invalid-consortium', message);
  }
}

const ID = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * Parses and validates a consortium file (JSON): exactly three agencies, one per role and per
 * party index, distinct ids and distinct 32-byte identity keys.
 */
export function parseConsortium(json: unknown): Consortium {
  if (!isRecord(json)) throw new ConsortiumError('consortium file must be a JSON object');
  const { name, agencies } = json;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new ConsortiumError('consortium.name must be a non-empty string');
  }
  if (!Array.isArray(agencies) || agencies.length !== 3) {
    throw new ConsortiumError('consortium.agencies must list exactly three agencies');
  }
  const parsed = agencies.map((a, i) => parseAgency(a, i));
  const distinct = (f: (a: ConsortiumAgency) => unknown): boolean =>
    new Set(parsed.map(f)).size === 3;
  if (!distinct((a) => a.id)) throw new ConsortiumError('agency ids must be distinct');
  if (!distinct((a) => a.role)) throw new ConsortiumError('each role must appear once');
  if (!distinct((a) => a.party)) throw new ConsortiumError('each party index must appear once');
  if (!distinct((a) => Buffer.from(a.identityKey).toString('hex'))) {
    throw new ConsortiumError('identity keys must be distinct');
  }
  return { name, agencies: [...parsed].sort((a, b) => a.party - b.party) };
}

function parseAgency(a: unknown, i: number): ConsortiumAgency {
  const at = `consortium.agencies[${i}]`;
  if (!isRecord(a)) throw new ConsortiumError(`${at} must be an object`);
  const { id, name, role, party, identityKey } = a;
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
  if (typeof identityKey !== 'string' || !/^[0-9a-f]{64}$/.test(identityKey)) {
    throw new ConsortiumError(`${at}.identityKey must be 64 lowercase hex characters`);
  }
  return { id, name, role: role as AgencyRole, party, identityKey: fromHex(identityKey, 32) };
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

/** The JSON form written to disk. */
export function consortiumToJson(consortium: Consortium): Record<string, unknown> {
  return {
    name: consortium.name,
    agencies: consortium.agencies.map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      party: a.party,
      identityKey: Buffer.from(a.identityKey).toString('hex'),
    })),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
