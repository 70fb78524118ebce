import { defineConfig } from 'vitest/config';

// `source` resolves #concord/* to the TypeScript sources (see package.json "imports").
const conditions = ['source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: { include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts'] },
});
