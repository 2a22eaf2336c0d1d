/**
 * `psr scan` imports `@psr/plugin-scan/run-scan`; what that loads before the scan starts is most
 * of a warm scan's time. Its static import graph (this package, @psr/osv, @psr/lockfiles and
 * @psr/report, from source) must hold no library that only some scans need: those are imported
 * when used (table renderer, report schema, YAML, CVSS, semver, zip, lockfile formats).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKSPACE: Record<string, string> = {
  '@psr/osv': join(packages, 'osv/src/index.ts'),
  '@psr/lockfiles': join(packages, 'lockfiles/src/index.ts'),
  '@psr/report': join(packages, 'report/src/index.ts'),
};

/** Bare specifiers reachable through static, non-type imports and re-exports. */
function staticImports(file: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(file)) return bare;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?'([^']+)'/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) {
      const target = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      staticImports(existsSync(target) ? target : target.replace(/\.ts$/, '/index.ts'), seen, bare);
    } else if (WORKSPACE[spec]) staticImports(WORKSPACE[spec], seen, bare);
    else bare.add(spec);
  }
  return bare;
}

it('psr scan loads no library that only some scans need', () => {
  const bare = [...staticImports(join(packages, 'plugin-scan/src/run-scan.ts'))];
  const optional = ['zod', 'string-width', 'picocolors', 'js-yaml', 'yaml', 'semver', 'ae-cvss-calculator', 'yauzl', 'smol-toml', 'jsonc-parser', 'ignore', 'packageurl-js'];
  expect(bare.filter((s) => optional.some((o) => s === o || s.startsWith(`${o}/`)))).toEqual([]);
  expect(bare).toContain('@renovatebot/pep440'); // the walk reaches @psr/osv's version ordering
});

it('psr scan never loads node:fs/promises: its FileHandle and stream classes would cost every scan ~2 ms', () => {
  const bare = [...staticImports(join(packages, 'plugin-scan/src/run-scan.ts'))];
  expect(bare.filter((s) => s === 'node:fs/promises' || s === 'fs/promises')).toEqual([]);
  expect(bare).toContain('node:fs'); // the walk does see Node's modules
});
