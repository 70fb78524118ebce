import { defineConfig } from 'vitest/config';

// `source` resolves #concord/* to the TypeScript sources (see package.json "imports"); Vitest
// runs in Node, so the condition is set for SSR resolution too.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts'],
    // Most of the suite's wall time is end-to-end and fault files waiting on child processes
    // (coordinator and node starts, leases, restarts), not computing: three files at a time keep
    // a two-core machine busy without starving those processes.
    maxWorkers: 3,
    // End-to-end tests spawn real processes, which start slowly on a loaded two-core machine: a
    // test is given a minute before it counts as hung (unit tests finish in milliseconds anyway).
    testTimeout: 60_000,
  },
});
