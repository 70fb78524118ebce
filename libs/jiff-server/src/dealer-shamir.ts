import { randomBelow, type RandomSource } from '#concord/crypto';

/**
 * Shamir shares of `secret` for the receivers as JIFF deals them: a random polynomial of degree
 * `threshold − 1` with uniform coefficients in [0, Zp) and constant term `secret`; party k
 * receives f(k) mod Zp. Callers guarantee Zp is prime and larger than every receiver id.
 */
export function shamirShare(
  secret: bigint,
  receivers: readonly number[],
  threshold: number,
  zp: bigint,
  random: RandomSource,
): Map<number, bigint> {
  const coefficients = [secret % zp];
  for (let i = 1; i < threshold; i += 1) coefficients.push(randomBelow(random, zp));
  const shares = new Map<number, bigint>();
  for (const receiver of receivers) {
    const x = BigInt(receiver);
    let y = 0n;
    for (let i = coefficients.length - 1; i >= 0; i -= 1) y = (y * x + coefficients[i]) % zp;
    shares.set(receiver, y);
  }
  return shares;
}
