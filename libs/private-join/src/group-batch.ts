import { blind, decodeElement, hashToken, POINT_BYTES } from './group.js';
import { PrivateJoinError, type PrivateJoinErrorCode } from './private-join-error.js';

/**
 * A run of a join step's element operations handed to another thread: each is one hash-and-blind
 * of an own token, or one blinding of a received element, under the holder's secret exponent.
 * The operations are independent, so any number of threads may compute batches of one step in
 * any order; `first` says where the batch's outputs go in the step's list.
 */
export type GroupBatch =
  | {
      readonly op: 'hash-and-blind';
      readonly first: number;
      readonly exponent: bigint;
      readonly tokens: readonly string[];
    }
  | {
      readonly op: 'blind';
      readonly first: number;
      readonly exponent: bigint;
      /** The received elements' encodings, concatenated: decoded and checked before blinding. */
      readonly encodings: Uint8Array;
      /** The list they come from, for the message of a refused element. */
      readonly list: string;
    };

/** How many element operations a batch holds. */
export function batchLength(batch: GroupBatch): number {
  return batch.op === 'hash-and-blind' ? batch.tokens.length : batch.encodings.length / POINT_BYTES;
}

/**
 * Computes a batch: its outputs' encodings, concatenated in the batch's order. A received element
 * that is not a valid non-identity point throws `PrivateJoinError` naming its position in its list.
 */
export function computeGroupBatch(batch: GroupBatch): Uint8Array {
  const n = batchLength(batch);
  const out = new Uint8Array(n * POINT_BYTES);
  for (let i = 0; i < n; i++) {
    const point =
      batch.op === 'hash-and-blind'
        ? hashToken(batch.tokens[i])
        : decodeElement(
            batch.encodings.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES),
            `${batch.list} element ${batch.first + i}`,
          );
    out.set(blind(point, batch.exponent), i * POINT_BYTES);
  }
  return out;
}

/** A batch's failure as it crosses a thread boundary (an error object loses its class). */
export interface GroupBatchFailure {
  readonly code: PrivateJoinErrorCode;
  readonly message: string;
}

/** The failure a worker posts back for an error `computeGroupBatch` threw. */
export function batchFailure(e: unknown): GroupBatchFailure {
  if (e instanceof PrivateJoinError) return { code: e.code, message: e.message };
  throw e;
}

/** The error a posted failure stands for, rethrown on the thread that drives the step. */
export function failedBatchError(failure: GroupBatchFailure): PrivateJoinError {
  return new PrivateJoinError(failure.code, failure.message);
}
