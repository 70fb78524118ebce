import type { PartyIndex } from '#concord/sharing';
import type { JoinMessageKind } from './messages.js';

/**
 * The three roles of the private join, and the flow this library implements.
 *
 * - `enrolment-holder` (planning, party 3) holds the enrolled card tokens E and a secret
 *   exponent a.
 * - `tap-holder` (the payment processor, party 2) holds the tokens T behind its per-token
 *   vectors (taps, spend, …) and a secret exponent b.
 * - `matcher` (transit, party 1) holds neither exponent and no token list.
 *
 * Flow (H is hash_to_ristretto255 under `concord/private-join/v1`):
 * 1. The enrolment holder sends the tap holder `enrolled-once` = {H(e)^a}, shuffled by it.
 * 2. The tap holder draws a secret random permutation σ of its tokens, the *join order*, in
 *    which it will later share its per-token vectors; it sends the enrolment holder
 *    `taps-once` = [H(t_σ(j))^b] in that order.
 * 3. The tap holder raises each element of `enrolled-once` to b, re-shuffles, and sends the
 *    matcher `enrolled-twice` = {H(e)^(ab)}.
 * 4. The enrolment holder raises each element of `taps-once` to a **without reordering** (the
 *    alignment with σ is the point) and sends the matcher `taps-twice` = [H(t_σ(j))^(ab)].
 * 5. The matcher sets indicator[j] = 1 exactly when `taps-twice[j]` is in `enrolled-twice`. The
 *    indicators are aligned with the join order, which only the tap holder knows; the matcher
 *    then secret-shares them (`dealIndicators`) and the tap holder shares its vectors in σ order.
 *
 * Who learns what (semi-honest parties, no two colluding — Concord's t = 1 model; DDH in
 * ristretto255, H a random oracle):
 * - the enrolment holder: |T| (the length of `taps-once`), nothing about which tokens;
 * - the tap holder: |E| (the length of `enrolled-once`), nothing about which tokens;
 * - the matcher: |E|, |T| and the intersection size |E ∩ T| exactly (not padded or noised in
 *   this groundwork), plus which join positions match — a uniformly random set of that size to
 *   anyone not knowing σ, so no more than the size;
 * - no party receives a token or an unblinded hash H(t); each single-blinded list goes only to
 *   the holder of the other exponent (which cannot remove the first blinding), and the
 *   double-blinded lists go only to the matcher (`captured-traffic.spec.ts` checks all of this
 *   message by message);
 * - two colluding parties learn more (the tap holder with the matcher learns which of its tokens
 *   are enrolled; the holder of a with the holder of b can test any guessed token): outside the
 *   threat model, as for Shamir sharing with t = 1.
 */
export type JoinRole = 'enrolment-holder' | 'tap-holder' | 'matcher';

/** The deployment's default assignment (transit matches; payments and planning hold lists). */
export const DEFAULT_JOIN_PARTIES: Readonly<Record<JoinRole, PartyIndex>> = Object.freeze({
  matcher: 1,
  'tap-holder': 2,
  'enrolment-holder': 3,
});

/** One outgoing message: the sans-I/O output a transport would deliver to `to`. */
export interface JoinOutgoing {
  readonly from: JoinRole;
  readonly to: JoinRole;
  readonly kind: JoinMessageKind;
  readonly bytes: Uint8Array;
}
