import { describe, expect, it } from 'vitest';
import { parseAnnouncement } from './presence-announcement.js';

/** Another replica's announcement of its nodes, as it arrives over Redis (JSON). */
const login = (extra: Record<string, unknown> = {}) => ({
  party: 2,
  agencyId: 'farepay',
  engine: 'native',
  held: [],
  unsettled: [],
  ...extra,
});

describe('a replica’s announcement of its nodes', () => {
  it('carries each node’s data coverage across replicas', () => {
    const coverage = {
      inputs: [
        {
          connector: 'fare-revenue-by-route-hour',
          kind: 'dated',
          dates: ['2026-03-09/2026-03-11'],
        },
        { connector: 'population-by-zone', kind: 'any-date' },
      ],
    };
    const [parsed] = parseAnnouncement(
      JSON.parse(JSON.stringify({ logins: [login({ coverage })] })),
    );
    expect(parsed.coverage).toEqual(coverage);
    expect(parseAnnouncement({ logins: [login()] })[0].coverage).toBeUndefined();
  });

  it('refuses a login whose coverage is malformed, whole', () => {
    for (const coverage of [
      { inputs: [{ connector: 'fare', kind: 'sometimes' }] },
      { inputs: [{ connector: 'fare', kind: 'dated', dates: ['2026-03-11', '2026-03-10'] }] },
      { inputs: 'all' },
      null,
    ])
      expect(() => parseAnnouncement({ logins: [login({ coverage })] })).toThrow(TypeError);
  });
});
