// Matching on the real PyPA advisory database (../shared/data/pypa-advisory-db, or the PyPI
// export that the global setup downloads with psr's own `db sync` when that folder is absent).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isAffected, matchPackage } from './match.js';
import { OsvIndex } from './osv-index.js';
import { LocalSource } from './sources/local-source.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'psr-osv-pypa-'));
let index: OsvIndex;
// The pinned snapshot gives exact answers; a freshly downloaded export may hold more advisories.
const pinned = inject('pypaPinned');
function expectIds(got: string[], expected: string[]): void {
  if (pinned) expect(got).toEqual(expected);
  else expect(got).toEqual(expect.arrayContaining(expected));
}

beforeAll(async () => {
  const source = new LocalSource(inject('pypaData'), { name: 'pypa-advisory-db' });
  index = new OsvIndex([await source.open(cacheDir)]);
}, 120_000);
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

function ids(name: string, version: string): string[] {
  const m = matchPackage(index.advisoriesFor('PyPI', name), 'PyPI', name, version);
  return m.groups.flatMap((g) => g.advisoryIds).sort();
}

describe('real PyPA data', () => {
  // Expectations read from the advisory files by hand (ranges quoted in each comment).
  it.each([
    // jinja2: 2014-8 [0,2.7.2) 2014-82 [0,2.7.3) 2019-217 [0,2.10.1) 2019-220 [0,2.8.1) 2021-66 [0,2.11.3)
    ['jinja2', '2.10', ['PYSEC-2019-217', 'PYSEC-2021-66']],
    ['Jinja2', '2.7.2', ['PYSEC-2014-82', 'PYSEC-2019-217', 'PYSEC-2019-220', 'PYSEC-2021-66']],
    ['jinja2', '2.11.3', []],
    // requests: 2018-28 [0,2.20.0) 2023-74 [2.3.0,2.31.0)
    ['requests', '2.19.1', ['PYSEC-2018-28', 'PYSEC-2023-74']],
    ['requests', '2.20.0', ['PYSEC-2023-74']],
    ['requests', '2.31.0', []],
    // pyyaml: 2020-96 [0,5.3.1) 2021-142 [0,5.4); 2018-49 [0,4.1) 2020-176 [0,5.1)
    ['PyYAML', '5.3', ['PYSEC-2020-96', 'PYSEC-2021-142']],
    ['pyyaml', '5.3.1', ['PYSEC-2021-142']],
    // pyspark PYSEC-2023-72 lists events out of order with a fixed/introduced tie at 3.2.0.
    ['pyspark', '3.1.2', ['PYSEC-2022-186', 'PYSEC-2022-236', 'PYSEC-2022-42976', 'PYSEC-2023-44', 'PYSEC-2023-72']],
    // steam: fixed "2019-09-12" is not PEP 440, so the range never closes.
    ['steam', '1.4.4', ['PYSEC-2019-125']],
  ])('%s==%s', (name, version, expected) => {
    expectIds(ids(name, version), expected);
  });

  it('gives each finding its aliases and the package one upgrade that fixes them all', () => {
    const m = matchPackage(index.advisoriesFor('PyPI', 'requests'), 'PyPI', 'requests', '2.19.1');
    const groups = m.groups.map((g) => [g.id, g.aliases, g.fixedIn]);
    const want = [
      ['PYSEC-2018-28', ['CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'], '2.20.0'],
      ['PYSEC-2023-74', ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'], '2.31.0'],
    ];
    if (pinned) {
      expect(groups).toEqual(want);
      expect(m.suggestedUpgrade).toBe('2.31.0');
    } else expect(groups.map((g) => g[0])).toEqual(expect.arrayContaining(want.map((g) => g[0])));
  });

  it('skips withdrawn advisories', () => {
    // aiohttp PYSEC-2022-43059 (introduced "0", never fixed) was withdrawn on 2023-11-08.
    expect(index.advisoriesFor('PyPI', 'aiohttp').map((a) => a.id)).not.toContain('PYSEC-2022-43059');
    expect(ids('aiohttp', '3.9.0')).not.toContain('PYSEC-2022-43059');
  });

  it('agrees with an independent implementation of the OSV rules on 320 cases', () => {
    const expectations = JSON.parse(readFileSync(new URL('../fixtures/pypa-expectations.json', import.meta.url), 'utf8')) as {
      cases: Array<{ package: string; version: string; ids: string[]; idsWithoutVersions: string[] }>;
    };
    const wrong: string[] = [];
    for (const c of expectations.cases) {
      const got = ids(c.package, c.version);
      const same = pinned ? JSON.stringify(got) === JSON.stringify(c.ids) : c.ids.every((id) => got.includes(id));
      if (!same) wrong.push(`${c.package}==${c.version}: got ${got} expected ${c.ids}`);
      const rangesOnly = index
        .advisoriesFor('PyPI', c.package)
        .filter((a) => isAffected({ ...a, affected: a.affected.map((x) => ({ ...x, versionKeys: [] })) }, c.version, 'PyPI'))
        .map((a) => a.id)
        .sort();
      const want = [...new Set(c.idsWithoutVersions)].sort();
      if (pinned && JSON.stringify(rangesOnly) !== JSON.stringify(want)) wrong.push(`${c.package}==${c.version} without versions: got ${rangesOnly} expected ${want}`);
    }
    expect(wrong).toEqual([]);
    expect(expectations.cases.length).toBe(320);
  });

  it('agrees with it on 520 pre-, post-, dev-, local- and epoch spellings near the bounds, from advisories and from match tables', () => {
    const { variantCases } = JSON.parse(readFileSync(new URL('../fixtures/pypa-expectations.json', import.meta.url), 'utf8')) as {
      variantCases: Array<[name: string, version: string, ids: string[]]>;
    };
    const wrong: string[] = [];
    let affected = 0;
    for (const [name, version, want] of variantCases) {
      const direct = ids(name, version);
      // What a scan uses: the package's match table when the index has one.
      const scanned = index.match('PyPI', name, version).groups.flatMap((g) => g.advisoryIds).sort();
      if (JSON.stringify(scanned) !== JSON.stringify(direct)) wrong.push(`${name}==${version}: table ${scanned}, advisories ${direct}`);
      const same = pinned ? JSON.stringify(direct) === JSON.stringify(want) : want.every((id) => direct.includes(id));
      if (!same) wrong.push(`${name}==${version}: got ${direct} expected ${want}`);
      if (want.length > 0) affected++;
    }
    expect(wrong).toEqual([]);
    expect(variantCases.length).toBe(520);
    // Most are affected: agreeing is not just agreeing on empty answers.
    expect(affected).toBeGreaterThan(400);
  });
});
