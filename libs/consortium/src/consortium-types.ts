import { ConcordError } from '#concord/errors';

/** The three roles of a Concord consortium; each maps to one Shamir evaluation point. */
export type AgencyRole = 'transit' | 'payments' | 'planning';
export const AGENCY_ROLES: readonly AgencyRole[] = ['transit', 'payments', 'planning'];

/**
 * One epoch of an agency's identity key. Epochs are numbered 0, 1, 2…; epoch 0 is valid from the
 * beginning, epoch n+1 from the `effectiveAt` of the rotation that introduced it, which is also
 * when epoch n is superseded. A revoked epoch is invalid from `revokedAt` on. Times are epoch
 * milliseconds.
 */
export interface KeyEpoch {
  readonly epoch: number;
  /** Ed25519 public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** When the epoch starts; undefined for epoch 0 (valid from the beginning). */
  readonly validFrom?: number;
  /** When the next epoch took over; undefined for the newest epoch. */
  readonly supersededAt?: number;
  /** The declared compromise time, from which this key is invalid; undefined unless revoked. */
  readonly revokedAt?: number;
  readonly revocationReason?: string;
}

export interface ConsortiumAgency {
  /** Stable identifier, e.g. `metro-transit`. */
  readonly id: string;
  readonly name: string;
  readonly role: AgencyRole;
  /** The agency's Shamir evaluation point (1, 2 or 3). */
  readonly party: 1 | 2 | 3;
  /**
   * The newest epoch's public key. Where a time is known use `keyAt` instead: the newest key may
   * not be effective yet, or may be revoked.
   */
  readonly identityKey: Uint8Array;
  /** The key history, epochs 0…n in order (never empty). */
  readonly keys: readonly KeyEpoch[];
}

/** A signature by one agency's key of a given epoch, made at `signedAt` (epoch ms). */
export interface AgencySignature {
  readonly agencyId: string;
  readonly keyEpoch: number;
  readonly signedAt: number;
  /** Ed25519 signature, hex. */
  readonly signature: string;
}

/** A rotation: the agency's key of `fromEpoch` hands over to `newPublicKey` at `effectiveAt`. */
export interface RotationStatement {
  readonly type: 'rotation';
  readonly agencyId: string;
  readonly fromEpoch: number;
  readonly newEpoch: number;
  /** hex */
  readonly newPublicKey: string;
  readonly effectiveAt: number;
  /** By the key of `fromEpoch`: the agency authorises its successor. */
  readonly oldKeySignature: string;
  /** By the new key: proof that whoever rotates holds it (no rotating to someone else's key). */
  readonly newKeySignature: string;
}

/** A revocation: the key of `epoch` is taken for compromised from `revokedAt` on. */
export interface RevocationStatement {
  readonly type: 'revocation';
  readonly agencyId: string;
  readonly epoch: number;
  /** hex, the revoked key (so the statement names what it kills, not only a number). */
  readonly publicKey: string;
  readonly revokedAt: number;
  readonly reason: string;
  /** The two other agencies' signatures (a statement being collected may hold fewer). */
  readonly signatures: readonly AgencySignature[];
}

export type KeyStatement = RotationStatement | RevocationStatement;

export interface Consortium {
  readonly name: string;
  readonly agencies: readonly ConsortiumAgency[];
  /** Every rotation and revocation applied since the genesis (epoch-0 keys), in order. */
  readonly statements: readonly KeyStatement[];
}

export class ConsortiumError extends ConcordError<'invalid-consortium'> {
  readonly domain = 'consortium';
  constructor(message: string) {
    super('invalid-consortium', message);
  }
}
