import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The version is baked in at build time so `psr --version` reads no file at start-up.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** `./main.js` stays the ES module the ES build writes: the CommonJS bin imports it at run time. */
const mainStaysExternal: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'main-stays-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const shared = {
  target: 'node20',
  sourcemap: true,
  define: { __PSR_VERSION__: JSON.stringify(pkg.version) },
  // Workspace packages are resolved at run time (they are dependencies), never bundled.
  external: [/^@psr\//],
  // One tiny module, needed on every typo: bundled rather than resolved from node_modules at start-up.
  noExternal: ['fastest-levenshtein'],
} satisfies Options;

export default defineConfig([
  {
    ...shared,
    entry: ['src/main.ts'],
    format: ['esm'],
    dts: { entry: ['src/main.ts'] },
    clean: true,
    splitting: true,
  },
  {
    ...shared,
    // The `psr` executable, as CommonJS: `psr scan` (bundled in) runs without Node's ES module
    // loader; other commands import main.js. See src/bin.ts.
    entry: ['src/bin.ts'],
    format: ['cjs'],
    splitting: false,
    // Read only where the code runs as an ES module (a CommonJS file has `__filename`).
    define: { ...shared.define, 'import.meta.url': 'undefined' },
    // @psr/core's errors (formatting diagnostics, PsrError) are an ES module only: imported, they
    // would start Node's ES module loader (~20 ms with @psr/core's index) whenever a scan prints
    // a warning. They are small, pure and matched by code, so the bin holds its own copy.
    // So is the rule for OSV API base URLs (@psr/osv/base-url: pure, no imports).
    noExternal: [...shared.noExternal, /^@psr\/core\/errors$/, /^@psr\/osv\/base-url$/],
    esbuildPlugins: [mainStaysExternal],
  },
]);
