// The full-size statistical acceptance suite (docs/privacy.md, 'Acceptance tests'), separate from
// `npm test`.
//
// `npm test` runs CI-sized versions of the same checks (fixed seeds, one vote, N around 10^4 -
// 10^5). This script runs them at the full sizes: N = 10^6 per parameter set (10^5 for
// sigma^2 = 10^10 and for the T21 releases), a majority of 9 votes per check, 100 runs per planted
// bug (T7), the T8 distinguisher at 10^6 per side with its thresholds verbatim, and 10^4 property
// runs for T13. Expect hours, not minutes.
//
// Run from the repository root, after `npm run build`:
//   node dist/libs/dp/scripts/statistical-suite.js                 fixed seeds (reproducible)
//   node dist/libs/dp/scripts/statistical-suite.js --entropy=os    OS randomness (the nightly run)
//   node dist/libs/dp/scripts/statistical-suite.js libs/dp/src/polya.spec.ts    one suite only
// Equivalent without the build: CONCORD_STATISTICAL_SUITE=full npx vitest run libs/dp libs/accounting
//
// The switch is an environment variable read by the spec helpers, so the CI and full-size runs are
// the same code with different sizes.
import { startVitest } from 'vitest/node';

const args = process.argv.slice(2);
process.env.CONCORD_STATISTICAL_SUITE = 'full';
if (args.includes('--entropy=os')) process.env.CONCORD_STATISTICAL_ENTROPY = 'os';
const filters = args.filter((arg) => !arg.startsWith('--'));

const vitest = await startVitest(
  'test',
  filters.length > 0 ? filters : ['libs/dp/', 'libs/accounting/'],
  // Per-test timeouts come from the specs (hours in full mode); keep Vitest's default reporter.
  { run: true, watch: false },
);
await vitest.close();
// Vitest sets process.exitCode when a test fails; make a crashed start fail too.
if (vitest.state.getCountOfFailedTests() > 0) process.exitCode = 1;
