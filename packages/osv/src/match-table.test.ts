// Match tables must answer exactly as the matcher does for every version: checked on small
// hand-written advisories for each range rule, and on every package of the real PyPA data at
// every bound and around it. Tables are always read back from their stored form, as a scan does.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OsvEvent } from './advisory.js';
import { compileAdvisory, type IndexedAdvisory } from './compiled-advisory.js';
import { IndexFile } from './index-file.js';
import { matchPackage, type PackageMatch } from './match.js';
import { answerFromTable, buildMatchTable, type MatchTable } from './match-table.js';
import { LocalSource } from './sources/local-source.js';
import { encodeMatchTable, StoredMatchTable } from './stored-match-table.js';

function adv(id: string, events: OsvEvent[], extra: { versions?: string[]; type?: string; aliases?: string[]; summary?: string } = {}): IndexedAdvisory {
  return compileAdvisory(
    {
      id,
      ...(extra.aliases ? { aliases: extra.aliases } : {}),
      ...(extra.summary ? { summary: extra.summary } : {}),
      affected: [{ package: { ecosystem: 'PyPI', name: 'pkg' }, ranges: [{ type: extra.type ?? 'ECOSYSTEM', events }], ...(extra.versions ? { versions: extra.versions } : {}) }],
    },
    'test',
  ).entries[0]!.advisory;
}

/** `table` written as the index stores it and read back, through bytes decoded as the index file is (Latin-1). */
function stored(table: MatchTable): StoredMatchTable {
  return StoredMatchTable.read(Buffer.from(encodeMatchTable(table), 'latin1'));
}

/** A match with each group's records reduced to id and source (what findings use). */
function comparable(m: PackageMatch): unknown {
  return { ...m, groups: m.groups.map((g) => ({ ...g, sources: [...g.sources] })) };
}

/** Versions at, just below and just above every bound and listed version of `advisories`, and a few far away. */
function probes(advisories: readonly IndexedAdvisory[]): string[] {
  const out = new Set(['0', '0.0.0.dev0', '0.1', '1.0', '99999', '1!0']);
  for (const a of advisories)
    for (const entry of a.affected) {
      // Listed versions are stored in canonical form (`=` and the text when not PEP 440).
      for (const listed of entry.versionKeys) {
        const v = listed.startsWith('=') ? listed.slice(1) : listed;
        for (const p of [v, `${v}.0`, `${v}.post1`, `${v}.dev0`, `${v}+local.1`]) out.add(p);
      }
      for (const range of entry.ranges)
        for (const e of range.events) {
          if (!e.valid) continue;
          for (const v of [e.version, `${e.version}.post1`, `${e.version}.dev0`, `${e.version}rc1`, `${e.version}+local.1`, `${e.version}.0.1`]) out.add(v);
        }
    }
  return [...out];
}

function expectSameAnswers(advisories: IndexedAdvisory[], name: string): void {
  const built = buildMatchTable(advisories, 'PyPI', name);
  expect(built).toBeDefined();
  const table = stored(built!);
  for (const version of probes(advisories)) {
    const fromTable = answerFromTable(table, 'PyPI', name, version, ['test']);
    const direct = matchPackage(advisories, 'PyPI', name, version);
    if (direct.unorderable) expect(fromTable).toBeUndefined();
    else expect([version, comparable(fromTable!)]).toEqual([version, comparable(direct)]);
  }
}

