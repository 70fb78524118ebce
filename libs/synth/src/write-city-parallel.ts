import { Worker } from 'node:worker_threads';
import { type StreamCityOptions } from './city-stream.js';
import { type DayWorkerData, type DayWorkerMessage } from './day-worker-protocol.js';
import { dayWorkerUrl, workerExecArgv } from './day-worker-script.js';
import { type CityManifest } from './manifest.js';
import { SynthError } from './synth-error.js';
import {
  type StreamWriteProgress,
  finishCityStream,
  startCityStream,
  writeCityStream,
} from './write-city-stream.js';

/**
 * `writeCityStream` with the days simulated in `workers` worker threads (default 2, one per core
 * of the machines this targets): the same bytes, files and manifest. The static files and the
 * rider table are made here first; each worker then takes the next day not yet taken, and this
 * thread writes every day's rows in date order (hashing them as it goes), holding the rows of
 * days that finish early until their turn: at most `workers` days are in flight. With one
 * worker, or one day, it is `writeCityStream` on this thread.
 */
export async function writeCityStreamParallel(
  options: StreamCityOptions,
  outDir: string,
  progress: StreamWriteProgress = {},
  workers = 2,
): Promise<CityManifest> {
  const days = options.days ?? (options.scale === 'large' ? 30 : 1);
  if (workers <= 1 || days <= 1) return writeCityStream(options, outDir, progress);
  const script = dayWorkerUrl();
  if (script === undefined) {
    throw new SynthError('worker-failed', 'the day worker script is missing: run npm run build');
  }
  const city = startCityStream(options, outDir, progress);
  const data: DayWorkerData = {
    options: { ...options, startDate: city.start, days },
    riders: city.table.columns,
  };
  const pending = new Map<number, DayWorkerMessage[]>();
  let next = 0;
  let writing = 0;

  const write = (message: DayWorkerMessage): void => {
    const serviceDate = city.serviceDates[message.day];
    if (message.kind === 'done') {
      progress.onDay?.(serviceDate, message.day);
      writing++;
      return;
    }
    const file = message.kind === 'fare_transactions' ? city.fares : city.counts;
    const total = message.rows.reduce((a, b) => a + b, 0);
    message.chunks.forEach((chunk, k) => file.chunk(chunk, message.rows[k]));
    progress.onRows?.(message.kind, serviceDate, total);
  };
  /** Writes every held message of the day being written, then of the next days in turn. */
  const drain = (): void => {
    for (let held = pending.get(writing); held !== undefined; held = pending.get(writing)) {
      const day = writing;
      pending.delete(day);
      for (const message of held) {
        write(message);
        if (writing !== day) break;
      }
    }
  };

  const threads = Array.from(
    { length: Math.min(workers, days) },
    () => new Worker(script, { execArgv: workerExecArgv(), workerData: data }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const assign = (worker: Worker): void => {
        if (next < days) worker.postMessage({ day: next++ });
      };
      for (const worker of threads) {
        worker.on('message', (message: DayWorkerMessage) => {
          if (message.day === writing) {
            write(message);
            drain();
          } else {
            const held = pending.get(message.day) ?? [];
            held.push(message);
            pending.set(message.day, held);
          }
          if (message.kind === 'done') assign(worker);
          if (writing === days) resolve();
        });
        worker.on('error', (e) =>
          reject(new SynthError('worker-failed', `a day worker failed: ${e.message}`)),
        );
        worker.on('exit', (code) => {
          if (writing < days)
            reject(new SynthError('worker-failed', `a day worker exited early (code ${code})`));
        });
        assign(worker);
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return finishCityStream(city);
}
