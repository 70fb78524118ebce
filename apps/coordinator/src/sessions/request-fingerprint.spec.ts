import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './request-fingerprint.js';

const base = {
  protocolHash: 'a'.repeat(64),
  parameters: { serviceDate: '2026-03-10', route: 'R1' },
  budget: '1/2',
};

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the key order or the budget notation', () => {
    const same = requestFingerprint({
      ...base,
      parameters: { route: 'R1', serviceDate: '2026-03-10' },
      budget: '0.5',
    });
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(same).toBe(requestFingerprint(base));
  });

  it('differs for another protocol, parameter or budget', () => {
    const fingerprint = requestFingerprint(base);
    for (const other of [
      { ...base, protocolHash: 'b'.repeat(64) },
      { ...base, parameters: { ...base.parameters, serviceDate: '2026-03-11' } },
      { ...base, parameters: { serviceDate: '2026-03-10' } },
      { ...base, budget: '1/3' },
      { ...base, axes: { from_zone: ['Z01'] } },
      { ...base, axes: { from_zone: ['Z01', 'Z02'] } },
    ])
      expect(requestFingerprint(other)).not.toBe(fingerprint);
  });
});

describe('requestFingerprint with an axis selection', () => {
  it('keeps the fingerprint a request without one had before selections existed', () => {
    // Stored requests were fingerprinted without the field: a replay must still match them.
    expect(requestFingerprint(base)).toBe(requestFingerprint({ ...base, axes: undefined }));
    expect(requestFingerprint(base)).toBe(
      '4dee84c8f48015daaf2b34cec1cb745422f23f2d81a42bf739edc86df9dbd8c6',
    );
  });
});
