import { randomBelow, type RandomSource } from '#concord/crypto';

/**
 * A uniformly random permutation of 0..n-1 (Fisher–Yates with exact uniform draws from the
 * caller's crypto RandomSource): `order[j]` is the index of the item placed at position j.
 */
export function randomPermutation(n: number, rng: RandomSource): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Number(randomBelow(rng, BigInt(i + 1)));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** `items` rearranged so that position j holds `items[order[j]]`. */
export function permute<T>(items: readonly T[], order: ArrayLike<number>): T[] {
  if (order.length !== items.length) {
    throw new RangeError(`permute: ${items.length} items but an order of ${order.length}`);
  }
  return Array.from({ length: order.length }, (_, j) => items[order[j]]);
}
