export { failpoint, failpointsArmed } from './failpoint.js';
