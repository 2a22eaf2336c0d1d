/**
 * The built files are pure ASCII (tsup.config.ts `asciiOutput`): one non-ASCII character, even in
 * a comment, makes V8 hold the whole file as two-byte source, which slows every start-up.
 * Checked on the built package (`pnpm --filter @psr/core build` runs first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

it('every built JavaScript file of @psr/core is pure ASCII', () => {
  expect(existsSync(dist), 'build @psr/core first').toBe(true);
  const files = readdirSync(dist).filter((name) => name.endsWith('.js'));
  expect(files).toContain('index.js');
  const nonAscii = files.flatMap((name) =>
    readFileSync(`${dist}${name}`, 'utf8')
      .split('\n')
      .flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(nonAscii).toEqual([]);
});
