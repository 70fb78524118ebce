import { parentPort, workerData } from 'node:worker_threads';
import { ByteLines } from './byte-lines.js';
import { simulateDay, streamBase } from './city-stream.js';
import {
  type DayWorkerData,
  type DayWorkerMessage,
  type DayWorkerRequest,
} from './day-worker-protocol.js';
import { RiderTable } from './rider-table.js';
import { SynthError } from './synth-error.js';
import { addDays, type DayType, operatingDayType } from './time-format.js';
import { writeStepRows } from './write-city-stream.js';

/**
 * A worker thread of `writeCityStreamParallel`: rebuilds the day-independent city from the
 * options (deterministic, a few seconds), reads riders from the shared table, and for each day
 * it is given encodes that day's rows exactly as `writeCityStream` would, posting them back in
 * order. The main thread puts the days in order and writes the files.
 */
const port = parentPort;
if (!port) throw new SynthError('worker-failed', 'day-worker.js runs only as a worker thread');
const { options, riders } = workerData as DayWorkerData;
const base = streamBase(options);
const table = new RiderTable(riders);
const riderOf = (i: number) => table.get(i);
const kindOf = (i: number) => table.kindOf(i);
const corrections = new Map<DayType, number[]>();
const shards = options.shards ?? 1;

/** The stream's first date of a day type: the date its profile-correction pilot runs on. */
function firstDateOfType(dayType: DayType): string {
  for (let d = 0; ; d++) {
    const date = addDays(options.startDate, d);
    if (operatingDayType(date) === dayType) return date;
  }
}

port.on('message', (request: DayWorkerRequest) => {
  if ('stop' in request) {
    port.close();
    return;
  }
  const { day } = request;
  const post = (kind: 'fare_transactions' | 'board_alight') => {
    const chunks: Uint8Array[] = [];
    const rows: number[] = [];
    const lines = new ByteLines((bytes, n) => {
      chunks.push(bytes.slice());
      rows.push(n);
    });
    const send = (): void => {
      if (chunks.length === 0) return;
      const message: DayWorkerMessage = {
        kind,
        day,
        chunks: chunks.splice(0),
        rows: rows.splice(0),
      };
      port.postMessage(
        message,
        message.chunks.map((c) => c.buffer as ArrayBuffer),
      );
    };
    return { lines, send };
  };
  const fares = post('fare_transactions');
  const counts = post('board_alight');
  const serviceDate = addDays(options.startDate, day);
  const pilotDate = firstDateOfType(operatingDayType(serviceDate));
  const steps = simulateDay(
    base,
    serviceDate,
    shards,
    riderOf,
    corrections,
    pilotDate,
    kindOf,
    false,
  );
  for (const step of steps) {
    writeStepRows(base, step, fares.lines, counts.lines, options.tripsPerChunk);
    fares.send();
    counts.send();
  }
  const done: DayWorkerMessage = { kind: 'done', day };
  port.postMessage(done);
});
