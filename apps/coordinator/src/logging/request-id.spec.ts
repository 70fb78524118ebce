import { describe, expect, it } from 'vitest';
import { requestIdFor } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('keeps a caller’s id made of letters, digits, dots, dashes and underscores', () => {
    for (const id of ['abc', 'req-2026.12_04', 'a'.repeat(64)]) expect(requestIdFor(id)).toBe(id);
  });

  it('replaces a missing, repeated, long or odd id with a fresh random UUID', () => {
    const bad = [undefined, '', 'a'.repeat(65), 'x y', 'id\nforged log line', '<b>', ['a', 'b']];
    const ids = bad.map((b) => requestIdFor(b));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
