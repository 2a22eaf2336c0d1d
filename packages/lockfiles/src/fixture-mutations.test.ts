import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isPsrError } from '@psr/core/errors';
import { describe, expect, it } from 'vitest';
import { parseLockfileText } from './parse-lockfile.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const FILES = [
  'requirements/requirements.txt', 'poetry-v1/poetry.lock', 'poetry-v2/poetry.lock', 'uv/uv.lock', 'pdm/pdm.lock', 'pylock/pylock.toml',
  'pipenv/Pipfile.lock', 'pipenv/Pipfile', 'pyproject/pyproject.toml', 'npm-v1/package-lock.json', 'npm-v2/package-lock.json',
  'npm-v3/package-lock.json', 'npm-v3/package.json', 'pnpm-v5/pnpm-lock.yaml', 'pnpm-v6/pnpm-lock.yaml', 'pnpm-v9/pnpm-lock.yaml',
  'yarn-classic/yarn.lock', 'yarn-berry/yarn.lock',
];
// Pieces that make a truncated, hand-edited or merged-badly lockfile: quotes, brackets, keys, empty values.
const PIECES = ['', '\n', '"', "'", '[', ']', '{', '}', ':', '=', ',', '-', ' ', '#', 'null', '0', '1.0', 'true', '[]', '{}', '""', '\t', '@', '/', '\\', '==', '\u0000', 'version', 'name', 'packages', 'dependencies'];

/** Reproducible numbers in [0, 1): SHA-256 of a seed and a counter. */
function seeded(seed: number): () => number {
  let counter = 0;
  return () => createHash('sha256').update(`${seed}:${counter++}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** One to three edits: cut the file short, insert a piece, delete a few characters or a line, replace a quoted value. */
function mutate(text: string, random: () => number): string {
  let t = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * t.length);
    const piece = PIECES[Math.floor(random() * PIECES.length)]!;
    const lines = t.split('\n');
    const li = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 5)) {
      case 0: t = t.slice(0, at); break;
      case 1: t = t.slice(0, at) + piece + t.slice(at); break;
      case 2: t = t.slice(0, at) + t.slice(at + 1 + Math.floor(random() * 20)); break;
      case 3: lines.splice(li, 1); t = lines.join('\n'); break;
      default: lines[li] = lines[li]!.replace(/"[^"]*"/, piece); t = lines.join('\n');
    }
  }
  return t;
}

describe('mutated fixtures', () => {
  it('every mutation of every fixture parses or fails with a located PSR error of its own, never an internal one', async () => {
    const random = seeded(20261206);
    for (const path of FILES) {
      const text = readFileSync(join(FIXTURES, path), 'utf8');
      for (let i = 0; i < 120; i++) {
        const mutated = mutate(text, random);
        try {
          const result = await parseLockfileText(mutated, { file: basename(path) });
          for (const d of result.dependencies) expect(d.name.trim(), path).not.toBe('');
        } catch (error) {
          expect(isPsrError(error), `${path}: ${String(error)}`).toBe(true);
          // The fallback for what a parser did not expect ("could not be read as …") says nothing of where or why.
          expect((error as Error).message, `${path}\n${mutated}`).not.toMatch(/could not be read as/);
          expect((error as { location?: { line: number } }).location?.line, path).toBeGreaterThanOrEqual(1);
        }
      }
    }
  }, 60_000);
});
