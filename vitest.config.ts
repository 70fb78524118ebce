import { defineConfig } from 'vitest/config';

// `source` resolves #concord/* to the TypeScript sources (see package.json "imports"); Vitest
// runs in Node, so the condition is set for SSR resolution too.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts'] },
});
