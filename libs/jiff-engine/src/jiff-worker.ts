// The stock JIFF client of one session, in a worker thread of the agency node. The client parses
// what the coordinator relays inside its own socket handlers; whatever makes it throw ends this
// worker, and with it the session, never the node. Its console output stays in the worker's
// streams, which the node drops.
import { parentPort, workerData } from 'node:worker_threads';
import { type JiffClientConfig, runJiffClientSession } from './jiff-client-session.js';
import { JiffEngineError } from './jiff-engine-error.js';
import type { JiffWorkerMessage } from './jiff-worker-messages.js';

const post = (message: JiffWorkerMessage): void => parentPort?.postMessage(message);

try {
  const run = await runJiffClientSession(workerData as JiffClientConfig);
  post({ type: 'result', ...run.outcome });
  await run.finish();
  post({ type: 'finished' });
} catch (e) {
  post(
    e instanceof JiffEngineError
      ? { type: 'failed', code: e.code, message: e.message, suspects: [...e.suspects] }
      : {
          type: 'failed',
          code: 'jiff-client-failed',
          message: 'the JIFF client failed',
          suspects: [],
        },
  );
}
