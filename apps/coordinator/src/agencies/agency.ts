import type { AgencyRole } from '#concord/consortium';

/** A registered agency, as the coordinator's domain sees it. */
export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly role: AgencyRole;
  readonly party: 1 | 2 | 3;
  readonly identityKey: Uint8Array;
}
