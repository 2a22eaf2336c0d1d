import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const dist = resolve(dirname(fileURLToPath(import.meta.url)), 'dist');

/** What the bundle calls instead of `import()`, and its `import.meta.url`: src/load-run-scan.ts passes them in. */
const IMPORT_FUNCTION = '__psrImport';
const IMPORT_META_URL = '__psrImportMetaUrl';
/** Put on every `import()` specifier while bundling, so that exactly those calls are renamed. */
const IMPORT_MARK = 'psr-dynamic-import:';

/** The ES module chunk of @psr/report's table renderer, which the report imports when it renders a table. */
const TABLE_CHUNK = /^\.\/table-[A-Z0-9]+\.js$/;

/**
 * What goes into the bundle: the ES module output and @psr/core's errors (Node 20 cannot
 * require() an ES module; psr matches errors by code, not by class). Node's modules and this
 * package's dependencies are required at run time. Every other `import()` stays one: those
 * modules (report schema, lockfile parsers, `ignore`, string-width) load when a scan needs them,
 * from the chunks beside the bundle or their CommonJS twins (see buildChunkTwins). They hold only
 * constants and helpers that the bundle also holds, never state, so the second copy they may load
 * is harmless.
 */
const runScanBundleContents: EsbuildPlugin = {
  name: 'run-scan-bundle-contents',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'dynamic-import') {
        // The table, what `psr scan` prints by default, is bundled (and still initialised only
        // when imported): as an ES module chunk, it would start Node's ES module loader, ~4 ms.
        if (TABLE_CHUNK.test(args.path) && resolve(args.resolveDir) === dist) return undefined;
        if (args.path.startsWith('.') && resolve(args.resolveDir) !== dist)
          return { errors: [{ text: `import("${args.path}") in ${args.importer} would not resolve from the bundle` }] };
        return { path: `${IMPORT_MARK}${args.path}`, external: true };
      }
      const bare = args.kind !== 'entry-point' && !args.path.startsWith('.') && !isAbsolute(args.path);
      if (!bare || /^@psr\/core(\/|$)/.test(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * V8 keeps a script's `import()` callback out of its code cache, so in Node 20 an `import()` in
 * a script compiled from the cache fails ("A dynamic import callback was not specified"). The
 * bundle calls a function instead, which the loader gives it and which imports from `dist`.
 */
function renameDynamicImports(file: string): void {
  const code = readFileSync(file, 'utf8').replaceAll(`import("${IMPORT_MARK}`, `${IMPORT_FUNCTION}("`);
  const left = /(?<![\w$.])import\s*\(/.exec(code);
  if (left) throw new Error(`${file}: an import() the build could not rename: ${code.slice(left.index, left.index + 80)}`);
  writeFileSync(file, code);
}

/**
 * `dist/run-scan.cjs`: the ES module output below, bundled again into one CommonJS file that
 * `psr scan` compiles with a V8 code cache (see src/load-run-scan.ts). It is made from the ES
 * module chunks, so it is built after them.
 */
async function buildRunScanBundle(): Promise<void> {
  await build({
    config: false,
    entry: { 'run-scan': 'dist/run-scan.js' },
    format: ['cjs'],
    target: 'node20',
    sourcemap: true,
    splitting: false,
    silent: true,
    // `import.meta.url` of the ES module output (createRequire of lazily loaded libraries, the
    // package's version) comes from the loader too. tsup's shim would build it from the unescaped
    // path, which resolves elsewhere when the path holds a `#` or `%`.
    define: { 'import.meta.url': IMPORT_META_URL },
    // All decided by the plugin.
    noExternal: [/.*/],
    esbuildPlugins: [runScanBundleContents],
  });
  renameDynamicImports(resolve(dist, 'run-scan.cjs'));
}

/** Where the CommonJS twins of the bundle's dynamically imported chunks go (see buildChunkTwins). */
const TWINS = 'cjs-chunks';

/**
 * A CommonJS twin of every chunk and package the bundle imports when a scan needs it: the
 * lockfile parsers other than requirements.txt's, `ignore` (a folder with a `.gitignore`),
 * string-width, and `yaml` (ignore files). The loader requires a twin instead of importing the
 * module: an `import()` starts Node's ES module loader and `node:fs/promises`, ~12 ms of every
 * scan of a Poetry, uv or npm project or of a folder with a `.gitignore`; a twin is one file
 * compiled by the CommonJS loader (~1 ms). A chunk's twin holds the chunks it imports and
 * @psr/core's errors, as the bundle does, and requires packages; a package's twin holds all of
 * its files. The report schema (0.8 MB, zod and jsonc-parser: loaded only to say what is wrong
 * with a baseline) keeps its ES module.
 */
async function buildChunkTwins(): Promise<void> {
  const code = readFileSync(resolve(dist, 'run-scan.cjs'), 'utf8');
  const chunks = [...code.matchAll(new RegExp(`${IMPORT_FUNCTION}\\("\\./([^"]+)\\.js"\\)`, 'g'))].map((m) => m[1]!).filter((name) => !name.startsWith('parse-report-'));
  // Packages the bundle imports (`yaml`, for ignore files: 74 files that took ~40 ms to load),
  // each made one file.
  const packages = [...code.matchAll(new RegExp(`${IMPORT_FUNCTION}\\("([a-z][a-z0-9-]*)"\\)`, 'g'))].map((m) => m[1]!);
  if (chunks.length + packages.length === 0) return;
  const requireHere = createRequire(import.meta.url);
  await build({
    config: false,
    entry: {
      ...Object.fromEntries(chunks.map((name) => [name, `dist/${name}.js`])),
      ...Object.fromEntries(packages.map((name) => [name, requireHere.resolve(name)])),
    },
    outDir: `dist/${TWINS}`,
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    target: 'node20',
    sourcemap: false,
    splitting: false,
    silent: true,
    // `import.meta.url` (createRequire of lazily loaded libraries) is the twin's own, from the
    // path Node loaded it by (escaped: a path may hold `#` or `%`).
    banner: { js: 'const __psrTwinUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__psrTwinUrl' },
    // All decided by the plugin.
    noExternal: [/.*/],
    esbuildPlugins: [
      {
        name: 'twin-contents',
        setup(b) {
          // Chunks, @psr/core's errors (an ES module only) and the files of a package made a twin
          // are inlined; other packages and Node's modules are required at run time.
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'entry-point' || args.path.startsWith('.') || isAbsolute(args.path) || /^@psr\/core(\/|$)/.test(args.path) || args.importer.includes('/node_modules/')
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}

/**
 * @psr/osv and @psr/core declare no `sideEffects`, so bundling the one function the loader
 * needs (resolveCacheDir) would keep every module they import. Importing them only declares
 * things, so here they count as side-effect free and everything else is shaken out.
 */
const workspaceWithoutSideEffects: EsbuildPlugin = {
  name: 'workspace-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      // Shaken out with the rest; kept as they are rather than inlined.
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      const fromWorkspace = args.path.startsWith('@psr/') || /\/(osv|core)\/dist\//.test(args.importer);
      if (!fromWorkspace || args.pluginData === 'resolving') return undefined;
      const result = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      return result.errors.length > 0 ? result : { ...result, sideEffects: false };
    });
  },
};

/**
 * `dist/load-run-scan.js` and `.cjs`, what `psr scan` loads first: one small file of its own
 * (in the shared chunks it would pull in most of @psr/osv for resolveCacheDir), as an ES module
 * and as CommonJS — the `psr` bin is CommonJS and requires it, so a scan starts without Node's
 * ES module loader.
 */
async function buildLoader(): Promise<void> {
  await build({
    config: false,
    entry: ['src/load-run-scan.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    splitting: false,
    silent: true,
    // Inlined so that they can be shaken out: an external import would be kept, and loaded.
    noExternal: [/^@psr\/(osv|core)(\/|$)/],
    esbuildPlugins: [workspaceWithoutSideEffects],
  });
}

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
  // After `clean` and the chunks above, which the bundle is made from.
  onSuccess: async () => {
    await Promise.all([buildRunScanBundle().then(buildChunkTwins), buildLoader()]);
  },
});
