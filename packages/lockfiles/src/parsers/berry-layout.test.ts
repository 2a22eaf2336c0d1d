// The fast berry reader must give exactly what js-yaml gives, or step aside (undefined) so
// js-yaml parses the file and reports any error at its line and column.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../yaml-source.js';
import { readBerryLayout } from './berry-layout.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const LOCKS = ['yarn-berry/yarn.lock', 'yarn-berry-workspaces/yarn.lock', 'yarn-berry-monorepo/yarn.lock'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** js-yaml's reading, or 'error'. */
function jsYaml(text: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA, json: true });
  } catch {
    return 'error';
  }
}

/**
 * The fast reader's entries as one plain object, as js-yaml would give it (undefined: stepped
 * aside). Copied into plain objects (its deeper tables have no prototype) but not through JSON,
 * which would hide -0, NaN and ±Infinity.
 */
function fast(text: string): unknown {
  const entries = readBerryLayout(text);
  if (!entries) return undefined;
  const plain = (v: unknown): unknown => (typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v);
  const top: Record<string, unknown> = {};
  for (const e of entries) top[e.key] = plain(e.value);
  return top;
}

describe('readBerryLayout', () => {
  it('reads the lockfiles yarn writes as js-yaml does, with each entry at its line', () => {
    for (const text of LOCKS) {
      expect(fast(text)).toEqual(jsYaml(text));
      const src = parseYamlSource(text, 'yarn.lock', []);
      expect(readBerryLayout(text)!.map((e) => [e.key, e.line])).toEqual(Object.keys(src.value as object).map((k) => [k, src.topKeyLine(k)]));
    }
  });

  it('reads scalars with the core schema, repeated keys last-wins, CRLF and empty sections like js-yaml', () => {
    const text = ['# header', '', '"a@npm:1":', '  version: 1.10', '  dependencies:', '  true: yes', '  n: ~', '  checksum: 10c0/ab', '  conditions: os=darwin & cpu=arm64', '"a@npm:1":', '  version: 2.0.0  ', ''].join('\r\n');
    expect(fast(text)).toEqual(jsYaml(text));
    expect(fast(text)).toEqual({ 'a@npm:1': { version: '2.0.0' } });
    const numbers = '"a@npm:1":\n  version: 1.10\n  dependencies:\n  "true": x\n  n: ~\n  meta:\n    optional: true\n';
    expect(fast(numbers)).toEqual(jsYaml(numbers));
  });

  it('steps aside for what yarn does not write', () => {
    for (const text of [
      '"a@npm:1":\n  version: [2]\n', // flow collection
      '"a@npm:1":\n  version: "2\\u0030"\n', // escape
      '"a@npm:1":\n  # a comment inside\n  version: 2\n',
      '"a@npm:1":\n   version: 2\n', // three spaces
      '"a@npm:1":\n\tversion: 2\n',
      '"a@npm:1":\n  version: 2\r  x: 1\n', // a lone CR is a line break
      '"a@npm:1":\n  bin: |\n    x\n',
      '---\n"a@npm:1":\n  version: 2\n',
      '"a@npm:1": x\n',
      'a@npm:1:\n  version: 2\n',
      '# only comments\n',
      '"a@npm:1":\n  cacheKey: \ufeff10c0\n', // a BOM is text to YAML, and whitespace to trim()
    ]) expect(readBerryLayout(text)).toBeUndefined();
  });

  it('never accepts what js-yaml refuses, nor reads anything differently (3,000 seeded edits of real locks)', () => {
    const pieces = ['', '\n', '"', "'", '[', ']', '{', '}', ':', ': ', ' ', '  ', '#', ' #', 'null', '0', '1.0', 'true', '\\', '-', '- ', '&a', '*a', '|', '>', '?', '\r', '%',
      '-0', '.inf', '.nan', '0x1F', '~', '__proto__', '\ufeff', '\u00a0', '\r\n', '...', '---', ', ', '@'];
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let t = LOCKS[i % LOCKS.length]!;
      for (let k = 0; k < 1 + Math.floor(random() * 2); k++) {
        const at = Math.floor(random() * t.length);
        t = `${t.slice(0, at)}${pieces[Math.floor(random() * pieces.length)]}${t.slice(at + Math.floor(random() * 3))}`;
      }
      const got = fast(t);
      if (got === undefined) continue;
      accepted++;
      expect({ text: t, value: got }).toStrictEqual({ text: t, value: jsYaml(t) });
    }
    expect(accepted).toBeGreaterThan(300);
  });
});
