import { defineConfig } from 'vitest/config';

/**
 * Three projects, all in the one `vitest run` of `npm test`:
 * - unit: pure code, no services;
 * - integration: real Elasticsearch and Redis, started once per run by the global setup;
 * - e2e: the same services plus a real browser (Debian's Chromium) against the built UI.
 * The global setups of both run before any file and share one Elasticsearch
 * and Redis. `sequence.groupOrder` runs the projects one after another (unit,
 * then integration, then e2e), and integration and e2e files run one at a
 * time (`fileParallelism: false`): they share that Elasticsearch on a 2-core
 * machine, and parallel files would only fight over it.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
