import { defineConfig } from 'vitest/config';

// Real child processes on 2 shared cores: give each test room. Every test runs twice: with the
// native posix_spawn starter (when dist/posix-spawn.node is built; otherwise this project, too,
// falls back to child_process) and with child_process forced by PSR_SHELL_SPAWN=node.
// native-usage.test.ts checks what only the native starter does.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'native-spawn', env: { PSR_SHELL_SPAWN: 'native' } } },
      {
        extends: true,
        test: { name: 'node-spawn', env: { PSR_SHELL_SPAWN: 'node' }, exclude: ['**/node_modules/**', 'src/native-usage.test.ts'] },
      },
    ],
  },
});
