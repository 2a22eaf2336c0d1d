/**
 * This package's build bundles @psr/osv, @psr/lockfiles and @psr/report (see tsup.config.ts).
 * What those load lazily with `createRequire(import.meta.url)` is then resolved from this
 * package's dist, so every such library must be a dependency of this package too, at the
 * version its owner declares; otherwise a cold index build, a zip source or an npm scan fails
 * at run time with "Cannot find module".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLED = ['osv', 'lockfiles', 'report'];

function dependencies(pkg: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(packages, pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
}

/** Package names required lazily by the non-test sources of one workspace package. */
function lazilyRequired(pkg: string): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/createRequire\(import\.meta\.url\)\s*(?:\(\s*)?\(?\s*'([^'.][^']*)'/g)) names.push(m[1]!);
        // `const require = createRequire(import.meta.url); require('x')`
        if (/createRequire\(import\.meta\.url\)/.test(text)) for (const m of text.matchAll(/\brequire\('([^'.][^']*)'\)/g)) names.push(m[1]!);
      }
    }
  };
  walk(join(packages, pkg, 'src'));
  // `semver/functions/compare.js` is the package `semver`; `@scope/name/x` is `@scope/name`.
  return names.map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : n.split('/')[0]!));
}

it('declares every library that the bundled workspace packages require lazily, at their versions', () => {
  const own = dependencies('plugin-scan');
  const missing: string[] = [];
  for (const pkg of BUNDLED) {
    const declared = dependencies(pkg);
    for (const name of new Set(lazilyRequired(pkg)))
      if (own[name] !== declared[name]) missing.push(`${name}@${declared[name]} (required by @psr/${pkg}; here: ${own[name] ?? 'none'})`);
  }
  expect(missing).toEqual([]);
  // The walk finds what it should: @psr/osv loads js-yaml lazily.
  expect(lazilyRequired('osv')).toContain('js-yaml');
});
