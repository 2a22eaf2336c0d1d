import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePackageJson } from './package-json.js';
import { parsePackageLockJson } from './package-lock-json.js';

const dir = resolve(import.meta.dirname, '../../fixtures');
const read = (p: string): string => readFileSync(resolve(dir, p), 'utf8');

describe('package-lock.json', () => {
  it('v3: dev/optional flags, aliases, git installs, bundled deps, workspaces and links', () => {
    const r = parsePackageLockJson(read('npm-v3/package-lock.json'), 'package-lock.json');
    const by = new Map(r.dependencies.map((d) => [d.name, d]));
    // the link to the workspace folder and the folder itself are not registry packages
    expect(by.has('@acme/ui')).toBe(false);
    expect(r.dependencies).toHaveLength(10);
    expect(by.get('express')).toMatchObject({ version: '4.18.2', direct: true, group: 'main', path: ['express'], location: { line: 37 }, purl: 'pkg:npm/express@4.18.2' });
    expect(by.get('body-parser')).toMatchObject({ direct: false, path: ['express', 'body-parser'] });
    expect(by.get('jest')).toMatchObject({ direct: true, group: 'dev' });
    expect(by.get('ms')).toMatchObject({ version: '2.1.3', bundled: true, group: 'dev', path: ['jest', 'jest-util', 'ms'] });
    expect(by.get('fsevents')).toMatchObject({ group: 'optional', direct: true });
    // npm alias "lodash-es": "npm:lodash@4.17.21" installs lodash
    expect(by.get('lodash')).toMatchObject({ version: '4.17.21', direct: true, purl: 'pkg:npm/lodash@4.17.21' });
    expect(by.get('private-widget')).toMatchObject({ pinned: false, version: undefined, unresolvable: { reason: 'vcs' } });
    // a workspace member's dependency is direct too
    expect(by.get('react')).toMatchObject({ direct: true, version: '18.2.0' });
    expect(by.get('express')?.hashes?.[0]).toMatch(/^sha512-/);
  });

  it('v3: devOptional (a dev dependency that an optional production dependency also needs) is optional, not dev', () => {
    // npm's own flags example: `npm ci --omit=dev` still installs devopt (optdep needs it), so a
    // finding in it is not a development-only one.
    const r = parsePackageLockJson(read('npm-v3-dev-optional/package-lock.json'), 'package-lock.json');
    expect(r.dependencies.map((d) => [d.name, d.group])).toEqual([
      ['devdep', 'dev'],
      ['devopt', 'optional'],
      ['opt-and-dev', 'dev'],
      ['optdep', 'optional'],
    ]);
  });

  it('v2: reads the packages map, not the duplicate v1 section', () => {
    const r = parsePackageLockJson(read('npm-v2/package-lock.json'), 'package-lock.json');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line])).toEqual([
      ['jsonwebtoken', '9.0.0', true, 'main', 'jsonwebtoken', 18],
      ['lodash', '4.17.21', false, 'main', 'jsonwebtoken>lodash', 31],
      ['nodemon', '3.0.1', true, 'dev', 'nodemon', 36],
      ['semver', '7.5.4', false, 'main', 'jsonwebtoken>semver', 45],
    ]);
  });

  it('v1: nested dependencies, with package.json for direct deps', () => {
    const manifest = parsePackageJson(read('npm-v1/package.json'), 'package.json');
    const r = parsePackageLockJson(read('npm-v1/package-lock.json'), 'package-lock.json', manifest);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line])).toEqual([
      ['mocha', '5.2.0', true, 'dev', 'mocha', 7],
      ['debug', '3.1.0', false, 'dev', 'mocha>debug', 16],
      ['ms', '2.0.0', false, 'main', 'request>ms', 27],
      ['request', '2.88.0', true, 'main', 'request', 32],
    ]);
  });

  it('v1: an alias written as its version (`npm:abbrev@1.0.3`) is the package it installs; git installs are unresolvable', () => {
    // Entry shapes from npm's own shrinkwrap tests.
    const manifest = parsePackageJson(read('npm-v1-alias-git/package.json'), 'package.json');
    const r = parsePackageLockJson(read('npm-v1-alias-git/package-lock.json'), 'package-lock.json', manifest);
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.unresolvable?.reason ?? null])).toEqual([
      ['full-git-url', undefined, true, 'vcs'],
      ['ghshort', undefined, true, 'vcs'],
      ['abbrev', '1.0.3', true, null],
    ]);
  });

  it('refuses a lock whose packages section has the wrong type, instead of reading it as empty', () => {
    expect(() => parsePackageLockJson('{\n  "lockfileVersion": 3,\n  "packages": []\n}\n', 'package-lock.json')).toThrow(
      expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', message: '"packages" in package-lock.json must be an object (package entries by folder), not an array', location: { file: 'package-lock.json', line: 3, col: 1 } }),
    );
    expect(() => parsePackageLockJson('{"lockfileVersion": 1, "dependencies": "x"}', 'package-lock.json')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
  });

  it('reports truncated JSON at its line, and a JSON file that is not a lock', () => {
    const text = read('npm-v3/package-lock.json');
    const cut = text.slice(0, text.indexOf('"node_modules/qs"'));
    expect(() => parsePackageLockJson(cut, 'package-lock.json')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: { file: 'package-lock.json', line: 94, col: 5 } }));
    // The message says what is wrong in words; the path is the location's, not repeated absolute.
    expect(() => parsePackageLockJson('{"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.15"', '/home/me/app/package-lock.json')).toThrow(
      expect.objectContaining({ message: 'invalid JSON in package-lock.json: close brace expected', location: { file: '/home/me/app/package-lock.json', line: 1, col: 81 } }),
    );
    expect(() => parsePackageLockJson('[1, 2]', 'package-lock.json')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
    expect(() => parsePackageLockJson('{"name": "x"}', 'package-lock.json')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
  });
});

describe('package.json', () => {
  it('lists ranges as unpinned, exact versions as pinned, aliases and git specs', () => {
    const r = parsePackageJson(read('npm-v3/package.json'), 'package.json');
    expect(r.dependencies.map((d) => [d.name, d.pinned, d.version, d.group, d.location.line, d.unresolvable?.reason])).toEqual([
      ['express', false, undefined, 'main', 7, undefined],
      ['lodash', true, '4.17.21', 'main', 8, undefined],
      ['private-widget', false, undefined, 'main', 9, 'vcs'],
      ['fsevents', false, undefined, 'optional', 15, undefined],
      ['jest', false, undefined, 'dev', 12, undefined],
    ]);
    expect(r.dependencies[0]?.specifier).toBe('^4.18.2');
  });
});
