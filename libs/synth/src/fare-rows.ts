import { type FareTransactionRecord } from './city-records.js';
import { CSV_LINE_END, csvLine, formatCents } from './csv.js';
import { type FareContext, UNKNOWN_ROUTE_ID } from './fare-engine.js';
import { fareTransactionRow } from './file-schemas.js';
import { type DayState } from './service-day.js';
import {
  FARE_ACTIONS,
  NO_ROUTE,
  TAP_BALANCE,
  TAP_CAPPED,
  TAP_TRANSFER,
  type TapColumns,
  tapFileOrder,
} from './tap-columns.js';
import { isoLocalTimestamp } from './time-format.js';

/**
 * The day's fare_transactions rows of the current shard: ordered by event time (then rider,
 * then the rider-day's own order), offline records appended after the ordered rows, ids
 * numbered in file order.
 */
export function finishFareTransactions(day: DayState, shard = 0): FareTransactionRecord[] {
  const taps = day.taps;
  if (!taps) return [];
  const fields = new FareRowFields(day.fareContext, day.serviceDate, shard);
  const order = tapFileOrder(taps);
  const rows: FareTransactionRecord[] = [];
  for (let k = 0; k < order.length; k++) rows.push(fields.record(taps, order[k], k));
  return rows;
}

/** Where formatted rows go (a CsvFileWriter, or a buffer a worker hands back). */
export interface LineSink {
  line(text: string): void;
}

/**
 * Writes the same rows as `finishFareTransactions`, as CSV lines, without building a record per
 * row: each line is one template string over cached ids, times and amounts. When a value could
 * need CSV quoting (never with the generator's ids, but ids are data), every row goes through
 * the general `csvLine` instead, so the bytes are the same either way. Returns the row count.
 */
