import { type DealerParams, dealerSecrets, secretCount } from './dealer-material.js';
import { shamirShare } from './dealer-shamir.js';
import { JiffServerError } from './jiff-error.js';
import type { ComputationState, DealerEntry, JiffContext } from './state.js';

/** One validated dealer request, as the cache needs it. */
export interface DealerRequest {
  readonly opId: string;
  /** Everything that must agree between the receivers' requests for the same op id. */
  readonly fingerprint: string;
  readonly params: DealerParams;
  readonly zp: bigint;
  readonly receivers: readonly number[];
  readonly threshold: number;
}

/**
 * The entry for the request's op id, dealt on first request (the first request fixes the
 * material for every receiver). Undefined when every receiver has already fetched it: a replay.
 * Dealing is bounded three ways: work per request, entries per computation, and shares held
 * per computation and server-wide.
 */
export function entryFor(
  ctx: JiffContext,
  computation: ComputationState,
  request: DealerRequest,
): DealerEntry | undefined {
  const existing = computation.dealer.get(request.opId);
  if (existing !== undefined) {
    if (existing.fingerprint !== request.fingerprint) {
      throw new JiffServerError(
        'dealer-mismatch',
        'this op_id was requested with other parameters',
      );
    }
    return existing;
  }
  if (computation.completedOps.has(request.opId)) return undefined;

  const { limits, state } = ctx;
  const secrets = secretCount(request.params);
  const held = secrets * request.receivers.length;
  if (held * request.threshold > limits.maxDealerWork) {
    throw new JiffServerError('limit-exceeded', 'this request asks the dealer for too much work');
  }
  if (
    computation.dealer.size >= limits.maxDealerEntries ||
    computation.dealerShares + held > limits.maxDealerSharesPerComputation ||
    state.dealerShares + held > limits.maxDealerSharesTotal
  ) {
    throw new JiffServerError(
      'limit-exceeded',
      'too much dealer material is waiting for receivers to fetch it',
    );
  }
  const shares = new Map<number, bigint[]>(request.receivers.map((r) => [r, []]));
  for (const secret of dealerSecrets(request.params, request.zp, ctx.random)) {
    const perReceiver = shamirShare(
      secret,
      request.receivers,
      request.threshold,
      request.zp,
      ctx.random,
    );
    for (const [receiver, share] of perReceiver) shares.get(receiver)!.push(share);
  }
  const entry: DealerEntry = { fingerprint: request.fingerprint, shares, fetched: new Set(), held };
  computation.dealer.set(request.opId, entry);
  computation.dealerShares += held;
  state.dealerShares += held;
  return entry;
}

/** Records a fetch; once every receiver has fetched, the material is dropped and the op id remembered. */
export function markFetched(
  ctx: JiffContext,
  computation: ComputationState,
  opId: string,
  entry: DealerEntry,
  partyId: number,
): void {
  entry.fetched.add(partyId);
  if (entry.fetched.size < entry.shares.size) return;
  computation.dealer.delete(opId);
  computation.dealerShares -= entry.held;
  ctx.state.dealerShares -= entry.held;
  computation.completedOps.add(opId);
  if (computation.completedOps.size > ctx.limits.maxCompletedOps) {
    const oldest = computation.completedOps.values().next().value;
    if (oldest !== undefined) computation.completedOps.delete(oldest);
  }
}
