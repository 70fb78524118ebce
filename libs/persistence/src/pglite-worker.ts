import { parentPort, workerData } from 'node:worker_threads';
import { startInProcess } from './embedded-postgres.js';

// Worker entry: hosts PGlite and its socket server off the main thread (see embedded-postgres.ts).
const port = parentPort;
if (port) {
  const { dataDir } = workerData as { dataDir?: string };
  startInProcess(dataDir).then(
    (db) => {
      port.postMessage({ url: db.url });
      port.on('message', (message) => {
        if (message === 'stop') {
          void db.stop().finally(() => process.exit(0));
        }
      });
    },
    (error: unknown) => {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    },
  );
}