export function writeFareTransactionLines(day: DayState, shard: number, out: LineSink): number {
  const taps = day.taps;
  if (!taps) return 0;
  const fields = new FareRowFields(day.fareContext, day.serviceDate, shard);
  const order = tapFileOrder(taps);
  if (!fields.plainCsv(taps)) {
    for (let k = 0; k < order.length; k++) {
      out.line(csvLine(fareTransactionRow(fields.record(taps, order[k], k))));
    }
    return order.length;
  }
  for (let k = 0; k < order.length; k++) out.line(fields.line(taps, order[k], k));
  return order.length;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** Checked once per city: the ids a fare row can carry need no quoting. */
const plainIds = new WeakMap<FareContext['trips'], boolean>();

/** Every text field of a fare row, computed once per distinct value. */
class FareRowFields {
  private readonly prefix: string;
  private readonly stopIds: readonly string[];
  private readonly stopDevices: (string | undefined)[];
  private readonly vehicleDevices: (string | undefined)[];
  private readonly routeIds: readonly string[];
  private readonly times = new Map<number, string>();
  private readonly dates = new Map<number, string>();
  private readonly cents = new Map<number, string>();

  constructor(
    private readonly ctx: FareContext,
    private readonly serviceDate: string,
    shard: number,
  ) {
    this.prefix = `tx-${serviceDate}-${String(shard).padStart(2, '0')}-`;
    this.stopIds = ctx.stops.map((s) => s.stopId);
    this.routeIds = ctx.routes.map((r) => r.routeId);
    this.stopDevices = new Array<string | undefined>(ctx.stops.length);
    this.vehicleDevices = new Array<string | undefined>(ctx.trips.length);
  }

  /** No value of these taps (or of the city's ids) contains a comma, quote, CR or LF. */
  plainCsv(taps: TapColumns): boolean {
    let ids = plainIds.get(this.ctx.trips);
    if (ids === undefined) {
      ids =
        this.stopIds.every((s) => !NEEDS_QUOTES.test(s)) &&
        this.routeIds.every((r) => !NEEDS_QUOTES.test(r)) &&
        this.ctx.trips.every((t) => !NEEDS_QUOTES.test(t.vehicleId));
      plainIds.set(this.ctx.trips, ids);
    }
    return (
      ids &&
      !NEEDS_QUOTES.test(this.prefix) &&
      taps.holders.every(
        (h) =>
          !NEEDS_QUOTES.test(h.tokenId) &&
          !NEEDS_QUOTES.test(h.fareProduct) &&
          !NEEDS_QUOTES.test(h.riderCategory) &&
          !NEEDS_QUOTES.test(h.fareMedia),
      )
    );
  }

  record(taps: TapColumns, i: number, k: number): FareTransactionRecord {
    const holder = taps.holders[taps.holder[i]];
    const flags = taps.flags[i];
    return {
      transactionId: this.transactionId(k),
      serviceDate: this.serviceDate,
      eventTimestamp: this.timestamp(taps.seconds[i]),
      tokenId: holder.tokenId,
      fareAction: FARE_ACTIONS[taps.action[i]],
      stopId: this.stopIds[taps.stop[i]],
      routeId: this.routeId(taps.route[i]),
      vehicleId: this.vehicleId(taps.vehicleTrip[i]),
      deviceId: this.deviceId(taps.device[i]),
      amountCents: taps.amount[i],
      nominalAmountCents: taps.nominal[i],
      fareProduct: holder.fareProduct,
      riderCategory: holder.riderCategory,
      fareMedia: holder.fareMedia,
      fareCapped: (flags & TAP_CAPPED) !== 0,
      transferFlag: (flags & TAP_TRANSFER) !== 0,
      balanceCents: flags & TAP_BALANCE ? taps.balance[i] : null,
    };
  }

  /** `csvLine(fareTransactionRow(record(...)))` for rows whose values need no quoting. */
  line(taps: TapColumns, i: number, k: number): string {
    const holder = taps.holders[taps.holder[i]];
    const flags = taps.flags[i];
    const balance = flags & TAP_BALANCE ? this.money(taps.balance[i]) : '';
    return (
      `${this.transactionId(k)},${this.serviceDate},${this.timestamp(taps.seconds[i])},` +
      `${holder.tokenId},${FARE_ACTIONS[taps.action[i]]},${this.stopIds[taps.stop[i]]},` +
      `${this.routeId(taps.route[i])},${this.vehicleId(taps.vehicleTrip[i])},` +
      `${this.deviceId(taps.device[i])},${this.money(taps.amount[i])},` +
      `${this.money(taps.nominal[i])},${holder.fareProduct},${holder.riderCategory},` +
      `${holder.fareMedia},${flags & TAP_CAPPED ? 'true' : 'false'},` +
      `${flags & TAP_TRANSFER ? 'true' : 'false'},${balance}${CSV_LINE_END}`
    );
  }

  private transactionId(k: number): string {
    const n = k + 1;
    return this.prefix + (n < 1e8 ? String(n + 1e8).slice(1) : String(n));
  }

  private routeId(route: number): string {
    return route === NO_ROUTE ? UNKNOWN_ROUTE_ID : this.routeIds[route];
  }

  private vehicleId(trip: number): string {
    return trip < 0 ? '' : this.ctx.trips[trip].vehicleId;
  }

  private deviceId(device: number): string {
    if (device >= 0) {
      return (this.stopDevices[device] ??= `${this.stopIds[device]}-V1`);
    }
    const trip = -device - 1;
    return (this.vehicleDevices[trip] ??= `${this.ctx.trips[trip].vehicleId}-FB1`);
  }

  private money(cents: number): string {
    let text = this.cents.get(cents);
    if (text === undefined) {
      text = formatCents(cents);
      this.cents.set(cents, text);
    }
    return text;
  }

  /** isoLocalTimestamp(serviceDate, seconds), each distinct second formatted once. */
  private timestamp(seconds: number): string {
    let text = this.times.get(seconds);
    if (text !== undefined) return text;
    const s = Math.floor(seconds);
    const dayOffset = Math.floor(s / 86400);
    let date = this.dates.get(dayOffset);
    if (date === undefined) {
      date = isoLocalTimestamp(this.serviceDate, dayOffset * 86400).slice(0, 11);
      this.dates.set(dayOffset, date);
    }
    const r = s - dayOffset * 86400;
    text = `${date}${pad2(Math.floor(r / 3600))}:${pad2(Math.floor(r / 60) % 60)}:${pad2(r % 60)}`;
    this.times.set(seconds, text);
    return text;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
