/** Why the synthetic-city generator refused a request. */
export type SynthErrorCode = 'invalid-seed' | 'invalid-params' | 'invalid-scale' | 'invalid-date';

export class SynthError extends Error {
  constructor(
    readonly code: SynthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SynthError';
  }
}
