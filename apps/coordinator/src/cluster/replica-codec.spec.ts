import { describe, expect, it } from 'vitest';
import { decodeReplicaPayload, encodeReplicaPayload } from './replica-codec.js';

describe('the replicas’ payload codec', () => {
  it('carries bytes and big integers through JSON unchanged', () => {
    const value = {
      sessionId: 's',
      event: {
        type: 'envelope',
        bytes: new Uint8Array([0, 1, 254, 255]),
        buffer: Buffer.from('abc'),
        nested: [{ n: 2n ** 70n, plain: 'x' }],
      },
    };
    const text = encodeReplicaPayload(value);
    expect(typeof text).toBe('string');
    const back = decodeReplicaPayload(text) as typeof value;
    expect(back.event.bytes).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(Buffer.from(back.event.buffer).toString()).toBe('abc');
    expect(back.event.nested[0].n).toBe(2n ** 70n);
    expect(back.event.nested[0].plain).toBe('x');
  });

  it('leaves look-alike objects with other keys alone', () => {
    expect(decodeReplicaPayload('{"a":{"$bytes":"AA==","b":1}}')).toEqual({
      a: { $bytes: 'AA==', b: 1 },
    });
  });
});
