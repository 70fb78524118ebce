import { type FareAction } from './city-records.js';
import {
  FARE_MEDIA,
  FARE_PRODUCT_IDS,
  type FareProductId,
  RIDER_CATEGORIES,
} from './fare-catalogue.js';

/** The fare_action codes of `TapColumns.action`, in code order. */
export const FARE_ACTIONS: readonly FareAction[] = ['tap-on', 'tap-off', 'denied'];

/** `TapColumns.flags` bits. */
export const TAP_CAPPED = 1;
export const TAP_TRANSFER = 2;
export const TAP_OFFLINE = 4;
/** The card carries stored value: the row's balance column is filled. */
export const TAP_BALANCE = 8;

/** `TapColumns.route` for a validator that reported no route (UNKNOWN_ROUTE_ID). */
export const NO_ROUTE = -1;

const INITIAL_CAPACITY = 1 << 12;

/**
 * A shard's fare-transaction drafts, one typed-array column per field, before the day's rows are
 * ordered and numbered. A large day makes about 5 M taps (300 k per shard); holding each as an
 * object of 17 fields cost more in garbage collection than generating it. Values that repeat are
 * stored as indices into the city's tables (stop, route, trip) or into `holders` (the card's
 * token, product, category and media, one entry per rider-day with taps).
 */
export class TapColumns {
  /**
   * @param keepHolders keep `holders` (what `finishFareTransactions` builds records from); a
   *   writer that encodes rows from the columns alone turns it off, so that a day's hundreds of
   *   thousands of holder objects are not kept alive (and promoted) until their shard is written.
   */
  constructor(public keepHolders = true) {}

  length = 0;
  seconds: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Index into FARE_ACTIONS. */
  action: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  flags: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  /** Stop index (the exit stop for tap-offs). */
  stop: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Route index, or NO_ROUTE. */
  route: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Trip index whose vehicle_id the row reports, or -1 for an empty vehicle_id. */
  vehicleTrip: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Device: `<stop_id>-V1` of stop `d` when d >= 0, else `<vehicle_id>-FB1` of trip -d - 1. */
  device: Int32Array = new Int32Array(INITIAL_CAPACITY);
  amount: Int32Array = new Int32Array(INITIAL_CAPACITY);
  nominal: Int32Array = new Int32Array(INITIAL_CAPACITY);
  balance: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Index into `holders`. */
  holder: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** The holder's token as two words (see `holderCodes`), for writing rows without `holders`. */
  tokenHi: Uint32Array = new Uint32Array(INITIAL_CAPACITY);
  tokenLo: Uint32Array = new Uint32Array(INITIAL_CAPACITY);
  /** The holder's product | category << 8 | media << 16 (see `holderCodes`). */
  codes: Int32Array = new Int32Array(INITIAL_CAPACITY);
  holders: TapHolder[] = [];
  /** Some holder did not fit `holderCodes`: rows must be written from `holders`. */
  irregularHolders = false;

  /** Tap i's holder: from `holders`, or (not kept) from its token words and codes. */
  holderOf(i: number): TapHolder {
    if (this.keepHolders) return this.holders[this.holder[i]];
    const codes = this.codes[i];
    return {
      tokenId: hex32(this.tokenHi[i]) + hex32(this.tokenLo[i]),
      fareProduct: HOLDER_CODE_LISTS[0][codes & 0xff],
      riderCategory: HOLDER_CODE_LISTS[1][(codes >>> 8) & 0xff],
      fareMedia: HOLDER_CODE_LISTS[2][(codes >>> 16) & 0xff],
    };
  }

  /** Room for one more tap; returns its index. */
  next(): number {
    if (this.length === this.seconds.length) this.grow();
    return this.length++;
  }

  /**
   * Copies the taps into `into` in `order`. Writing rows in file (time) order straight from
   * these columns reads a dozen arrays at random; a gather pass per column is sequential on one
   * side and leaves the writer a sequential scan (a large shard's columns outgrow the caches).
   */
  gather(order: Int32Array, into: TapColumns): void {
    const n = order.length;
    into.clear();
    while (into.seconds.length < n) into.grow();
    gatherColumn(this.seconds, order, into.seconds);
    gatherColumn(this.action, order, into.action);
    gatherColumn(this.flags, order, into.flags);
    gatherColumn(this.stop, order, into.stop);
    gatherColumn(this.route, order, into.route);
    gatherColumn(this.vehicleTrip, order, into.vehicleTrip);
    gatherColumn(this.device, order, into.device);
    gatherColumn(this.amount, order, into.amount);
    gatherColumn(this.nominal, order, into.nominal);
    gatherColumn(this.balance, order, into.balance);
    gatherColumn(this.holder, order, into.holder);
    gatherColumn(this.tokenHi, order, into.tokenHi);
    gatherColumn(this.tokenLo, order, into.tokenLo);
    gatherColumn(this.codes, order, into.codes);
    into.holders = this.holders;
    into.keepHolders = this.keepHolders;
    into.irregularHolders = this.irregularHolders;
    into.length = n;
  }

