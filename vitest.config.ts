import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: '@exam/shared/time', replacement: fileURLToPath(new URL('./shared/src/time/zone.ts', import.meta.url)) },
      { find: '@exam/shared', replacement: fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['shared/src/**/*.test.ts', 'server/test/**/*.test.ts', 'client/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
