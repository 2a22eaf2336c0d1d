/**
 * `psr --version` and `psr --help` must stay fast: the static import graph of the built bin
 * (what loads before any command runs) holds no heavy module — no @psr/core (yaml, zod,
 * OTel), no plugin, no reporter.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { binPath } from './harness.js';

function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(file, 'utf8');
  // Static `import ... from "x"` / `import "x"` at the start of a line; dynamic import() is excluded.
  for (const m of text.matchAll(/^(?:import|export)\s(?:[^;]*?\sfrom\s)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) {
      const target = join(dirname(file), spec);
      if (!seen.has(target)) {
        seen.add(target);
        staticImports(target, seen);
      }
    } else seen.add(spec);
  }
  return seen;
}

it('the bin statically imports only node built-ins and tiny helpers', () => {
  const bare = [...staticImports(binPath)].filter((s) => !s.startsWith('/'));
  const allowed = new Set(['fastest-levenshtein', 'fs', 'path', 'util', 'node:fs', 'node:path', 'node:util']);
  expect(bare.filter((s) => !allowed.has(s))).toEqual([]);
  // The scan itself works: the command line parser (main.js, loaded by the bin on demand) uses node:util.
  expect([...staticImports(join(dirname(binPath), 'main.js'))]).toContain('util');
  for (const heavy of ['@psr/core', '@psr/plugin-shell', 'yaml', 'zod', 'picocolors', '@opentelemetry/api']) expect(bare).not.toContain(heavy);
});
