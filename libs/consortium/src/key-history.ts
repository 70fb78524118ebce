import type { Consortium, ConsortiumAgency, KeyEpoch } from './consortium-types.js';

/** Why no key (or not the key asked about) is valid at a time. */
export type KeyRefusalReason =
  'unknown-agency' | 'unknown-epoch' | 'not-yet-valid' | 'superseded' | 'revoked';

export interface KeyRefusal {
  readonly reason: KeyRefusalReason;
  readonly party: number;
  readonly epoch?: number;
  /** The time the refusal hinges on (the epoch's start, end or revocation), epoch ms. */
  readonly since?: number;
  /** One line for an operator or an auditor. */
  readonly message: string;
}

export type KeyValidity =
  | { readonly ok: true; readonly key: KeyEpoch }
  | { readonly ok: false; readonly refusal: KeyRefusal };

/** What key checks need of an agency: who it is and its history. */
export type KeyHolder = Pick<ConsortiumAgency, 'id' | 'party' | 'keys'>;

const iso = (t: number): string => new Date(t).toISOString();

/** The epoch of `party`'s key numbered `epoch`, if the history has it. */
export function keyByEpoch(
  consortium: Consortium,
  party: number,
  epoch: number,
): KeyEpoch | undefined {
  return agencyOf(consortium, party)?.keys.find((k) => k.epoch === epoch);
}

/** The epoch in force at `time` (epoch ms) for `party`, or why none is. */
export function keyAt(consortium: Consortium, party: number, time: number): KeyValidity {
  const agency = agencyOf(consortium, party);
  if (!agency) return unknownAgency(party);
  // Epochs start in strictly increasing order, epoch 0 at the beginning: exactly one covers `time`.
  const current = [...agency.keys].reverse().find((k) => (k.validFrom ?? -Infinity) <= time)!;
  return validity(agency, current, time);
}

/** Whether `party`'s key of `epoch` is valid at `time`: started, not superseded, not revoked. */
export function epochValidAt(
  consortium: Consortium,
  party: number,
  epoch: number,
  time: number,
): KeyValidity {
  const agency = agencyOf(consortium, party);
  if (!agency) return unknownAgency(party);
  return agencyEpochValidAt(agency, epoch, time);
}

/** `epochValidAt` for one agency's history (for holders of a directory rather than a file). */
export function agencyEpochValidAt(agency: KeyHolder, epoch: number, time: number): KeyValidity {
  const { party } = agency;
  const key = agency.keys.find((k) => k.epoch === epoch);
  if (!key) {
    return refuse(
      'unknown-epoch',
      party,
      `agency ${agency.id} has no key epoch ${epoch} in this consortium file (newest: ${agency.keys.length - 1})`,
      epoch,
    );
  }
  return validity(agency, key, time);
}

function validity(agency: KeyHolder, key: KeyEpoch, time: number): KeyValidity {
  const { party, id } = agency;
  if (key.revokedAt !== undefined && time >= key.revokedAt) {
    return refuse(
      'revoked',
      party,
      `agency ${id}'s key epoch ${key.epoch} is revoked since ${iso(key.revokedAt)} (${key.revocationReason ?? 'no reason given'})`,
      key.epoch,
      key.revokedAt,
    );
  }
  if (key.validFrom !== undefined && time < key.validFrom) {
    return refuse(
      'not-yet-valid',
      party,
      `agency ${id}'s key epoch ${key.epoch} is valid only from ${iso(key.validFrom)}`,
      key.epoch,
      key.validFrom,
    );
  }
  if (key.supersededAt !== undefined && time >= key.supersededAt) {
    return refuse(
      'superseded',
      party,
      `agency ${id}'s key epoch ${key.epoch} was superseded by epoch ${key.epoch + 1} at ${iso(key.supersededAt)}`,
      key.epoch,
      key.supersededAt,
    );
  }
  return { ok: true, key };
}

function agencyOf(consortium: Consortium, party: number): ConsortiumAgency | undefined {
  return consortium.agencies.find((a) => a.party === party);
}

function unknownAgency(party: number): KeyValidity {
  return refuse('unknown-agency', party, `no agency is party ${party} in this consortium file`);
}

function refuse(
  reason: KeyRefusalReason,
  party: number,
  message: string,
  epoch?: number,
  since?: number,
): KeyValidity {
  return {
    ok: false,
    refusal: {
      reason,
      party,
      message,
      ...(epoch === undefined ? {} : { epoch }),
      ...(since === undefined ? {} : { since }),
    },
  };
}
