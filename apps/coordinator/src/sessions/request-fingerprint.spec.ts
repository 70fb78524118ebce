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
    ])
      expect(requestFingerprint(other)).not.toBe(fingerprint);
  });
});
