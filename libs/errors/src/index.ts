export { ConcordError, describeError, isConcordError } from './concord-error.js';
export { ConfigurationError, type ConfigurationIssue, EX_CONFIG } from './configuration-error.js';
export { issueOf, Must, type Shown } from './setting-requirement.js';
