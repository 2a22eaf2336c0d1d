import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./src/testing/pypa-data-setup.ts'],
    testTimeout: 60_000,
  },
});
