import type { SessionPlan } from '#concord/protocol';
import type { SessionState } from './session-state.js';

/** A session as the coordinator's domain sees it (neither the table row nor the API shape). */
export interface Session {
  readonly id: string;
  readonly protocol: {
    readonly id: string;
    readonly version: string;
    readonly hash: string;
    readonly title: string;
  };
  readonly state: SessionState;
  readonly parameters: Readonly<Record<string, string>>;
  readonly plan: SessionPlan;
  readonly planHash: string;
  readonly budgetRho: string;
  readonly requestId: string;
  readonly requestedBy: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly transcriptHead: string | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

/** One released output, noisy values only. */
export interface ReleasedOutput {
  readonly name: string;
  readonly unit: string;
  /** Decimal integers, one per grid cell (canonical: no leading zeros, no "-0"). */
  readonly values: readonly string[];
  readonly intervalHalfWidth: bigint;
  readonly confidenceLevel: string;
  readonly noise: Readonly<Record<string, unknown>>;
}

/**
 * An output being released: like `ReleasedOutput`, with its values still as the reporter's
 * checked text (comma-separated canonical decimals), stored as it is: a million-cell release is
 * never split into a million strings and joined again on the way to the database.
 */
export interface OutputRelease extends Omit<ReleasedOutput, 'values'> {
  readonly valuesText: string;
  readonly cells: number;
}
