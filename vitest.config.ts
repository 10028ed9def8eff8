import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run on the TypeScript sources: `@burnrate/<lib>` resolves to the lib's entry point.
const alias = [
  { find: /^@burnrate\/server$/, replacement: `${root}apps/server/src/server.ts` },
  { find: /^@burnrate\/([a-z-]+)$/, replacement: `${root}libs/$1/src/index.ts` },
];

export default defineConfig({
  resolve: { alias },
  cacheDir: 'node_modules/.vitest-cache',
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/**/*.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real servers (PostgreSQL, Prometheus) are shared resources: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
