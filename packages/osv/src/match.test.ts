// Range semantics of the OSV evaluation, with no `versions` lists: every rule is decided by
// the ranges alone. Advisories are written inline in OSV shape and compiled like real data.
import { describe, expect, it } from 'vitest';
import type { OsvAdvisory, OsvEvent } from './advisory.js';
import { compileAdvisory, type IndexedAdvisory } from './compiled-advisory.js';
import { isAffected, matchPackage, smallestFixAbove } from './match.js';

function adv(
  events: OsvEvent[] | OsvEvent[][],
  opts: { ecosystem?: string; type?: string; id?: string; aliases?: string[]; versions?: string[]; withdrawn?: string; name?: string } = {},
): IndexedAdvisory[] {
  const ranges = (Array.isArray(events[0]) ? (events as OsvEvent[][]) : [events as OsvEvent[]]).map((ev) => ({ type: opts.type ?? 'ECOSYSTEM', events: ev }));
  const raw: OsvAdvisory = {
    id: opts.id ?? 'TEST-1',
    ...(opts.aliases ? { aliases: opts.aliases } : {}),
    ...(opts.withdrawn ? { withdrawn: opts.withdrawn } : {}),
    affected: [{ package: { ecosystem: opts.ecosystem ?? 'PyPI', name: opts.name ?? 'pkg' }, ranges, ...(opts.versions ? { versions: opts.versions } : {}) }],
  };
  return compileAdvisory(raw, 'test').entries.map((e) => e.advisory);
}

function affected(list: IndexedAdvisory[], version: string, ecosystem: 'PyPI' | 'npm' = 'PyPI'): boolean {
  return list.some((a) => isAffected(a, version, ecosystem));
}

