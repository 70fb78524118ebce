export { ConcordError, describeError, isConcordError } from './concord-error.js';
