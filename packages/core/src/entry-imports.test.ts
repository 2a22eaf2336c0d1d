/**
 * Importing `@psr/core` (what every plugin does for `definePlugin`) must stay light: the static
 * import graph of the built entry reaches only node built-ins, never the loader's `yaml`, the
 * engine's graphology or `@opentelemetry/api`, the expression evaluator or dotenv; they load
 * on first use. Checked on the built package (`pnpm --filter @psr/core build` runs first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** The files reached by static `import`/`export ... from` lines, and the bare specifiers among them. */
function staticGraph(file: string, files = new Map<string, string>(), bare = new Set<string>()): { files: Map<string, string>; bare: Set<string> } {
  const text = readFileSync(file, 'utf8');
  files.set(file, text);
  for (const m of text.matchAll(/^(?:import|export)\s(?:[^;]*?\sfrom\s)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) bare.add(spec);
    else if (!files.has(join(dirname(file), spec))) staticGraph(join(dirname(file), spec), files, bare);
  }
  return { files, bare };
}

it('the built entry statically loads only zod and node built-ins', () => {
  expect(existsSync(entry), 'build @psr/core first').toBe(true);
  const { files, bare } = staticGraph(entry);
  expect([...bare].filter((s) => !builtinModules.includes(s.replace(/^node:/, '')))).toEqual([]);
  expect(bare).toContain('fs/promises'); // the scan itself works: source.ts reads files
  // Bundled dependencies show as esbuild's `// ../../node_modules/.pnpm/<name>@…` module markers.
  const bundled = new Set([...files.values()].flatMap((text) => [...text.matchAll(/^\/\/ [./]*node_modules\/\.pnpm\/((?:@[^+/]+\+)?[^@/]+)@/gm)].map((m) => m[1]!)));
  expect([...bundled]).toEqual(['zod']);
});

it('@psr/core/errors statically loads nothing but its own code (no zod)', () => {
  const errorsEntry = fileURLToPath(new URL('../dist/errors.js', import.meta.url));
  expect(existsSync(errorsEntry), 'build @psr/core first').toBe(true);
  const { files, bare } = staticGraph(errorsEntry);
  expect([...bare]).toEqual([]);
  expect([...files.values()].some((text) => /node_modules\/\.pnpm\/zod@/.test(text))).toBe(false);
});

it('evaluateExpression works as the first call on a Node that cannot require ES modules', () => {
  // Node 20 before 20.19 has no require(esm); later versions can switch it off to behave the same.
  const script = `const { evaluateExpression } = await import(${JSON.stringify(entry)});
console.log(evaluateExpression("format('{0}/{1}', inputs.name, matrix.os)", { inputs: { name: 'build' }, matrix: { os: 'linux' } }));`;
  const out = execFileSync(process.execPath, ['--no-experimental-require-module', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(out.trim()).toBe('build/linux');
});
