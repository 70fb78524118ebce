import type { SessionPlan } from '#concord/protocol';
import type { SessionRowState } from '#concord/coordination';
import type { StoredValues } from './download/stored-values.js';

/** A session as the coordinator's domain sees it (neither the table row nor the API shape). */
export interface Session {
  readonly id: string;
  readonly protocol: {
    readonly id: string;
    readonly version: string;
    readonly hash: string;
    readonly title: string;
  };
  readonly state: SessionRowState;
  readonly parameters: Readonly<Record<string, string>>;
  readonly plan: SessionPlan;
  readonly planHash: string;
  readonly budgetRho: string;
  readonly requestId: string;
  readonly requestedBy: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly transcriptHead: string | null;
  readonly createdAt: Date;
  /** When it left the queue; null while it waits. */
  readonly admittedAt: Date | null;
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
 * One released output as stored, its values as the canonical text's bytes (written from the
 * stored limbs, or an older row's stored text): what a download hashes against the sealed release
 * digest and lays out without ever splitting it into a million strings.
 */
export interface StoredOutput {
  readonly name: string;
  readonly unit: string;
  /** Decimal integers separated by commas, exactly the sealed text, as bytes and boundaries. */
  readonly values: StoredValues;
  /** The stored canonical limbs and their field; absent for a row stored as text, before them. */
  readonly limbs?: { readonly field: string; readonly bytes: Uint8Array };
  readonly intervalHalfWidth: bigint;
  readonly confidenceLevel: string;
}
