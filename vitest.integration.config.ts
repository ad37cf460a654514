import { defineConfig } from 'vitest/config';

// The same store contract suites, against the machine's PostgreSQL (TEST_DATABASE_URL).
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
