export { builtWorkerUrl, workerExecArgv } from './built-worker.js';
