import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePackageJson } from './package-json.js';
import type { ParseResult } from '../model.js';
import { parseYarnLock } from './yarn-lock.js';

const dir = resolve(import.meta.dirname, '../../fixtures');
const read = (p: string): string => readFileSync(resolve(dir, p), 'utf8');

describe('yarn.lock', () => {
  it('classic (v1): multi-descriptor headers, scoped names, git entries; package.json gives direct deps', () => {
    const manifest = parsePackageJson(read('yarn-classic/package.json'), 'package.json');
    const r = parseYarnLock(read('yarn-classic/yarn.lock'), 'yarn.lock', manifest);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line, d.unresolvable?.reason])).toEqual([
      ['@babel/code-frame', '7.22.13', true, 'main', '@babel/code-frame', 5, undefined],
      ['@babel/highlight', '7.22.20', false, 'main', '@babel/code-frame>@babel/highlight', 13, undefined],
      // declared as a dev dependency, but production needs it too: main
      ['chalk', '2.4.2', true, 'main', 'chalk', 21, undefined],
      ['js-tokens', '4.0.0', false, 'main', '@babel/code-frame>@babel/highlight>js-tokens', 26, undefined],
      ['left-pad', undefined, true, 'main', 'left-pad', 31, 'vcs'],
    ]);
  });

  it('classic without package.json: direct unknown', () => {
    const r = parseYarnLock(read('yarn-classic/yarn.lock'), 'yarn.lock');
    expect(new Set(r.dependencies.map((d) => d.direct))).toEqual(new Set([undefined]));
  });

  it('berry: workspace entry gives direct deps, patch entries listed once, portals unresolvable', () => {
    const r = parseYarnLock(read('yarn-berry/yarn.lock'), 'yarn.lock');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.path.join('>'), d.location.line, d.unresolvable?.reason])).toEqual([
      ['function-bind', '1.1.2', false, 'resolve>function-bind', 19, undefined],
      ['internal-theme', undefined, true, 'internal-theme', 26, 'link'],
      ['lodash', '4.17.21', true, 'lodash', 32, undefined],
      ['resolve', '1.22.8', true, 'resolve', 39, undefined],
      ['typescript', '5.3.3', true, 'typescript', 57, undefined],
    ]);
    // The portal's entry is keyed `internal-theme@portal:../theme::locator=docs-site%40workspace%3A.`:
    // it is there, so the lock is not reported as truncated.
    expect(r.warnings).toEqual([]);
  });

  it('berry: a package the project patches is listed once, as the direct dependency it is', () => {
    const text = [
      '__metadata:', '  version: 8', '',
      '"app@workspace:.":', '  version: 0.0.0-use.local', '  resolution: "app@workspace:."', '  dependencies:',
      '    minimist: "patch:minimist@npm%3A1.2.5#~/.yarn/patches/minimist.patch"', '  languageName: unknown', '  linkType: soft', '',
      '"minimist@npm:1.2.5":', '  version: 1.2.5', '  resolution: "minimist@npm:1.2.5"', '  languageName: node', '  linkType: hard', '',
      '"minimist@patch:minimist@npm%3A1.2.5#~/.yarn/patches/minimist.patch":', '  version: 1.2.5',
      '  resolution: "minimist@patch:minimist@npm%3A1.2.5#~/.yarn/patches/minimist.patch::version=1.2.5&hash=abc"', '  languageName: node', '  linkType: hard', '',
    ].join('\n');
    const r = parseYarnLock(text, 'yarn.lock');
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.path.join('>'), d.location.line])).toEqual([['minimist', '1.2.5', true, 'minimist', 18]]);
  });

  it('berry: a version that is not a scalar (`version: [1]`) is no pin', () => {
    const text = ['__metadata:', '  version: 8', '', '"ms@npm:2.1.3":', '  version: [2]', '  resolution: "ms@npm:2.1.3"', '  languageName: node', '  linkType: hard', ''].join('\n');
    const r = parseYarnLock(text, 'yarn.lock');
    expect(r.dependencies.map((d) => [d.name, d.version, d.pinned])).toEqual([['ms', undefined, false]]);
    expect(r.warnings.map((w) => [w.location?.line, w.message])).toEqual([[4, 'ms@npm:2.1.3 has a version that is not text; listed unpinned']]);
  });

  it('berry workspaces: package.json gives the root workspace\'s groups only; a member\'s optional ones come from dependenciesMeta', () => {
    // The root declares ms as a dev dependency; the member app needs it at run time, makes
    // fsevents optional and typescript a dev dependency (which the lock does not record).
    const manifest = parsePackageJson(read('yarn-berry-workspaces/package.json'), 'package.json');
    const r = parseYarnLock(read('yarn-berry-workspaces/yarn.lock'), 'yarn.lock', manifest);
    expect(r.dependencies.map((d) => [d.name, d.direct, d.group])).toEqual([
      ['fsevents', true, 'optional'],
      ['ms', true, 'main'],
      ['typescript', true, 'main'],
    ]);
  });

  it("berry monorepo: members' package.json give their groups; a member's dev tools stay dev when another member depends on it", () => {
    // web depends on api (`workspace:^`), whose devDependencies (debug) web does not install.
    const at = (p: string): ParseResult => parsePackageJson(read(`yarn-berry-monorepo/${p}`), p);
    const members = new Map([['packages/api', at('packages/api/package.json')], ['packages/web', at('packages/web/package.json')]]);
    const r = parseYarnLock(read('yarn-berry-monorepo/yarn.lock'), 'yarn.lock', at('package.json'), members);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>')])).toEqual([
      ['debug', '4.3.4', true, 'dev', 'debug'],
      ['left-pad', '1.3.0', true, 'dev', 'left-pad'],
      ['lodash', '4.17.21', true, 'main', 'lodash'],
      ['ms', '2.1.2', false, 'dev', 'debug>ms'],
      // api needs it at run time; debug (dev) depends on another version
      ['ms', '2.1.3', true, 'main', 'ms'],
      ['typescript', '5.4.5', true, 'dev', 'typescript'],
    ]);
    // Without the members' package.json files their dev dependencies are listed as main, never hidden.
    const rootOnly = parseYarnLock(read('yarn-berry-monorepo/yarn.lock'), 'yarn.lock', at('package.json'));
    expect(rootOnly.dependencies.filter((d) => d.group === 'dev').map((d) => d.name)).toEqual(['typescript']);
  });

  it("berry monorepo: a member's portal:, link: and patch: dependencies (bound to it with ::locator=) take the member's groups, in both readers", () => {
    // web depends on theme (portal:), and has dev tools: left-pad, test-kit (link:) and its own
    // patch of resolve; api has theme as a dev dependency, and its own entry of it.
    const at = (p: string): ParseResult => parsePackageJson(read(`yarn-berry-portal-member/${p}`), p);
    const members = new Map([['packages/api', at('packages/api/package.json')], ['packages/web', at('packages/web/package.json')]]);
    const lock = read('yarn-berry-portal-member/yarn.lock');
    const expected = [
      ['debug', '4.3.4', true, 'main', 'debug', 29, undefined],
      ['left-pad', '1.3.0', true, 'dev', 'left-pad', 41, undefined],
      ['lodash', '4.17.21', true, 'main', 'lodash', 48, undefined],
      ['ms', '2.1.2', false, 'main', 'debug>ms', 55, undefined],
      // reached through web's theme, which is main
      ['ms', '2.1.3', false, 'main', 'theme>ms', 62, undefined],
      // the patched entry (line 76), which web reaches, not the plain one
      ['resolve', '1.22.8', true, 'dev', 'resolve', 76, undefined],
      ['test-kit', undefined, true, 'dev', 'test-kit', 91, 'link'],
      // one entry per workspace that asks for the portal
      ['theme', undefined, true, 'dev', 'theme', 97, 'link'],
      ['theme', undefined, true, 'main', 'theme', 105, 'link'],
      ['typescript', '5.4.5', true, 'dev', 'typescript', 113, undefined],
    ];
    // A comment inside an entry is not the layout yarn writes: js-yaml reads that copy.
    const hand = lock.replace('  linkType: soft\n\n"@shop/web', '  # edited by hand\n  linkType: soft\n\n"@shop/web');
    expect(hand).not.toBe(lock);
    for (const text of [lock, hand]) {
      const r = parseYarnLock(text, 'yarn.lock', at('package.json'), members);
      expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group, d.path.join('>'), d.location.line, d.unresolvable?.reason])).toEqual(
        text === lock ? expected : expected.map((row) => [...row.slice(0, 5), (row[5] as number) + 1, row[6]]),
      );
      expect(r.warnings).toEqual([]);
    }
  });

  it('berry: a dev alias of a package the project also needs at run time hides neither, and is dev itself', () => {
    // package.json lists an alias under the package it installs (lodash-legacy → lodash).
    const manifest = parsePackageJson(JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.21' }, devDependencies: { 'lodash-legacy': 'npm:lodash@3.10.1', 'string-width-cjs': 'npm:string-width@^4.2.0' } }), 'package.json');
    const text = [
      '__metadata:', '  version: 8', '  cacheKey: 10c0', '',
      '"app@workspace:.":', '  version: 0.0.0-use.local', '  resolution: "app@workspace:."', '  dependencies:',
      '    lodash: "npm:^4.17.21"', '    lodash-legacy: "npm:lodash@3.10.1"', '    string-width-cjs: "npm:string-width@^4.2.0"', '  languageName: unknown', '  linkType: soft', '',
      '"lodash-legacy@npm:lodash@3.10.1":', '  version: 3.10.1', '  resolution: "lodash@npm:3.10.1"', '  languageName: node', '  linkType: hard', '',
      '"lodash@npm:^4.17.21":', '  version: 4.17.21', '  resolution: "lodash@npm:4.17.21"', '  languageName: node', '  linkType: hard', '',
      '"string-width-cjs@npm:string-width@^4.2.0":', '  version: 4.2.3', '  resolution: "string-width@npm:4.2.3"', '  languageName: node', '  linkType: hard', '',
    ].join('\n');
    const r = parseYarnLock(text, 'yarn.lock', manifest);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group])).toEqual([
      ['lodash', '3.10.1', true, 'dev'],
      ['lodash', '4.17.21', true, 'main'],
      ['string-width', '4.2.3', true, 'dev'],
    ]);
  });

  it("classic monorepo: the members' declarations are direct dependencies, in their groups", () => {
    const at = (p: string): ParseResult => parsePackageJson(read(`yarn-classic-workspaces/${p}`), p);
    const members = new Map([['packages/api', at('packages/api/package.json')], ['packages/web', at('packages/web/package.json')]]);
    const r = parseYarnLock(read('yarn-classic-workspaces/yarn.lock'), 'yarn.lock', at('package.json'), members);
    expect(r.dependencies.map((d) => [d.name, d.version, d.direct, d.group])).toEqual([
      ['debug', '4.3.4', true, 'dev'],
      ['left-pad', '1.3.0', true, 'dev'],
      ['lodash', '4.17.21', true, 'main'],
      ['ms', '2.1.2', false, 'dev'],
      ['ms', '2.1.3', true, 'main'],
      ['typescript', '5.4.5', true, 'dev'],
    ]);
  });

  it('classic: CRLF line ends, escapes in quoted values, comments and blank lines read as before', () => {
    const text = [
      '# yarn lockfile v1', '', '"@s/a@^1.0.0", "@s/a@^1.1.0":', '  version "1.1.0"', '  resolved "https://registry.yarnpkg.com/@s/a/-/a-1.1.0.tgz#abc"',
      '  integrity "sha512-x\\u0079z=="', '  dependencies:', '    "@s/b" "^2.0.0"', '    # a comment', '    c "^3"', '',
      '"@s/b@^2.0.0":', '  version "2.0.0"', '',
    ].join('\r\n');
    const r = parseYarnLock(text, 'yarn.lock');
    expect(r.dependencies.map((d) => [d.name, d.version, d.location.line, d.hashes])).toEqual([
      ['@s/a', '1.1.0', 3, ['sha512-xyz==']],
      ['@s/b', '2.0.0', 12, undefined],
    ]);
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/have no entry in the lock: c@\^3$/)]);
  });

  it('reports a malformed classic lock at its line', () => {
    const bad = '# yarn lockfile v1\n\nlodash@^4.17.21:\n  version "4.17.21"\nthis is not a header\n';
    expect(() => parseYarnLock(bad, 'yarn.lock')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: expect.objectContaining({ line: 5 }) }));
    expect(() => parseYarnLock('lodash@^4.17.21:\n  version\n', 'yarn.lock')).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 2 }) }));
  });
});

describe('yarn.lock cut short', () => {
  it('a lock cut mid-string is a parse error at that line; one cut between entries warns about missing entries', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../fixtures/yarn-classic/yarn.lock'), 'utf8');
    const midString = text.slice(0, text.indexOf('"7.22.20"') + 5);
    expect(() => parseYarnLock(midString, 'yarn.lock')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: expect.objectContaining({ line: 14 }) }));
    const betweenEntries = text.slice(0, text.indexOf('chalk@^2.4.1'));
    const r = parseYarnLock(betweenEntries, 'yarn.lock');
    expect(r.dependencies.map((d) => d.name)).toEqual(['@babel/code-frame', '@babel/highlight']);
    expect(r.warnings[0]?.message).toMatch(/2 dependency reference\(s\) have no entry in the lock: chalk@\^2\.4\.2, js-tokens@\^4\.0\.0/);
  });
});
