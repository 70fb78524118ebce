import { JiffServerError } from './jiff-error.js';

/** Every bound the server enforces. All counts are per the unit named; none is unbounded. */
export interface JiffLimits {
  /** Registered computations held at once. */
  readonly maxComputations: number;
  /** Roster size of one computation. */
  readonly maxPartyCount: number;
  /** Length (UTF-16 code units) of one event's JSON string. */
  readonly maxPayloadLength: number;
  /** Nesting depth of one event's JSON (JIFF payloads nest 3 levels). */
  readonly maxPayloadDepth: number;
  /** Length of computation ids, op ids and custom tags. */
  readonly maxIdLength: number;
  /** Length of the `credential` field. */
  readonly maxCredentialLength: number;
  /** Unacknowledged messages waiting for one party. */
  readonly maxMailboxMessages: number;
  /** Total payload length waiting for one party (UTF-16 units; JIFF's JSON is ASCII, so bytes). */
  readonly maxMailboxBytes: number;
  /** Total payload length waiting in all mailboxes of the server. */
  readonly maxTotalMailboxBytes: number;
  /** Dealer entries not yet fetched by every receiver, per computation. */
  readonly maxDealerEntries: number;
  /** Completed dealer op ids remembered per computation (to refuse replays with fresh material). */
  readonly maxCompletedOps: number;
  /** `numbers.count`. */
  readonly maxNumbersCount: number;
  /** `numbers.bitLength`. */
  readonly maxBitLength: number;
  /** Secrets dealt for one request (count × max(1, bitLength)). */
  readonly maxDealerSecrets: number;
  /** Work of one request: secrets × receivers × threshold (polynomial evaluations). */
  readonly maxDealerWork: number;
  /** Shares held for receivers that have not fetched yet, per computation. */
  readonly maxDealerSharesPerComputation: number;
  /** The same, server-wide. */
  readonly maxDealerSharesTotal: number;
  /** Largest numeric Zp: base JIFF clients do double arithmetic and the stock dealer breaks above 2^49. */
  readonly maxNumberZp: number;
  /** Decimal digits of a string Zp (bignumber clients). */
  readonly maxZpDigits: number;
  /** Distinct Zp values one computation may use (each is primality-tested once). */
  readonly maxZpPerComputation: number;
  /** Errors one socket may cause before it is disconnected. */
  readonly maxErrorsPerSocket: number;
  /** A computation with no event for this long is dropped by `sweep` (Infinity disables). */
  readonly idleTimeoutMs: number;
}

export const DEFAULT_JIFF_LIMITS: JiffLimits = Object.freeze({
  maxComputations: 1000,
  maxPartyCount: 32,
  maxPayloadLength: 64 * 1024,
  maxPayloadDepth: 8,
  maxIdLength: 1024,
  maxCredentialLength: 4096,
  maxMailboxMessages: 50_000,
  maxMailboxBytes: 32 * 1024 * 1024,
  maxTotalMailboxBytes: 512 * 1024 * 1024,
  maxDealerEntries: 10_000,
  maxCompletedOps: 100_000,
  maxNumbersCount: 1024,
  maxBitLength: 2048,
  maxDealerSecrets: 4096,
  maxDealerWork: 1_000_000,
  maxDealerSharesPerComputation: 500_000,
  maxDealerSharesTotal: 4_000_000,
  maxNumberZp: 2 ** 49,
  maxZpDigits: 155,
  maxZpPerComputation: 16,
  maxErrorsPerSocket: 100,
  idleTimeoutMs: 60 * 60 * 1000,
});

/** Defaults overridden by `overrides`; every value must be a positive number. */
export function resolveLimits(overrides: Partial<JiffLimits> = {}): JiffLimits {
  const limits: JiffLimits = { ...DEFAULT_JIFF_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new JiffServerError('invalid-registration', `limit ${name} must be a positive number`);
    }
  }
  if (!Number.isSafeInteger(limits.maxNumberZp)) {
    throw new JiffServerError('invalid-registration', 'limit maxNumberZp must be a safe integer');
  }
  return Object.freeze(limits);
}
