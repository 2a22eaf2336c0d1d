import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./fixtures/pypa-data-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
