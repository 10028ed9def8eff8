import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run on the TypeScript sources: `@burnrate/<lib>` resolves to the lib's entry point.
const alias = [
  { find: /^@burnrate\/server$/, replacement: `${root}apps/server/src/server.ts` },
  { find: /^@burnrate\/([a-z-]+)\/testing$/, replacement: `${root}libs/$1/src/testing/index.ts` },
  { find: /^@burnrate\/([a-z-]+)$/, replacement: `${root}libs/$1/src/index.ts` },
];

/**
 * Suites under test/ that need no server, binary or database: pure functions over files, or a
 * local fake in the same process. They run in the unit project, beside the libs' own specs.
 */
const PURE_SUITES = [
  'test/catalog/bad-corpus.spec.ts',
  'test/catalog/four-formats.spec.ts',
  'test/catalog/schema.spec.ts',
  'test/catalog/fuzz.spec.ts',
  'test/catalog/latency-buckets.spec.ts',
  'test/dashboards/dashboards.spec.ts',
  'test/publish/grafana-publisher.spec.ts',
  'test/support/chat-wire-formats.spec.ts',
  'test/delivery/chat-security.spec.ts',
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
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', ...PURE_SUITES],
          // The property suites run hundreds of generations: seconds on a loaded 2-core machine.
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/**/*.spec.ts'],
          exclude: PURE_SUITES,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real servers (PostgreSQL, Prometheus) are shared resources: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
