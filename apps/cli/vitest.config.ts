import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __PSR_VERSION__: JSON.stringify(pkg.version) },
  test: {
    // e2e tests spawn real processes on 2 shared cores: generous timeouts, limited parallelism.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
