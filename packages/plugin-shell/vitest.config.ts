import { defineConfig } from 'vitest/config';

// Real child processes on 2 shared cores: give each test room.
export default defineConfig({ test: { testTimeout: 30_000 } });
