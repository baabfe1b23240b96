import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Route handlers and actions import 'server-only'; outside Next.js it is an empty module.
    alias: { 'server-only': new URL('./test/fixtures/server-only.ts', import.meta.url).pathname },
  },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    projects: [
      {
        extends: true,
        // Projects run one after another (groupOrder), each with its own parallelism.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Files run in parallel on two cores; each test uses its own queue names.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          sequence: { groupOrder: 2 },
          // Each file starts its own PostgreSQL, Redis (and pgbouncer) on spare ports and
          // breaks only those; one file at a time keeps the timings honest on two cores.
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 3 },
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          sequence: { groupOrder: 4 },
          // Production build, real worker processes, many concurrent requests: one file at
          // a time so the figures are not skewed by another file's load on two cores.
          include: ['test/load/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
