import { type ByteLines } from './byte-lines.js';
import { type FareTransactionRecord } from './city-records.js';
import { csvLine } from './csv.js';
import { type FareContext, UNKNOWN_ROUTE_ID } from './fare-engine.js';
import { fareTransactionRow } from './file-schemas.js';
import { type DayState } from './service-day.js';
import {
  FARE_ACTIONS,
  NO_ROUTE,
  TAP_BALANCE,
  TAP_CAPPED,
  TAP_TRANSFER,
  HOLDER_CODE_LISTS,
  TapColumns,
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

/**
 * Writes the same rows as `finishFareTransactions`, encoded field by field into `out` without a
 * record or a string per row (ids, actions and dates are encoded once). When a value could need
 * CSV quoting (never with the generator's ids, but ids are data), every row goes through the
 * general `csvLine` instead, so the bytes are the same either way. Returns the row count.
 */
export function writeFareTransactionRows(day: DayState, shard: number, out: ByteLines): number {
  const taps = day.taps;
  if (!taps) return 0;
  const fields = new FareRowFields(day.fareContext, day.serviceDate, shard);
  const order = tapFileOrder(taps);
  if (!fields.plainCsv(taps)) {
    for (let k = 0; k < order.length; k++) {
      out.row(csvLine(fareTransactionRow(fields.record(taps, order[k], k))));
    }
    return order.length;
  }
  taps.gather(order, sorted);
  for (let k = 0; k < sorted.length; k++) fields.encode(sorted, k, out);
  return sorted.length;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** The shard's taps in file order (reused: rows are written one shard at a time). */
const sorted = new TapColumns();

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
  private readonly encoded: EncodedFields;

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
    this.encoded = {
      prefix: utf8(this.prefix),
      serviceDate: utf8(serviceDate),
      actions: FARE_ACTIONS.map(utf8),
      unknownRoute: utf8(UNKNOWN_ROUTE_ID),
      yes: utf8('true'),
      no: utf8('false'),
      stops: new Array<Uint8Array | undefined>(ctx.stops.length),
      routes: new Array<Uint8Array | undefined>(ctx.routes.length),
      vehicles: new Array<Uint8Array | undefined>(ctx.trips.length),
      devices: new Array<Uint8Array | undefined>(ctx.trips.length + ctx.stops.length),
      dates: new Map(),
      codes: HOLDER_CODE_LISTS.map((list) => list.map(utf8)),
    };
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
    return ids && !NEEDS_QUOTES.test(this.prefix) && !taps.irregularHolders;
  }

  record(taps: TapColumns, i: number, k: number): FareTransactionRecord {
    const holder = taps.holderOf(i);
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

  /** `csvLine(fareTransactionRow(record(...)))`, for rows whose values need no quoting. */
  encode(taps: TapColumns, i: number, out: ByteLines): void {
    const flags = taps.flags[i];
    const codes = taps.codes[i];
    const b = this.encoded;
    out.bytes(b.prefix);
    out.uint(i + 1, 8);
    out.byte(COMMA);
    out.bytes(b.serviceDate);
    out.byte(COMMA);
    this.encodeTimestamp(taps.seconds[i], out);
    out.byte(COMMA);
    out.hex32(taps.tokenHi[i]);
    out.hex32(taps.tokenLo[i]);
    out.byte(COMMA);
    out.bytes(b.actions[taps.action[i]]);
    out.byte(COMMA);
    out.bytes(this.stopBytes(taps.stop[i]));
    out.byte(COMMA);
    const route = taps.route[i];
    if (route === NO_ROUTE) out.bytes(b.unknownRoute);
    else out.bytes(this.routeBytes(route));
    out.byte(COMMA);
    const vehicle = taps.vehicleTrip[i];
    if (vehicle >= 0) out.bytes(this.vehicleBytes(vehicle));
    out.byte(COMMA);
    out.bytes(this.deviceBytes(taps.device[i]));
    out.byte(COMMA);
    out.money(taps.amount[i]);
    out.byte(COMMA);
    out.money(taps.nominal[i]);
    out.byte(COMMA);
    out.bytes(b.codes[0][codes & 0xff]);
    out.byte(COMMA);
    out.bytes(b.codes[1][(codes >>> 8) & 0xff]);
    out.byte(COMMA);
    out.bytes(b.codes[2][(codes >>> 16) & 0xff]);
    out.byte(COMMA);
    out.bytes(flags & TAP_CAPPED ? b.yes : b.no);
    out.byte(COMMA);
    out.bytes(flags & TAP_TRANSFER ? b.yes : b.no);
    out.byte(COMMA);
    if (flags & TAP_BALANCE) out.money(taps.balance[i]);
    out.endRow();
  }

  /** `timestamp(seconds)`, encoded: the date part once per calendar day, then hh:mm:ss. */
  private encodeTimestamp(seconds: number, out: ByteLines): void {
    const s = Math.floor(seconds);
    const dayOffset = Math.floor(s / 86400);
    let date = this.encoded.dates.get(dayOffset);
    if (date === undefined) {
      date = utf8(isoLocalTimestamp(this.serviceDate, dayOffset * 86400).slice(0, 11));
      this.encoded.dates.set(dayOffset, date);
    }
    out.bytes(date);
    const r = s - dayOffset * 86400;
    out.uint(Math.floor(r / 3600), 2);
    out.byte(COLON);
    out.uint(Math.floor(r / 60) % 60, 2);
    out.byte(COLON);
    out.uint(r % 60, 2);
  }

  private stopBytes(stop: number): Uint8Array {
    const cached = this.encoded.stops[stop];
    return cached ?? (this.encoded.stops[stop] = utf8(this.stopIds[stop]));
  }

  private routeBytes(route: number): Uint8Array {
    const cached = this.encoded.routes[route];
    return cached ?? (this.encoded.routes[route] = utf8(this.routeIds[route]));
  }

  private vehicleBytes(trip: number): Uint8Array {
    const cached = this.encoded.vehicles[trip];
    return cached ?? (this.encoded.vehicles[trip] = utf8(this.vehicleId(trip)));
  }

  private deviceBytes(device: number): Uint8Array {
    const slot = device + this.ctx.trips.length;
    const cached = this.encoded.devices[slot];
    return cached ?? (this.encoded.devices[slot] = utf8(this.deviceId(device)));
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

/** Byte forms of the values rows repeat (indexed like the city's tables). */
interface EncodedFields {
  prefix: Uint8Array;
  serviceDate: Uint8Array;
  actions: Uint8Array[];
  unknownRoute: Uint8Array;
  yes: Uint8Array;
  no: Uint8Array;
  stops: (Uint8Array | undefined)[];
  routes: (Uint8Array | undefined)[];
  vehicles: (Uint8Array | undefined)[];
  /** `device + trips.length`: vehicle devices below trips.length, stop devices above. */
  devices: (Uint8Array | undefined)[];
  dates: Map<number, Uint8Array>;
  /** HOLDER_CODE_LISTS, encoded. */
  codes: Uint8Array[][];
}

const COMMA = 0x2c;
const COLON = 0x3a;
const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
