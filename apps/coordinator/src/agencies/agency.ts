import type { AgencyRole, KeyEpoch } from '#concord/consortium';

/** A registered agency, as the coordinator's domain sees it. */
export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly role: AgencyRole;
  readonly party: 1 | 2 | 3;
  /** The newest epoch's key (which may not be effective yet: check `keyAt` where time matters). */
  readonly identityKey: Uint8Array;
  /** The key history, epoch 0 first (docs/security.md, key rotation). */
  readonly keys: readonly KeyEpoch[];
}
