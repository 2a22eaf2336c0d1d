/**
 * `psr --version` and `psr --help` must stay fast: what the built bin and main.js load before
 * any command runs holds no heavy module — no @psr/core (yaml, zod, OTel), no plugin, no reporter.
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

it('the bin requires only node built-ins; everything heavy is imported when a command needs it', () => {
  // The bin is one CommonJS file (tiny helpers bundled in): what it requires loads at start-up.
  const required = new Set([...readFileSync(binPath, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  // v8: `psr scan` sets a garbage-collector flag before it allocates (its module inits only for a scan).
  const allowed = new Set(['fs', 'path', 'util', 'module', 'v8', 'node:fs', 'node:path', 'node:util', 'node:module', 'node:v8']);
  expect([...required].filter((s) => !allowed.has(s))).toEqual([]);
  // Other commands run from main.js (an ES module, imported on demand), whose parser uses node:util.
  const mainImports = [...staticImports(join(dirname(binPath), 'main.js'))];
  expect(mainImports).toContain('util');
  for (const heavy of ['@psr/core', '@psr/plugin-shell', 'yaml', 'zod', 'picocolors', '@opentelemetry/api']) {
    expect(required).not.toContain(heavy);
    expect(mainImports).not.toContain(heavy);
  }
});
