import { TokenTable } from './token-table.js';

const INITIAL_ROWS = 1 << 16;

/**
 * One service day's paid fare rows as typed-array columns, grouped by card token when the day is
 * closed: the cheap form of `PaidRow[]` per token (card-days.ts) for connectors that read a month
 * of taps. A row costs 32 bytes, and a token about 24 bytes plus its own (`TokenTable`), instead
 * of an object, a string per field and a map entry and an array per token: the large city's day
 * (4.8 M rows, 2 M cards) is about 250 MB.
 *
 * Transaction ids only order a token's rows at the same second, which is rare, so a row keeps
 * where its id is in the file and `readId` reads the few that are needed when the day is closed.
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
  /** Where row i's transaction id is in the file, or -1 when it is in `idTexts`. */
  private idPosition = new Float64Array(INITIAL_ROWS);
  private idLength = new Uint32Array(INITIAL_ROWS);
  /** The ids of rows not read straight from the file (a record with doubled quotes). */
  private idTexts = new Map<number, string>();
  /** The rows in token order when the day is closed (kept from day to day). */
  private order = new Uint32Array(0);

  constructor(private readonly readId: (position: number, length: number) => string) {}

  get size(): number {
    return this.n;
  }

  /**
   * Adds a row: its token is `bytes[tokenFrom, tokenTo)` (trimmed, not empty), its id
   * `idLength` bytes at `idPosition` in the file, or `idText` when the file's bytes are not the id
   * (`idPosition` -1); `cents` at most 2³² − 1.
   */
  add(
    bytes: Buffer,
    tokenFrom: number,
    tokenTo: number,
    at: number,
    cents: number,
    cell: number,
    idPosition: number,
    idLength: number,
    idText?: string,
  ): void {
    if (this.n === this.token.length) this.grow();
    const i = this.n++;
    this.token[i] = this.tokens.id(bytes, tokenFrom, tokenTo);
    this.at[i] = at;
    this.cents[i] = cents;
    this.cell[i] = cell;
    this.idPosition[i] = idPosition;
    this.idLength[i] = idLength;
    if (idPosition < 0) this.idTexts.set(i, idText ?? '');
  }

  /**
   * Visits each token-day's rows in (event time, transaction id) order, ids compared as strings
   * (as `readCardDays` orders them), then empties the day for reuse (its columns are kept).
   */
  forEachTokenDay(visit: (order: Uint32Array, from: number, to: number) => void): void {
    const tokens = this.tokens.size;
    // A counting sort by token: rows of one token end up together, in file order. `end[t]` is
    // first where token t's rows start, and after the placing where they end.
    const end = new Uint32Array(tokens);
    for (let i = 0; i < this.n; i++) end[this.token[i]]++;
    for (let t = 0, sum = 0; t < tokens; t++) {
      const count = end[t];
      end[t] = sum;
      sum += count;
    }
    if (this.order.length < this.n) this.order = new Uint32Array(this.token.length);
    const order = this.order;
    for (let i = 0; i < this.n; i++) order[end[this.token[i]]++] = i;
    for (let t = 0, from = 0; t < tokens; from = end[t++]) {
      this.sortByTime(order, from, end[t]);
      visit(order, from, end[t]);
    }
    this.tokens.clear();
    this.idTexts.clear();
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
    const position = this.idPosition[row];
    return position < 0 ? this.idTexts.get(row)! : this.readId(position, this.idLength[row]);
  }

  /** Half as much again: a day's rows are known only at its end, and doubling wastes most. */
  private grow(): void {
    const size = Math.ceil(this.token.length * 1.5);
    this.token = resized(this.token, new Uint32Array(size));
    this.at = resized(this.at, new Float64Array(size));
    this.cents = resized(this.cents, new Uint32Array(size));
    this.cell = resized(this.cell, new Int32Array(size));
    this.idPosition = resized(this.idPosition, new Float64Array(size));
    this.idLength = resized(this.idLength, new Uint32Array(size));
  }
}

function resized<T extends Uint32Array | Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
