// The full-size DP acceptance tests T14-T24 of docs/privacy.md, 'Acceptance tests' (the ledger,
// protocol and transcript ones; T1-T13 and T21 live in libs/dp and libs/accounting), separate from
// `npm test`.
//
// `npm test` runs CI-sized versions of the same suites. With CONCORD_STATISTICAL_SUITE=full the
// specs switch to the full sizes:
//   T14  100 repetitions of 200 concurrent charges (CI: 20 on PostgreSQL, 3 on embedded PGlite)
//   T17  10^3 random plans run in process (CI: 40)
//   T19  10^4 neighbouring pairs through the oracle and through the real connectors (CI: 2 000 / 150)
//   T20  10^3 datasets through the connectors, 50 full releases (CI: 1 000 oracle / 50 / 3)
//   T23  10^4 requests per vote, majority of 9 votes (CI: majority of 3)
//   T24  100 releases replayed by the auditor (CI: 12)
// T15, T16, T18 and T22 are exhaustive or fixed-size and run the same in both modes.
//
// Run from the repository root (DATABASE_URL selects the real PostgreSQL 15 for T14/T15/T18):
//   CONCORD_STATISTICAL_SUITE=full npx vitest run test/dp apps/coordinator/src/ledger apps/agency-node/src/node
// or, once test/dp/heavy is part of the build (tsconfig.build.json), `node dist/test/dp/heavy/dp-acceptance.js`.
// Expect tens of minutes, not seconds.
import { startVitest } from 'vitest/node';

process.env.CONCORD_STATISTICAL_SUITE = 'full';
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

const vitest = await startVitest(
  'test',
  filters.length > 0
    ? filters
    : ['test/dp/', 'apps/coordinator/src/ledger/', 'apps/agency-node/src/node/'],
  { run: true, watch: false },
);
await vitest.close();
if (vitest.state.getCountOfFailedTests() > 0) process.exitCode = 1;
