import { randomBelow, type RandomSource } from '#concord/crypto';
import { parseInteger } from './integers.js';
import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';
import { isJsonObject, type JsonObject } from './payload.js';

export const CRYPTO_LABELS = ['triplet', 'numbers', 'quotient'] as const;
export type CryptoLabel = (typeof CRYPTO_LABELS)[number];

/** Validated dealer parameters, exact integers only. */
export type DealerParams =
  | { readonly label: 'triplet' }
  | { readonly label: 'quotient'; readonly constant: bigint }
  | {
      readonly label: 'numbers';
      readonly count: number;
      /** A fixed value (e.g. 0 for the zero-sharing every `open` uses), else uniform in [min, max). */
      readonly number: bigint | undefined;
      readonly min: bigint;
      readonly max: bigint;
      /** If set, each value is dealt as this many bit shares, least significant first. */
      readonly bitLength: number | undefined;
    };

export function isCryptoLabel(label: unknown): label is CryptoLabel {
  return typeof label === 'string' && (CRYPTO_LABELS as readonly string[]).includes(label);
}

/**
 * Checks `params` for `label` against Zp and the limits. Refuses what the stock dealer would
 * silently mishandle: secrets outside [0, Zp), bit lengths too short to hold the values, and
 * counts that would make one request allocate without bound. Values dealt as bits (`bitLength`
 * set) may exceed Zp, as with the stock dealer: each secret is then a bit.
 */
export function parseDealerParams(
  label: CryptoLabel,
  raw: unknown,
  zp: bigint,
  limits: JiffLimits,
): DealerParams {
  let params: JsonObject = {};
  if (raw !== undefined && raw !== null) {
    if (!isJsonObject(raw)) throw new JiffServerError('invalid-params', 'params must be an object');
    params = raw;
  }
  /** `key` as an integer of at most Zp's digits + 1, or of `digits` if that is more. */
  const int = (key: string, digits = 0): bigint | undefined => {
    const value = params[key];
    if (value === undefined || value === null) return undefined;
    const parsed = parseInteger(value, Math.max(digits, zp.toString().length + 1));
    if (parsed === undefined)
      throw new JiffServerError('invalid-params', `params.${key} must be an integer`);
    return parsed;
  };
  switch (label) {
    case 'triplet':
      return { label };
    case 'quotient': {
      const constant = int('constant');
      if (constant === undefined || constant < 1n || constant > zp) {
        throw new JiffServerError(
          'invalid-params',
          'params.constant must be an integer in [1, Zp]',
        );
      }
      return { label, constant };
    }
    case 'numbers':
      return parseNumbersParams(params, int, zp, limits);
  }
}

function parseNumbersParams(
  params: JsonObject,
  int: (key: string, digits?: number) => bigint | undefined,
  zp: bigint,
  limits: JiffLimits,
): DealerParams {
  const count = int('count') ?? 1n;
  if (count < 1n || count > BigInt(limits.maxNumbersCount)) {
    throw new JiffServerError(
      'limit-exceeded',
      `params.count must be in [1, ${limits.maxNumbersCount}]`,
    );
  }
  const bitLengthBig = int('bitLength');
  if (
    bitLengthBig !== undefined &&
    (bitLengthBig < 1n || bitLengthBig > BigInt(limits.maxBitLength))
  ) {
    throw new JiffServerError(
      'limit-exceeded',
      `params.bitLength must be in [1, ${limits.maxBitLength}]`,
    );
  }
  const bitLength = bitLengthBig === undefined ? undefined : Number(bitLengthBig);
  if (Number(count) * (bitLength ?? 1) > limits.maxDealerSecrets) {
    throw new JiffServerError(
      'limit-exceeded',
      `one request may deal at most ${limits.maxDealerSecrets} secrets`,
    );
  }
  if (params.bit !== undefined && params.bit !== null && typeof params.bit !== 'boolean') {
    throw new JiffServerError('invalid-params', 'params.bit must be a boolean');
  }
  const number = int('number');
  // Dealt as bits, the values are bounded by 2^bitLength, not by Zp: JIFF's rejection sampling
  // asks for the bits of a value below its upper bound, which may exceed Zp.
  const rangeDigits =
    bitLength === undefined ? undefined : (1n << BigInt(bitLength)).toString().length;
  const min = int('min', rangeDigits) ?? 0n;
  const max = params.bit === true ? 2n : (int('max', rangeDigits) ?? zp);
  if (number !== undefined) {
    if (number < 0n || number >= zp)
      throw new JiffServerError('invalid-params', 'params.number must be in [0, Zp)');
  } else if (min < 0n || min >= max || (bitLength === undefined && max > zp)) {
    throw new JiffServerError(
      'invalid-params',
      'params.min and params.max must satisfy 0 ≤ min < max, and max ≤ Zp unless bitLength is set',
    );
  }
  const largest = number ?? max - 1n;
  if (bitLength !== undefined && largest >> BigInt(bitLength) !== 0n) {
    // The stock dealer would send more bits than asked and desynchronise the parties' share lists.
    throw new JiffServerError(
      'invalid-params',
      'params.bitLength is too small for the requested values',
    );
  }
  return { label: 'numbers', count: Number(count), number, min, max, bitLength };
}

/** How many secrets `dealerSecrets` returns for these parameters. */
export function secretCount(params: DealerParams): number {
  switch (params.label) {
    case 'triplet':
      return 3;
    case 'quotient':
      return 2;
    case 'numbers':
      return params.count * (params.bitLength ?? 1);
  }
}

/** The secrets to share, in the order JIFF expects them. */
export function dealerSecrets(params: DealerParams, zp: bigint, random: RandomSource): bigint[] {
  switch (params.label) {
    case 'triplet': {
      const a = randomBelow(random, zp);
      const b = randomBelow(random, zp);
      return [a, b, (a * b) % zp];
    }
    case 'quotient': {
      const r = randomBelow(random, zp);
      return [r, r / params.constant];
    }
    case 'numbers': {
      const secrets: bigint[] = [];
      for (let i = 0; i < params.count; i += 1) {
        const value = params.number ?? params.min + randomBelow(random, params.max - params.min);
        if (params.bitLength === undefined) secrets.push(value);
        else
          for (let bit = 0; bit < params.bitLength; bit += 1)
            secrets.push((value >> BigInt(bit)) & 1n);
      }
      return secrets;
    }
  }
}

/** A canonical string of everything that must agree between requests for the same op id. */
export function paramsFingerprint(params: DealerParams): string {
  switch (params.label) {
    case 'triplet':
      return 'triplet';
    case 'quotient':
      return `quotient|${params.constant}`;
    case 'numbers':
      return `numbers|${params.count}|${params.number ?? '-'}|${params.min}|${params.max}|${params.bitLength ?? '-'}`;
  }
}
