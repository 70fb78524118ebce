import type { RandomSource } from '#concord/crypto';
import { type FieldVector, fromSafeIntegers, type PrimeField } from '#concord/field';
import {
  type Dealing,
  dealVector,
  type PartyIndex,
  type Shares,
  shareVector,
} from '#concord/sharing';
import { PrivateJoinError } from './private-join-error.js';

/** The 0/1 indicators as a field vector (refusing anything but 0 and 1). */
export function indicatorVector(field: PrimeField, indicators: Uint8Array): FieldVector {
  for (let j = 0; j < indicators.length; j++) {
    if (indicators[j] > 1) {
      throw new PrivateJoinError('malformed-message', `indicator ${j} is neither 0 nor 1`);
    }
  }
  return fromSafeIntegers(field, indicators);
}

/**
 * What the Shamir engine consumes: the matcher's indicators (in the tap holder's join order)
 * as degree-1 Shamir shares for parties 1, 2, 3. Position j of every share is aligned with
 * position j of the tap holder's vectors once it shares them in join order (`alignToJoinOrder`),
 * so Σ_j indicator_j · value_j — the sum over enrolled riders — is a shared inner product.
 */
export function shareIndicators(
  field: PrimeField,
  indicators: Uint8Array,
  rng: RandomSource,
): Shares {
  return shareVector(indicatorVector(field, indicators), rng);
}

/** As `shareIndicators`, with the engine's seed-compressed dealing from the matcher's party. */
export function dealIndicators(
  field: PrimeField,
  indicators: Uint8Array,
  dealer: PartyIndex,
  rng: RandomSource,
): Dealing {
  return dealVector(indicatorVector(field, indicators), dealer, rng);
}
