import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/base-url.ts', 'src/testing/pypa-data-setup.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
  // `@renovatebot/pep440` is bundled: every `psr scan` needs it, and Node 20 loads a CommonJS
  // package through the ES module loader file by file (resolve, read, scan its exports), about
  // 10 ms more than the bundled copy. It stays in `dependencies` (types, tests, and its licence
  // files are installed with it), as @psr/core does for the libraries it bundles.
  noExternal: ['@renovatebot/pep440'],
});
