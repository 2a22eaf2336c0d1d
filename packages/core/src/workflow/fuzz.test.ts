/**
 * Fuzzing the loader: hundreds of mutated workflows (deleted, duplicated and swapped lines,
 * flipped, inserted and removed characters, truncation) built from the valid fixtures with a
 * seeded PRNG. Each must either load or be rejected with a psr error whose every problem has
 * a PSR_* code; nothing else may escape (no TypeError, no stack trace for the user).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPsrError, PsrAggregateError } from '../errors.js';
import { loadWorkflow } from './load.js';
import { testRegistry } from './test-registry.js';

const fixtures = fileURLToPath(new URL('../../fixtures/workflows/', import.meta.url));
const seeds = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => readFileSync(join(fixtures, f), 'utf8'));

/** mulberry32: small, seedable, good enough to make reproducible mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [':', '-', ' ', '  ', '\t', '[', ']', '{', '}', '"', "'", '#', '&a', '*a', '!!', '${{', '}}', '|', '>', '\n', '\u0000', 'needs: [x]', 'tasks:', '%', '@', '0', 'null', '~', '\u00e9'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let out = text;
  const rounds = 1 + Math.floor(random() * 4);
  for (let r = 0; r < rounds; r++) {
    const lines = out.split('\n');
    const i = Math.floor(random() * lines.length);
    const at = Math.floor(random() * (out.length + 1));
    switch (Math.floor(random() * 8)) {
      case 0: // delete a line
        lines.splice(i, 1);
        out = lines.join('\n');
        break;
      case 1: // duplicate a line
        lines.splice(i, 0, lines[i] ?? '');
        out = lines.join('\n');
        break;
      case 2: // swap two lines
        {
          const j = Math.floor(random() * lines.length);
          [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
          out = lines.join('\n');
        }
        break;
      case 3: // flip a character
        out = out.slice(0, at) + String.fromCharCode(out.charCodeAt(at) ^ (1 << Math.floor(random() * 7))) + out.slice(at + 1);
        break;
      case 4: // insert noise
        out = out.slice(0, at) + pick(NOISE) + out.slice(at);
        break;
      case 5: // delete a run of characters
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 12));
        break;
      case 6: // truncate
        out = out.slice(0, at);
        break;
      default: // change indentation of a line
        lines[i] = (random() < 0.5 ? ' ' : '') + (lines[i] ?? '').replace(/^ {0,2}/, random() < 0.5 ? '' : '   ');
        out = lines.join('\n');
    }
  }
  return out;
}

describe('loadWorkflow fuzzing', () => {
  it('has valid seeds to mutate', async () => {
    expect(seeds.length).toBeGreaterThanOrEqual(3);
    for (const text of seeds) await expect(loadWorkflow({ text }, { registry: testRegistry() })).resolves.toBeDefined();
  });

  it('resolves or throws a PSR_* error for 400 mutated workflows', { timeout: 120_000 }, async () => {
    const random = prng(20261122);
    const outcomes = { loaded: 0, rejected: 0 };
    for (let n = 0; n < 400; n++) {
      const text = mutate(seeds[n % seeds.length]!, random);
      const registry = n % 2 === 0 ? testRegistry() : undefined;
      try {
        await loadWorkflow({ text, file: 'fuzz.yml' }, registry ? { registry } : {});
        outcomes.loaded++;
      } catch (err) {
        // On failure, show the input that broke the loader.
        if (!(err instanceof PsrAggregateError) || !isPsrError(err)) throw new Error(`mutation ${n} escaped as ${String(err)}\n--- input ---\n${text}`, { cause: err });
        for (const p of err.problems) {
          expect(p.code, `mutation ${n}: ${p.message}\n--- input ---\n${text}`).toMatch(/^PSR_(?!INTERNAL)/);
          expect(typeof p.message).toBe('string');
        }
        outcomes.rejected++;
      }
    }
    // Both outcomes must occur, or the mutations are too weak (or too strong) to mean anything.
    expect(outcomes.loaded).toBeGreaterThan(20);
    expect(outcomes.rejected).toBeGreaterThan(200);
  });
});
