import type { GroupBatch, GroupBatchFailure } from './group-batch.js';

/** One batch to a group worker. */
export interface GroupWorkerRequest {
  readonly id: number;
  readonly batch: GroupBatch;
}

/** A group worker's outcome of one batch: its outputs, or the element it refused. */
export type GroupWorkerReply =
  | { readonly id: number; readonly outputs: Uint8Array }
  | { readonly id: number; readonly failure: GroupBatchFailure };
