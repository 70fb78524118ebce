import { TokenTable } from './token-table.js';

const INITIAL_ROWS = 1 << 16;

/**
 * One service day's paid fare rows as typed-array columns, grouped by card token when the day is
 * closed: the cheap form of `PaidRow[]` per token (card-days.ts) for connectors that read a month
 * of taps. A row costs 24 bytes plus its transaction id's bytes, and a token about 32 bytes plus
 * its own (`TokenTable`), instead of an object, a string per field and a map entry and an array
 * per token: the large city's day (4.8 M rows, 2 M cards) is about 300 MB.
 */
export class FareDayRows {
  private readonly tokens = new TokenTable();
  private n = 0;
  private token = new Uint32Array(INITIAL_ROWS);
  /** The event time as one number ordered as its `YYYY-MM-DDTHH:MM:SS` text. */
  private at = new Float64Array(INITIAL_ROWS);
  /** Cents, already clipped to the token-day bound (so they fit 32 bits). */
  private cents = new Uint32Array(INITIAL_ROWS);
  /** The row's cell in the caller's grid, or -1 when it is off the grid. */
  private cell = new Int32Array(INITIAL_ROWS);
  /**
   * Where row i's transaction id starts in `ids` (it ends where row i + 1's starts): kept only to
   * order a token's rows at the same second, as `readCardDays` does.
   */
  private idStart = new Uint32Array(INITIAL_ROWS + 1);
  private ids = Buffer.alloc(1 << 20);

  get size(): number {
    return this.n;
  }

  /**
   * Adds a row; the token and the id are byte ranges of `bytes` (the token already trimmed and
   * non-empty), `cents` at most 2³² − 1.
   */
  add(
    bytes: Buffer,
    tokenFrom: number,
    tokenTo: number,
    at: number,
    cents: number,
    cell: number,
    idFrom: number,
    idTo: number,
  ): void {
    if (this.n === this.token.length) this.grow();
    const i = this.n++;
    this.token[i] = this.tokens.id(bytes, tokenFrom, tokenTo);
    this.at[i] = at;
    this.cents[i] = cents;
    this.cell[i] = cell;
    const from = this.idStart[i];
    const to = from + idTo - idFrom;
    if (to > this.ids.length) {
      const ids = Buffer.alloc(Math.max(Math.ceil(this.ids.length * 1.5), to));
      this.ids.copy(ids, 0, 0, from);
      this.ids = ids;
    }
    // A loop, not `Buffer.copy`: for a couple of dozen bytes the call costs more than the copy.
    const ids = this.ids;
    for (let j = idFrom, o = from; j < idTo; j++, o++) ids[o] = bytes[j];
    this.idStart[i + 1] = to;
  }

  /**
   * Visits each token-day's rows in (event time, transaction id) order, ids compared as strings
   * (as `readCardDays` orders them), then empties the day for reuse (its columns are kept).
   */
  forEachTokenDay(visit: (order: Uint32Array, from: number, to: number) => void): void {
    const tokens = this.tokens.size;
    // A counting sort by token: rows of one token end up together, in file order.
    const start = new Uint32Array(tokens + 1);
    for (let i = 0; i < this.n; i++) start[this.token[i] + 1]++;
    for (let t = 0; t < tokens; t++) start[t + 1] += start[t];
    const order = new Uint32Array(this.n);
    const next = start.slice(0, tokens);
    for (let i = 0; i < this.n; i++) order[next[this.token[i]]++] = i;
    for (let t = 0; t < tokens; t++) {
      const from = start[t];
      const to = start[t + 1];
      this.sortByTime(order, from, to);
      visit(order, from, to);
    }
    this.tokens.clear();
    this.n = 0;
  }

  centsOf(row: number): number {
    return this.cents[row];
  }

  cellOf(row: number): number {
    return this.cell[row];
  }

  /** Insertion sort for the usual handful of rows; a general sort for a token used by many. */
  private sortByTime(order: Uint32Array, from: number, to: number): void {
    if (to - from > 32) {
      const rows = Array.from(order.subarray(from, to)).sort((a, b) =>
        this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0,
      );
      order.set(rows, from);
      return;
    }
    for (let k = from + 1; k < to; k++) {
      const row = order[k];
      let j = k - 1;
      while (j >= from && this.before(row, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = row;
    }
  }

  private before(a: number, b: number): boolean {
    if (this.at[a] !== this.at[b]) return this.at[a] < this.at[b];
    return this.idText(a) < this.idText(b);
  }

  private idText(row: number): string {
    return this.ids.toString('utf8', this.idStart[row], this.idStart[row + 1]);
  }

  /** Half as much again: a day's rows are known only at its end, and doubling wastes most. */
  private grow(): void {
    const size = Math.ceil(this.token.length * 1.5);
    this.token = resized(this.token, new Uint32Array(size));
    this.at = resized(this.at, new Float64Array(size));
    this.cents = resized(this.cents, new Uint32Array(size));
    this.cell = resized(this.cell, new Int32Array(size));
    this.idStart = resized(this.idStart, new Uint32Array(size + 1));
  }
}

function resized<T extends Uint32Array | Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
