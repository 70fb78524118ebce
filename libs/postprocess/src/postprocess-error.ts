import { ConcordError } from '#concord/errors';

/** Why a post-processing computation refused. Closed union: callers map each code once. */
export type PostprocessErrorCode = 'invalid-shape' | 'invalid-value';

/** The one error class of `#concord/postprocess`. Messages carry public parameters only. */
export class PostprocessError extends ConcordError<PostprocessErrorCode> {
  readonly domain = 'postprocess';
}
