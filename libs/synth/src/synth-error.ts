import { ConcordError } from '#concord/errors';

/** Why the synthetic-city generator refused a request. */
export type SynthErrorCode =
  'invalid-seed' | 'invalid-params' | 'invalid-scale' | 'invalid-date' | 'worker-failed';

export class SynthError extends ConcordError<SynthErrorCode> {
  readonly domain = 'synth';
}
