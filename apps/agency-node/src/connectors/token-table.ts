/**
 * Card tokens numbered 0, 1, 2 … in order of first appearance, keyed by their bytes: an open
 * addressing hash table over one byte arena. A day of the large city holds about 2 M tokens;
 * a `Map<string, number>` makes a string per row to look one up and costs about 60 bytes a token,
 * this costs about 20 and makes nothing per row. Tokens are the agency's own data, so the hash
 * need not resist chosen collisions.
 */
export class TokenTable {
  private bytes = Buffer.alloc(1 << 20);
  /** Token t's bytes are `bytes[start[t], start[t + 1])`. */
  private start = new Uint32Array(1 << 16);
  private hashes = new Uint32Array(1 << 16);
  /** Token number + 1 per slot; 0 is empty. Capacity a power of two, at most three quarters full. */
  private slots = new Uint32Array(1 << 17);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The number of the token `bytes[from, to)`, adding it when new. */
  id(bytes: Buffer, from: number, to: number): number {
    const hash = hashBytes(bytes, from, to);
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const entry = this.slots[s];
      if (entry === 0) return this.insert(s, hash, bytes, from, to);
      const t = entry - 1;
      if (this.hashes[t] === hash && this.equals(t, bytes, from, to)) return t;
    }
  }

  /** The number of the token `bytes[from, to)`, or -1 when it was never added. */
  find(bytes: Buffer, from: number, to: number): number {
    const hash = hashBytes(bytes, from, to);
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const entry = this.slots[s];
      if (entry === 0) return -1;
      const t = entry - 1;
      if (this.hashes[t] === hash && this.equals(t, bytes, from, to)) return t;
    }
  }

  /** Forgets every token, keeping the memory for the next day. */
  clear(): void {
    this.slots.fill(0);
    this.count = 0;
  }

  private insert(slot: number, hash: number, bytes: Buffer, from: number, to: number): number {
    const t = this.count++;
    if (this.count + 1 > this.start.length) {
      this.start = grown(this.start);
      this.hashes = grown(this.hashes);
    }
    const at = this.start[t];
    const end = at + (to - from);
    if (end > this.bytes.length) {
      const next = Buffer.alloc(Math.max(Math.ceil(this.bytes.length * 1.5), end));
      this.bytes.copy(next, 0, 0, at);
      this.bytes = next;
    }
    for (let i = from, o = at; i < to; i++, o++) this.bytes[o] = bytes[i];
    this.start[t + 1] = end;
    this.hashes[t] = hash;
    this.slots[slot] = t + 1;
    if (this.count * 4 > this.slots.length * 3) this.rehash();
    return t;
  }

  private equals(t: number, bytes: Buffer, from: number, to: number): boolean {
    const at = this.start[t];
    if (this.start[t + 1] - at !== to - from) return false;
    for (let i = from; i < to; i++) if (this.bytes[at + i - from] !== bytes[i]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let t = 0; t < this.count; t++) {
      let s = this.hashes[t] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = t + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the bytes, then a final mix so that the low bits (the slot) depend on all of them. */
function hashBytes(bytes: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Half as much again (a day's tokens are known only at its end; doubling wastes most). */
function grown(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(Math.ceil(a.length * 1.5));
  b.set(a);
  return b;
}
