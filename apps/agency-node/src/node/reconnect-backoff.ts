/** How long a node waits before its next connection attempt to the coordinator. */
export interface BackoffPolicy {
  /** The ceiling of the first wait, doubled at each attempt… */
  readonly baseMs: number;
  /** …up to this. */
  readonly capMs: number;
}

/**
 * A short ceiling on purpose: a session waits NODE_LEASE_MS (15 s by default) for a lost party, so
 * a node must be back within a few seconds of the coordinator (or a replica) being there again —
 * a 30 s ceiling made restarted coordinators abort sessions their nodes still held.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 4_000 };

/**
 * Exponential backoff with full jitter: the wait before attempt `attempt` (1, 2, …) is uniform in
 * [0, min(cap, base · 2^(attempt−1))] ms. The jitter spreads the reconnections of many nodes after
 * a coordinator restart; `randomBelow(n)` returns an integer in [0, n) (crypto randomness in the
 * node, a fixed value in tests).
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  randomBelow: (n: number) => number,
): number {
  const doublings = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** doublings);
  return randomBelow(ceiling + 1);
}