describe('OSV range evaluation without versions lists', () => {
  it('introduced "0" affects everything before the fix, including dev releases of 0', () => {
    const a = adv([{ introduced: '0' }, { fixed: '2.0' }]);
    expect(affected(a, '0.0.0.dev0')).toBe(true);
    expect(affected(a, '1.9.9')).toBe(true);
    expect(affected(a, '2.0')).toBe(false);
    expect(affected(a, '2.0.1')).toBe(false);
  });

  it('introduced is inclusive and fixed is exclusive', () => {
    const a = adv([{ introduced: '1.2' }, { fixed: '1.4' }]);
    expect(affected(a, '1.1.9')).toBe(false);
    expect(affected(a, '1.2')).toBe(true);
    expect(affected(a, '1.2.0')).toBe(true);
    expect(affected(a, '1.3.99')).toBe(true);
    expect(affected(a, '1.4')).toBe(false);
  });

  it('an unfixed range affects every later version', () => {
    const a = adv([{ introduced: '3.0' }]);
    expect(affected(a, '2.9')).toBe(false);
    expect(affected(a, '3.0')).toBe(true);
    expect(affected(a, '99.0')).toBe(true);
  });

  it('last_affected is inclusive', () => {
    const a = adv([{ introduced: '0' }, { last_affected: '2.1.214' }]);
    expect(affected(a, '2.1.214')).toBe(true);
    expect(affected(a, '2.1.214.post1')).toBe(false);
    expect(affected(a, '2.1.215')).toBe(false);
  });

  it('several intervals in one range, with gaps between them', () => {
    const a = adv([{ introduced: '1.0' }, { fixed: '1.0.2' }, { introduced: '3.0' }, { fixed: '3.2.5' }]);
    expect(affected(a, '0.9')).toBe(false);
    expect(affected(a, '1.0.1')).toBe(true);
    expect(affected(a, '2.0')).toBe(false);
    expect(affected(a, '3.2.4')).toBe(true);
    expect(affected(a, '3.2.5')).toBe(false);
  });

  it('events listed out of order are sorted by version first', () => {
    const a = adv([{ fixed: '3.2.5' }, { introduced: '3.0' }, { fixed: '1.0.2' }, { introduced: '1.0' }]);
    expect(affected(a, '1.0.1')).toBe(true);
    expect(affected(a, '2.0')).toBe(false);
    expect(affected(a, '3.1')).toBe(true);
    expect(affected(a, '4.0')).toBe(false);
  });

  it('multiple introduced events (release branches) each open an interval', () => {
    const a = adv([{ introduced: '0' }, { fixed: '2.2.28' }, { introduced: '3.0' }, { fixed: '3.2.13' }, { introduced: '4.0' }, { fixed: '4.0.4' }]);
    expect(affected(a, '2.2.27')).toBe(true);
    expect(affected(a, '2.2.28')).toBe(false);
    expect(affected(a, '3.2.12')).toBe(true);
    expect(affected(a, '3.2.13')).toBe(false);
    expect(affected(a, '4.0.3')).toBe(true);
    expect(affected(a, '4.1')).toBe(false);
  });

  it('a version is affected when any of several ranges contains it', () => {
    const a = adv([
      [{ introduced: '0' }, { fixed: '1.0' }],
      [{ introduced: '5.0' }, { fixed: '5.1' }],
    ]);
    expect(affected(a, '0.5')).toBe(true);
    expect(affected(a, '5.0.1')).toBe(true);
    expect(affected(a, '2.0')).toBe(false);
  });

  it('limit events bound the range (v < some limit); "*" means no bound', () => {
    const a = adv([{ introduced: '1.0' }, { limit: '2.0' }]);
    expect(affected(a, '1.5')).toBe(true);
    expect(affected(a, '2.0')).toBe(false);
    const b = adv([{ introduced: '1.0' }, { limit: '*' }]);
    expect(affected(b, '9.0')).toBe(true);
  });

  it('a fixed and an introduced event at the same version keep the advisory order (as osv.dev)', () => {
    // pyspark PYSEC-2023-72 shape: osv.dev's computed versions list leaves 3.2.0–3.2.1 out.
    const a = adv([{ introduced: '0' }, { fixed: '3.1.1' }, { introduced: '3.2.0' }, { fixed: '3.2.2' }, { introduced: '3.1.1' }, { fixed: '3.2.0' }]);
    expect(affected(a, '3.1.1')).toBe(true);
    expect(affected(a, '3.1.3')).toBe(true);
    expect(affected(a, '3.2.1')).toBe(false);
    expect(affected(a, '3.2.2')).toBe(false);
  });

  it('PEP 440 ordering: pre-, post-, dev-releases, epochs and local versions', () => {
    const a = adv([{ introduced: '1.0rc1' }, { fixed: '1.0.post1' }]);
    expect(affected(a, '1.0b9')).toBe(false);
    expect(affected(a, '1.0rc1')).toBe(true);
    expect(affected(a, '1.0')).toBe(true);
    expect(affected(a, '1.0+ubuntu1')).toBe(true);
    expect(affected(a, '1.0.post1.dev0')).toBe(true);
    expect(affected(a, '1.0.post1')).toBe(false);
    const b = adv([{ introduced: '0' }, { fixed: '2.0' }]);
    expect(affected(b, '2.0.dev1')).toBe(true);
    expect(affected(b, '2.0a1')).toBe(true);
    expect(affected(b, '1!0.1')).toBe(false);
    expect(affected(b, '1.0')).toBe(true);
    expect(affected(b, 'v1.0')).toBe(true);
  });

  it('npm uses SemVer precedence (pre-releases sort before the release)', () => {
    const a = adv([{ introduced: '4.0.0' }, { fixed: '4.17.21' }], { ecosystem: 'npm', type: 'SEMVER', name: 'lodash' });
    expect(affected(a, '4.17.20', 'npm')).toBe(true);
    expect(affected(a, '4.17.21-beta.1', 'npm')).toBe(true);
    expect(affected(a, '4.17.21', 'npm')).toBe(false);
    expect(affected(a, '3.10.1', 'npm')).toBe(false);
  });

  it('an npm bound written without its patch is read as osv.dev reads it (node-fetch GHSA-r683-j2x4-v87g: "1.0")', () => {
    // The real record's two entries: [1.0, 3.1.1) and [0, 2.6.7). Read as invalid, "1.0" opened
    // nothing and node-fetch 3.0.0 to 3.1.0 came out clean.
    const a = adv([[{ introduced: '1.0' }, { fixed: '3.1.1' }], [{ introduced: '0' }, { fixed: '2.6.7' }]], { ecosystem: 'npm', name: 'node-fetch', id: 'GHSA-r683-j2x4-v87g' });
    expect(affected(a, '3.1.0', 'npm')).toBe(true);
    expect(affected(a, '3.0.0-beta.9', 'npm')).toBe(true);
    expect(affected(a, '1.0.0', 'npm')).toBe(true);
    expect(affected(a, '3.1.1', 'npm')).toBe(false);
    expect(matchPackage(a, 'npm', 'node-fetch', '3.0.0').groups[0]?.fixedIn).toBe('3.1.1');
    const v = adv([{ introduced: 'v2' }, { fixed: '2.5' }], { ecosystem: 'npm', type: 'SEMVER' });
    expect([affected(v, '1.9.9', 'npm'), affected(v, '2.0.0', 'npm'), affected(v, '2.4.9', 'npm'), affected(v, '2.5.0', 'npm')]).toEqual([false, true, true, false]);
  });

  it('an npm bound listing several versions affects the most it can (protobufjs GHSA-h755-8qp9-cq85: fixed "7.2.4, 6.11.4")', () => {
    // As invalid, the fixed bound was never reached: every protobufjs from 6.10.0 on, 7.6.6 too,
    // was reported. The highest listed fix closes the interval; nothing vulnerable comes out clean.
    const a = adv([{ introduced: '6.10.0' }, { fixed: '7.2.4, 6.11.4' }], { ecosystem: 'npm', name: 'protobufjs' });
    expect(affected(a, '6.9.0', 'npm')).toBe(false);
    expect(affected(a, '6.10.0', 'npm')).toBe(true);
    expect(affected(a, '7.2.3', 'npm')).toBe(true);
    expect(affected(a, '7.2.4', 'npm')).toBe(false);
    expect(affected(a, '7.6.6', 'npm')).toBe(false);
    expect(matchPackage(a, 'npm', 'protobufjs', '7.0.0').groups[0]?.fixedIn).toBe('7.2.4');
    // Text that names no version stays invalid: the interval stays open, as before.
    expect(affected(adv([{ introduced: '0' }, { fixed: 'see notes' }], { ecosystem: 'npm' }), '99.0.0', 'npm')).toBe(true);
  });

  it('GIT ranges are not used for version matching', () => {
    const a = adv([{ introduced: '0' }, { fixed: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2' }], { type: 'GIT' });
    expect(affected(a, '1.0')).toBe(false);
  });

  it('withdrawn advisories are skipped', () => {
    expect(adv([{ introduced: '0' }], { withdrawn: '2024-01-01T00:00:00Z' })).toEqual([]);
  });

  it('an invalid fixed bound is never reached, so the interval stays open (no false clean)', () => {
    const a = adv([{ introduced: '0' }, { fixed: '2019-09-12' }]);
    expect(affected(a, '1.0')).toBe(true);
    expect(affected(a, '2020.1')).toBe(true);
  });

  it('an installed version that is not PEP 440 is matched against versions lists only', () => {
    const a = adv([{ introduced: '0' }, { fixed: '2.0' }], { versions: ['1.0-custom'] });
    expect(affected(a, '1.0-custom')).toBe(true);
    expect(affected(a, 'banana')).toBe(false);
    expect(matchPackage(a, 'PyPI', 'pkg', 'banana').unorderable).toBe(true);
  });

  it('versions lists OR ranges: a listed version outside every range is still affected', () => {
    const a = adv([{ introduced: '2.0' }, { fixed: '2.1' }], { versions: ['1.5'] });
    expect(affected(a, '1.5')).toBe(true);
    expect(affected(a, '1.5.0')).toBe(true);
    expect(affected(a, '1.6')).toBe(false);
  });
});

describe('findings from matches', () => {
  it('collapses advisories sharing an alias into one finding that lists every id', () => {
    const list = [
      ...adv([{ introduced: '0' }, { fixed: '1.1' }], { id: 'PYSEC-2022-1', aliases: ['CVE-2022-1'] }),
      ...adv([{ introduced: '0' }, { fixed: '1.2' }], { id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2022-1'] }),
      ...adv([{ introduced: '0' }, { fixed: '1.3' }], { id: 'PYSEC-2022-2', aliases: ['CVE-2022-2'] }),
    ];
    const m = matchPackage(list, 'PyPI', 'pkg', '1.0');
    expect(m.groups.map((g) => [g.id, g.aliases])).toEqual([
      ['PYSEC-2022-1', ['CVE-2022-1', 'GHSA-aaaa-bbbb-cccc']],
      ['PYSEC-2022-2', ['CVE-2022-2']],
    ]);
    // The group's fix must fix both of its advisories: 1.1 still falls to the GHSA record.
    expect(m.groups[0]!.fixedIn).toBe('1.2');
    expect(m.suggestedUpgrade).toBe('1.3');
  });

  it('without an ecosystem id, a group is shown under its first id in code-unit order, whatever the locale', () => {
    const list = [
      ...adv([{ introduced: '0' }, { fixed: '1.1' }], { id: 'ghsa-aaaa-bbbb-cccc', aliases: ['CVE-2022-9'] }),
      ...adv([{ introduced: '0' }, { fixed: '1.1' }], { id: 'OSV-2022-1', aliases: ['CVE-2022-9'] }),
    ];
    // An English collation would pick the lower-case id ('g' < 'o'); code-unit order puts
    // upper-case letters first, on every machine.
    expect(matchPackage(list, 'PyPI', 'pkg', '1.0').groups.map((g) => [g.id, g.aliases])).toEqual([['OSV-2022-1', ['CVE-2022-9', 'ghsa-aaaa-bbbb-cccc']]]);
  });

  it('the smallest fix skips fixed versions that another range re-affects', () => {
    const a = adv([
      [{ introduced: '0' }, { fixed: '1.3' }],
      [{ introduced: '1.3' }, { fixed: '1.5' }],
    ]);
    expect(smallestFixAbove('1.0', a, 'PyPI')).toBe('1.5');
    const unfixed = adv([
      [{ introduced: '0' }, { fixed: '1.3' }],
      [{ introduced: '1.3' }],
    ]);
    expect(smallestFixAbove('1.0', unfixed, 'PyPI')).toBeUndefined();
  });

  it('no finding for a version outside every range', () => {
    const m = matchPackage(adv([{ introduced: '0' }, { fixed: '1.0' }]), 'PyPI', 'pkg', '1.0');
    expect(m.groups).toEqual([]);
    expect(m.suggestedUpgrade).toBeUndefined();
  });
});