describe('match tables on hand-written ranges', () => {
  it('answer like the matcher for introduced/fixed, last_affected, limit and overlapping advisories', () => {
    expectSameAnswers(
      [
        adv('PYSEC-1', [{ introduced: '0' }, { fixed: '1.2' }]),
        adv('PYSEC-2', [{ introduced: '1.0' }, { last_affected: '1.4' }], { aliases: ['CVE-2'] }),
        adv('GHSA-2', [{ introduced: '1.1' }, { fixed: '1.5' }], { aliases: ['CVE-2'] }),
        adv('PYSEC-3', [{ introduced: '2.0rc1' }, { fixed: '2.0.1' }, { introduced: '3.0' }, { limit: '3.5' }]),
        adv('PYSEC-4', [{ introduced: '1.0' }, { fixed: 'not-a-version' }]),
      ],
      'pkg',
    );
  });

  it('answer for a version below, between and above the bounds and at each bound', () => {
    const advisories = [adv('PYSEC-1', [{ introduced: '1.0' }, { fixed: '2.0' }])];
    const table = stored(buildMatchTable(advisories, 'PyPI', 'pkg')!);
    const ids = (v: string): string[] => answerFromTable(table, 'PyPI', 'pkg', v, ['test'])!.groups.map((g) => g.id);
    expect([ids('0.9'), ids('1.0'), ids('1.0.0'), ids('1.5'), ids('2.0'), ids('3')]).toEqual([[], ['PYSEC-1'], ['PYSEC-1'], ['PYSEC-1'], [], []]);
    expect(answerFromTable(table, 'PyPI', 'pkg', '1.5', ['test'])).toMatchObject({ suggestedUpgrade: '2.0', groups: [{ fixedIn: '2.0', advisoryIds: ['PYSEC-1'], sources: ['test'] }] });
  });

  it('leave versions without a PEP 440 key to the matcher', () => {
    const table = stored(buildMatchTable([adv('PYSEC-1', [{ introduced: '0' }, { fixed: '2.0' }])], 'PyPI', 'pkg')!);
    expect(answerFromTable(table, 'PyPI', 'pkg', 'banana', ['test'])).toBeUndefined();
  });

  it('are stored as ASCII and give back summaries in any script', () => {
    const summary = 'Déni de service — サービス拒否 🔥';
    const text = encodeMatchTable(buildMatchTable([adv('PYSEC-1', [{ introduced: '0' }, { fixed: '2.0' }], { summary })], 'PyPI', 'pkg')!);
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    const table = StoredMatchTable.read(Buffer.from(text, 'latin1'));
    expect(answerFromTable(table, 'PyPI', 'pkg', '1.0', ['test'])!.groups.map((g) => g.summary)).toEqual([summary]);
  });

  it('answer the same from a large table, whose fragments are decoded one by one from the bytes around it', () => {
    const advisories = Array.from({ length: 120 }, (_, i) =>
      adv(`PYSEC-${i}`, [{ introduced: `${i}.0` }, { fixed: `${i + 2}.0` }], { summary: `Issue ${i}: ${'a long description '.repeat(12)}` }),
    );
    const text = encodeMatchTable(buildMatchTable(advisories, 'PyPI', 'pkg')!);
    expect(text.length).toBeGreaterThan(16 * 1024);
    // Inside a larger buffer, as in the index file's read window.
    const bytes = Buffer.concat([Buffer.from('x\n'.repeat(50)), Buffer.from(text, 'latin1'), Buffer.from('\n{"junk":1}')]);
    const table = StoredMatchTable.read(bytes, 100, 100 + text.length);
    for (const version of ['0.5', '1.0', '7.5', '60.0', '119.9', '121.0', '200']) {
      expect([version, comparable(answerFromTable(table, 'PyPI', 'pkg', version, ['test'])!)]).toEqual([version, comparable(matchPackage(advisories, 'PyPI', 'pkg', version))]);
    }
    expect(answerFromTable(table, 'PyPI', 'pkg', '7.5', ['test'])!.groups.map((g) => g.id)).toEqual(['PYSEC-6', 'PYSEC-7']);
  });

  it('refuse stored bytes that do not hold what their head describes', () => {
    const text = encodeMatchTable(buildMatchTable([adv('PYSEC-1', [{ introduced: '0' }, { fixed: '2.0' }])], 'PyPI', 'pkg')!);
    expect(() => StoredMatchTable.read(Buffer.from(text.slice(0, -1), 'latin1'))).toThrow(/head describes/);
    expect(() => StoredMatchTable.read(Buffer.from('{}'))).toThrow(/no head/);
  });

  it('answer like the matcher for versions listed outside the ranges, in any spelling', () => {
    expectSameAnswers(
      [
        adv('PYSEC-1', [{ introduced: '1.0' }, { fixed: '1.2' }], { versions: ['5.0', '5.1rc1', '6.0+Ubuntu.01', '1!7.0', 'not-a-version', '1.1'] }),
        adv('PYSEC-2', [{ introduced: '5.0' }, { fixed: '5.0.1' }]),
        adv('PYSEC-3', [], { versions: ['5.0.0', '8.0.post2.dev1'] }),
      ],
      'pkg',
    );
    const table = stored(buildMatchTable([adv('PYSEC-1', [{ introduced: '1.0' }, { fixed: '1.2' }], { versions: ['5.0'] })], 'PyPI', 'pkg')!);
    const ids = (v: string): string[] => answerFromTable(table, 'PyPI', 'pkg', v, ['test'])!.groups.map((g) => g.id);
    expect([ids('5'), ids('5.0.0'), ids('5.0.post1'), ids('4.9'), ids('5.0.1')]).toEqual([['PYSEC-1'], ['PYSEC-1'], [], [], []]);
  });

  it('are not built when an answer depends on more than the sort key', () => {
    expect(buildMatchTable([adv('PYSEC-1', [{ introduced: '0' }, { fixed: '2.0.0' }], { type: 'SEMVER' })], 'PyPI', 'pkg')).toBeUndefined();
    expect(buildMatchTable([], 'PyPI', 'pkg')).toBeUndefined();
  });
});

describe('match tables on the real PyPA data', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'psr-match-table-'));
  let file: IndexFile;
  beforeAll(async () => {
    await new LocalSource(inject('pypaData'), { name: 'pypa-advisory-db' }).open(cacheDir);
    const dir = readdirSync(join(cacheDir, 'osv-index')).find((d) => d !== 'folders')!;
    file = IndexFile.read(join(cacheDir, 'osv-index', dir, 'PyPI.idx'));
  }, 120_000);
  afterAll(() => {
    file?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('answer like the matcher for every package, at every bound and around it', () => {
    let tables = 0;
    let checked = 0;
    for (const key of file.packageNames()) {
      const advisories = file.advisoriesFor(key);
      for (const version of probes(advisories)) {
        const fromTable = file.matchFromTable(key, key, version);
        if (fromTable === undefined) continue;
        expect([key, version, comparable(fromTable)]).toEqual([key, version, comparable(matchPackage(advisories, 'PyPI', key, version))]);
        checked++;
      }
      if (file.matchFromTable(key, key, '1.0') !== undefined) tables++;
    }
    // Most packages get a table; the rest (huge or unusual) are matched from their advisories.
    expect(tables).toBeGreaterThan(file.packageCount * 0.9);
    expect(checked).toBeGreaterThan(10_000);
  });
});
