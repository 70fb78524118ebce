import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host.js';

describe('isLoopbackHost', () => {
  it('takes localhost, 127.0.0.0/8 and ::1 (in any spelling) for loopback', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '::ffff:127.0.0.1',
      '[::ffff:127.0.0.2]',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('takes every other host, wildcard addresses included, for not loopback', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '[::]',
      '10.0.0.1',
      '128.0.0.1',
      '::2',
      '1::1',
      '::ffff:10.0.0.1',
      'concord.example.org',
      'localhost.example.org',
      '127.0.0.1.nip.io',
      '',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
