import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The version is baked in at build time so `psr --version` reads no file at start-up.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/bin.ts', 'src/main.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: ['src/main.ts'] },
  clean: true,
  sourcemap: true,
  splitting: true,
  define: { __PSR_VERSION__: JSON.stringify(pkg.version) },
  // Workspace packages are resolved at run time (they are dependencies), never bundled.
  external: [/^@psr\//],
  // One tiny module, needed on every typo: bundled rather than resolved from node_modules at start-up.
  noExternal: ['fastest-levenshtein'],
});
