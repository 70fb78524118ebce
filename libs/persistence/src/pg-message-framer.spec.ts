import { describe, expect, it } from 'vitest';
import { PgMessageFramer } from './pg-message-framer.js';

/** A typed frontend message: type byte, then a length that counts itself and the body. */
function typed(type: string, body: number): Buffer {
  const m = Buffer.alloc(5 + body, 0x61);
  m.write(type, 0, 'latin1');
  m.writeInt32BE(4 + body, 1);
  return m;
}
function untyped(code: number, length: number): Buffer {
  const m = Buffer.alloc(length, 0x62);
  m.writeInt32BE(length, 0);
  m.writeInt32BE(code, 4);
  return m;
}
const ssl = () => untyped(80877103, 8);
const cancel = () => untyped(80877102, 16);
const startup = (length: number) => untyped(196608, length);

/** A deterministic generator (the cuts only need to vary, not to be secret). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A client's first bytes, then queries: small ones, a 5-byte Sync, and a few large binds. */
function session(random: () => number): Buffer[] {
  const messages = [ssl(), startup(41)];
  for (let i = 0; i < 40; i++) {
    const r = random();
    if (r < 0.1) messages.push(typed('B', 200_000 + Math.floor(random() * 300_000)));
    else if (r < 0.3) messages.push(typed('S', 0));
    else messages.push(typed('Q', Math.floor(random() * 400)));
  }
  return messages;
}

describe('PgMessageFramer', () => {
  it('gives back exactly the stream, cut only at message ends, however the reads split it', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = lcg(seed);
      const messages = session(random);
      const stream = Buffer.concat(messages);
      const ends: number[] = [];
      messages.reduce((at, m) => (ends.push(at + m.length), at + m.length), 0);
      const framer = new PgMessageFramer();
      const out: Buffer[] = [];
      let given = 0;
      let next = 0; // the first message end past `given`
      for (let at = 0; at < stream.length;) {
        // Mostly 64 KiB reads, as a socket gives them, with some tiny and odd ones.
        const r = random();
        const size =
          r < 0.2
            ? 1 + Math.floor(random() * 7)
            : r < 0.5
              ? 65_536
              : 1 + Math.floor(random() * 100_000);
        const read = stream.subarray(at, at + size);
        at += read.length;
        const whole = framer.push(Buffer.from(read));
        if (whole.length > 0) {
          given += whole.length;
          while (ends[next] < given) next++;
          expect(ends[next]).toBe(given);
          next++;
          out.push(Buffer.from(whole));
        }
        // Nothing whole is held back: the next message end lies past what was read.
        expect(ends[next] ?? Infinity).toBeGreaterThan(at);
      }
      expect(framer.pending).toBe(0);
      expect(Buffer.concat(out).equals(stream)).toBe(true);
    }
  });

  it('passes a cancel request and a 5-byte message through as soon as they are whole', () => {
    const framer = new PgMessageFramer();
    const c = cancel();
    expect(framer.push(c.subarray(0, 9))).toHaveLength(0);
    expect(framer.push(c.subarray(9))).toEqual(c);
    const sync = typed('S', 0);
    expect(framer.push(sync.subarray(0, 4))).toHaveLength(0);
    expect(framer.push(sync.subarray(4))).toEqual(sync);
  });

  it('holds a large message until its last read, then gives it whole', () => {
    const framer = new PgMessageFramer();
    const bind = typed('B', 1_000_000);
    const sync = typed('S', 0);
    const stream = Buffer.concat([bind, sync]);
    let got = Buffer.alloc(0);
    for (let at = 0; at < stream.length; at += 65_536) {
      const whole = framer.push(stream.subarray(at, at + 65_536));
      if (at + 65_536 < bind.length) expect(whole).toHaveLength(0);
      if (whole.length > 0) got = Buffer.concat([got, whole]);
    }
    expect(got.equals(stream)).toBe(true);
  });
});
