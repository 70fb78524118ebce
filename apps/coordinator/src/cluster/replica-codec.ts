/**
 * What replicas send each other travels as JSON (the Redis adapter's `serverSideEmit` is JSON),
 * which has no bytes and no big integers: those are tagged on the way out and restored on the
 * way in, so an envelope forwarded between replicas arrives as the same bytes.
 */
export function encodeReplicaPayload(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    // `this[key]` is the value before Buffer#toJSON ran on it.
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    return v;
  });
}

export function decodeReplicaPayload(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$bytes === 'string')
        return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
      if (keys.length === 1 && typeof o.$bigint === 'string' && /^-?\d{1,400}$/.test(o.$bigint))
        return BigInt(o.$bigint);
    }
    return v;
  });
}
