import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // As tsconfig's `paths`: the workspace package runs from its TypeScript source in tests.
    alias: [
      {
        find: /^@precise-scheduler\/appsync-local$/,
        replacement: fileURLToPath(
          new URL('./packages/appsync-local/src/index.ts', import.meta.url),
        ),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Integration suites start their own dynalite/fauxqs servers; keep them from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
