import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePnpmLockYaml } from './pnpm-lock-yaml.js';

const dir = resolve(import.meta.dirname, '../../fixtures');
const read = (p: string): string => readFileSync(resolve(dir, p), 'utf8');

describe('pnpm-lock.yaml', () => {
  it('v9: importers give direct deps and groups, snapshots give paths; links are not listed', () => {
    const r = parsePnpmLockYaml(read('pnpm-v9/pnpm-lock.yaml'), 'pnpm-lock.yaml');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line])).toEqual([
      ['js-tokens', '4.0.0', false, 'main', 'react-dom>loose-envify>js-tokens', 33],
      ['loose-envify', '1.4.0', false, 'main', 'react-dom>loose-envify', 36],
      ['react-dom', '18.2.0', true, 'main', 'react-dom', 40],
      ['react', '18.2.0', true, 'main', 'react', 45],
      ['scheduler', '0.23.0', false, 'main', 'react-dom>scheduler', 49],
      ['string-width', '4.2.3', true, 'main', 'string-width', 52],
      ['typescript', '5.3.3', true, 'dev', 'typescript', 56],
    ]);
    expect(r.dependencies[0]?.hashes?.[0]).toMatch(/^sha512-/);
  });

  it('pnpm 11+: reads both documents, the env one (pnpm itself, as tooling) and the project lockfile', () => {
    const r = parsePnpmLockYaml(read('pnpm-v11-env/pnpm-lock.yaml'), 'pnpm-lock.yaml');
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line])).toEqual([
      ['@pnpm/exe', '11.0.3', true, 'dev', '@pnpm/exe', 18],
      ['@pnpm/linux-x64', '11.0.3', false, 'dev', '@pnpm/exe>@pnpm/linux-x64', 22],
      ['pnpm', '11.0.3', true, 'dev', 'pnpm', 27],
      ['lru-cache', '6.0.0', false, 'main', 'semver>lru-cache', 64],
      ['ms', '2.1.3', true, 'dev', 'ms', 68],
      ['semver', '7.5.4', true, 'main', 'semver', 71],
      ['yallist', '4.0.0', false, 'main', 'semver>lru-cache>yallist', 76],
    ]);
  });

  it('v6: root-level importer, dev flags, git package by codeload tarball', () => {
    const r = parsePnpmLockYaml(read('pnpm-v6/pnpm-lock.yaml'), 'pnpm-lock.yaml');
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.unresolvable?.reason])).toEqual([
      ['axios', '1.6.2', true, 'main', undefined],
      ['follow-redirects', '1.15.3', false, 'main', undefined],
      ['vitest', '1.0.4', true, 'dev', undefined],
      ['tiny-lib', undefined, true, 'main', 'vcs'],
    ]);
  });

  it('v5: /name/version keys with peer suffixes, listed once', () => {
    const text = read('pnpm-v5/pnpm-lock.yaml');
    const r = parsePnpmLockYaml(text, 'pnpm-lock.yaml');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.location.line])).toEqual([
      ['@testing-library/react', '14.1.2', true, 'dev', 15],
      ['react', '18.2.0', true, 'main', 24],
      ['loose-envify', '1.4.0', false, 'main', 31],
    ]);
  });

  it('v5: a name with an underscore (`/string_decoder/1.3.0`) is not cut at it', () => {
    const r = parsePnpmLockYaml(read('pnpm-v5-underscore-name/pnpm-lock.yaml'), 'pnpm-lock.yaml');
    expect(r.warnings).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.path.join('>')])).toEqual([
      ['readable-stream', '3.6.0', true, 'readable-stream'],
      ['string_decoder', '1.3.0', false, 'readable-stream>string_decoder'],
    ]);
  });

  it('v6: a package listed once per peer variant is as needed as its most needed variant', () => {
    // Production depends on use-sync-external-store (react 18 variant); a dev tool pulls in the
    // react 17 variant, listed first.
    const r = parsePnpmLockYaml(read('pnpm-v6-peer-variants/pnpm-lock.yaml'), 'pnpm-lock.yaml');
    expect(r.dependencies.filter((d) => d.name === 'use-sync-external-store').map((d) => [d.version, d.direct, d.group, d.path.join('>')])).toEqual([['1.2.0', true, 'main', 'use-sync-external-store']]);
    expect(r.dependencies.filter((d) => d.name === 'react').map((d) => [d.version, d.direct, d.group])).toEqual([
      ['17.0.2', false, 'dev'],
      ['18.2.0', true, 'main'],
    ]);
  });

  it('refuses sections of the wrong type instead of reading them as empty', () => {
    expect(() => parsePnpmLockYaml("lockfileVersion: '9.0'\n\nimporters: x\npackages: [1, 2]\n", 'pnpm-lock.yaml')).toThrow(
      expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', message: '"importers" in pnpm-lock.yaml must be a mapping, not string', location: { file: 'pnpm-lock.yaml', line: 3, col: 1 } }),
    );
    expect(() => parsePnpmLockYaml("lockfileVersion: '6.0'\nsnapshots: 5\n", 'pnpm-lock.yaml')).toThrow(expect.objectContaining({ message: expect.stringMatching(/^"snapshots" .* not number$/) }));
    // An empty section (`packages:` with nothing under it) is just empty.
    expect(parsePnpmLockYaml("lockfileVersion: '9.0'\nimporters:\npackages:\n", 'pnpm-lock.yaml').dependencies).toEqual([]);
  });

  it('reports malformed YAML at its line', () => {
    const bad = "lockfileVersion: '9.0'\n\npackages:\n  react@18.2.0:\n    resolution: {integrity: sha512-abc\n  scheduler@0.23.0: {}\n";
    expect(() => parsePnpmLockYaml(bad, 'pnpm-lock.yaml')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: expect.objectContaining({ file: 'pnpm-lock.yaml' }) }));
    expect(() => parsePnpmLockYaml('just: text\n', 'pnpm-lock.yaml')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
  });
});

describe('pnpm-lock.yaml cut short', () => {
  it('warns when importers name packages the lock does not contain (a truncated but valid YAML file)', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../fixtures/pnpm-v9/pnpm-lock.yaml'), 'utf8');
    const cut = text.slice(0, text.indexOf('  react-dom@18.2.0:'));
    const r = parsePnpmLockYaml(cut, 'pnpm-lock.yaml');
    expect(r.dependencies.map((d) => d.name)).toEqual(['js-tokens', 'loose-envify']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.message).toMatch(/4 direct dependencies have no package entry.*react-dom@18\.2\.0\(react@18\.2\.0\)/);
  });
});
