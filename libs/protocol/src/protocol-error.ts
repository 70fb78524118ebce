import { ConcordError } from '#concord/errors';

/** Why a protocol declaration, its parameters or a plan were refused. */
export type ProtocolErrorCode =
  | 'invalid-definition'
  | 'invalid-expression'
  | 'output-may-overflow'
  | 'sensitivity-unbounded'
  | 'invalid-parameters'
  | 'invalid-axis-values'
  | 'invalid-budget'
  /** A request whose grid would need more shared elements than a session may hold. */
  | 'plan-too-large'
  | 'unknown-protocol'
  | 'plan-mismatch';

export class ProtocolError extends ConcordError<ProtocolErrorCode> {
  readonly domain = 'protocol';
}
