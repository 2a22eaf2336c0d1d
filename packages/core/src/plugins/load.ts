/**
 * Loading the plugins a workflow lists under `plugins:`. Entries are resolved with Node's own
 * resolution relative to the workflow file (never by searching for names): `./x.js` is a file
 * next to the workflow, anything else a package installed where the workflow lives.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, PsrAggregateError, isPsrError, type Diagnostic } from '../errors.js';
import type { PluginRef } from '../model.js';
import type { PluginRegistry } from './registry.js';

/** Where a plugin entry resolved to. */
export interface ResolvedPluginRef {
  ref: PluginRef;
  /** Absolute file path of the module. */
  path: string;
}

/**
 * Import every `plugins:` entry and register its default export. Every entry is tried; all
 * problems are thrown together as one `PsrAggregateError` (`PSR_UNKNOWN_PLUGIN` for entries
 * that do not resolve or import, `PSR_PLUGIN_INVALID` for modules that are not plugins).
 * Then the lazily registered plugins (built-ins) providing `usedTaskTypes` are imported.
 *
 * @param refs the workflow's `plugins:` entries
 * @param workflowFile absolute path of the workflow file (for text, a path in the directory to resolve from)
 * @param registry receives the plugins
 * @param usedTaskTypes `uses:` values of the workflow, so lazy plugins providing them get imported
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * await loadPlugins([{ specifier: './plugins/hello.js' }], '/repo/wf.yml', registry);
 * registry.has('greet'); // true
 * ```
 */
export async function loadPlugins(
  refs: readonly PluginRef[],
  workflowFile: string,
  registry: PluginRegistry,
  usedTaskTypes: Iterable<string> = [],
): Promise<void> {
  const problems: Diagnostic[] = [];
  const require = createRequire(isAbsolute(workflowFile) ? workflowFile : resolvePath(workflowFile));
  const baseDir = dirname(isAbsolute(workflowFile) ? workflowFile : resolvePath(workflowFile));
  for (const ref of refs) {
    const where = ref.location ? { location: ref.location } : {};
    let path: string;
    try {
      path = resolvePluginPath(ref.specifier, baseDir, require);
    } catch (cause) {
      const relative = isRelative(ref.specifier);
      problems.push({
        code: ErrorCodes.UNKNOWN_PLUGIN,
        message: relative
          ? `plugin "${ref.specifier}" not found: no file ${resolvePath(baseDir, ref.specifier)}`
          : `plugin "${ref.specifier}" cannot be resolved from ${baseDir}: ${String((cause as Error)?.message ?? cause).split('\n')[0]}`,
        hint: relative
          ? 'paths in plugins: are relative to the workflow file; check the path and the file extension'
          : `install it where the workflow is (npm install ${ref.specifier}), or write a relative path such as ./plugins/my-plugin.js`,
        ...where,
      });
      continue;
    }
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (cause) {
      problems.push({
        code: ErrorCodes.UNKNOWN_PLUGIN,
        message: `plugin "${ref.specifier}" (${path}) failed to import: ${String((cause as Error)?.message ?? cause).split('\n')[0]}`,
        hint: 'the module throws while loading or is not JavaScript; run it with node to see the error (TypeScript plugins must be built to .js first)',
        ...where,
      });
      continue;
    }
    try {
      registry.register(mod.default, ref.specifier);
    } catch (err) {
      if (!isPsrError(err)) throw err;
      const d = err.toDiagnostic();
      problems.push({
        ...d,
        ...(mod.default === undefined ? { message: `${ref.specifier} is not a psr plugin: the module has no default export` } : {}),
        ...where,
      });
    }
  }
  if (problems.length === 0) {
    try {
      await registry.load(usedTaskTypes);
    } catch (err) {
      if (!isPsrError(err)) throw err;
      problems.push(err.toDiagnostic());
    }
  }
  if (problems.length > 0) throw new PsrAggregateError(problems);
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

/** Node's resolution: relative paths against the workflow's directory, packages via its node_modules. */
function resolvePluginPath(specifier: string, baseDir: string, require: NodeRequire): string {
  if (isAbsolute(specifier)) return require.resolve(specifier);
  if (isRelative(specifier)) return require.resolve(resolvePath(baseDir, specifier));
  try {
    return require.resolve(specifier);
  } catch (cjsError) {
    // ESM-only packages (`exports` with only an "import" condition, like psr's own plugins)
    // do not resolve through require, and Node 20's import.meta.resolve ignores its parent
    // argument without a flag; so find the package the way Node does and read its exports.
    const found = resolveEsmPackage(specifier, baseDir);
    if (found === undefined) throw cjsError;
    return found;
  }
}

/** Walk up node_modules folders from `baseDir` and resolve a package's ESM entry (`exports` import/default, else `main`). */
function resolveEsmPackage(specifier: string, baseDir: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  for (let dir = baseDir; ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const manifest = readManifest(join(pkgDir, 'package.json'));
    if (manifest) {
      const target = exportTarget(manifest, subpath);
      if (target === undefined) return undefined;
      const file = join(pkgDir, target);
      return existsSync(file) ? realpathSync(file) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readManifest(file: string): { exports?: unknown; main?: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { exports?: unknown; main?: string };
  } catch {
    return undefined;
  }
}

function exportTarget(manifest: { exports?: unknown; main?: string }, subpath: string): string | undefined {
  const pick = (entry: unknown): string | undefined => {
    if (typeof entry === 'string') return entry;
    if (Array.isArray(entry)) return entry.map(pick).find((x) => x !== undefined);
    if (entry && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      for (const condition of ['import', 'node', 'default']) if (condition in e) return pick(e[condition]);
    }
    return undefined;
  };
  const exp = manifest.exports;
  if (exp === undefined) return subpath === '.' ? (manifest.main ?? 'index.js') : subpath;
  if (typeof exp === 'string' || Array.isArray(exp)) return subpath === '.' ? pick(exp) : undefined;
  const map = exp as Record<string, unknown>;
  const hasSubpaths = Object.keys(map).some((k) => k.startsWith('.'));
  if (!hasSubpaths) return subpath === '.' ? pick(map) : undefined;
  return pick(map[subpath]);
}
