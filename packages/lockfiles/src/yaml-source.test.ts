import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, parseYamlSource } from './yaml-source.js';

describe('parseYamlSource', () => {
  it('finds the lines of plain, single- and double-quoted keys, in the sections asked for only', () => {
    const text = [
      "lockfileVersion: '9.0'", // 1
      '', // 2
      'packages:', // 3
      '', // 4
      "  '@babel/core@7.24.0':", // 5
      '    resolution: {integrity: sha512-x}', // 6
      '  # a comment inside the section', // 7
      "  'it''s@1.0.0':", // 8
      '    resolution: {integrity: sha512-y}', // 9
      '  "quoted\\u0041@2.0.0":', // 10
      '    resolution: {integrity: sha512-z}', // 11
      '  react-dom@18.2.0(react@18.2.0):', // 12
      '    dependencies:', // 13
      '      react: 18.2.0', // 14
      'snapshots:', // 15
      '  lodash@4.17.21: {}', // 16
    ].join('\r\n');
    const src = parseYamlSource(text, 'pnpm-lock.yaml', ['packages']);
    const packages = Object.keys((src.value as { packages: object }).packages);
    expect(packages.map((k) => [k, src.keyLine('packages', k)])).toEqual([
      ['@babel/core@7.24.0', 5],
      ["it's@1.0.0", 8],
      ['quotedA@2.0.0', 10],
      ['react-dom@18.2.0(react@18.2.0)', 12],
    ]);
    // Nested keys are not entries; sections not asked for get no index.
    expect(src.keyLine('packages', 'dependencies')).toBeUndefined();
    expect(src.keyLine('snapshots', 'lodash@4.17.21')).toBeUndefined();
    expect(['lockfileVersion', 'packages', 'snapshots'].map((k) => src.topKeyLine(k))).toEqual([1, 3, 15]);
  });

  it('reads values with the YAML 1.2 core schema, and a repeated key keeps its last value and line', () => {
    const src = parseYamlSource('a: true\nb: 1.10\nc: ~\nd: "1.10"\na: false\n', 'x.yaml', []);
    expect(src.value).toEqual({ a: false, b: 1.1, c: null, d: '1.10' });
    expect(src.topKeyLine('a')).toBe(5);
  });

  it('reads a stream of documents, each with its own key lines, whether or not the first opens with ---', () => {
    for (const [text, lines] of [
      ['# lockfile\n---\nlockfileVersion: 1\npackages:\n  a@1: {}\n---\nlockfileVersion: 2\npackages:\n  b@2: {}\n', [[3, 5], [7, 9]]],
      ['lockfileVersion: 1\npackages:\n  a@1: {}\n...\n---\nlockfileVersion: 2\npackages:\n  b@2: {}\n', [[1, 3], [6, 8]]],
    ] as const) {
      const docs = parseYamlDocuments(text, 'pnpm-lock.yaml', ['packages']);
      expect(docs.map((d) => d.value)).toEqual([
        { lockfileVersion: 1, packages: { 'a@1': {} } },
        { lockfileVersion: 2, packages: { 'b@2': {} } },
      ]);
      expect(docs.map((d, i) => [d.topKeyLine('lockfileVersion'), d.keyLine('packages', i === 0 ? 'a@1' : 'b@2')])).toEqual(lines);
    }
    // One document is one source.
    expect(parseYamlDocuments('a: 1\n', 'x.yaml', [])).toHaveLength(1);
  });

  it('reports a syntax error at its line and column', () => {
    expect(() => parseYamlSource('packages:\n  a: 1\n b: [\n', 'pnpm-lock.yaml', ['packages'])).toThrow(
      expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', message: expect.stringContaining('invalid YAML in pnpm-lock.yaml'), location: expect.objectContaining({ file: 'pnpm-lock.yaml', line: 3 }) }),
    );
  });
});
