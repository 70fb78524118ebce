import { describe, expect, it } from 'vitest';
import { tokenLifetimeMs } from './token-lifetime.js';

describe('token lifetimes', () => {
  it('reads a whole number and a unit', () => {
    expect(tokenLifetimeMs('45s')).toBe(45_000);
    expect(tokenLifetimeMs('30m')).toBe(1_800_000);
    expect(tokenLifetimeMs('12h')).toBe(43_200_000);
    expect(tokenLifetimeMs('400d')).toBe(400 * 86_400_000);
  });

  it('refuses anything else, and anything over 400 days, as an invalid request', () => {
    for (const text of ['', '0d', '1.5h', '10w', 'd', '-1d', '401d', '9999999d', '1 d']) {
      expect(() => tokenLifetimeMs(text), text).toThrow(
        expect.objectContaining({ code: 'invalid-request' }),
      );
    }
  });
});
