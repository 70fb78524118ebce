/** A message that failed validation; `issues` name the fields, never their (possibly secret) values. */
export class WireError extends Error {
  readonly code = 'invalid-message' as const;
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
    this.name = 'WireError';
  }
}
