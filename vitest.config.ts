import { defineConfig } from 'vitest/config';

/**
 * Three projects, run one at a time by `npm test`:
 * - unit: pure code, no services;
 * - integration: real Elasticsearch and Redis, started once per run by the global setup;
 * - e2e: the same services plus a real browser (Debian's Chromium) against the built UI.
 * Integration and e2e files run one after another: they share one Elasticsearch
 * on a 2-core machine, and parallel files would only fight over it.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
