export {
  type ConsistentEstimate,
  type ConsistentEstimateOptions,
  DEFAULT_TOLERANCE,
  consistentEstimate,
} from './consistent-estimate.js';
export { PostprocessError, type PostprocessErrorCode } from './postprocess-error.js';
export { projectOntoSimplex, simplexThreshold } from './simplex-projection.js';
export {
  ESTIMATE_SIMULATION,
  STATED_ESTIMATE_ERROR,
  type StatedEstimateError,
  statedEstimateError,
} from './stated-error.js';
