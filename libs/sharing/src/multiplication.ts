import type { RandomSource } from '#concord/crypto';
import { combineSmall, type FieldVector, groupedInnerProducts, mul } from '#concord/field';
import { othersOf, PARTIES, type PartyIndex } from './parties.js';
import { dealVector, type ShareMessage, shareFromMessage } from './shamir.js';
import { SharingError } from './sharing-error.js';

/**
 * Honest-majority multiplication without a dealer (Gennaro–Rabin–Rabin degree reduction):
 * each party multiplies its degree-1 shares locally, which gives a degree-2 sharing of the
 * product; each then reshares its product share with degree 1, and every party combines the
 * three reshares with the degree-2 Lagrange coefficients (3, -3, 1). One round, and no party —
 * the coordinator least of all — ever holds multiplication triples.
 *
 * Sans-I/O: `start` returns the messages to send; `finish` takes the messages received.
 */
export interface MultiplicationState {
  readonly self: PartyIndex;
  readonly own: FieldVector;
}

export interface MultiplicationStart {
  readonly state: MultiplicationState;
  readonly outbound: ReadonlyMap<PartyIndex, ShareMessage>;
}

/** Elementwise products x_i · y_i of two shared vectors. */
export function startMultiplication(
  self: PartyIndex,
  x: FieldVector,
  y: FieldVector,
  rng: RandomSource,
): MultiplicationStart {
  return startResharing(self, mul(x, y), rng);
}

/**
 * Inner products per output group: out[g] = Σ_{i: groupOf[i] = g} x_i · y_i. The local sum of
 * degree-2 products is itself a degree-2 sharing, so resharing happens once per output, not per
 * term (groupOf[i] = -1 leaves element i out).
 */
export function startInnerProducts(
  self: PartyIndex,
  x: FieldVector,
  y: FieldVector,
  groupOf: Int32Array,
  groups: number,
  rng: RandomSource,
): MultiplicationStart {
  return startResharing(self, groupedInnerProducts(x, y, groupOf, groups), rng);
}

function startResharing(
  self: PartyIndex,
  product: FieldVector,
  rng: RandomSource,
): MultiplicationStart {
  const dealing = dealVector(product, self, rng);
  return { state: { self, own: dealing.own }, outbound: dealing.messages };
}

/** Combines the reshares received from the two other parties with one's own. */
export function finishMultiplication(
  state: MultiplicationState,
  inbound: ReadonlyMap<PartyIndex, ShareMessage>,
): FieldVector {
  const { field, length } = state.own;
  const reshares = new Map<PartyIndex, FieldVector>([[state.self, state.own]]);
  for (const p of othersOf(state.self)) {
    const message = inbound.get(p);
    if (!message) throw new SharingError('missing-share', `no reshare from party ${p}`, [p]);
    reshares.set(p, shareFromMessage(field, length, message));
  }
  // Degree-2 Lagrange coefficients at 0 for the points 1, 2, 3.
  const coefficients = [3, -3, 1];
  return combineSmall(
    PARTIES.map((p, i) => ({
      coefficient: coefficients[i],
      vector: reshares.get(p) as FieldVector,
    })),
  );
}
