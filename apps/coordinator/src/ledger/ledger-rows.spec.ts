import { describe, expect, it } from 'vitest';
import { ledgerBuckets } from './ledger-rows.js';

describe('ledgerBuckets', () => {
  it('lists each day a span charged, once, never the span itself, newest first', () => {
    expect(
      ledgerBuckets([
        { scope: 'fares', window: '2026-03-10' },
        { scope: 'fares', window: '2026-03-09..2026-03-11' },
        { scope: 'boardings', window: '2026-03-10' },
        { scope: 'fares', window: 'all' },
      ]),
    ).toEqual([
      { scope: 'fares', window: 'all' },
      { scope: 'fares', window: '2026-03-11' },
      { scope: 'boardings', window: '2026-03-10' },
      { scope: 'fares', window: '2026-03-10' },
      { scope: 'fares', window: '2026-03-09' },
    ]);
  });
});
