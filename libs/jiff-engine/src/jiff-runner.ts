import { Worker } from 'node:worker_threads';
import {
  type JiffClientConfig,
  type JiffClientOutcome,
  runJiffClientSession,
} from './jiff-client-session.js';
import { JiffEngineError } from './jiff-engine-error.js';
import type { JiffWorkerMessage } from './jiff-worker-messages.js';
import { jiffWorkerUrl, workerExecArgv } from './jiff-worker-script.js';

/** A running JIFF client: its outcome, and a way to stop it (session dropped or sealed). */
export interface JiffRun {
  readonly outcome: Promise<JiffClientOutcome>;
  stop(): void;
}

export type JiffRunner = (config: JiffClientConfig) => JiffRun;

/**
 * The stock client in a worker thread (production): an exception inside it ends the worker, not
 * the node. The worker's stdout and stderr (JIFF logs with console.log, and its error texts can
 * quote key material) are drained and dropped. The script is the built one (`jiffWorkerUrl`: next
 * to this module in dist/; from the sources, the copy under dist/), run on built code.
 */
export const workerRunner: JiffRunner = (config) => {
  const script = jiffWorkerUrl();
  if (script === undefined) {
    const missing = new JiffEngineError(
      'jiff-client-failed',
      'the JIFF worker script is missing: run npm run build (sources use the built worker)',
    );
    const outcome = Promise.reject(missing);
    outcome.catch(() => undefined); // handled by whoever awaits it; never unhandled
    return { outcome, stop: () => undefined };
  }
  const worker = new Worker(script, {
    execArgv: workerExecArgv(),
    workerData: config,
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  let settled = false;
  const outcome = new Promise<JiffClientOutcome>((resolve, reject) => {
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (message: unknown) => {
      const m = message as JiffWorkerMessage;
      switch (m?.type) {
        case 'result':
          settle(() =>
            isOutcome(m)
              ? resolve({ outputs: m.outputs, relay: m.relay })
              : reject(new JiffEngineError('jiff-client-failed', 'the JIFF worker sent no result')),
          );
          return;
        case 'failed':
          settle(() => reject(new JiffEngineError(m.code, m.message, m.suspects)));
          return;
        case 'finished':
          void worker.terminate();
          return;
        default:
          return;
      }
    });
    worker.on('error', () =>
      settle(() =>
        reject(new JiffEngineError('jiff-client-failed', 'the JIFF client failed on a message')),
      ),
    );
    worker.on('exit', () =>
      settle(() => reject(new JiffEngineError('jiff-client-failed', 'the JIFF client stopped'))),
    );
  });
  return {
    outcome,
    stop: () => void worker.terminate(),
  };
};

/** The stock client in this thread (tests of the engine without a built worker script). */
export const inThreadRunner: JiffRunner = (config) => {
  const run = runJiffClientSession(config);
  return {
    outcome: run.then((r) => {
      void r.finish();
      return r.outcome;
    }),
    stop: () => undefined,
  };
};

function isOutcome(m: { outputs: unknown; relay: unknown }): boolean {
  return (
    Array.isArray(m.outputs) &&
    m.outputs.every((o) => Array.isArray(o) && o.every((v) => typeof v === 'bigint')) &&
    Array.isArray(m.relay) &&
    m.relay.every(
      (r) =>
        Array.isArray(r) &&
        typeof r[0] === 'string' &&
        typeof (r[1] as { messages?: unknown })?.messages === 'number' &&
        typeof (r[1] as { digest?: unknown })?.digest === 'string',
    )
  );
}
