/**
 * The reads of one session's connectors, shared: a join plan's connectors read the processor's
 * fare file back to back (its card list, then each per-card input), and one parse can serve them
 * all. Keyed by what was read (file, version, date); it lives as long as the session's reading,
 * so nothing is kept between sessions and a changed file is read again by the next one.
 */
export class ReadScope {
  private readonly reads = new Map<string, Promise<unknown>>();

  /** The value `read` gives for `key`, read once in this scope (a failed read is not kept). */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.reads.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      this.reads.set(key, value);
      value.catch(() => this.reads.delete(key));
    }
    return value;
  }
}
