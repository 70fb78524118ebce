/**
 * The session's failpoints (names agreed for the fault suite; libs/failpoint), each in the order a
 * session reaches them, so a scenario can run once per phase with `it.each`.
 */
export const COORDINATOR_FAILPOINTS = [
  /** Invitations sent, no acceptance yet. */
  'coordinator.invited',
  /** A commitment recorded, not all three. */
  'coordinator.commitment-recorded',
  /** An input envelope relayed: mid input round. */
  'coordinator.input-relayed',
  /** An opening envelope relayed: mid opening. */
  'coordinator.open-relayed',
  /** The results released (stored), seals not yet asked for. */
  'coordinator.released',
  /** A seal recorded, not all three. */
  'coordinator.seal-recorded',
] as const;

export const NODE_FAILPOINTS = [
  'node.reading-inputs',
  'node.accepted',
  'node.committed',
  'node.input-sent',
  'node.open-sent',
  'node.result-sent',
] as const;

/** A node holding the coordinator's login challenge, before it answers (a login answered late). */
export const NODE_LOGIN_FAILPOINT = 'node.login-challenged';

export type Failpoint =
  | (typeof COORDINATOR_FAILPOINTS)[number]
  | (typeof NODE_FAILPOINTS)[number]
  | typeof NODE_LOGIN_FAILPOINT;

/** The environment that arms `points` in a process started with it. */
export function armFailpoints(...points: readonly Failpoint[]): NodeJS.ProcessEnv {
  return { CONCORD_FAILPOINTS: points.join(',') };
}
