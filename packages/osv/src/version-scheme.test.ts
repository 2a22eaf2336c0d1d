import pep440 from '@renovatebot/pep440';
import { describe, expect, it } from 'vitest';
import { normalizePackageName, pep440Scheme, pep440SortKey, semverScheme, toEcosystem } from './version-scheme.js';

// Versions of the shapes found in PyPA advisories (pre/post/dev/local/epoch/leading v/odd case).
const SAMPLE = [
  '0', '0.0.0.dev0', '0.1', '0.9.9', '1.0.dev0', '1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0b1', '1.0RC1', '1.0rc2', '1.0', '1.0.0',
  '1.0+abc', '1.0+abc.5', '1.0+5', '1.0+abc.abc', '1.0.post1.dev2', '1.0.post1', '1.0-1', '1.0.1', '1.1', 'v1.2', '2.0b1.post3',
  '1!0.1', '2019.9.12', '10.0', '1.0.0.0.1', '3.2.0', '3.2.2', '4.17.21', '01.02', '1.00.0', '0.0', '1.0.0.0', '2.0.1.0',
];

describe('pep440Scheme', () => {
  it('orders exactly like @renovatebot/pep440 on every pair', () => {
    for (const a of SAMPLE)
      for (const b of SAMPLE) expect([a, b, Math.sign(pep440Scheme.compare(a, b))]).toEqual([a, b, Math.sign(pep440.compare(a, b))]);
  });

  it('gives sort keys whose string order is the version order', () => {
    for (const a of SAMPLE)
      for (const b of SAMPLE) {
        const [ka, kb] = [pep440SortKey(a)!, pep440SortKey(b)!];
        expect([a, b, ka < kb ? -1 : ka > kb ? 1 : 0]).toEqual([a, b, Math.sign(pep440.compare(a, b))]);
      }
    expect(pep440SortKey('banana')).toBeUndefined();
    expect(pep440SortKey('1.99999999999999999999')).toBeUndefined(); // beyond 2^53: compared parsed
    expect(pep440Scheme.compare('1.99999999999999999999', '1.5')).toBeGreaterThan(0);
  });

  it('gives equal versions one canonical form and rejects invalid ones', () => {
    expect(pep440Scheme.canonical('1.0.0')).toBe(pep440Scheme.canonical('1'));
    expect(pep440Scheme.canonical('2.0RC1')).toBe('2rc1');
    expect(pep440Scheme.canonical('1.0+Ubuntu.1')).not.toBe(pep440Scheme.canonical('1.0'));
    expect(pep440Scheme.isValid('0.2.0-n653')).toBe(false);
    expect(pep440Scheme.isValid('2019-09-12')).toBe(false);
    expect(pep440Scheme.canonical('banana')).toBeUndefined();
  });
});

describe('semverScheme and names', () => {
  it('orders pre-releases before the release and ignores build metadata for equality', () => {
    expect(semverScheme.compare('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(semverScheme.canonical('1.0.0+build.5')).toBe('1.0.0');
    expect(semverScheme.isValid('1.0')).toBe(false);
  });

  it('normalises PyPI names per PEP 503 and leaves npm names alone', () => {
    expect(normalizePackageName('PyPI', 'Foo__Bar.baz')).toBe('foo-bar-baz');
    expect(normalizePackageName('npm', '@Scope/Pkg')).toBe('@Scope/Pkg');
    expect(toEcosystem('pypi')).toBe('PyPI');
    expect(toEcosystem('maven')).toBeUndefined();
  });
});
