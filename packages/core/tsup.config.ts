import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];
type TsupPlugin = NonNullable<Options['plugins']>[number];

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * Dependencies bundled into dist. Node 20 loads every ES module file on its own (resolve, read,
 * compile), and zod alone is about 100 files, `yaml` 70: bundled, `@psr/core` and the loader
 * start in a fraction of the time. They stay in `dependencies` for their types.
 * Not bundled: `@opentelemetry/api` (a process-wide singleton shared with `@psr/telemetry`),
 * dotenv (off the start-up path), and `@actions/expressions`, which
 * `expressions/actions-expressions.ts` may `require` from node_modules: the engine and the
 * public expression functions must see that one copy, or the evaluator's data classes would
 * not match (the loader bundles its own, see {@link loaderExpressions}).
 */
const BUNDLED = ['zod', 'yaml', 'graphology', 'graphology-dag', 'croner', 'fastest-levenshtein'];

/** `yaml`'s ES module build (its `node` export is CommonJS, which cannot be tree-shaken). */
const yamlEsm: EsbuildPlugin = {
  name: 'yaml-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(packageDir('yaml'), 'browser/index.js') }));
  },
};

/**
 * zod's `z.locales` holds the error messages of 60 languages (most of zod's size); psr reports
 * in English, so the bundle carries English only (`z.locales.en`). Plugins that translate zod's
 * messages bring their own zod.
 */
const zodEnglishOnly: EsbuildPlugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'/'}zod${'/'}`) ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from './en.js';`,
      resolveDir: join(packageDir('zod'), 'v4/locales'),
      loader: 'js',
    }));
  },
};

/**
 * The workflow loader's own copy of `@actions/expressions` (about 30 files, bundled): it only
 * parses expressions to check them, and no syntax tree or value leaves it. Everything else
 * (engine, `evaluateExpression`) shares the one copy in node_modules.
 */
const loaderExpressions: EsbuildPlugin = {
  name: 'loader-expressions',
  setup(build) {
    build.onResolve({ filter: /^@actions\/expressions(\/.*)?$/ }, (args) =>
      /[\\/]src[\\/]workflow[\\/]/.test(args.importer) || /[\\/]@actions[\\/]expressions[\\/]/.test(args.importer)
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** ASCII stand-ins for the non-ASCII characters found in comments; any other becomes `?`. */
const ASCII_STAND_IN: Record<string, string> = { '\u2014': '-', '\u2013': '-', '\u2026': '.', '\u2192': '>', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"' };

/**
 * Keeps every output file pure ASCII. esbuild escapes non-ASCII characters in code (its default
 * `charset: 'ascii'`) but copies comments as written, and a single em dash in a comment (zod has
 * one, our sources a few) makes V8 hold the whole file as two-byte source, which costs about
 * 5 ms of start-up to scan and compile. Each such UTF-16 unit becomes one ASCII character, so
 * no column moves and the source maps stay valid. Only comment lines are touched; a non-ASCII
 * character anywhere else fails the build rather than change a string.
 */
const asciiOutput: TsupPlugin = {
  name: 'ascii-output',
  renderChunk(code, info) {
    if (!/[^\x00-\x7f]/.test(code)) return;
    const lines = code.split('\n').map((line, i) => {
      if (!/[^\x00-\x7f]/.test(line)) return line;
      if (!/^\s*(\/\/|\/\*|\*)/.test(line)) throw new Error(`${info.path}:${i + 1}: non-ASCII character outside a comment line`);
      return line.replace(/[^\x00-\x7f]/g, (ch) => ASCII_STAND_IN[ch] ?? '?');
    });
    return { code: lines.join('\n') };
  },
};

/**
 * `@actions/expressions` as one CommonJS file (`dist/actions-expressions.cjs`), the single copy
 * the engine and the public expression functions use: it loads with a plain synchronous
 * `require` (the package itself is ES-module-only, and requiring an ES module needs Node
 * 20.19+), and one file starts faster than the package's thirty.
 */
const actionsExpressionsCjs: Options = {
  // Its `exports` map has no `require` condition (nor `./package.json`): take the file directly.
  entry: { 'actions-expressions': fileURLToPath(new URL('node_modules/@actions/expressions/dist/index.js', import.meta.url)) },
  format: ['cjs'],
  target: 'node20',
  outExtension: () => ({ js: '.cjs' }),
  dts: false,
  clean: false,
  sourcemap: false,
  noExternal: ['@actions/expressions'],
  plugins: [asciiOutput],
};

export default defineConfig([
  {
  // `errors` is its own entry (`@psr/core/errors`) for code that only reports errors — the scan
  // path, say — and should not pay for zod; code splitting keeps one `PsrError` class for both.
  entry: ['src/index.ts', 'src/errors.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  // Both builds run at once: the main one must not delete the other's file.
  clean: ['!actions-expressions.cjs'],
  sourcemap: true,
  // `@actions/expressions` is left to loaderExpressions: bundled for the loader, external elsewhere.
  noExternal: [...BUNDLED, '@actions/expressions'],
  esbuildPlugins: [yamlEsm, zodEnglishOnly, loaderExpressions],
  plugins: [asciiOutput],
  },
  actionsExpressionsCjs,
]);
