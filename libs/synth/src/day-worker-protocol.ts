import { type RiderColumns } from './rider-table.js';
import { type StreamCityOptions } from './city-stream.js';

/** What a day worker starts with: the stream's options and the shared rider table. */
export interface DayWorkerData {
  options: StreamCityOptions & { startDate: string };
  riders: RiderColumns;
}

/** Main thread to worker: simulate day `day` (0-based), or stop. */
export type DayWorkerRequest = { day: number } | { stop: true };

/**
 * Worker to main thread, in the order the worker produced them: encoded rows of one step (each
 * chunk with its row count; the chunks' buffers are transferred), then `done` for the day.
 */
export type DayWorkerMessage =
  | {
      kind: 'fare_transactions' | 'board_alight';
      day: number;
      chunks: Uint8Array[];
      rows: number[];
    }
  | { kind: 'done'; day: number };
