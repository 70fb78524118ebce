import { type RiderKind } from './city-records.js';
import {
  FARE_MEDIA,
  FARE_PRODUCT_IDS,
  type FareMediaId,
  RIDER_CATEGORIES,
  type RiderCategory,
} from './fare-catalogue.js';
import { type PathLeg } from './itineraries.js';
import { INCOME_BANDS, RIDER_KINDS, type Rider } from './riders.js';

const CATEGORIES = RIDER_CATEGORIES.map((c) => c.riderCategoryId as RiderCategory);
const MEDIA = FARE_MEDIA.map((m) => m.fareMediaId as FareMediaId);

/** A commute has at most this many legs (`DemandParams.legsPerJourney` has three entries). */
const MAX_COMMUTE_LEGS = 3;
/** `commuteLegs` of a rider without a commute (null; an empty commute path is 0). */
const NO_COMMUTE = -1;
/** `balance` of a card without stored value. */
const NO_BALANCE = -1;

/** The columns of a RiderTable, each over a SharedArrayBuffer so worker threads can read them. */
export interface RiderColumns {
  count: number;
  kind: Uint8Array;
  cash: Uint8Array;
  category: Uint8Array;
  product: Uint8Array;
  media: Uint8Array;
  incomeBand: Uint8Array;
  commuteLegs: Int8Array;
  homeZone: Int32Array;
  originStop: Int32Array;
  balance: Int32Array;
  /** The card token's 64 bits (tokenId = hex(hi) + hex(lo)). */
  tokenHi: Uint32Array;
  tokenLo: Uint32Array;
  /** (route, from, to) of each commute leg, MAX_COMMUTE_LEGS slots per rider. */
  commute: Int32Array;
}

/**
 * Every rider of a city in typed-array columns (about 60 bytes a rider, 320 MB for the large
 * city's 5.4 M). A streamed month otherwise regenerates each rider from its substream every day
 * (a SHA-256, a dozen draws and, for commuters, a path): the table draws each rider once, and
 * `get` rebuilds the identical `Rider` object from the columns.
 */
export class RiderTable {
  constructor(readonly columns: RiderColumns) {}

  static allocate(count: number): RiderTable {
    const shared = <T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T =>
      make(new SharedArrayBuffer(Math.max(1, bytes)));
    return new RiderTable({
      count,
      kind: shared((b) => new Uint8Array(b), count),
      cash: shared((b) => new Uint8Array(b), count),
      category: shared((b) => new Uint8Array(b), count),
      product: shared((b) => new Uint8Array(b), count),
      media: shared((b) => new Uint8Array(b), count),
      incomeBand: shared((b) => new Uint8Array(b), count),
      commuteLegs: shared((b) => new Int8Array(b), count),
      homeZone: shared((b) => new Int32Array(b), 4 * count),
      originStop: shared((b) => new Int32Array(b), 4 * count),
      balance: shared((b) => new Int32Array(b), 4 * count),
      tokenHi: shared((b) => new Uint32Array(b), 4 * count),
      tokenLo: shared((b) => new Uint32Array(b), 4 * count),
      commute: shared((b) => new Int32Array(b), 4 * 3 * MAX_COMMUTE_LEGS * count),
    });
  }

  get count(): number {
    return this.columns.count;
  }

  set(rider: Rider): void {
    const c = this.columns;
    const i = rider.index;
    c.kind[i] = RIDER_KINDS.indexOf(rider.kind);
    c.cash[i] = rider.cash ? 1 : 0;
    c.category[i] = CATEGORIES.indexOf(rider.category);
    c.product[i] = FARE_PRODUCT_IDS.indexOf(rider.product);
    c.media[i] = MEDIA.indexOf(rider.media);
    c.incomeBand[i] = INCOME_BANDS.indexOf(rider.incomeBand);
    c.homeZone[i] = rider.homeZone;
    c.originStop[i] = rider.originStop;
    c.balance[i] = rider.initialBalanceCents ?? NO_BALANCE;
    if (rider.tokenId !== '') {
      c.tokenHi[i] = Number.parseInt(rider.tokenId.slice(0, 8), 16);
      c.tokenLo[i] = Number.parseInt(rider.tokenId.slice(8), 16);
    }
    const commute = rider.commute;
    if (commute === null) {
      c.commuteLegs[i] = NO_COMMUTE;
      return;
    }
    if (commute.length > MAX_COMMUTE_LEGS) {
      throw new RangeError(`rider ${i}: a commute of ${commute.length} legs`);
    }
    c.commuteLegs[i] = commute.length;
    const at = i * 3 * MAX_COMMUTE_LEGS;
    commute.forEach((leg, k) => {
      c.commute[at + 3 * k] = leg.route;
      c.commute[at + 3 * k + 1] = leg.from;
      c.commute[at + 3 * k + 2] = leg.to;
    });
  }

  kindOf(index: number): RiderKind {
    return RIDER_KINDS[this.columns.kind[index]];
  }

  /** Rider `index`, equal (toEqual) to `riderAt(..., index)`. */
  get(index: number): Rider {
    const c = this.columns;
    const cash = c.cash[index] === 1;
    const legs = c.commuteLegs[index];
    let commute: PathLeg[] | null = null;
    if (legs !== NO_COMMUTE) {
      commute = [];
      const at = index * 3 * MAX_COMMUTE_LEGS;
      for (let k = 0; k < legs; k++) {
        const o = at + 3 * k;
        commute.push({ route: c.commute[o], from: c.commute[o + 1], to: c.commute[o + 2] });
      }
    }
    const balance = c.balance[index];
    return {
      index,
      kind: RIDER_KINDS[c.kind[index]],
      homeZone: c.homeZone[index],
      cash,
      tokenId: cash ? '' : hex32(c.tokenHi[index]) + hex32(c.tokenLo[index]),
      category: CATEGORIES[c.category[index]],
      product: FARE_PRODUCT_IDS[c.product[index]],
      media: MEDIA[c.media[index]],
      initialBalanceCents: balance === NO_BALANCE ? null : balance,
      incomeBand: INCOME_BANDS[c.incomeBand[index]],
      originStop: c.originStop[index],
      commute,
    };
  }
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return (
    HEX_BYTES[x >>> 24] +
    HEX_BYTES[(x >>> 16) & 0xff] +
    HEX_BYTES[(x >>> 8) & 0xff] +
    HEX_BYTES[x & 0xff]
  );
}
