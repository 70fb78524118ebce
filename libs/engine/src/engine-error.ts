import { ConcordError } from '#concord/errors';
import type { PartyIndex } from '#concord/sharing';

/** Why a party aborted a session. Messages carry no share, key or input material. */
export type EngineErrorCode =
  | 'peer-key-invalid'
  | 'unexpected-message'
  | 'malformed-payload'
  | 'noise-commitment-mismatch'
  | 'inconsistent-opening'
  | 'input-out-of-bounds'
  | 'envelope-rejected'
  | 'transcript-mismatch'
  /** A private-join list was malformed, duplicated or not the one its sender's role sends. */
  | 'join-rejected'
  /** More card tokens than the plan's join axis holds. */
  | 'join-capacity-exceeded'
  | 'wrong-phase';

/**
 * A typed session failure. `suspects` names the parties the detecting party cannot exclude
 * (a forged envelope: its sender or the relay; an inconsistent opening: the two other parties).
 */
export class EngineError extends ConcordError<EngineErrorCode> {
  readonly domain = 'engine';
  constructor(
    code: EngineErrorCode,
    message: string,
    readonly suspects: readonly PartyIndex[] = [],
  ) {
    super(code, message);
  }
}
