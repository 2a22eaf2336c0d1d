import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/run-scan.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
  // `psr scan` loads this package's run-scan entry, and before the scan starts Node 20 resolves,
  // reads and compiles every ES module file of its import graph one by one (each read a round
  // trip through the thread pool). The workspace packages of the scan path are bundled, so that
  // graph is a few files instead of about twenty. Code they load lazily with createRequire
  // (js-yaml, ae-cvss-calculator, semver, yauzl, @renovatebot/pep440) then resolves from this
  // package, which is why it lists those libraries as its own dependencies (a test keeps the
  // two lists in step). Dynamic imports stay separate chunks, loaded only when used.
  noExternal: ['@psr/osv', '@psr/lockfiles', '@psr/report'],
});