  /** Empties the columns for the next shard, keeping their capacity. */
  clear(): void {
    this.length = 0;
    this.holders = [];
    this.irregularHolders = false;
  }

  grow(): void {
    const size = this.seconds.length * 2;
    this.seconds = grownI32(this.seconds, size);
    this.action = grownU8(this.action, size);
    this.flags = grownU8(this.flags, size);
    this.stop = grownI32(this.stop, size);
    this.route = grownI32(this.route, size);
    this.vehicleTrip = grownI32(this.vehicleTrip, size);
    this.device = grownI32(this.device, size);
    this.amount = grownI32(this.amount, size);
    this.nominal = grownI32(this.nominal, size);
    this.balance = grownI32(this.balance, size);
    this.holder = grownI32(this.holder, size);
    this.tokenHi = grownU32(this.tokenHi, size);
    this.tokenLo = grownU32(this.tokenLo, size);
    this.codes = grownI32(this.codes, size);
  }
}

function grownI32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function hex32(x: number): string {
  return x.toString(16).padStart(8, '0');
}

function grownU32(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

function gatherColumn<T extends Int32Array | Uint32Array | Uint8Array>(
  from: T,
  order: Int32Array,
  to: T,
): void {
  for (let k = 0; k < order.length; k++) to[k] = from[order[k]];
}

function grownU8(a: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}

/** What every tap of one card on one day shares. */
export interface TapHolder {
  tokenId: string;
  fareProduct: string;
  riderCategory: string;
  fareMedia: string;
}

const CATEGORIES = RIDER_CATEGORIES.map((c) => c.riderCategoryId);
const MEDIA = FARE_MEDIA.map((m) => m.fareMediaId);
const HEX_TOKEN = /^[0-9a-f]{16}$/;

/** The code lists `TapColumns.codes` indexes: products, categories, media. */
export const HOLDER_CODE_LISTS: readonly (readonly string[])[] = [
  FARE_PRODUCT_IDS,
  CATEGORIES,
  MEDIA,
];

/**
 * A holder as `TapColumns` words: the token's 64 bits and the product, category and media codes;
 * null when the holder does not fit them (a token other than 16 lowercase hex digits, an
 * unknown product), in which case rows are written from `holders`.
 */
export function holderCodes(h: TapHolder): { hi: number; lo: number; codes: number } | null {
  const product = FARE_PRODUCT_IDS.indexOf(h.fareProduct as FareProductId);
  const category = CATEGORIES.indexOf(h.riderCategory);
  const media = MEDIA.indexOf(h.fareMedia);
  if (!HEX_TOKEN.test(h.tokenId) || product < 0 || category < 0 || media < 0) return null;
  return {
    hi: Number.parseInt(h.tokenId.slice(0, 8), 16),
    lo: Number.parseInt(h.tokenId.slice(8), 16),
    codes: product | (category << 8) | (media << 16),
  };
}

/**
 * The file order of a shard's taps: online taps by event time, then offline (late) records by
 * event time; equal times keep generation order (rider index, then the rider-day's own order).
 * A counting sort over the day's seconds: stable, linear, and no comparator calls.
 */
export function tapFileOrder(taps: TapColumns): Int32Array {
  const n = taps.length;
  const order = new Int32Array(n);
  if (n === 0) return order;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = taps.seconds[i];
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const span = max - min + 1;
  // Bucket = (offline, second): all online buckets before all offline ones.
  const counts = new Int32Array(2 * span + 1);
  for (let i = 0; i < n; i++) {
    const bucket = (taps.flags[i] & TAP_OFFLINE ? span : 0) + taps.seconds[i] - min;
    counts[bucket + 1]++;
  }
  for (let b = 1; b < counts.length; b++) counts[b] += counts[b - 1];
  for (let i = 0; i < n; i++) {
    const bucket = (taps.flags[i] & TAP_OFFLINE ? span : 0) + taps.seconds[i] - min;
    order[counts[bucket]++] = i;
  }
  return order;
}
