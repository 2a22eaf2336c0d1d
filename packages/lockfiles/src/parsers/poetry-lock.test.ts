import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateMarker } from '../marker.js';
import { parsePoetryLock } from './poetry-lock.js';
import { parsePyprojectToml } from './pyproject-toml.js';

const dir = resolve(import.meta.dirname, '../../fixtures');
const read = (p: string): string => readFileSync(resolve(dir, p), 'utf8');

describe('poetry.lock', () => {
  it('reads lock format 2.x with the project pyproject: direct, paths, groups, lines, git source', () => {
    const manifest = parsePyprojectToml(read('poetry-v2/pyproject.toml'), 'pyproject.toml');
    const r = parsePoetryLock(read('poetry-v2/poetry.lock'), 'poetry.lock', manifest);
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(r.dependencies).toHaveLength(9);
    expect(by.get('flask')).toMatchObject({ version: '3.0.0', pinned: true, direct: true, path: ['flask'], group: 'main', location: { file: 'poetry.lock', line: 35 }, purl: 'pkg:pypi/flask@3.0.0' });
    expect(by.get('werkzeug')).toMatchObject({ version: '3.0.1', direct: false, path: ['flask', 'werkzeug'], group: 'main' });
    expect(by.get('certifi')).toMatchObject({ direct: false, path: ['requests', 'certifi'] });
    expect(by.get('pytest')).toMatchObject({ direct: true, group: 'dev' });
    // lock 2.0 keeps the marker on the requiring edge only
    expect(by.get('colorama')).toMatchObject({ direct: false, group: 'dev', path: ['pytest', 'colorama'], marker: 'sys_platform == "win32"' });
    expect(by.get('werkzeug')?.marker).toBeUndefined();
    expect(by.get('internal-lib')).toMatchObject({
      pinned: false,
      version: undefined,
      unresolvable: { reason: 'vcs', spec: 'git+https://github.com/acme/internal-lib.git@4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
      direct: true,
    });
    expect(by.get('blinker')?.hashes).toHaveLength(2);
  });

  it('reads lock format 1.x categories without a manifest (direct unknown) and directory sources', () => {
    const r = parsePoetryLock(read('poetry-v1/poetry.lock'), 'poetry.lock');
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    expect(by.get('django')).toMatchObject({ version: '3.2.12', group: 'main', direct: undefined, location: { line: 2 } });
    expect(by.get('mypy-extensions')).toMatchObject({ group: 'dev' });
    expect(by.get('local-utils')).toMatchObject({ pinned: false, unresolvable: { reason: 'path', spec: '../local-utils' } });
  });

  it('says what a lock 2.0 read without its pyproject cannot tell: groups, direct, edge markers', () => {
    const r = parsePoetryLock(read('poetry-v2/poetry.lock'), 'poetry.lock');
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    // pytest is dev, and colorama is pytest's on win32, only by pyproject.toml's declarations
    expect(by.get('pytest')).toMatchObject({ direct: undefined, group: 'main', path: ['pytest'] });
    expect(by.get('colorama')).toMatchObject({ direct: undefined, group: 'main', path: ['colorama'] });
    expect(by.get('colorama')?.marker).toBeUndefined();
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'PSR_LOCKFILE_SKIPPED', location: expect.objectContaining({ line: 1 }), message: expect.stringContaining('records no groups and its pyproject.toml was not read') })]);
    // 1.x `category` and 2.1 `groups` say it themselves
    expect(parsePoetryLock(read('poetry-v1/poetry.lock'), 'poetry.lock').warnings).toEqual([]);
  });

  it('reads lock format 2.1 groups and per-group markers', () => {
    const text = [
      '[[package]]',
      'name = "tomli"',
      'version = "2.0.1"',
      'description = ""',
      'optional = false',
      'python-versions = ">=3.7"',
      'groups = ["dev"]',
      'markers = "python_version < \\"3.11\\""',
      'files = []',
      '',
      '[[package]]',
      'name = "typing-extensions"',
      'version = "4.9.0"',
      'optional = false',
      'python-versions = ">=3.8"',
      'groups = ["main", "dev"]',
      'markers = {main = "python_version < \\"3.10\\"", dev = "python_version < \\"3.11\\""}',
      'files = []',
      '',
      '[metadata]',
      'lock-version = "2.1"',
      'python-versions = "^3.9"',
      'content-hash = "abc"',
    ].join('\n');
    const r = parsePoetryLock(text, 'poetry.lock');
    expect(r.dependencies.map((d) => [d.name, d.group, d.marker, d.location.line])).toEqual([
      ['tomli', 'dev', 'python_version < "3.11"', 2],
      ['typing-extensions', 'main', 'python_version < "3.10"', 12],
    ]);
  });

  it("does not pass a dependency's own extra marker on to what it requires (lock 2.0 and 1.x)", () => {
    const manifest = parsePyprojectToml(read('poetry-extra-marker/pyproject.toml'), 'pyproject.toml');
    const lock2 = read('poetry-extra-marker/poetry.lock');
    // the same lock as Poetry 1.1 writes it: `category`, hashes under [metadata.files]
    const lock1 = lock2.replace(/^files = \[\n(?:.*\n)*?\]\n/gm, '').replaceAll('optional = false\n', 'category = "main"\noptional = false\n').replace('lock-version = "2.0"', 'lock-version = "1.1"');
    expect(lock1).not.toContain('files = [');
    for (const text of [lock2, lock1]) {
      const r = parsePoetryLock(text, 'poetry.lock', manifest);
      const marker = new Map(r.dependencies.map((d) => [d.name, d.marker ?? null]));
      // httpx's `socksio … markers = "extra == \"socks\""`: the extra is httpx's, asked for by the project
      expect(marker.get('socksio')).toBeNull();
      expect(marker.get('brotli')).toBe('platform_python_implementation == "CPython"');
      expect(marker.get('exceptiongroup')).toBe('python_version < "3.11"');
      expect(r.dependencies.find((d) => d.name === 'socksio')).toMatchObject({ direct: false, group: 'main', path: ['httpx', 'socksio'] });
    }
    const target = { pythonVersion: '3.12', extras: [] };
    const kept = parsePoetryLock(lock2, 'poetry.lock', manifest).dependencies.filter((d) => d.marker === undefined || evaluateMarker(d.marker, target) !== false);
    expect(kept.map((d) => d.name)).toEqual(['anyio', 'brotli', 'certifi', 'h11', 'httpcore', 'httpx', 'idna', 'sniffio', 'socksio']);
  });

  it('reports a truncated lock with file:line', () => {
    const text = read('poetry-v2/poetry.lock').slice(0, 300);
    expect(() => parsePoetryLock(text, 'poetry.lock')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: expect.objectContaining({ file: 'poetry.lock', line: 10 }) }));
  });
});

describe('poetry.lock out of date', () => {
  it('warns when pyproject declares a package the lock does not have', () => {
    const dir2 = resolve(import.meta.dirname, '../../fixtures/poetry-v2');
    const pyproject = readFileSync(resolve(dir2, 'pyproject.toml'), 'utf8').replace('pytest = "^7.4"', 'pytest = "^7.4"\nhypothesis = "^6.92"');
    const r = parsePoetryLock(readFileSync(resolve(dir2, 'poetry.lock'), 'utf8'), 'poetry.lock', parsePyprojectToml(pyproject, 'pyproject.toml'));
    expect(r.warnings.map((w) => w.message)).toEqual(['1 requirement(s) declared in pyproject.toml have no entry in poetry.lock: hypothesis']);
  });
});
